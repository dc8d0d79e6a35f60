// What the user is working on, drawn above every data layer: a traced network, the selected feature and
// the shapes of the measure / select tools. All are GeoJSON sources whose data the app sets (setData);
// the style only declares them and how they look.
import type { GeoJSONSourceSpecification, LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { SELECTION_SOURCE, selectionLayers } from './selection.ts';
import type { StyleContext } from './types.ts';

export { SELECTION_SOURCE };

export const DRAW_SOURCE = 'onemap-draw';
/** Traced reaches (`role: 'reach'`, lines) and the trace's start (`role: 'start'`, a point). */
export const TRACE_SOURCE = 'onemap-trace';

const empty = (): GeoJSONSourceSpecification => ({ type: 'geojson', data: { type: 'FeatureCollection', features: [] } });

export const overlaySources = (): Record<string, GeoJSONSourceSpecification> => ({
  [SELECTION_SOURCE]: empty(),
  [DRAW_SOURCE]: empty(),
  [TRACE_SOURCE]: empty(),
});

const poly = ['==', ['geometry-type'], 'Polygon'] as const;
const line = ['==', ['geometry-type'], 'LineString'] as const;
const point = ['==', ['geometry-type'], 'Point'] as const;

export const overlayLayers = (ctx: StyleContext): LayerSpecification[] => [
  // The trace sits under the selection: a reach picked from the trace result still shows as selected.
  {
    id: 'trace-casing',
    type: 'line',
    source: TRACE_SOURCE,
    filter: ['==', ['get', 'role'], 'reach'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': layerColors.traceCasing,
      'line-opacity': 0.75,
      'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 11, 4, 15, 7, 18, 12],
    },
  },
  {
    id: 'trace-line',
    type: 'line',
    source: TRACE_SOURCE,
    filter: ['==', ['get', 'role'], 'reach'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': layerColors.trace,
      'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 11, 2, 15, 3.5, 18, 7],
    },
  },
  {
    id: 'trace-start',
    type: 'circle',
    source: TRACE_SOURCE,
    filter: ['==', ['get', 'role'], 'start'],
    paint: {
      'circle-radius': 8,
      'circle-color': layerColors.trace,
      'circle-stroke-color': layerColors.traceCasing,
      'circle-stroke-width': 3,
    },
  },
  ...selectionLayers(ctx),
  { id: 'draw-fill', type: 'fill', source: DRAW_SOURCE, filter: poly as never, paint: { 'fill-color': ['coalesce', ['get', 'color'], layerColors.draw], 'fill-opacity': 0.14 } },
  {
    id: 'draw-line',
    type: 'line',
    source: DRAW_SOURCE,
    filter: ['any', poly, line] as never,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ['coalesce', ['get', 'color'], layerColors.draw], 'line-width': 2.5, 'line-dasharray': [2, 1] },
  },
  {
    id: 'draw-vertex',
    type: 'circle',
    source: DRAW_SOURCE,
    filter: ['all', point, ['!', ['has', 'label']]] as never,
    paint: { 'circle-radius': 4.5, 'circle-color': '#ffffff', 'circle-stroke-color': ['coalesce', ['get', 'color'], layerColors.draw], 'circle-stroke-width': 2 },
  },
  {
    id: 'draw-label',
    type: 'symbol',
    source: DRAW_SOURCE,
    filter: ['has', 'label'],
    layout: {
      'text-field': ['get', 'label'],
      'text-size': 12,
      'text-anchor': 'bottom',
      'text-offset': [0, -0.6],
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': ctx.base.label, 'text-halo-color': ctx.base.halo, 'text-halo-width': 2 },
  },
];
