// The day-partitioned history (observations, vehicle positions, tracks, live events): partitions made ahead
// and for rows waiting in a default partition, whole days past their keeping dropped (functions/history.sql);
// and a stream's readings over any period, from the raw rows or their hourly and daily roll-ups.
import type pg from 'pg';
import { Housekeeping } from '../db/housekeeping.ts';
import { NotFoundError } from '../http/errors.ts';
import type { SeriesResolution, Series } from '../../common/api/history.ts';
import { readOnStandby } from '../db/replica.ts';

/** Partitions are made a week ahead, so an hourly beat that stops for days still finds today's. */
export const HISTORY_EVERY_MS = 60 * 60_000;

export async function maintainHistory(db: pg.Pool | pg.ClientBase, at: Date = new Date()): Promise<{ created: number; dropped: number }> {
  const { rows: [r] } = await db.query<{ created: number; dropped: number }>(
    'SELECT history_ensure($1) AS created, history_drop_expired($1) AS dropped', [at]);
  return r;
}

export const historyKeeper = (pool: pg.Pool, onError?: (err: unknown) => void) =>
  new Housekeeping(() => maintainHistory(pool), { created: 0, dropped: 0 }, onError);

/** The finest resolution that answers the period in at most about 2,200 points per stream. */
export function resolutionFor(from: Date, to: Date): SeriesResolution {
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  if (hours <= 72) return 'raw';
  if (hours <= 92 * 24) return 'hour';
  return 'day';
}

/** A stream's readings from `from` to `to`: raw, or each hour's or day's mean with its min, max and count. */
export async function seriesOf(db: pg.Pool, id: number, from: Date, to: Date, res: SeriesResolution): Promise<Series> {
  return readOnStandby(db, async () => {
    const { rows: [ds] } = await db.query<{ quantity: string; unit: string | null; keep_days: number }>(
      `SELECT quantity, unit, (SELECT keep_days FROM history_tables WHERE tbl = 'observations') AS keep_days FROM datastreams WHERE id = $1`, [id]);
    if (!ds) throw new NotFoundError(`no datastream ${id}`);
    const { rows } = res === 'raw'
      ? await db.query<{ t: Date; value: number; min: number; max: number; n: number }>(
        `SELECT t, value, value AS min, value AS max, 1 AS n FROM observations WHERE datastream_id = $1 AND t >= $2 AND t < $3 ORDER BY t`, [id, from, to])
      : await db.query<{ t: Date; value: number; min: number; max: number; n: number }>(
        `SELECT bucket AS t, sum / n AS value, min, max, n FROM observation_rollups
         WHERE datastream_id = $1 AND res = $4 AND bucket >= $2 AND bucket < $3 ORDER BY bucket`, [id, from, to, res]);
    return {
      datastream_id: id, quantity: ds.quantity, unit: ds.unit, resolution: res, raw_keep_days: ds.keep_days,
      points: rows.map((r) => ({ t: r.t.toISOString(), value: r.value, min: r.min, max: r.max, n: r.n })),
    };
  });
}
