// What the command wall shows around the map: one summary of counts (cases, alarms, sensors, cameras,
// vehicles, the 24 h trend).
import type pg from 'pg';
import type { WallSummary } from '../../common/api/wall.ts';

/** The summary with its time as the server holds it (a Date). */
export type WallFigures = Omit<WallSummary, 'at'> & { at: Date };

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
