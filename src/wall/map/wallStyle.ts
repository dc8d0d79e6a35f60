// The wall's map style: the desktop's style modules (src/layers/) in the dark theme with the layers a
// commander watches, the camera blind-spot grids on top of the unit grids, and everything scaled to the
// wall's size (scaleStyle.ts). Moving things (alarms, vehicles, new cases) are deck.gl layers (WallDeck).
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { buildStyle } from '../../map/style.ts';
import { scaleStyle } from './scaleStyle.ts';

/**
 * Unit grids (faint) and sensors by state. Not the case layer: at district scale it is hundreds of numbered
 * clusters, noise from across the room; the wall's cases are its figures and the flash of a new one.
 */
export const WALL_LAYERS = ['basemap', 'grids', 'sensors'] as const;

export const BLIND_FILL = 'wall-blind-fill';
export const STREET_LINE = 'wall-street-line';
export const BLIND_LINE = 'wall-blind-line';
const BLIND_COLOR = '#ff6b6b';

export function blindFilter(codes: readonly string[]): FilterSpecification {
  return ['in', ['get', 'code'], ['literal', [...codes]]] as ExpressionSpecification as FilterSpecification;
}

/** The street the playlist shows, outlined, so the room sees which area it is looking at. */
export function streetFilter(code: string | null): FilterSpecification {
  return ['==', ['get', 'code'], code ?? ''] as ExpressionSpecification as FilterSpecification;
}

function streetLayer(code: string | null): LayerSpecification {
  return {
    id: STREET_LINE,
    type: 'line',
    source: 'basemap',
    'source-layer': 'streets',
    filter: streetFilter(code),
    layout: { 'line-join': 'round' },
    paint: { 'line-color': '#4dd0ff', 'line-width': 3.5, 'line-opacity': 0.9 },
  };
}

function blindLayers(codes: readonly string[]): LayerSpecification[] {
  return [
    {
      id: BLIND_FILL,
      type: 'fill',
      source: 'grids',
      'source-layer': 'grids',
      filter: blindFilter(codes),
      paint: { 'fill-color': BLIND_COLOR, 'fill-opacity': 0.22 },
    },
    {
      id: BLIND_LINE,
      type: 'line',
      source: 'grids',
      'source-layer': 'grids',
      filter: blindFilter(codes),
      paint: { 'line-color': BLIND_COLOR, 'line-width': 1.2, 'line-opacity': 0.8 },
    },
  ];
}

export function wallStyle(scale: number, blindGrids: readonly string[], street: string | null): StyleSpecification {
  const full = buildStyle({ theme: 'dark', pipeColor: 'usage', visible: new Set(WALL_LAYERS), opacity: {} });
  // The wall never switches layers: hidden ones and their sources are left out, so their TileJSON is never asked for.
  // The desktop's selection and tool overlays (GeoJSON sources 'onemap-…') have no use here either.
  const shown = full.layers.filter((l) => (l.layout as { visibility?: string } | undefined)?.visibility !== 'none'
    && !('source' in l && String(l.source).startsWith('onemap-')));
  const used = new Set(shown.map((l) => ('source' in l ? l.source : null)).filter(Boolean));
  const sources = Object.fromEntries(Object.entries(full.sources).filter(([id]) => used.has(id)));
  // Blind spots sit just above the grid lines, under every point layer and label.
  const at = shown.findIndex((l) => l.id === 'grids-line') + 1;
  const layers = [...shown.slice(0, at), ...blindLayers(blindGrids), streetLayer(street), ...shown.slice(at)];
  return scaleStyle({ ...full, name: '武昌“一张图” 指挥大屏 Command wall', sources, layers }, scale);
}
