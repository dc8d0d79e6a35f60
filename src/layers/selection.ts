// The selection on the map: whichever way a feature was chosen (a click, the chooser, the case list, a
// search hit, a link), the app sets its geometry on one GeoJSON source and these layers ring it. Among
// dozens of case dots at z17 a thin ring is lost: a point gets a wide pale halo under a strong ring.
import type { LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import type { StyleContext } from './types.ts';

export const SELECTION_SOURCE = 'onemap-selection';

const sel = layerColors.selection;
const poly = ['==', ['geometry-type'], 'Polygon'] as const;
const line = ['==', ['geometry-type'], 'LineString'] as const;
const point = ['==', ['geometry-type'], 'Point'] as const;

export const selectionLayers = (ctx: StyleContext): LayerSpecification[] => [
  { id: 'selection-fill', type: 'fill', source: SELECTION_SOURCE, filter: poly as never, paint: { 'fill-color': sel, 'fill-opacity': 0.12 } },
  {
    id: 'selection-casing',
    type: 'line',
    source: SELECTION_SOURCE,
    filter: ['any', poly, line] as never,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ctx.base.symbolStroke, 'line-width': 8, 'line-opacity': 0.9 },
  },
  {
    id: 'selection-line',
    type: 'line',
    source: SELECTION_SOURCE,
    filter: ['any', poly, line] as never,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': sel, 'line-width': 4 },
  },
  {
    id: 'selection-halo',
    type: 'circle',
    source: SELECTION_SOURCE,
    filter: point as never,
    paint: {
      'circle-radius': 17,
      'circle-color': sel,
      'circle-opacity': 0.22,
      'circle-stroke-color': ctx.base.symbolStroke,
      'circle-stroke-width': 6,
      'circle-stroke-opacity': 0.9,
      'circle-blur': 0.15,
    },
  },
  {
    id: 'selection-point',
    type: 'circle',
    source: SELECTION_SOURCE,
    filter: point as never,
    paint: { 'circle-radius': 12, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': sel, 'circle-stroke-width': 4 },
  },
];
