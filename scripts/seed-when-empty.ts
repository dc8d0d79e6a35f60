// `npm start` seeds a database that has no synthetic city yet. The test is "no streets": the seed writes
// everything in one transaction (scripts/seed/run.ts), so a seed killed half-way leaves no streets either,
// and the next start seeds again.
import type pg from 'pg';

export async function needsSeed(db: pg.ClientBase): Promise<boolean> {
  const { rows } = await db.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM streets) AS empty');
  return rows[0].empty;
}
