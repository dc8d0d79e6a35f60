// What the command wall shows around the map: one summary of counts (cases, alarms, sensors, cameras,
// vehicles, staff on duty and devices, the 24 h trend), for the unit the wall shows.
import type pg from 'pg';
import type { WallSummary } from '../../common/api/wall.ts';
import type { WallScope } from './wall-scope.ts';
import { TODAY } from './wall-today.ts';
import { readOnStandby } from '../db/replica.ts';

/** The summary with its time as the server holds it (a Date). */
export type WallFigures = Omit<WallSummary, 'at'> & { at: Date };

/**
 * The summary of a unit as of now; "today" is the local (UTC+8) calendar day. Cases are found by the unit's
 * codes, the rest by where it stands (wall-scope.ts). At 5.32 M cases the district counts for ~1 s.
 */
export async function readWallSummary(db: pg.Pool, scope: WallScope): Promise<WallFigures> {
  return readOnStandby(db, async () => {
    const inCases = scope.cases('c');
    const { rows: [r] } = await db.query<Omit<WallSummary, 'at' | 'on_time_rate_today' | 'camera_online_rate' | 'alarms' | 'sensors' | 'trend'> & {
      at: Date; alarms: WallSummary['alarms'] | null; sensors: WallSummary['sensors'] | null; trend: WallSummary['trend'] | null;
    }>(`
        SELECT
          (SELECT count(*)::int FROM cases c WHERE c.reported_at >= ${TODAY} AND ${inCases}) AS cases_today,
          (SELECT count(*)::int FROM cases c WHERE c.closed_at >= ${TODAY} AND ${inCases}) AS closed_today,
          (SELECT count(*)::int FROM cases c WHERE c.closed_at >= ${TODAY} AND c.closed_at <= c.deadline_at AND ${inCases}) AS closed_on_time_today,
          (SELECT count(*)::int FROM cases c WHERE case_is_open(c.status) AND ${inCases}) AS cases_open,
          (SELECT count(*)::int FROM cases c WHERE case_is_overdue(c.status, c.deadline_at, c.suspended_at, now()) AND ${inCases}) AS cases_overdue,
          (SELECT json_object_agg(level, n) FROM (
             SELECT a.level, count(*)::int AS n FROM alarms a LEFT JOIN sensor_stations s ON s.id = a.station_id LEFT JOIN facilities f ON f.id = a.facility_id
             WHERE a.cleared_at IS NULL AND ${scope.area('coalesce(s.geom, ST_PointOnSurface(f.geom))')} GROUP BY a.level) a) AS alarms,
          (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM sensor_stations s WHERE ${scope.area('s.geom')} GROUP BY status) s) AS sensors,
          (SELECT json_build_object('total', count(*), 'online', count(*) FILTER (WHERE status = 'online')) FROM cameras WHERE ${scope.grid('grid_code')}) AS cameras,
          (SELECT json_build_object('total', count(*), 'on_duty', count(*) FILTER (WHERE status = 'on_duty')) FROM vehicles v WHERE ${scope.area('v.geom')}) AS vehicles,
          (SELECT json_build_object('on_duty', count(*) FILTER (WHERE status = 'on_duty'), 'offline', count(*) FILTER (WHERE status = 'offline'))
           FROM staff WHERE on_duty AND ${scope.grid('grid_code')}) AS staff,
          (SELECT json_build_object('total', count(*), 'online', count(*) FILTER (WHERE status = 'online')) FROM devices d WHERE ${scope.area('d.geom')}) AS devices,
          (SELECT json_agg(json_build_object('hour', h, 'reported', n) ORDER BY h) FROM (
             SELECT to_char(date_trunc('hour', c.reported_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD"T"HH24') AS h, count(*)::int AS n
             FROM cases c WHERE c.reported_at > now() - interval '24 hours' AND ${inCases} GROUP BY 1) t) AS trend,
          now() AS at`, scope.params);
    return {
      ...r,
      on_time_rate_today: r.closed_today ? r.closed_on_time_today / r.closed_today : null,
      camera_online_rate: r.cameras.total ? r.cameras.online / r.cameras.total : null,
      alarms: r.alarms ?? {}, sensors: r.sensors ?? {}, trend: r.trend ?? [],
    };
  });
}

/** Summaries kept at most (one per unit a wall shows; there are ~200 units). */
const MAX_CACHED = 500;

/**
 * One answer per unit for every wall for `ttlMs` (the summary, the unit and its children): each wall
 * re-reads them after a reconnect and on a timer, and live events move the figures in between. A failed
 * read is not kept.
 */
export function sharedByUnit<T>(read: (scope: WallScope) => Promise<T>, ttlMs: number): (scope: WallScope) => Promise<T> {
  const cached = new Map<string, { at: number; value: Promise<T> }>();
  return (scope) => {
    const key = scope.code ?? 'district';
    const hit = cached.get(key);
    if (hit && Date.now() - hit.at <= ttlMs) return hit.value;
    if (cached.size >= MAX_CACHED) cached.clear();
    const value = read(scope);
    cached.set(key, { at: Date.now(), value });
    value.catch(() => { if (cached.get(key)?.value === value) cached.delete(key); });
    return value;
  };
}
