// IoT monitoring stations coloured by their state (normal, warning, alarm, offline).
import { SENSOR_KINDS, SENSOR_STATUSES } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { agg } from '../server/features/related-sql.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  code: { type: 'string', title: 'Code' },
  name: { type: 'string', title: 'Name' },
  kind: { type: 'string', title: 'Kind', enum: SENSOR_KINDS },
  status: { type: 'string', title: 'Status', enum: SENSOR_STATUSES },
  facility_id: { type: 'integer', title: 'Facility id' },
  manhole_id: { type: 'integer', title: 'Manhole id' },
  synthetic,
} satisfies Record<string, PropertyDef>;

// Observations: the 24 hours up to each datastream's latest one (a silent sensor still shows its last day).
const related = `json_build_object(
    'datastreams', ${agg(`json_build_object('id', ds.id, 'quantity', ds.quantity, 'unit', ds.unit, 'direction', ds.direction,
        'warn_level', ds.warn_level, 'alarm_level', ds.alarm_level, 'last_value', ds.last_value, 'last_at', ds.last_at,
        'observations', ${agg(`json_build_object('t', o.t, 'value', o.value)`, 'o.t',
          `FROM observations o WHERE o.datastream_id = ds.id
             AND o.t > (SELECT max(o2.t) FROM observations o2 WHERE o2.datastream_id = ds.id) - interval '24 hours'`)})`,
      'ds.id', 'FROM datastreams ds WHERE ds.station_id = t.id')})`;

export default tableLayer({
  id: 'sensors',
  name: { zh: '物联感知', en: 'Sensor stations' },
  description: 'IoT monitoring stations (water level, ponding, rain, flow, quality, gas…) with their alarm state.',
  from: 'sensor_stations',
  columns: 'id, code, name, kind, status',
  fields: { id: 'Number', code: P.code, name: P.name, kind: P.kind, status: P.status },
  collection: {
    order: 100, geometryType: 'Point', nearestInMemory: true, label: { code: 't.code', name: 't.name' }, properties: P,
    related: { sql: related, describe: 'datastreams with observations of the last 24 h' },
  },
});
