// Many case reports at once (found by `npm run bench -- load`): every report used to update its point's
// case_cells at levels 0–16 in place, and two reports locking shared cells in different orders deadlocked —
// one answered 500. Writes now append to case_cell_deltas (migration 013), which no two writers share: all
// are made, the counts stay exact, and PostgreSQL detects no deadlock.
import { expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const N = 48;

const deadlocks = async () => Number((await ctx.db.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0].deadlocks);

it(`${N} reports at once (and workflow steps among them) are all made, none deadlocks`, async () => {
  const dispatcher = await loginAs(ctx, 'dispatcher');
  // Points of different unit grids: they share the low-level cells and differ in the fine ones.
  const { rows: pts } = await ctx.db.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY md5(code) LIMIT $1) g`, [N]);
  const { rows: [{ n: before }] } = await ctx.db.query<{ n: number }>('SELECT n FROM case_cells WHERE z = 0 ORDER BY n DESC LIMIT 1');
  const { rows: open } = await ctx.db.query<{ id: string }>(`SELECT id FROM cases WHERE status = 'reported' ORDER BY id LIMIT 8`);
  const deadlocksBefore = await deadlocks();
  const post = (path: string, body: unknown) => fetch(ctx.app.baseUrl + path, {
    method: 'POST', headers: { ...dispatcher.headers, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const answers = await Promise.all([
    ...pts.map((p, i) => post('/api/cases', { item_code: i % 2 ? 'E0101' : 'C0701', lon: p.x, lat: p.y, client_id: crypto.randomUUID() })),
    // Steps update cases (and their cells) too: they must queue with the reports, not deadlock with them.
    ...open.map((c) => post(`/api/cases/${c.id}/actions/accept`, {})),
  ]);
  expect(answers.map((a) => a.status)).toEqual([...pts.map(() => 201), ...open.map(() => 200)]);
  const made = await Promise.all(answers.slice(0, N).map(async (a) => Number(((await a.json()) as { id: number }).id)));
  const { rows: [check] } = await ctx.db.query<{ cases: number; steps: number }>(
    `SELECT count(*)::int AS cases, (SELECT count(*)::int FROM case_transitions WHERE case_id = ANY($1::bigint[]) AND to_status = 'reported') AS steps
     FROM cases WHERE id = ANY($1::bigint[])`, [made]);
  expect(check).toEqual({ cases: N, steps: N });
  const { rows: [{ n: after }] } = await ctx.db.query<{ n: number }>('SELECT n FROM case_cells WHERE z = 0 ORDER BY n DESC LIMIT 1');
  expect(after - before).toBe(N);
  // The server folds the appended deltas into the totals on its own, within a second or two.
  await expect.poll(async () => Number((await ctx.db.query('SELECT count(*) AS n FROM case_cell_deltas')).rows[0].n), { timeout: 15_000 }).toBe(0);
  const { rows: [{ n: folded }] } = await ctx.db.query<{ n: number }>('SELECT n FROM case_cell_totals WHERE z = 0 ORDER BY n DESC LIMIT 1');
  expect(folded).toBe(after);
  // A deadlock is counted by its victim's backend when it reports its statistics (within a second or so).
  // A deliberate wait: that no deadlock shows up cannot be polled for.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await deadlocks()).toBe(deadlocksBefore);
});
