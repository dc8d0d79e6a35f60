import type { LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw, matchColor } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'sensors';
const sourceLayer = 'sensors';

const layers: LayerSpecification[] = [
  ...clusterLayers('sensors', { source, sourceLayer, color: layerColors.sensor }),
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
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2.2, 17, 6],
      'circle-color': matchColor('status', {
        normal: layerColors.sensor,
        warning: layerColors.sensorWarning,
        alarm: layerColors.sensorAlarm,
        offline: layerColors.offline,
      }, layerColors.offline),
      // A dark ring marks devices apart from hazards, which share the warm colours.
      'circle-stroke-color': '#1f3a5f',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 17, 1.5],
    },
  },
];

export const sensorsGroup: MapLayerGroup = {
  id: 'sensors',
  labelKey: 'layer.sensors',
  swatch: layerColors.sensor,
  defaultVisible: true,
  layers,
};
