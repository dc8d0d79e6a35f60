// The synthetic Wuchang: deterministic, at the figures of the README's synthetic-data table, every row marked synthetic.
import type pg from 'pg';
import { SQL_HELPERS } from './sqlfns.ts';
import { seedAdmin } from './admin.ts';
import { seedNetwork } from './network.ts';
import { ASSET_STEPS, defineSeedClock } from './assets.ts';
import { seedCases } from './cases.ts';
import { seedDepartments } from './departments.ts';
import { seedPersonnel } from './personnel.ts';

export interface SeedOptions {
  cases: number;
  log?: (msg: string) => void;
}

/** Tables with synthetic rows, children first; their detail tables (transitions, observations…) cascade. */
export const SYNTHETIC_TABLES = [
  'status_history', 'devices', 'staff', 'cases', 'vehicles', 'sensor_stations', 'cameras', 'misconnections', 'hazards', 'inspections', 'facilities',
  'pipes', 'manholes', 'labels', 'roads', 'water', 'grids', 'communities', 'streets',
];

/** Removes what an earlier run generated; imported and user-made rows stay. */
export async function clearSynthetic(db: pg.ClientBase): Promise<void> {
  // Millions of cases delete slowly, each cascading to its transitions row by row; when every case is synthetic,
  // TRUNCATE does the same at once (its trigger empties case_cells too).
  const real = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM cases WHERE NOT synthetic) AS any`);
  if (!real.rows[0].any) await db.query('TRUNCATE cases CASCADE');
  // Tracks and liveness name their thing by id, without a foreign key: they go with it.
  for (const [thing, table] of [['staff', 'staff'], ['device', 'devices']]) {
    await db.query(`DELETE FROM track_points WHERE thing = $1 AND id IN (SELECT id FROM ${table} WHERE synthetic)`, [thing]);
    await db.query(`DELETE FROM liveness WHERE thing = $1 AND id IN (SELECT id FROM ${table} WHERE synthetic)`, [thing]);
  }
  for (const t of SYNTHETIC_TABLES) await db.query(`DELETE FROM ${t} WHERE synthetic`);
}

export async function seed(db: pg.ClientBase, opts: SeedOptions): Promise<void> {
  const log = opts.log ?? (() => {});
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = Date.now();
    const summary = await fn();
    log(`${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${typeof summary === 'string' ? `: ${summary}` : ''}`);
  };
  await db.query(SQL_HELPERS);
  await defineSeedClock(db, true);
  await step('admin units and water', () => seedAdmin(db));
  await step('roads and drainage network', async () => {
    const s = await seedNetwork(db);
    log(`roads ${s.roadsKm.toFixed(0)} km; pipes main ${s.mainKm.toFixed(0)} km, community ${s.communityKm.toFixed(0)} km; ${s.manholes} manholes, ${s.pipes} pipes`);
  });
  for (const s of ASSET_STEPS) await step(s.name, () => s.run(db));
  // The separation-of-duties trigger checks each step a case takes; the seeded histories never hand one account
  // both, and millions of checks would slow the bulk insert.
  await db.query('ALTER TABLE case_transitions DISABLE TRIGGER case_transition_separation');
  try {
    await step(`cases (${opts.cases})`, () => seedCases(db, opts.cases, log));
  } finally {
    await db.query('ALTER TABLE case_transitions ENABLE TRIGGER case_transition_separation');
  }
  await step('departments and dispatches', () => seedDepartments(db));
  await step('staff and devices on duty', () => seedPersonnel(db));
  await db.query(
    `INSERT INTO dataset_info (key, value, updated_at)
     VALUES ('seed', jsonb_build_object('synthetic', true, 'cases', $1::bigint, 'reference_time', pg_temp.seed_now()), now())
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [opts.cases]);
}
