// What the command wall shows around the map, as one public summary (counts only, no personal data) and
// the list of active alarms. Live changes reach the wall through /api/live; this is its starting state
// and what it re-reads after a reconnect.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { freeObject, useApiErrors } from '../features/http.ts';

export const SUMMARY_TTL_MS = 5000;

export default async function wallRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  useApiErrors(app);
  const db = opts.pool;

  // Every wall re-reads the summary after a reconnect and on a timer; at 5.32 M cases it counts for
  // ~1 s, so one answer serves all walls for a few seconds (live events move the figures in between).
  let cached: { at: number; value: Promise<unknown> } | null = null;
  app.get('/api/wall/summary', {
    schema: { summary: 'Wall figures: cases today and on-time rate, alarms, sensors by state, cameras online, vehicles on duty, 24 h trend', tags: ['live'], response: { 200: freeObject } },
  }, async () => {
    if (!cached || Date.now() - cached.at > SUMMARY_TTL_MS) {
      const value = readSummary();
      cached = { at: Date.now(), value };
      value.catch(() => { cached = null; });
    }
    return cached.value;
  });

  async function readSummary() {
    // "Today" is the local (UTC+8) calendar day.
    const { rows: [r] } = await db.query(`
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

  app.get('/api/alarms', {
    schema: {
      summary: 'Alarms, active first (level, station, position, value, peak, the case it opened)',
      tags: ['live'],
      querystring: { type: 'object', additionalProperties: false, properties: { state: { type: 'string', enum: ['active', 'all'], default: 'active' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } },
      response: { 200: freeObject },
    },
  }, async (req) => {
    const q = req.query as { state: 'active' | 'all'; limit: number };
    const { rows } = await db.query(
      `SELECT a.id, a.level, CASE WHEN a.cleared_at IS NULL THEN 'active' ELSE 'cleared' END AS state, a.raised_at, a.cleared_at, a.raised_value, a.peak_value,
              a.case_id, a.datastream_id, d.quantity, d.unit, d.alarm_level, d.warn_level, d.last_value, s.id AS station_id, s.code AS station_code, s.name AS station,
              s.kind, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
       FROM alarms a JOIN datastreams d ON d.id = a.datastream_id JOIN sensor_stations s ON s.id = a.station_id
       ${q.state === 'active' ? 'WHERE a.cleared_at IS NULL' : ''}
       ORDER BY a.cleared_at IS NOT NULL, CASE a.level WHEN 'alarm' THEN 0 ELSE 1 END, a.raised_at DESC LIMIT $1`, [q.limit]);
    return { items: rows };
  });
}
