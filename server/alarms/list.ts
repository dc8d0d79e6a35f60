// Reading alarms: the list walls and maps start from (filtered by handling, unit, station), and one alarm
// with its handling history for staff. The list names no people (it is public); the details do.
import type pg from 'pg';
import type { AlarmActionRow, AlarmDetails, AlarmRow, AlarmsQuery } from '../../common/api/alarms.ts';
import type { AckMinutes, AlarmPlace, AlarmState } from '../domain/alarm-handling.ts';
import { readOnStandby } from '../db/replica.ts';

interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A row with its times as the server holds them (Dates). */
export type AlarmRecord = Omit<AlarmRow, 'raised_at' | 'cleared_at' | 'ack_due_at'> & { raised_at: Date; cleared_at: Date | null; ack_due_at: Date | null };
type ActionRecord = Omit<AlarmActionRow, 'at'> & { at: Date };
export type AlarmDetailsRecord = Omit<AlarmDetails, 'alarm' | 'actions' | 'acknowledged_at' | 'closed_at'> & {
  alarm: AlarmRecord; actions: ActionRecord[]; acknowledged_at: Date | null; closed_at: Date | null;
};

/** The acknowledge deadline as SQL over alarm `a`, with the minutes per level in $1 (community, street, district). */
const ACK_DUE = `CASE WHEN a.handling = 'new' AND a.cleared_at IS NULL
  THEN a.unit_since + make_interval(mins => ($1::int[])[CASE a.unit_level WHEN 'community' THEN 1 WHEN 'street' THEN 2 ELSE 3 END]) END`;

export const ackParam = (ack: AckMinutes) => [ack.community, ack.street, ack.district];

const ROW = `a.id, a.level, CASE WHEN a.cleared_at IS NULL THEN 'active' ELSE 'cleared' END AS state, a.raised_at, a.cleared_at, a.raised_value, a.peak_value,
  a.case_id, a.datastream_id, a.facility_id, a.cause,
  coalesce(d.quantity, CASE a.cause WHEN 'level' THEN 'water_level' ELSE a.cause END) AS quantity, coalesce(d.unit, CASE a.cause WHEN 'level' THEN 'm' ELSE '' END) AS unit,
  CASE WHEN a.cause = 'level' THEN fs.guarantee_level_m ELSE d.alarm_level END AS alarm_level, CASE WHEN a.cause = 'level' THEN fs.warning_level_m ELSE d.warn_level END AS warn_level,
  CASE WHEN a.cause = 'level' THEN fs.water_level_m ELSE d.last_value END AS last_value,
  s.id AS station_id, coalesce(s.code, f.code) AS station_code, coalesce(s.name, f.name) AS station, coalesce(s.kind, f.kind) AS kind,
  coalesce(ST_X(s.geom), ST_X(ST_PointOnSurface(f.geom))) AS lon, coalesce(ST_Y(s.geom), ST_Y(ST_PointOnSurface(f.geom))) AS lat, a.handling, a.unit_level, a.unit_code,
  CASE a.unit_level WHEN 'community' THEN (SELECT name FROM communities WHERE code = a.unit_code::bpchar)
    WHEN 'street' THEN (SELECT name FROM streets WHERE code = a.unit_code::bpchar) ELSE (SELECT name FROM districts WHERE code = a.unit_code::bpchar) END AS unit_name,
  a.grid_code, a.supervised, ${ACK_DUE} AS ack_due_at`;
// A sensor's alarm has its datastream and station, a facility's its facility and state.
const FROM = `FROM alarms a LEFT JOIN datastreams d ON d.id = a.datastream_id LEFT JOIN sensor_stations s ON s.id = a.station_id
  LEFT JOIN facilities f ON f.id = a.facility_id LEFT JOIN facility_state fs ON fs.facility_id = a.facility_id`;

/** Alarms, in effect first, then by level and newest. */
export async function listAlarms(db: pg.Pool, q: AlarmsQuery, ack: AckMinutes): Promise<AlarmRecord[]> {
  return readOnStandby(db, async () => {
    const values: unknown[] = [ackParam(ack)];
    const where: string[] = [];
    const add = (sql: string, v: unknown) => { values.push(v); where.push(sql.replaceAll('?', `$${values.length}`)); };
    if (q.state === 'active') where.push('a.cleared_at IS NULL');
    if (q.handling === 'open') where.push(`a.handling <> 'closed'`);
    else if (q.handling) add('a.handling = ?', q.handling);
    // The place, not the handling unit: a street's wall shows the alarms in its street wherever they are handled.
    if (q.unit) add(`coalesce(a.grid_code, a.community_code, a.street_code, a.district_code) LIKE ? || '%'`, q.unit);
    if (q.station) add('a.station_id = ?', q.station);
    if (q.facility) add('a.facility_id = ?', q.facility);
    if (q.supervised !== undefined) add('a.supervised = ?', q.supervised);
    values.push(q.limit);
    const { rows } = await db.query<AlarmRecord>(
      `SELECT ${ROW} ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.cleared_at IS NOT NULL, CASE a.level WHEN 'alarm' THEN 0 ELSE 1 END, a.raised_at DESC LIMIT $${values.length}`, values);
    return rows;
  });
}

/** One alarm with who did what, and its state as the handling rules read it (null when there is none). */
export async function readAlarm(db: Queryable, id: number | string, ack: AckMinutes): Promise<{ details: Omit<AlarmDetailsRecord, 'available'>; state: AlarmState } | null> {
  const { rows: [a] } = await db.query<AlarmRecord & AlarmPlace & {
    unit_since: Date; assignee: string | null; acknowledged_at: Date | null; acknowledged_by: string | null; closed_at: Date | null; closed_by: string | null }>(
    `SELECT ${ROW}, a.community_code, a.street_code, a.district_code, a.unit_since, a.assignee, a.acknowledged_at, a.acknowledged_by, a.closed_at, a.closed_by
     ${FROM} WHERE a.id = $2`, [ackParam(ack), id]);
  if (!a) return null;
  const { rows: actions } = await db.query<ActionRecord>(
    `SELECT id, action, auto, actor, role, note, assignee, from_state, to_state, from_level, to_level, at FROM alarm_actions WHERE alarm_id = $1 ORDER BY id`, [id]);
  const { community_code, street_code, district_code, unit_since, assignee, acknowledged_at, acknowledged_by, closed_at, closed_by, ...alarm } = a;
  return {
    details: { alarm, assignee, acknowledged_at, acknowledged_by, closed_at, closed_by, actions },
    state: {
      handling: a.handling, unit_level: a.unit_level, unit_code: a.unit_code, unit_since, supervised: a.supervised, cleared: a.cleared_at !== null,
      community_code, street_code, district_code,
    },
  };
}
