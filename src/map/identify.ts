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

/** The topmost interactive feature near a point (points win over lines, lines over grid cells). */
export function hitTest(map: MapLibreMap, x: number, y: number, layerIds: string[], tolerance = 5): MapGeoJSONFeature | null {
  const present = layerIds.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  if (!present.length) return null;
  const box: [PointLike, PointLike] = [[x - tolerance, y - tolerance], [x + tolerance, y + tolerance]];
  const hits = map.queryRenderedFeatures(box, { layers: present });
  if (!hits.length) return null;
  const rank = (f: MapGeoJSONFeature) => (f.geometry.type === 'Point' ? 0 : f.geometry.type.includes('Line') ? 1 : 2);
  // queryRenderedFeatures lists the topmost first; keep that order within a geometry rank.
  return hits.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)[0].f;
}
