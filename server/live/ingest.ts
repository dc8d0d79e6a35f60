// Ingest of sensor readings, vehicle positions and camera status, each batch in one transaction. Readings
// run through the datastream's thresholds (server/domain/alarms.ts): level changes raise, escalate,
// de-escalate and clear alarms, the station's status follows its worst datastream, and an alarm opens a case
// of the catalogue item its station kind (and quantity) is mapped to (the table sensor_case_items). The rows
// written fire the live events (triggers on the tables), so every open page hears of them whichever process ingested them (the API or `npm run simulate`).
// Each batch is one entry in the audit log, written in its transaction: who, from where, what it stored.
import type pg from 'pg';
import { MAX_BATCH, type CameraStatusIngested, type PositionsIngested, type ReadingsIngested } from '../../common/api/live.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { runReadings, type Level } from '../domain/alarms.ts';
import { openAlarmCase } from '../alarms/alarm-case.ts';
import type { Tx } from '../cases/store.ts';
import { inTransaction } from '../db/tx.ts';
import { BadRequestError } from '../http/errors.ts';
import { checkLonLat } from '../geo/input.ts';
import { reported } from './liveness.ts';

export interface Reading { datastream_id: number; t: string; value: number }
export interface Position { vehicle_id: number; t: string; lon: number; lat: number; speed_kmh?: number | null; heading_deg?: number | null }
export interface CameraStatus { camera_id: number; status: 'online' | 'offline' | 'damaged' }

/** `real` columns refuse what float4 cannot hold; below ~1e-38 (a subnormal speed or heading) is as good as 0. */
const asReal = (v: number | null | undefined): number | null => (v == null ? null : Math.abs(v) < 1e-30 ? 0 : v);

/**
 * Ids and numbers in batch items: the schema checks them, except "Infinity" as text, which Ajv coerces
 * past minimum and maximum; PostgreSQL then refused it with a 500.
 */
function checkId(id: number, where: string): void {
  if (!(Number.isInteger(id) && id >= 1 && id <= 2147483647)) throw new BadRequestError(`${where} must be an integer id 1–2147483647`);
}
function checkRange(v: number | null | undefined, min: number, max: number, where: string): void {
  if (v != null && !(v >= min && v <= max)) throw new BadRequestError(`${where} must be a number in ${min}–${max}`);
}

function checkTime(t: string, where: string): Date {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new BadRequestError(`${where}: t ${JSON.stringify(String(t).slice(0, 40))} is not a date-time`);
  if (d.getTime() > Date.now() + 5 * 60_000) throw new BadRequestError(`${where}: t ${d.toISOString()} is in the future`);
  return d;
}

interface StreamRow {
  id: number; station_id: number; quantity: string; direction: 'above' | 'below'; warn_level: number | null; alarm_level: number | null;
  hysteresis: number | null; level: Level; last_at: Date | null; kind: string; station_name: string; lon: number; lat: number;
  /** The catalogue item of the case an alarm of this stream opens (sensor_case_items), or null. */
  case_item: string | null;
}

