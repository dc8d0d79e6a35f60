// The case rules have one definition in the database (server/db/functions/case_deadlines.sql, case_is_open in
// migration 005) and one in the workflow (server/domain/cases/workflow.ts): the two must give the same answer
// for every status, around every edge of the deadline and of a suspension, or the list, the map and the wall
// would disagree with the case's own page.
import { expect, it } from 'vitest';
import { FINAL_STATUSES, STATUSES, isOverdue, type Status } from '../../server/domain/cases/workflow.ts';
import { useTestDatabase } from '../helpers/db.ts';

const test = useTestDatabase();

const NOW = new Date('2026-06-01T12:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const H = 3_600_000;

interface Row {
  status: Status;
  deadline_at: Date | null;
  suspended_at: Date | null;
}

/** Every status × deadlines before, at and after now × suspensions before, at and after the deadline. */
function table(): Row[] {
  const deadlines = [null, at(-48 * H), at(-1), at(0), at(1), at(2 * H)];
  const rows: Row[] = [];
  for (const status of STATUSES) {
    for (const deadline_at of deadlines) {
      const d = (deadline_at ?? NOW).getTime();
      const suspensions = [null, new Date(d - H), new Date(d - 1), new Date(d), new Date(d + 1), at(-1), at(0), at(H)];
      for (const suspended_at of suspensions) rows.push({ status, deadline_at, suspended_at });
    }
  }
  return rows;
}

it('case_is_overdue and case_overdue_from agree with isOverdue over every status, deadline and suspension', async () => {
  const rows = table();
  const { rows: sql } = await test.client.query<{ overdue: boolean | null; from_passed: boolean | null; from: Date | null }>(`
    SELECT case_is_overdue(s, d, sa, $4) AS overdue, case_overdue_from(s, d, sa) < $4 AS from_passed, case_overdue_from(s, d, sa) AS from
    FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS t(s, d, sa, i) ORDER BY i`,
  [rows.map((r) => r.status), rows.map((r) => r.deadline_at), rows.map((r) => r.suspended_at), NOW]);
  const disagree = rows.flatMap((r, i) => {
    const ts = isOverdue({ status: r.status, grid_code: null, dispatched_at: null, deadline_at: r.deadline_at, suspended_at: r.suspended_at }, NOW).overdue;
    const got = { overdue: sql[i].overdue, from_passed: sql[i].from_passed ?? false };
    return got.overdue === ts && got.from_passed === ts ? [] : [{ ...r, ts, ...got }];
  });
  expect(rows.length).toBeGreaterThan(500);
  expect(disagree).toEqual([]);
  // Never null, so that NOT case_is_overdue(…) means "not overdue".
  expect(sql.filter((r) => r.overdue === null)).toEqual([]);
  // Both answers occur, and a case that can be overdue turns overdue at its deadline.
  expect(new Set(sql.map((r) => r.overdue))).toEqual(new Set([true, false]));
  sql.forEach((r, i) => { if (r.from) expect(r.from).toEqual(rows[i].deadline_at); });
});

it('case_is_open is the workflow: everything but the final statuses', async () => {
  const { rows } = await test.client.query<{ s: Status; open: boolean }>('SELECT s, case_is_open(s) AS open FROM unnest($1::text[]) s', [STATUSES]);
  expect(rows.map((r) => [r.s, r.open])).toEqual(STATUSES.map((s) => [s, !FINAL_STATUSES.includes(s)]));
});

it('the overdue cases are read from the index of open cases by deadline (the planner inlines the rules)', async () => {
  await test.client.query('BEGIN');
  try {
    await test.client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await test.client.query<{ 'QUERY PLAN': string }>(
      'EXPLAIN SELECT count(*) FROM cases WHERE case_is_overdue(status, deadline_at, suspended_at, now())');
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('cases_open_deadline_idx');
    expect(plan).toMatch(/Index Cond: .*deadline_at < now\(\)/);
  } finally {
    await test.client.query('ROLLBACK');
  }
});
