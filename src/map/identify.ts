// What a click or hover hits on the MapLibre side: which style layers are interactive, the feature
// under the pointer (with a few pixels of tolerance), and the key the details API knows it by.
import type { Map as MapLibreMap, MapGeoJSONFeature, PointLike } from 'maplibre-gl';
import { TILE_LAYERS } from '../layers/catalog.ts';
import type { StyleContext } from '../layers/types.ts';

/** Style layers a user can click: every geometry layer of the data modules except decoration. */
export function interactiveLayerIds(ctx: StyleContext): string[] {
  return TILE_LAYERS.filter((m) => m.id !== 'basemap')
    .flatMap((m) => m.layers(ctx))
    .filter((l) => l.type !== 'symbol')
    .map((l) => l.id);
}

export interface FeatureKey {
  layer: string;
  id: string;
}

export const isCluster = (f: MapGeoJSONFeature): boolean => f.properties.count !== undefined;

/** The details API's key of a tile feature: grids by code, everything else by id. */
export function featureKey(f: MapGeoJSONFeature): FeatureKey | null {
  if (isCluster(f)) return null;
  const layer = f.source;
  if (layer === 'grids') return f.properties.code ? { layer, id: String(f.properties.code) } : null;
  const id = f.id ?? f.properties.id;
  return id === undefined || id === null ? null : { layer, id: String(id) };
}

const geometryRank = (f: MapGeoJSONFeature) => (f.geometry.type === 'Point' ? 0 : f.geometry.type.includes('Line') ? 1 : 2);

/**
 * The interactive features near a point of the best geometry rank present (points win over lines, lines
 * over grid cells: a click on a dot is not a question about the cell under it), topmost first, one per
 * layer and id (a feature near a tile edge comes once from each tile).
 */
export function hitsAt(map: MapLibreMap, x: number, y: number, layerIds: string[], tolerance = 5): MapGeoJSONFeature[] {
  const present = layerIds.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  if (!present.length) return [];
  const box: [PointLike, PointLike] = [[x - tolerance, y - tolerance], [x + tolerance, y + tolerance]];
  const hits = map.queryRenderedFeatures(box, { layers: present });
  if (!hits.length) return [];
  const best = Math.min(...hits.map(geometryRank));
  const seen = new Set<string>();
  return hits.filter((f) => {
    if (geometryRank(f) !== best) return false;
    const key = featureKey(f);
    const k = key ? `${key.layer}:${key.id}` : `${f.source}:${f.layer.id}:${JSON.stringify(f.properties)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The topmost interactive feature near a point. */
export function hitTest(map: MapLibreMap, x: number, y: number, layerIds: string[], tolerance = 5): MapGeoJSONFeature | null {
  return hitsAt(map, x, y, layerIds, tolerance)[0] ?? null;
}
