// What the command wall shows around the map: one summary of counts (cases, alarms, sensors, cameras,
// vehicles, the 24 h trend) and the alarms with their stations.
import type pg from 'pg';
import type { AlarmRow, AlarmsQuery, WallSummary } from '../../common/api/wall.ts';

/** The summary with its time as the server holds it (a Date). */
export type WallFigures = Omit<WallSummary, 'at'> & { at: Date };

/** An alarm row with its times as the server holds them (Dates). */
export type AlarmRecord = Omit<AlarmRow, 'raised_at' | 'cleared_at'> & { raised_at: Date; cleared_at: Date | null };

/** The summary as of now; "today" is the local (UTC+8) calendar day. At 5.32 M cases it counts for ~1 s. */
export async function readWallSummary(db: pg.Pool): Promise<WallFigures> {
  const { rows: [r] } = await db.query<Omit<WallSummary, 'at' | 'on_time_rate_today' | 'camera_online_rate' | 'alarms' | 'sensors' | 'trend'> & {
    at: Date; alarms: WallSummary['alarms'] | null; sensors: WallSummary['sensors'] | null; trend: WallSummary['trend'] | null;
  }>(`
      WITH today AS (SELECT date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' AS t0)
      SELECT
        (SELECT count(*)::int FROM cases, today WHERE reported_at >= t0) AS cases_today,
        (SELECT count(*)::int FROM cases, today WHERE closed_at >= t0) AS closed_today,
        (SELECT count(*)::int FROM cases, today WHERE closed_at >= t0 AND closed_at <= deadline_at) AS closed_on_time_today,
        (SELECT count(*)::int FROM cases WHERE case_is_open(status)) AS cases_open,
        (SELECT count(*)::int FROM cases WHERE case_is_overdue(status, deadline_at, suspended_at, now())) AS cases_overdue,
        (SELECT json_object_agg(level, n) FROM (SELECT level, count(*)::int AS n FROM alarms WHERE cleared_at IS NULL GROUP BY level) a) AS alarms,
        (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM sensor_stations GROUP BY status) s) AS sensors,
        (SELECT json_build_object('total', count(*), 'online', count(*) FILTER (WHERE status = 'online')) FROM cameras) AS cameras,
        (SELECT json_build_object('total', count(*), 'on_duty', count(*) FILTER (WHERE status = 'on_duty')) FROM vehicles) AS vehicles,
        (SELECT json_agg(json_build_object('hour', h, 'reported', n) ORDER BY h) FROM (
           SELECT to_char(date_trunc('hour', reported_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD"T"HH24') AS h, count(*)::int AS n
           FROM cases WHERE reported_at > now() - interval '24 hours' GROUP BY 1) t) AS trend,
        now() AS at`);
  return {
    ...r,
    on_time_rate_today: r.closed_today ? r.closed_on_time_today / r.closed_today : null,
    camera_online_rate: r.cameras.total ? r.cameras.online / r.cameras.total : null,
    alarms: r.alarms ?? {}, sensors: r.sensors ?? {}, trend: r.trend ?? [],
  };
}

/**
 * One summary for every wall for `ttlMs`: each wall re-reads it after a reconnect and on a timer, and live
 * events move the figures in between. A failed read is not kept.
 */
export function sharedWallSummary(db: pg.Pool, ttlMs: number): () => Promise<WallFigures> {
  let cached: { at: number; value: Promise<WallFigures> } | null = null;
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const value = readWallSummary(db);
      cached = { at: Date.now(), value };
      value.catch(() => { cached = null; });
    }
    return cached.value;
  };
}

/** Alarms, active first, then by level and newest; `all` includes cleared ones. */
export async function listAlarms(db: pg.Pool, q: AlarmsQuery): Promise<AlarmRecord[]> {
  const { rows } = await db.query<AlarmRecord>(
    `SELECT a.id, a.level, CASE WHEN a.cleared_at IS NULL THEN 'active' ELSE 'cleared' END AS state, a.raised_at, a.cleared_at, a.raised_value, a.peak_value,
            a.case_id, a.datastream_id, d.quantity, d.unit, d.alarm_level, d.warn_level, d.last_value, s.id AS station_id, s.code AS station_code, s.name AS station,
            s.kind, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
     FROM alarms a JOIN datastreams d ON d.id = a.datastream_id JOIN sensor_stations s ON s.id = a.station_id
     ${q.state === 'active' ? 'WHERE a.cleared_at IS NULL' : ''}
     ORDER BY a.cleared_at IS NOT NULL, CASE a.level WHEN 'alarm' THEN 0 ELSE 1 END, a.raised_at DESC LIMIT $1`, [q.limit]);
  return rows;
}
