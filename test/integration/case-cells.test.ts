// The low-zoom case counts (migration 013): writes append deltas, a fold moves them into the totals, and
// the `case_cells` view readers use is exact at every moment — before a fold, after it, across reports,
// steps that change no count, closing, moves and deletes, and with many writers and folders at once.
import pg from 'pg';
import { expect, it } from 'vitest';
import { cellMismatches, foldCaseCells } from '../../server/cases/cell-fold.ts';
import { useTestDatabase } from '../helpers/db.ts';

const t = useTestDatabase();
const q = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => (await t.client.query<R>(sql, values)).rows;

/** Every level's cells recomputed from the cases table, compared with the view cell by cell. */
const mismatches = () => cellMismatches(t.client);
const deltas = async () => Number((await q<{ n: string }>('SELECT count(*) AS n FROM case_cell_deltas'))[0].n);
const level0 = async () => (await q<{ n: number; n_open: number }>('SELECT n, n_open FROM case_cells WHERE z = 0'))[0];

/** Copies of existing cases at a point of theirs, under fresh ids and numbers, as one statement. */
async function copyCases(k: number): Promise<number[]> {
  const rows = await q<{ id: string }>(`
    INSERT INTO cases (case_no, class_code, item_code, source, status, reported_at, grid_code, community_code, street_code, updated_at, geom)
    SELECT 'TEST' || lpad(g::text, 8, '0') || md5(random()::text), class_code, item_code, source, 'reported', now(), grid_code, community_code, street_code, now(), geom
    FROM (SELECT * FROM cases ORDER BY id LIMIT $1) c, generate_series(1, 1) g RETURNING id`, [k]);
  return rows.map((r) => Number(r.id));
}

it('the seeded cells match the cases exactly, with nothing left to fold', async () => {
  expect(await deltas()).toBe(0);
  expect(await mismatches()).toBe(0);
});

it('a report counts at once through the view, before any fold, and the fold moves it into the totals', async () => {
  const before = await level0();
  const [id] = await copyCases(1);
  expect(await level0()).toEqual({ n: before.n + 1, n_open: before.n_open + 1 });
  expect(await deltas()).toBe(17); // one row per level 0–16
  const totalsBefore = (await q<{ n: number }>('SELECT n FROM case_cell_totals WHERE z = 0'))[0].n;
  expect(await foldCaseCells(t.client)).toBe(17);
  expect(await deltas()).toBe(0);
  expect((await q<{ n: number }>('SELECT n FROM case_cell_totals WHERE z = 0'))[0].n).toBe(totalsBefore + 1);
  expect(await level0()).toEqual({ n: before.n + 1, n_open: before.n_open + 1 });
  expect(await mismatches()).toBe(0);
  await q('DELETE FROM cases WHERE id = $1', [id]);
  expect(await level0()).toEqual(before);
  expect(await mismatches()).toBe(0);
});

it('steps that keep a case open where it was write no deltas; closing, reopening and moving do', async () => {
  await foldCaseCells(t.client);
  const [id] = await copyCases(1);
  await foldCaseCells(t.client);
  const before = await level0();
  for (const status of ['accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'suspended', 'handled']) {
    await q('UPDATE cases SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }
  expect(await deltas()).toBe(0);
  await q(`UPDATE cases SET status = 'closed' WHERE id = $1`, [id]);
  expect(await level0()).toEqual({ n: before.n, n_open: before.n_open - 1 });
  expect(await deltas()).toBe(17); // per level one row: the same cell, one fewer open
  expect(await mismatches()).toBe(0);
  await q(`UPDATE cases SET status = 'reworked' WHERE id = $1`, [id]);
  expect(await level0()).toEqual(before);
  // Moved 2 km east: the fine cells change, level 0 keeps its count (sx changes with the centroid).
  const sx = (await q<{ sx: number }>('SELECT sx FROM case_cells WHERE z = 0'))[0].sx;
  await q(`UPDATE cases SET geom = ST_Translate(geom, 0.02, 0) WHERE id = $1`, [id]);
  expect(await level0()).toEqual(before);
  expect((await q<{ sx: number }>('SELECT sx FROM case_cells WHERE z = 0'))[0].sx).toBeGreaterThan(sx + 1000);
  expect(await mismatches()).toBe(0);
  await foldCaseCells(t.client);
  expect(await mismatches()).toBe(0);
  await q('DELETE FROM cases WHERE id = $1', [id]);
  expect(await level0()).toEqual({ n: before.n - 1, n_open: before.n_open - 1 });
  expect(await mismatches()).toBe(0);
});

it('a statement of many cases, and a rolled-back one, leave the counts exact', async () => {
  const before = await level0();
  const ids = await copyCases(500);
  expect(await level0()).toEqual({ n: before.n + 500, n_open: before.n_open + 500 });
  await q('BEGIN');
  await q(`UPDATE cases SET status = 'rejected' WHERE id = ANY($1::bigint[])`, [ids]);
  await q('ROLLBACK');
  expect(await level0()).toEqual({ n: before.n + 500, n_open: before.n_open + 500 });
  await q(`UPDATE cases SET status = 'rejected' WHERE id = ANY($1::bigint[])`, [ids]);
  expect(await level0()).toEqual({ n: before.n + 500, n_open: before.n_open });
  expect(await mismatches()).toBe(0);
  await q('DELETE FROM cases WHERE id = ANY($1::bigint[])', [ids]);
  expect(await mismatches()).toBe(0);
});

it('many writers and folders at once: no deadlock, no count lost or doubled, one folder at a time', async () => {
  await foldCaseCells(t.client);
  const before = await level0();
  const pool = new pg.Pool({ connectionString: t.db.url, max: 12 });
  try {
    const writers = Array.from({ length: 40 }, (_, i) => pool.query(
      `INSERT INTO cases (case_no, class_code, item_code, source, status, reported_at, grid_code, community_code, street_code, updated_at, geom)
       SELECT 'PAR' || $1 || md5(random()::text), class_code, item_code, source, 'reported', now(), grid_code, community_code, street_code, now(), geom
       FROM cases ORDER BY md5(id::text || $1) LIMIT 3`, [String(i)]));
    const folders = Array.from({ length: 20 }, () => foldCaseCells(pool));
    await Promise.all([...writers, ...folders]);
    // Two folds in one moment: the second does not wait or fold the same deltas again.
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      await copyCases(1);
      await a.query('SELECT case_cells_fold()');
      expect(await foldCaseCells(b)).toBe(0);
      await a.query('COMMIT');
    } finally {
      a.release();
      b.release();
    }
    await foldCaseCells(pool);
  } finally {
    await pool.end();
  }
  expect(await level0()).toEqual({ n: before.n + 121, n_open: before.n_open + 121 });
  expect(await deltas()).toBe(0);
  expect(await mismatches()).toBe(0);
});
