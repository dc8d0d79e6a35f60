// Sensor stations in alarm or warning, pulsing over the sensor layer (deck.gl: src/layers/deck/alarms.ts).
import { layerColors } from '../map/palette.ts';
import type { DeckLayerModule } from './types.ts';

const alarms: DeckLayerModule = {
  id: 'alarms',
  kind: 'deck',
  labelKey: 'layer.alarms',
  folder: 'iot',
  data: ['sensors'],
  treeOrder: 20,
  defaultVisible: true,
  parent: 'sensors',
  legend: () => [
    { shape: 'pulse', color: layerColors.sensorAlarm, labelKey: 'status.alarm' },
    { shape: 'pulse', color: layerColors.sensorWarning, labelKey: 'status.warning' },
  ],
};
export default alarms;
