// IoT monitoring stations coloured by their state (normal, warning, alarm, offline).
import { tableLayer } from '../server/tiles/table-layer.ts';

export default tableLayer({
  id: 'sensors',
  name: { zh: '物联感知', en: 'Sensors' },
  description: 'Monitoring stations (water level, ponding, rain, flow, quality, gas…) with their alarm state.',
  from: 'sensor_stations',
  columns: 'id, code, name, kind, status',
  fields: { id: 'Number', code: 'String', name: 'String', kind: 'String', status: 'String: normal | warning | alarm | offline' },
});
