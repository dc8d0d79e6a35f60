// Departments (处置单位) in the database: the list with their scopes, the KPIs per department, a department's
// queue, and the departments that fit a case (ranked by server/domain/cases/dispatch.ts).
//
// KPIs, for dispatches in [from, to):
//  • 准确派遣率 = dispatches (派遣 and 改派, case_dispatches) not returned ÷ dispatches;
//  • 按期处置率 = the department's cases (cases.department_code) dispatched in the period that were reported
//    handled by their deadline ÷ those cases (a case never handled counts against it, as kpi.ts choice 3);
//  • 返工: those cases sent back after a failed check at least once, and ÷ handled;
//  • open and overdue now, by case_is_open and case_is_overdue (server/db/functions/).
import type pg from 'pg';
import type { Department, DepartmentKpis, Suggestion } from '../../common/api/departments.ts';
import { rankDepartments, type DepartmentScope } from '../domain/cases/dispatch.ts';
import type { Actor } from '../domain/cases/workflow.ts';
import { caseNotFound, mayReadCase } from './access.ts';
import { CASE_COLUMNS, caseView, type CaseRow } from './store.ts';
import { readOnStandby } from '../db/replica.ts';

type DepartmentRow = Omit<Department, 'kpis'>;

const DEPARTMENT_SQL = `SELECT d.code, d.name_zh, d.name_en, d.kind, d.parent_code, d.active, d.synthetic,
  array(SELECT i.scope FROM department_items i WHERE i.department_code = d.code ORDER BY i.scope) AS items,
  array(SELECT g.scope FROM department_grids g WHERE g.department_code = d.code ORDER BY g.scope) AS grids
  FROM departments d`;

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

async function kpisOf(pool: pg.Pool, from: string, to: string): Promise<Map<string, DepartmentKpis>> {
  const { rows } = await pool.query<{ code: string; dispatches: number; returned: number; cases: number; handled: number; handled_on_time: number; open: number; overdue: number; reworked: number }>(
    `WITH dp AS (
       SELECT department_code AS code, count(*)::int AS dispatches, count(returned_at)::int AS returned
       FROM case_dispatches WHERE at >= $1::timestamptz AND at < $2::timestamptz GROUP BY 1),
     cs AS (
       SELECT department_code AS code, count(*)::int AS cases,
              count(*) FILTER (WHERE handled_at IS NOT NULL)::int AS handled,
              count(*) FILTER (WHERE handled_at <= deadline_at)::int AS handled_on_time,
              count(*) FILTER (WHERE case_is_open(status))::int AS open,
              count(*) FILTER (WHERE case_is_overdue(status, deadline_at, suspended_at, now()))::int AS overdue,
              count(*) FILTER (WHERE rework_count > 0)::int AS reworked
       FROM cases WHERE department_code IS NOT NULL AND dispatched_at >= $1::timestamptz AND dispatched_at < $2::timestamptz GROUP BY 1)
     SELECT d.code, coalesce(dp.dispatches, 0) AS dispatches, coalesce(dp.returned, 0) AS returned, coalesce(cs.cases, 0) AS cases,
            coalesce(cs.handled, 0) AS handled, coalesce(cs.handled_on_time, 0) AS handled_on_time, coalesce(cs.open, 0) AS open,
            coalesce(cs.overdue, 0) AS overdue, coalesce(cs.reworked, 0) AS reworked
     FROM departments d LEFT JOIN dp ON dp.code = d.code LEFT JOIN cs ON cs.code = d.code`, [from, to]);
  return new Map(rows.map((r) => [r.code, {
    dispatches: r.dispatches, returned: r.returned, accurate_rate: ratio(r.dispatches - r.returned, r.dispatches),
    cases: r.cases, handled: r.handled, handled_on_time: r.handled_on_time, on_time_rate: ratio(r.handled_on_time, r.cases),
    open: r.open, overdue: r.overdue, reworked: r.reworked, rework_rate: ratio(r.reworked, r.handled),
  }]));
}

/** Every department with its scopes (district units first, then companies, then streets'), and its KPIs when a period is given. */
export async function listDepartments(pool: pg.Pool, period?: { from: string; to: string }): Promise<Department[]> {
  return readOnStandby(pool, async () => {
    const { rows } = await pool.query<DepartmentRow>(`${DEPARTMENT_SQL} ORDER BY array_position(ARRAY['bureau', 'company', 'street'], d.kind), d.code`);
    if (!period) return rows;
    const kpis = await kpisOf(pool, period.from, period.to);
    return rows.map((d) => ({ ...d, kpis: kpis.get(d.code) }));
  });
}

/** The department's name, or null when there is none with this code. */
export async function departmentNamed(pool: pg.Pool, code: string): Promise<{ code: string; name_zh: string; name_en: string } | null> {
  return readOnStandby(pool, async () => {
    const { rows: [d] } = await pool.query<{ code: string; name_zh: string; name_en: string }>('SELECT code, name_zh, name_en FROM departments WHERE code = $1', [code]);
    return d ?? null;
  });
}

/** The cases dispatched to a department: open ones first (earliest deadline first), then the rest, newest first. */
export async function departmentQueue(pool: pg.Pool, code: string, limit: number, actor: Actor) {
  return readOnStandby(pool, async () => {
    const { rows } = await pool.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM cases c WHERE c.department_code = $1 AND c.status <> 'returned'
       ORDER BY case_is_open(c.status) DESC, CASE WHEN case_is_open(c.status) THEN c.deadline_at END ASC NULLS LAST, c.id DESC LIMIT $2`, [code, limit]);
    return rows.map((r) => caseView(r, actor));
  });
}

/** The departments that fit a case, best first, with why; null-safe for a case the actor may not read (404). */
export async function dispatchSuggestions(pool: pg.Pool, id: number, actor: Actor): Promise<{ case_id: number; item_code: string; grid_code: string | null; items: Suggestion[] }> {
  return readOnStandby(pool, async () => {
    const { rows: [c] } = await pool.query<{ item_code: string; grid_code: string | null; department_code: string | null }>(
      'SELECT item_code, grid_code, department_code FROM cases WHERE id = $1', [id]);
    if (!c || !mayReadCase(actor, c.grid_code, c.department_code)) throw caseNotFound(id);
    const departments = await listDepartments(pool);
    const byCode = new Map(departments.map((d) => [d.code, d]));
    const grid = c.grid_code?.trim() ?? null;
    const ranked = rankDepartments(departments as DepartmentScope[], c.item_code, grid);
    return {
      case_id: id, item_code: c.item_code, grid_code: grid,
      items: ranked.map((s) => {
        const d = byCode.get(s.code)!;
        return { ...s, name_zh: d.name_zh, name_en: d.name_en, kind: d.kind };
      }),
    };
  });
}
