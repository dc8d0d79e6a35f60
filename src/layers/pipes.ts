import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { pipeColors } from '../map/palette.ts';
import { matchColor } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'pipes';
const sourceLayer = 'pipes';

const usageColor = matchColor('usage', {
  rain: pipeColors.rain,
  sewage: pipeColors.sewage,
  combined: pipeColors.combined,
}, pipeColors.unknown);

const isMain: ExpressionSpecification = ['==', ['get', 'network'], 'main'];

/** Main-road network reads first; community pipes are thinner and a little transparent. */
const width: ExpressionSpecification = [
  'interpolate', ['exponential', 1.5], ['zoom'],
  11, ['case', isMain, 1.4, 0.6],
  14, ['case', isMain, 2.6, 1.2],
  17, ['case', isMain, 5, 2.6],
  19, ['case', isMain, 9, 5],
];

const layers: LayerSpecification[] = [
  {
    id: 'pipes-line',
    type: 'line',
    source,
    'source-layer': sourceLayer,
    // Community pipes under main ones where they cross.
    layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ['case', isMain, 1, 0] },
    paint: {
      'line-color': usageColor,
      'line-width': width,
      'line-opacity': ['case', isMain, 0.95, 0.75],
    },
  },
  {
    // Flow direction (from_node → to_node is the digitised direction) once pipes are long enough on screen.
    id: 'pipes-flow-arrows',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 17,
    filter: ['!', ['has', 'count']],
    layout: {
      'symbol-placement': 'line',
      'symbol-spacing': 80,
      'text-field': '›',
      'text-size': 14,
      'text-keep-upright': false,
      'text-allow-overlap': true,
    },
    paint: { 'text-color': usageColor, 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
  },
];

export const pipesGroup: MapLayerGroup = {
  id: 'pipes',
  labelKey: 'layer.pipes',
  swatch: [
    { color: pipeColors.rain, labelKey: 'legend.rain' },
    { color: pipeColors.sewage, labelKey: 'legend.sewage' },
    { color: pipeColors.combined, labelKey: 'legend.combined' },
  ],
  defaultVisible: true,
  layers,
};
