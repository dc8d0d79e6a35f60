// The wall's map style: the desktop's style modules (src/layers/) in the dark theme with the layers of the
// wall's scene (scenes.ts), the camera blind-spot grids on top of the unit grids, the units below the wall's
// unit (outlined, named, clickable), everything outside the wall's unit dimmed, and everything scaled to
// the wall's size (scaleStyle.ts). Moving things (alarms, vehicles, new cases) are deck.gl layers (WallDeck).
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { WallUnit } from '../../api/wall.ts';
import { withShippedFont } from '../../map/fonts.ts';
import { buildStyle } from '../../map/style.ts';
import { FLOOD_SENSOR_KINDS, sceneOverlays, sceneShows, WALL_MODULES, type Scene } from '../state/scenes.ts';
import { scaleStyle } from './scaleStyle.ts';

export const BLIND_FILL = 'wall-blind-fill';
export const STREET_LINE = 'wall-street-line';
export const BLIND_LINE = 'wall-blind-line';
export const MASK_FILL = 'wall-mask';
export const CHILD_FILL = 'wall-units-fill';
const CHILD_LINE = 'wall-units-line';
const CHILD_LABEL = 'wall-units-label';
const BLIND_COLOR = '#ff6b6b';
const UNITS = 'wall-units';
const MASK = 'wall-mask';

export interface WallStyleOptions {
  scale: number;
  scene: Scene;
  blindGrids: readonly string[];
  /** The unit below the wall's unit the playlist shows (outlined), or null. */
  highlight: string | null;
  unit: WallUnit | null;
}

export function blindFilter(codes: readonly string[]): FilterSpecification {
  return ['in', ['get', 'code'], ['literal', [...codes]]] as ExpressionSpecification as FilterSpecification;
}

/** The unit the playlist shows, outlined, so the room sees which area it is looking at. */
function highlightFilter(code: string | null): FilterSpecification {
  return ['==', ['get', 'code'], code ?? ''] as ExpressionSpecification as FilterSpecification;
}

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The world with the unit cut out of it: what the mask dims. */
function maskOf(unit: WallUnit | null): FeatureCollection {
  if (!unit || unit.level === 'district') return emptyCollection;
  const g = unit.geometry as Polygon | MultiPolygon;
  const holes: Position[][] = g.type === 'Polygon' ? [g.coordinates[0]] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p[0]) : [];
  const world: Position[] = [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]];
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [world, ...holes] } }] };
}

function childrenOf(unit: WallUnit | null): FeatureCollection {
  if (!unit) return emptyCollection;
  const features: Feature[] = unit.children.map((c) => ({
    type: 'Feature',
    properties: { code: c.code, level: c.level, name: c.level === 'grid' ? c.code.slice(-3) : c.name, open: c.cases_open, alarms: c.alarms },
    geometry: c.geometry,
  }));
  return { type: 'FeatureCollection', features };
}

function unitLayers(highlight: string | null): LayerSpecification[] {
  return [
    { id: MASK_FILL, type: 'fill', source: MASK, paint: { 'fill-color': '#02060d', 'fill-opacity': 0.62 } },
    // Transparent, but it is what a click on a unit finds.
    { id: CHILD_FILL, type: 'fill', source: UNITS, paint: { 'fill-color': '#4dd0ff', 'fill-opacity': 0.02 } },
    { id: CHILD_LINE, type: 'line', source: UNITS, layout: { 'line-join': 'round' }, paint: { 'line-color': '#7fb2d9', 'line-width': 1.4, 'line-opacity': 0.75 } },
    {
      id: STREET_LINE, type: 'line', source: UNITS, filter: highlightFilter(highlight),
      layout: { 'line-join': 'round' }, paint: { 'line-color': '#4dd0ff', 'line-width': 3.5, 'line-opacity': 0.9 },
    },
  ];
}

function unitLabels(): LayerSpecification[] {
  return [{
    id: CHILD_LABEL, type: 'symbol', source: UNITS,
    layout: { 'text-field': ['get', 'name'], 'text-size': 15, 'text-allow-overlap': false, 'text-padding': 4 },
    paint: { 'text-color': '#dbeeff', 'text-halo-color': '#0e1726', 'text-halo-width': 1.8 },
  }];
}

function blindLayers(codes: readonly string[]): LayerSpecification[] {
  return [
    { id: BLIND_FILL, type: 'fill', source: 'grids', 'source-layer': 'grids', filter: blindFilter(codes), paint: { 'fill-color': BLIND_COLOR, 'fill-opacity': 0.22 } },
    { id: BLIND_LINE, type: 'line', source: 'grids', 'source-layer': 'grids', filter: blindFilter(codes), paint: { 'line-color': BLIND_COLOR, 'line-width': 1.2, 'line-opacity': 0.8 } },
  ];
}

const visibility = (l: LayerSpecification, on: boolean): LayerSpecification =>
  (l.type === 'background' ? l : { ...l, layout: { ...l.layout, visibility: on ? 'visible' : 'none' } } as LayerSpecification);

/** The flood scene shows the stations that measure water and rain; the others stay (hidden) in the style. */
function floodSensors(l: LayerSpecification): LayerSpecification {
  if (l.id !== 'sensors-point' || !('filter' in l) || !l.filter) return l;
  return { ...l, filter: ['all', l.filter, ['in', ['get', 'kind'], ['literal', [...FLOOD_SENSOR_KINDS]]]] as FilterSpecification };
}

export function wallStyle(o: WallStyleOptions): StyleSpecification {
  // Pipes are coloured by their CJJ 181 structural grade: the flood scene is about the network's condition.
  const full = buildStyle({ theme: 'dark', pipeColor: 'sgrade', visible: new Set(WALL_MODULES), opacity: {} });
  // Layers of no scene and their sources are left out, so their TileJSON is never asked for; the
  // desktop's selection and tool overlays (GeoJSON sources 'onemap-…') have no use here either.
  const kept = full.layers.filter((l) => (l.layout as { visibility?: string } | undefined)?.visibility !== 'none'
    && !('source' in l && String(l.source).startsWith('onemap-')));
  const used = new Set(kept.map((l) => ('source' in l ? l.source : null)).filter(Boolean));
  const sources: Record<string, SourceSpecification> = Object.fromEntries(Object.entries(full.sources).filter(([id]) => used.has(id)));
  sources[UNITS] = { type: 'geojson', data: childrenOf(o.unit) };
  sources[MASK] = { type: 'geojson', data: maskOf(o.unit) };
  const shown = kept.map((l) => {
    const on = !('source' in l) || sceneShows(o.scene, String(l.source));
    return visibility(o.scene === 'flood' ? floodSensors(l) : l, on);
  });
  const blind = sceneOverlays(o.scene).blindSpots;
  // Blind spots sit just above the grid lines, under every point layer; the mask and the units above them.
  const at = shown.findIndex((l) => l.id === 'grids-line') + 1;
  const firstLabel = shown.findIndex((l) => l.type === 'symbol');
  const geometry = shown.slice(at, firstLabel < 0 ? undefined : firstLabel);
  const labels = firstLabel < 0 ? [] : shown.slice(firstLabel);
  const layers = [
    ...shown.slice(0, at), ...blindLayers(o.blindGrids).map((l) => visibility(l, blind)), ...geometry,
    ...unitLayers(o.highlight), ...labels, ...unitLabels(),
  ];
  // The wall's own labels (the units' names) are drawn in the shipped font like the rest.
  return scaleStyle(withShippedFont({ ...full, name: '武昌“一张图” 指挥大屏 Command wall', sources, layers }), o.scale);
}
