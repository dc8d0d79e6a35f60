// Case writes append their count changes to case_cell_deltas (migration 013) instead of queueing on the
// district's shared cells; this folds them into case_cell_totals so the `case_cells` view that readers use
// keeps adding only a short tail. Readers are exact either way: folding is housekeeping, so it runs on a
// timer, skips a beat while a fold runs, and stays quiet while the database is away.
import type pg from 'pg';
import { Housekeeping } from '../db/housekeeping.ts';

/** Seconds between folds: at 200 concurrent clients the tail stays under a few hundred rows. */
export const FOLD_INTERVAL_MS = 1000;

/** Folds the committed deltas; returns how many cells changed (0 when another fold holds the lock). */
export async function foldCaseCells(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT case_cells_fold() AS n');
  return rows[0].n;
}

/**
 * Cells whose counts differ from a recount of the cases table at every level (0 when the counts are exact).
 * A full scan of the cases: for tests and benchmarks, not for requests.
 */
export async function cellMismatches(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`
    WITH truth AS (
      SELECT k.z, k.cx, k.cy, count(*)::int AS n, (count(*) FILTER (WHERE case_is_open(c.status)))::int AS n_open
      FROM cases c, case_cell_rows(c.geom3857) k GROUP BY 1, 2, 3),
    kept AS (SELECT z, cx, cy, n, n_open FROM case_cells WHERE n <> 0 OR n_open <> 0)
    SELECT count(*)::int AS n FROM truth FULL JOIN kept USING (z, cx, cy)
    WHERE truth.n IS DISTINCT FROM kept.n OR truth.n_open IS DISTINCT FROM kept.n_open`);
  return rows[0].n;
}

/** The server's folder: every FOLD_INTERVAL_MS (`start(FOLD_INTERVAL_MS)`). */
export const caseCellFolder = (pool: pg.Pool, onError?: (err: unknown) => void) =>
  new Housekeeping(() => foldCaseCells(pool), 0, onError);
