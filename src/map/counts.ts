// Features of each tile layer drawn in the viewport, for the layer tree ("in view") and the e2e tests.
// Raw features are counted once however many tiles they cross; clusters add their `count` once, however
// many of the module's style layers draw them (a circle and, where a module has one, its label).
import type { Map as MapLibreMap } from 'maplibre-gl';
import { TILE_LAYERS, type TileLayerId } from '../layers/catalog.ts';
import type { StyleContext } from '../layers/types.ts';

export interface LayerCount {
  /** Distinct rendered features (clusters count as one). */
  rendered: number;
  /** Objects they stand for: raw features plus the `count` of every cluster. */
  total: number;
  /** True when some of them are clusters (the total is then from the server's aggregates). */
  aggregated: boolean;
}

export function renderedCounts(map: MapLibreMap, ctx: StyleContext, only?: ReadonlySet<string>): Partial<Record<TileLayerId, LayerCount>> {
  const out: Partial<Record<TileLayerId, LayerCount>> = {};
  for (const m of TILE_LAYERS) {
    if (!m.features || (only && !only.has(m.id))) continue;
    const ids = m.layers(ctx).map((l) => l.id).filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
    if (!ids.length) continue;
    const seen = new Set<string>();
    let rendered = 0;
    let total = 0;
    let aggregated = false;
    for (const f of map.queryRenderedFeatures({ layers: ids })) {
      const count = f.properties.count;
      if (count !== undefined) {
        // A cluster belongs to one cell of one tile: its position (or, for merged lines, its properties) is its id.
        const key = `c:${JSON.stringify(f.geometry.type === 'Point' ? f.geometry.coordinates : f.properties)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rendered++;
        total += Number(count) || 0;
        aggregated = true;
        continue;
      }
      const key = `f:${f.id ?? f.properties.id ?? f.properties.code ?? JSON.stringify(f.properties)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rendered++;
      total++;
    }
    out[m.id] = { rendered, total, aggregated };
  }
  return out;
}
