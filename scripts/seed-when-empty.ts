// `npm start` seeds a database that has no synthetic city yet, unless it was started clean. The test is "no
// streets": the seed writes everything in one transaction (scripts/seed/run.ts), so a seed killed half-way
// leaves no streets either, and the next start seeds again. A database started clean (`ONEMAP_SEED=none`,
// `npm start -- --empty`) is marked so in dataset_info, and one with a district or an import of its own is
// never seeded: a later plain `npm start` must not pour synthetic rows into a district loading its files.
import type pg from 'pg';
import { SettingError } from '../server/settings.ts';

export async function needsSeed(db: pg.ClientBase): Promise<boolean> {
  const { rows } = await db.query<{ empty: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM streets) AND NOT EXISTS (SELECT 1 FROM districts) AND NOT EXISTS (SELECT 1 FROM imports)
        AND NOT EXISTS (SELECT 1 FROM dataset_info WHERE key = 'seed' AND value->>'mode' = 'none') AS empty`);
  return rows[0].empty;
}

/** Marks an empty database as started clean: no start seeds it from now on (`npm run seed` still does). */
export async function markClean(db: pg.ClientBase): Promise<void> {
  await db.query(
    `INSERT INTO dataset_info (key, value, updated_at) VALUES ('seed', '{"synthetic": false, "mode": "none"}', now())
     ON CONFLICT (key) DO NOTHING`);
}

/** How a start seeds: `synthetic` (the default: the synthetic Wuchang when the database is empty) or `none`. */
export function seedMode(argv: readonly string[], env: string | undefined): 'synthetic' | 'none' {
  if (argv.includes('--empty')) return 'none';
  const v = (env ?? '').trim().toLowerCase();
  if (v === '' || v === 'synthetic') return 'synthetic';
  if (v === 'none') return 'none';
  throw new SettingError(`ONEMAP_SEED=${JSON.stringify(env)}: give synthetic (the default) or none`);
}
