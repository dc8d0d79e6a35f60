import type { LayerSpecification } from 'maplibre-gl';
import type { SensorStatus } from '../../common/enums.ts';
import { layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw, matchColor } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { nameAndStatus } from '../panels/format.ts';

const source = 'sensors';
const sourceLayer = 'sensors';

export const sensorStatusColors: Readonly<Record<SensorStatus, string>> = {
  normal: layerColors.sensor,
  warning: layerColors.sensorWarning,
  alarm: layerColors.sensorAlarm,
  offline: layerColors.offline,
};

const layers = (ctx: StyleContext): LayerSpecification[] => [
  ...clusterLayers('sensors', { source, sourceLayer, color: layerColors.sensor }, ctx),
  {
    id: 'sensors-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    layout: {
      // Alarms drawn last so they are never hidden under normal stations.
      'circle-sort-key': ['match', ['get', 'status'], 'alarm', 3, 'warning', 2, 'normal', 1, 0],
    },
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2.8, 17, 6.5],
      'circle-color': matchColor('status', sensorStatusColors, layerColors.offline),
      // A dark ring marks devices apart from hazards, which share the warm colours.
      'circle-stroke-color': ctx.theme === 'dark' ? '#e9ecef' : '#1f3a5f',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 17, 1.5],
    },
  },
];

const sensors: TileLayerModule = {
  id: 'sensors',
  kind: 'tile',
  labelKey: 'layer.sensors',
  folder: 'iot',
  data: ['sensors'],
  treeOrder: 10,
  drawOrder: 100,
  defaultVisible: true,
  features: { title: nameAndStatus },
  layers,
  legend: () => [
    { shape: 'circle', color: sensorStatusColors.normal, labelKey: 'status.normal' },
    { shape: 'circle', color: sensorStatusColors.warning, labelKey: 'status.warning' },
    { shape: 'circle', color: sensorStatusColors.alarm, labelKey: 'status.alarm' },
    { shape: 'circle', color: sensorStatusColors.offline, labelKey: 'status.offline' },
  ],
};
export default sensors;
