// Drainage facilities: pumping stations, flood gates, outfalls, treatment plants, waterlogging points,
// and the monitored lakes (polygons) and channels (lines), with their operating state (facility_state:
// a gate's opening, the pumps, the water level against 警戒/保证水位) for the map and the wall's flood scene.
import { FACILITY_GATE_STATUSES, FACILITY_KINDS, FACILITY_LEVEL_STATES, FACILITY_PUMP_STATUSES } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { agg } from '../server/features/related-sql.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  code: { type: 'string', title: 'Code' },
  name: { type: 'string', title: 'Name' },
  kind: { type: 'string', title: 'Kind', enum: FACILITY_KINDS },
  manhole_id: { type: 'integer', title: 'Manhole id' },
  capacity: { type: 'string', title: 'Capacity' },
  synthetic,
} satisfies Record<string, PropertyDef>;

/** The state columns of facility_state, shown by the tiles (absent where a facility has never reported). */
const S = {
  open_pct: { type: 'number', title: 'Gate opening (%), 0 = closed' },
  gate_status: { type: 'string', title: 'Gate working or at fault', enum: FACILITY_GATE_STATUSES },
  pump_status: { type: 'string', title: 'Pumps', enum: FACILITY_PUMP_STATUSES },
  flow_m3s: { type: 'number', title: 'Flow pumped (m³/s)' },
  units_running: { type: 'integer', title: 'Pump units running' },
  water_level_m: { type: 'number', title: 'Water level (m)' },
  warning_level_m: { type: 'number', title: 'Warning level 警戒水位 (m)' },
  guarantee_level_m: { type: 'number', title: 'Guarantee level 保证水位 (m)' },
  level_state: { type: 'string', title: 'Level against warning and guarantee', enum: FACILITY_LEVEL_STATES },
  state_at: { type: 'date-time', title: 'State last changed' },
} satisfies Record<string, PropertyDef>;

// The state and its history (the last 96 changes, oldest first) for the details and their chart.
const related = `json_build_object(
    'state', (SELECT json_build_object('open_pct', s.open_pct, 'gate_status', s.gate_status, 'pump_status', s.pump_status, 'flow_m3s', s.flow_m3s, 'units_running', s.units_running,
              'water_level_m', s.water_level_m, 'warning_level_m', s.warning_level_m, 'guarantee_level_m', s.guarantee_level_m,
              'level_state', s.level_state, 'changed_at', s.changed_at, 'synthetic', s.synthetic) FROM facility_state s WHERE s.facility_id = t.id),
    'history', ${agg(`json_build_object('at', x.at, 'open_pct', x.open_pct, 'pump_status', x.pump_status, 'flow_m3s', x.flow_m3s, 'water_level_m', x.water_level_m)`, 'x.at',
      'FROM (SELECT * FROM facility_state_history h WHERE h.facility_id = t.id ORDER BY h.at DESC LIMIT 96) x')})`;

export default tableLayer({
  id: 'facilities',
  name: { zh: '排水设施', en: 'Drainage facilities' },
  description: 'Pumping stations, flood gates, outfalls, treatment plants, waterlogging points, monitored lakes and channels, with their operating state.',
  from: 'facilities LEFT JOIN facility_state s ON s.facility_id = facilities.id',
  tables: ['facilities', 'facility_state'],
  columns: `id, code, name, kind, s.open_pct, s.gate_status, s.pump_status, s.flow_m3s, s.units_running, s.water_level_m, s.warning_level_m, s.guarantee_level_m,
            s.level_state, to_char(s.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS state_at`,
  fields: { id: 'Number', code: P.code, name: P.name, kind: P.kind, ...S },
  collection: {
    order: 50, geometryType: 'Geometry', label: { code: 't.code', name: 't.name' }, properties: P,
    related: { sql: related, describe: 'state (operating state now), history (its last 96 changes, oldest first)' },
  },
});
