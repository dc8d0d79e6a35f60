// Each street's 综合执法中队 (the unit the seeded histories send street-order and vending cases to), and the
// department of every seeded dispatched case: the first the dispatch rule (server/domain/cases/dispatch.ts)
// suggests for its item and grid, with its dispatches, so that queues and department KPIs have data.
// The district-wide units come with their migration.
import type pg from 'pg';
import { rankDepartments, type DepartmentScope } from '../../server/domain/cases/dispatch.ts';

/** What a street's squad handles: the subclasses the seeded histories send to '{street}综合执法中队'. */
const SQUAD_ITEMS = ['E05', 'E06'];

export const squadCode = (streetCode: string) => `ZD-${streetCode.trim()}`;

export async function seedDepartments(db: pg.ClientBase): Promise<string> {
  const { rows: streets } = await db.query<{ code: string; name: string }>('SELECT code::text, name FROM streets ORDER BY code');
  for (const s of streets) {
    const code = squadCode(s.code);
    await db.query(
      `INSERT INTO departments (code, name_zh, name_en, kind, parent_code, synthetic) VALUES ($1, $2, $3, 'street', 'CGZF', true)
       ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en`,
      [code, `${s.name}综合执法中队`, `${s.name} law enforcement squad`]);
    await db.query(`INSERT INTO department_items (department_code, scope) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [code, SQUAD_ITEMS]);
    await db.query(`INSERT INTO department_grids (department_code, scope) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [code, s.code.trim()]);
  }
  const { rows: departments } = await db.query<DepartmentScope>(
    `SELECT d.code, d.active, array(SELECT scope FROM department_items WHERE department_code = d.code) AS items,
            array(SELECT scope FROM department_grids WHERE department_code = d.code) AS grids FROM departments d`);
  const items = (await db.query<{ code: string }>('SELECT code FROM case_items ORDER BY code')).rows.map((r) => r.code);
  // The rule per item and street (a street's code stands for its grids: no department here is narrower).
  const pairs: [string, string, string][] = [];
  for (const item of items) {
    for (const s of streets) {
      const best = rankDepartments(departments, item, s.code.trim())[0];
      if (best) pairs.push([item, s.code.trim(), best.code]);
    }
  }
  await db.query('ALTER TABLE cases DISABLE TRIGGER USER');
  try {
    const { rowCount } = await db.query(
      `UPDATE cases c SET department_code = p.department
       FROM unnest($1::text[], $2::text[], $3::text[]) AS p(item, street, department)
       WHERE c.synthetic AND c.item_code = p.item AND c.street_code = p.street AND c.dispatched_at IS NOT NULL AND c.department_code IS NULL`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])]);
    // One dispatch per case; a seeded 回退 went to the same unit's name, so it reads as a return of this one.
    await db.query(
      `INSERT INTO case_dispatches (case_id, department_code, at, actor, returned_at, synthetic)
       SELECT t.case_id, c.department_code, t.at, t.actor,
              (SELECT min(r.at) FROM case_transitions r WHERE r.case_id = t.case_id AND r.to_status = 'returned' AND r.at > t.at), true
       FROM case_transitions t JOIN cases c ON c.id = t.case_id
       WHERE c.synthetic AND c.department_code IS NOT NULL AND t.to_status = 'dispatched'
         AND NOT EXISTS (SELECT 1 FROM case_dispatches x WHERE x.case_id = t.case_id)`);
    return `${streets.length} street squads; ${rowCount ?? 0} dispatched cases given their department`;
  } finally {
    await db.query('ALTER TABLE cases ENABLE TRIGGER USER');
  }
}
