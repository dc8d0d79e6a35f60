import type { LayerSpecification } from 'maplibre-gl';
import { layerColors, pipeColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw, matchColor } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'manholes';
const sourceLayer = 'manholes';

const layers: LayerSpecification[] = [
  ...clusterLayers('manholes', { source, sourceLayer, color: layerColors.manhole }),
  {
    id: 'manholes-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      // Outfalls matter most (where the network meets the river/lakes), so they are larger and teal.
      'circle-radius': [
        'interpolate', ['linear'], ['zoom'],
        13, ['match', ['get', 'kind'], 'outfall', 3.5, 1.5],
        17, ['match', ['get', 'kind'], 'outfall', 7, 4],
      ],
      'circle-color': '#ffffff',
      'circle-stroke-color': [
        'match', ['get', 'kind'],
        'outfall', layerColors.outfall,
        'junction', layerColors.junction,
        matchColor('usage', { rain: pipeColors.rain, sewage: pipeColors.sewage, combined: pipeColors.combined }, layerColors.manhole),
      ],
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 13, 1, 17, 2],
    },
  },
];

export const manholesGroup: MapLayerGroup = {
  id: 'manholes',
  labelKey: 'layer.manholes',
  swatch: layerColors.manhole,
  defaultVisible: false,
  layers,
};
