import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw, matchColor } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'cameras';
const sourceLayer = 'cameras';

/** A cluster's colour is its online rate: the daily inspection KPI, visible at a glance. */
const onlineRate: ExpressionSpecification = [
  '/', ['to-number', ['get', 'online'], 0], ['max', 1, ['to-number', ['get', 'count'], 1]],
];
const clusterColor: ExpressionSpecification = [
  'interpolate', ['linear'], onlineRate,
  0.6, layerColors.cameraDamaged,
  0.85, layerColors.sensorWarning,
  0.95, layerColors.camera,
];

const statusColor = matchColor('status', {
  online: layerColors.camera,
  offline: layerColors.offline,
  damaged: layerColors.cameraDamaged,
}, layerColors.offline);

const layers: LayerSpecification[] = [
  ...clusterLayers('cameras', { source, sourceLayer, color: clusterColor }),
  {
    id: 'cameras-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 6],
      'circle-color': statusColor,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.2,
    },
  },
];

export const camerasGroup: MapLayerGroup = {
  id: 'cameras',
  labelKey: 'layer.cameras',
  swatch: layerColors.camera,
  defaultVisible: false,
  layers,
};
