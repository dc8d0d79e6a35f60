// IoT monitoring stations (table sensor_stations) with, per row, one quantity they measure (table
// datastreams: unit, warning and alarm levels, the direction that alarms). A ledger lists a station once per
// quantity: rows are keyed by station code and quantity, and the rows of one station must agree on its
// name, kind and place. Stations update in place by code, datastreams by (station, quantity).
import { TARGETS } from '../shapes/targets/index.ts';
import { text } from './checks.ts';
import { changedSql, sameGeometry, type KeyedTableSpec } from './keyed-table.ts';
import { resolveRef } from './refs.ts';
import { accept, refuse, type LayerModule, type Tx } from './types.ts';

const target = TARGETS.sensors;
const STATION: KeyedTableSpec = {
  table: 'sensor_stations', key: 'code', geom: 's.geom',
  columns: [
    { name: 'name', sql: 'text' }, { name: 'kind', sql: 'text' }, { name: 'status', sql: 'text', insertDefault: `'normal'` },
    { name: 'facility_id', sql: 'integer' }, { name: 'manhole_id', sql: 'integer' },
  ],
};
const STREAM = ['unit', 'warn_level', 'alarm_level', 'direction'] as const;

/** The first row of each station, the one whose station values are written. */
const FIRST = `(SELECT DISTINCT ON (station_code) * FROM import_rows WHERE reason IS NULL ORDER BY station_code, row)`;

export const sensors: LayerModule = {
  layer: 'sensors',
  target,
  geometry: 'point',
  // A station is inserted with its datastreams; those added to a station already there stay with it.
  owns: { table: 'sensor_stations', key: 'code', staged: 'station_code' },
  stage: [
    ...STATION.columns,
    { name: 'station_code', sql: 'text' }, { name: 'facility_code', sql: 'text' }, { name: 'manhole_code', sql: 'text' },
    { name: 'quantity', sql: 'text' }, { name: 'unit', sql: 'text' }, { name: 'warn_level', sql: 'float8' }, { name: 'alarm_level', sql: 'float8' },
    { name: 'direction', sql: 'text' },
  ],
  row({ values: v }) {
    const code = String(v.code);
    if (code.length > 64) return refuse(`station code ${JSON.stringify(code.slice(0, 30))}… is longer than 64 characters`);
    if (v.quantity !== null && v.unit === null) return refuse(`单位 unit is empty: the quantity ${v.quantity} needs its unit`);
    if (v.quantity === null && (v.unit !== null || v.warn_level !== null || v.alarm_level !== null)) return refuse('a unit or threshold is given without the quantity (监测项) it is for');
    const warn = v.warn_level as number | null;
    const alarm = v.alarm_level as number | null;
    const below = v.direction === 'below';
    if (warn !== null && alarm !== null && (below ? warn < alarm : warn > alarm)) {
      return refuse(`value out of range: the warning level ${warn} is past the alarm level ${alarm} (direction ${below ? 'below' : 'above'})`);
    }
    return accept(`${code}|${v.quantity ?? ''}`, {
      station_code: code, name: v.name, kind: v.kind, status: v.status, facility_code: text(v.facility_code), manhole_code: text(v.manhole_code),
      quantity: text(v.quantity), unit: text(v.unit), warn_level: warn, alarm_level: alarm, direction: v.direction,
    });
  },
  async resolve(tx) {
    await resolveRef(tx, { code: 'facility_code', id: 'facility_id', table: 'facilities', what: 'facility' });
    await resolveRef(tx, { code: 'manhole_code', id: 'manhole_id', table: 'manholes', what: 'manhole' });
    await tx.query(
      `UPDATE import_rows s SET reason = format('station %s: this row gives another name, kind or position than row %s', s.station_code, f.row)
       FROM ${FIRST} f WHERE f.station_code = s.station_code AND f.row <> s.row AND s.reason IS NULL
         AND ((s.name IS NOT NULL AND s.name IS DISTINCT FROM f.name) OR (s.kind IS NOT NULL AND s.kind IS DISTINCT FROM f.kind)
              OR NOT ${sameGeometry('s.geom', 'f.geom')})`);
  },
  async classify(tx: Tx) {
    const stream = STREAM.map((c) => `(s.${c} IS NOT NULL AND s.${c} IS DISTINCT FROM d.${c})`).join(' OR ');
    await tx.query(
      `UPDATE import_rows s SET action = CASE
         WHEN t.id IS NULL THEN 'insert'
         WHEN (f.row = s.row AND (${changedSql(STATION, 'f')})) OR (s.quantity IS NOT NULL AND (d.id IS NULL OR ${stream})) THEN 'update'
         ELSE 'unchanged' END
       FROM import_rows r JOIN ${FIRST} f ON f.station_code = r.station_code
       LEFT JOIN sensor_stations t ON t.code = r.station_code
       LEFT JOIN datastreams d ON d.station_id = t.id AND d.quantity = r.quantity
       WHERE r.row = s.row AND s.reason IS NULL`);
  },
  async write(tx: Tx) {
    const cols = STATION.columns;
    await tx.query(
      `INSERT INTO sensor_stations (code, ${cols.map((c) => c.name).join(', ')}, synthetic, geom)
       SELECT f.station_code, ${cols.map((c) => (c.insertDefault ? `coalesce(f.${c.name}, ${c.insertDefault})` : `f.${c.name}`)).join(', ')}, false, f.geom
       FROM ${FIRST} f WHERE NOT EXISTS (SELECT 1 FROM sensor_stations t WHERE t.code = f.station_code) ORDER BY f.row`);
    await tx.query(
      `UPDATE sensor_stations t SET ${cols.map((c) => `${c.name} = coalesce(f.${c.name}, t.${c.name})`).join(', ')}, synthetic = false, geom = f.geom
       FROM ${FIRST} f WHERE t.code = f.station_code AND EXISTS (SELECT 1 FROM import_rows s WHERE s.station_code = f.station_code AND s.action = 'update')`);
    await tx.query(
      `UPDATE datastreams d SET ${STREAM.map((c) => `${c} = coalesce(s.${c}, d.${c})`).join(', ')}
       FROM import_rows s JOIN sensor_stations t ON t.code = s.station_code
       WHERE d.station_id = t.id AND d.quantity = s.quantity AND s.action IN ('insert', 'update')`);
    await tx.query(
      `INSERT INTO datastreams (station_id, quantity, unit, direction, warn_level, alarm_level)
       SELECT t.id, s.quantity, s.unit, coalesce(s.direction, 'above'), s.warn_level, s.alarm_level
       FROM import_rows s JOIN sensor_stations t ON t.code = s.station_code
       WHERE s.quantity IS NOT NULL AND s.action IN ('insert', 'update') AND NOT EXISTS (SELECT 1 FROM datastreams d WHERE d.station_id = t.id AND d.quantity = s.quantity)
       ORDER BY s.row`);
  },
};
