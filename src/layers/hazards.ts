import type { LayerSpecification } from 'maplibre-gl';
import { gradeColors, layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'hazards';
const sourceLayer = 'hazards';

const layers: LayerSpecification[] = [
  ...clusterLayers('hazards', { source, sourceLayer, color: layerColors.hazard }),
  {
    id: 'hazards-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      // Severity drives both size and colour so grade Ⅳ stands out even for colour-blind readers.
      'circle-radius': [
        'interpolate', ['linear'], ['zoom'],
        11, ['+', 1, ['*', 0.5, ['to-number', ['get', 'grade'], 1]]],
        17, ['+', 3.5, ['*', 1.5, ['to-number', ['get', 'grade'], 1]]],
      ],
      'circle-color': [
        'match', ['to-number', ['get', 'grade'], 0],
        1, gradeColors[0], 2, gradeColors[1], 3, gradeColors[2], 4, gradeColors[3],
        layerColors.hazard,
      ],
      // Functional defects get a dark ring, structural a white one.
      'circle-stroke-color': ['match', ['get', 'kind'], 'functional', '#343a40', '#ffffff'],
      'circle-stroke-width': 1.2,
    },
  },
];

const labels: LayerSpecification[] = [
  {
    id: 'hazards-code',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 17,
    filter: isRaw,
    layout: {
      'text-field': ['concat', ['get', 'code'], ' ', ['to-string', ['get', 'grade']]],
      'text-size': 11,
      'text-offset': [0, 1.2],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': gradeColors[3], 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
  },
];

export const hazardsGroup: MapLayerGroup = {
  id: 'hazards',
  labelKey: 'layer.hazards',
  swatch: gradeColors[3],
  defaultVisible: true,
  layers,
  labels,
};
