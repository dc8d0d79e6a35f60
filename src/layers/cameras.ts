import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { CameraStatus } from '../../common/enums.ts';
import { layerColors } from '../map/palette.ts';
import { clusterLabels, clusterLayers } from './clusters.ts';
import { isRaw, matchColor } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { nameAndStatus } from '../panels/format.ts';

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

export const cameraStatusColors: Readonly<Record<CameraStatus, string>> = {
  online: layerColors.camera,
  offline: layerColors.offline,
  damaged: layerColors.cameraDamaged,
};

const clusters = { source, sourceLayer, color: clusterColor };

const layers = (ctx: StyleContext): LayerSpecification[] => [
  ...clusterLayers('cameras', clusters, ctx),
  {
    id: 'cameras-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 6],
      'circle-color': matchColor('status', cameraStatusColors, layerColors.offline),
      'circle-stroke-color': ctx.base.symbolStroke,
      'circle-stroke-width': 1.2,
    },
  },
];

const cameras: TileLayerModule = {
  id: 'cameras',
  kind: 'tile',
  labelKey: 'layer.cameras',
  folder: 'iot',
  data: ['cameras'],
  treeOrder: 30,
  drawOrder: 80,
  defaultVisible: false,
  features: { title: nameAndStatus },
  layers,
  labels: () => clusterLabels('cameras', clusters),
  legend: () => [
    { shape: 'circle', color: cameraStatusColors.online, labelKey: 'status.online' },
    { shape: 'circle', color: cameraStatusColors.offline, labelKey: 'status.offline' },
    { shape: 'circle', color: cameraStatusColors.damaged, labelKey: 'status.damaged' },
    { shape: 'ramp', color: [layerColors.cameraDamaged, layerColors.sensorWarning, layerColors.camera], labelKey: 'legend.clusterOnlineRate' },
  ],
};
export default cameras;
