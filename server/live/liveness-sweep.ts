// The liveness sweep on a timer, and the camera days rolled up from the status history. Both are
// housekeeping: a beat is skipped while the last runs, a database away is tried again at the next.
import type pg from 'pg';
import { Housekeeping } from '../db/housekeeping.ts';
import { pruneTracks } from '../data/personnel.ts';
import { sweepSilent, type WentOffline } from './liveness.ts';

/** Well under the shortest interval a thing may keep silent (liveness_defaults: 10 minutes). */
export const SWEEP_EVERY_MS = 30_000;
/** Today's camera figures follow the history this often; closed days are final at their first roll-up after midnight. */
export const ROLL_UP_EVERY_MS = 10 * 60_000;
/** The most days a roll-up reaches back (a server that was stopped for longer starts again from here). */
const ROLL_UP_MAX_DAYS = 30;

/** The sweep also drops staff and device track points past their keeping time (one indexed delete). */
export const livenessSweeper = (pool: pg.Pool, onError?: (err: unknown) => void) =>
  new Housekeeping<WentOffline[]>(async () => {
    const offline = await sweepSilent(pool);
    await pruneTracks(pool);
    return offline;
  }, [], onError);

/** Rolls up the camera days from the last one rolled up (it may have been partial) to today, at `now`. */
export async function rollUpCameraDays(db: pg.Pool | pg.ClientBase, now: Date = new Date()): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH today AS (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS d)
     SELECT camera_status_roll_up(greatest(coalesce((SELECT max(day) FROM camera_status_days), today.d), today.d - $2::int), today.d, $1) AS n FROM today`,
    [now, ROLL_UP_MAX_DAYS - 1]);
  return rows[0].n;
}

export const cameraDaysRoller = (pool: pg.Pool, onError?: (err: unknown) => void) =>
  new Housekeeping(() => rollUpCameraDays(pool), 0, onError);