export async function ingestReadings(pool: pg.Pool, readings: Reading[], actor: Actor, from: { ip: string } | null): Promise<ReadingsIngested> {
  if (!readings.length) throw new BadRequestError('no readings');
  if (readings.length > MAX_BATCH) throw new BadRequestError(`${readings.length} readings; at most ${MAX_BATCH} per request`);
  const times = readings.map((r, i) => {
    checkId(r.datastream_id, `readings[${i}]: datastream_id`);
    if (!Number.isFinite(r.value)) throw new BadRequestError(`readings[${i}]: value must be a finite number`);
    return checkTime(r.t, `readings[${i}]`);
  });
  return inTransaction(pool, async (tx) => {
    const ids = [...new Set(readings.map((r) => r.datastream_id))].sort((a, b) => a - b);
    // Locked in id order: concurrent batches for the same streams queue instead of deadlocking.
    const { rows: streams } = await tx.query<StreamRow>(
      `SELECT d.id, d.station_id, d.quantity, d.direction, d.warn_level, d.alarm_level, d.hysteresis, d.level, d.last_at, s.kind,
              s.name AS station_name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat,
              (SELECT m.item_code FROM sensor_case_items m WHERE m.kind = s.kind AND (m.quantity = d.quantity OR m.quantity IS NULL)
               ORDER BY m.quantity IS NULL LIMIT 1) AS case_item
       FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id WHERE d.id = ANY($1::int[]) ORDER BY d.id FOR UPDATE OF d`, [ids]);
    const byId = new Map(streams.map((s) => [s.id, s]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) throw new BadRequestError(`unknown datastream${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 10).join(', ')}`);

    const { rows: inserted } = await tx.query<{ datastream_id: number; t: Date; value: number }>(
      `INSERT INTO observations (datastream_id, t, value) SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::float8[])
       ON CONFLICT DO NOTHING RETURNING datastream_id, t, value`,
      [readings.map((r) => r.datastream_id), times, readings.map((r) => r.value)]);
    const fresh = new Map<number, { t: Date; value: number }[]>();
    for (const r of inserted) (fresh.get(r.datastream_id) ?? fresh.set(r.datastream_id, []).get(r.datastream_id)!).push({ t: r.t, value: r.value });

    let raised = 0; let cleared = 0; let cases = 0;
    const stations = new Set<number>();
    // The new state of every stream, written in one statement after the loop (1,000 readings a second
    // must not cost a round trip each).
    const state: { id: number; value: number; t: Date; level: Level }[] = [];
    for (const [id, list] of fresh) {
      const s = byId.get(id)!;
      // Readings older than the stream's latest are stored but do not move its state backwards in time.
      const news = list.filter((r) => !s.last_at || r.t > s.last_at).sort((a, b) => a.t.getTime() - b.t.getTime());
      if (!news.length) continue;
      const last = news[news.length - 1];
      const { level, changes } = runReadings(s.level, news, { direction: s.direction, warn: s.warn_level, alarm: s.alarm_level, hysteresis: s.hysteresis });
      state.push({ id, value: last.value, t: last.t, level });
      for (const c of changes) {
        if (c.from === 'normal') {
          await tx.query(`INSERT INTO alarms (datastream_id, station_id, level, raised_at, raised_value, peak_value) VALUES ($1, $2, $3, $4, $5, $5)`,
            [id, s.station_id, c.to, c.t, c.value]);
          raised++;
        } else if (c.to === 'normal') {
          await tx.query('UPDATE alarms SET cleared_at = $2, cleared_value = $3 WHERE datastream_id = $1 AND cleared_at IS NULL', [id, c.t, c.value]);
          cleared++;
        } else {
          await tx.query('UPDATE alarms SET level = $2 WHERE datastream_id = $1 AND cleared_at IS NULL', [id, c.to]);
          if (c.to === 'alarm') raised++;
        }
        if (c.to === 'alarm' && s.case_item) cases += await openStreamCase(tx, s, s.case_item, c.value);
      }
      // The worst reading while each alarm touched by these readings was up (the observations are the truth).
      if (level !== 'normal' || changes.length) await tx.query(
        `UPDATE alarms a SET peak_value = CASE WHEN $4 = 'above' THEN greatest(a.peak_value, o.worst) ELSE least(a.peak_value, o.worst) END
         FROM (SELECT x.id, CASE WHEN $4 = 'above' THEN max(ob.value) ELSE min(ob.value) END AS worst
               FROM alarms x JOIN observations ob ON ob.datastream_id = x.datastream_id AND ob.t >= x.raised_at AND ob.t <= coalesce(x.cleared_at, 'infinity')
               WHERE x.datastream_id = $1 AND x.raised_at <= $3 AND coalesce(x.cleared_at, 'infinity') >= $2 GROUP BY x.id) o
         WHERE a.id = o.id AND o.worst IS DISTINCT FROM a.peak_value`, [id, news[0].t, last.t, s.direction]);
      if (changes.length) stations.add(s.station_id);
    }
    if (state.length) {
      await tx.query(
        `UPDATE datastreams d SET last_value = u.v, last_at = u.t, level = u.l
         FROM unnest($1::int[], $2::float8[], $3::timestamptz[], $4::text[]) AS u(id, v, t, l) WHERE d.id = u.id`,
        [state.map((x) => x.id), state.map((x) => x.value), state.map((x) => x.t), state.map((x) => x.level)]);
    }
    // A station shows its worst datastream; an offline one that reports comes back (liveness).
    if (stations.size) {
      await tx.query(
        `UPDATE sensor_stations s SET status = w.level FROM (
           SELECT station_id, CASE max(CASE level WHEN 'alarm' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END) WHEN 2 THEN 'alarm' WHEN 1 THEN 'warning' ELSE 'normal' END AS level
           FROM datastreams WHERE station_id = ANY($1::int[]) GROUP BY station_id) w
         WHERE s.id = w.station_id AND s.status IS DISTINCT FROM w.level`, [[...stations]]);
    }
    await reported(tx, 'station', streams.map((x) => x.station_id));
    const result = { received: readings.length, stored: inserted.length, duplicates: readings.length - inserted.length, alarms: { raised, cleared }, cases_opened: cases };
    await audit(tx, actor, from, { action: 'ingest.observations', entity: 'datastream', entity_id: null, after: { ...result, datastreams: ids } });
    return result;
  });
}

/** A stream's alarm in effect opens a case of its item (alarm-case.ts). */
async function openStreamCase(tx: Tx, s: StreamRow, item: string, value: number): Promise<number> {
  const { rows: [a] } = await tx.query<{ id: string }>('SELECT id FROM alarms WHERE datastream_id = $1 AND cleared_at IS NULL', [s.id]);
  if (!a) return 0;
  return openAlarmCase(tx, a.id, {
    item, lon: s.lon, lat: s.lat, reporter: s.station_name,
    description: `${s.station_name} 报警：${s.quantity} = ${value}（报警值 ${s.alarm_level}）`,
  });
}

export async function ingestPositions(pool: pg.Pool, positions: Position[], actor: Actor, from: { ip: string } | null): Promise<PositionsIngested> {
  if (!positions.length) throw new BadRequestError('no positions');
  if (positions.length > MAX_BATCH) throw new BadRequestError(`${positions.length} positions; at most ${MAX_BATCH} per request`);
  const times = positions.map((p, i) => {
    checkId(p.vehicle_id, `positions[${i}]: vehicle_id`);
    checkRange(p.speed_kmh, 0, 300, `positions[${i}]: speed_kmh`);
    checkRange(p.heading_deg, 0, 360, `positions[${i}]: heading_deg`);
    checkLonLat(p.lon, p.lat, `positions[${i}]`);
    return checkTime(p.t, `positions[${i}]`);
  });
  return inTransaction(pool, async (tx) => {
    const ids = [...new Set(positions.map((p) => p.vehicle_id))];
    const { rows } = await tx.query<{ id: number }>('SELECT id FROM vehicles WHERE id = ANY($1::int[])', [ids]);
    const known = new Set(rows.map((r) => r.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new BadRequestError(`unknown vehicle${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 10).join(', ')}`);
    const { rowCount } = await tx.query(
      `INSERT INTO vehicle_positions (vehicle_id, t, speed_kmh, geom)
       SELECT v, t, s, ST_SetSRID(ST_MakePoint(x, y), 4326) FROM unnest($1::int[], $2::timestamptz[], $3::real[], $4::float8[], $5::float8[]) AS u(v, t, s, x, y)
       ON CONFLICT DO NOTHING`,
      [positions.map((p) => p.vehicle_id), times, positions.map((p) => asReal(p.speed_kmh)), positions.map((p) => p.lon), positions.map((p) => p.lat)]);
    // The vehicle's own row holds its latest position only.
    await tx.query(
      `UPDATE vehicles v SET geom = ST_SetSRID(ST_MakePoint(l.x, l.y), 4326), speed_kmh = l.s, heading_deg = coalesce(l.h, v.heading_deg), updated_at = l.t,
              status = CASE WHEN v.status = 'offline' THEN 'on_duty' ELSE v.status END
       FROM (SELECT DISTINCT ON (v) v, t, s, h, x, y FROM unnest($1::int[], $2::timestamptz[], $3::real[], $4::real[], $5::float8[], $6::float8[]) AS u(v, t, s, h, x, y)
             ORDER BY v, t DESC) l
       WHERE v.id = l.v AND (v.updated_at IS NULL OR l.t > v.updated_at)`,
      [positions.map((p) => p.vehicle_id), times, positions.map((p) => asReal(p.speed_kmh)), positions.map((p) => asReal(p.heading_deg)),
        positions.map((p) => p.lon), positions.map((p) => p.lat)]);
    await reported(tx, 'vehicle', ids);
    const result = { received: positions.length, stored: rowCount ?? 0 };
    await audit(tx, actor, from, { action: 'ingest.positions', entity: 'vehicle', entity_id: null, after: { ...result, vehicles: ids } });
    return result;
  });
}

export async function ingestCameraStatus(pool: pg.Pool, items: CameraStatus[], actor: Actor, from: { ip: string } | null): Promise<CameraStatusIngested> {
  if (!items.length || items.length > MAX_BATCH) throw new BadRequestError(`give 1–${MAX_BATCH} camera statuses`);
  items.forEach((c, i) => checkId(c.camera_id, `cameras[${i}]: camera_id`));
  return inTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE cameras c SET status = u.s, status_since = now() FROM unnest($1::int[], $2::text[]) AS u(id, s)
       WHERE c.id = u.id AND c.status IS DISTINCT FROM u.s`, [items.map((i) => i.camera_id), items.map((i) => i.status)]);
    // The platform spoke for these cameras (whatever it said): they are heard from.
    await reported(tx, 'camera', items.map((i) => i.camera_id));
    const result = { received: items.length, changed: rowCount ?? 0 };
    await audit(tx, actor, from, { action: 'ingest.cameras', entity: 'camera', entity_id: null, after: { ...result, statuses: items.map((i) => ({ camera_id: i.camera_id, status: i.status })) } });
    return result;
  });
}
