// What a click or hover hits on the MapLibre side: which style layers are interactive, the feature
// under the pointer (with a few pixels of tolerance), and the key the details API knows it by.
import type { Map as MapLibreMap, MapGeoJSONFeature, PointLike } from 'maplibre-gl';
import type { I18n } from '../i18n/index.tsx';
import { tileModule, TILE_LAYERS } from '../layers/catalog.ts';
import { tileLayerOf } from './tileSources.ts';
import type { StyleContext } from '../layers/types.ts';

/** Style layers a user can click: every geometry layer of the modules with features (not decoration). */
export function interactiveLayerIds(ctx: StyleContext): string[] {
  return TILE_LAYERS.filter((m) => m.features)
    .flatMap((m) => m.layers(ctx))
    .filter((l) => l.type !== 'symbol')
    .map((l) => l.id);
}

export interface FeatureKey {
  layer: string;
  id: string;
}

export const isCluster = (f: MapGeoJSONFeature): boolean => f.properties.count !== undefined;

/** The details API's key of a tile feature: the property its module names (grids: the code), else its id. */
export function featureKey(f: MapGeoJSONFeature): FeatureKey | null {
  if (isCluster(f)) return null;
  const layer = tileLayerOf(f);
  const key = tileModule(layer)?.features?.key;
  if (key) return f.properties[key] ? { layer, id: String(f.properties[key]) } : null;
  const id = f.id ?? f.properties.id;
  return id === undefined || id === null ? null : { layer, id: String(id) };
}

/** The one line that names a feature of a layer: its module's title, or its name or code. */
export function featureTitle(layer: string, p: Record<string, unknown>, i: Pick<I18n, 't' | 'tr' | 'num' | 'date'>): string {
  if (p.count !== undefined) return i.t('tooltip.cluster', { n: i.num(Number(p.count)) });
  const title = tileModule(layer)?.features?.title;
  return title ? title(p, i) : String(p.name ?? p.label ?? p.code ?? p.id ?? '');
}

const geometryRank = (f: MapGeoJSONFeature) => (f.geometry.type === 'Point' ? 0 : f.geometry.type.includes('Line') ? 1 : 2);

/** How far, in pixels, a line feature passes from a point of the map. */
function lineDistance(map: MapLibreMap, f: MapGeoJSONFeature, x: number, y: number): number {
  const g = f.geometry;
  const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
  let best = Infinity;
  for (const line of lines) {
    const px = line.map((c) => map.project(c as [number, number]));
    for (let k = 1; k < px.length; k++) {
      const a = px[k - 1];
      const b = px[k];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len2 = dx * dx + dy * dy;
      const t = len2 ? Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / len2)) : 0;
      best = Math.min(best, Math.hypot(x - (a.x + t * dx), y - (a.y + t * dy)));
    }
  }
  return best;
}

/**
 * The interactive features a click means, topmost first, one per layer and id (a feature near a tile
 * edge comes once from each tile). Points win over lines, lines over grid cells: a click on a dot is not
 * a question about the cell under it. Every point under the click counts (dots stack and crowd); of lines
 * only the nearest and those drawn on top of it (a parallel pipe a few pixels away is not meant).
 */
export function hitsAt(map: MapLibreMap, x: number, y: number, layerIds: string[], tolerance = 5): MapGeoJSONFeature[] {
  const present = layerIds.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  if (!present.length) return [];
  const box: [PointLike, PointLike] = [[x - tolerance, y - tolerance], [x + tolerance, y + tolerance]];
  const hits = map.queryRenderedFeatures(box, { layers: present });
  if (!hits.length) return [];
  const best = Math.min(...hits.map(geometryRank));
  const seen = new Set<string>();
  const found = hits.filter((f) => {
    if (geometryRank(f) !== best) return false;
    const key = featureKey(f);
    const k = key ? `${key.layer}:${key.id}` : `${tileLayerOf(f)}:${f.layer.id}:${JSON.stringify(f.properties)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (best !== 1) return found;
  const near = found.map((f) => ({ f, d: lineDistance(map, f, x, y) }));
  const nearest = Math.min(...near.map((n) => n.d));
  return near.filter((n) => n.d <= nearest + 1).sort((a, b) => a.d - b.d).map((n) => n.f);
}

/** The topmost interactive feature near a point. */
export function hitTest(map: MapLibreMap, x: number, y: number, layerIds: string[], tolerance = 5): MapGeoJSONFeature | null {
  return hitsAt(map, x, y, layerIds, tolerance)[0] ?? null;
}
