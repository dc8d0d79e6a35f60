// The synthetic Wuchang: deterministic, at the seed figures of DESIGN.md, every row marked synthetic.
import type pg from 'pg';
import { SQL_HELPERS } from './sqlfns.ts';
import { seedAdmin } from './admin.ts';
import { seedNetwork } from './network.ts';

export interface SeedOptions {
  cases: number;
  log?: (msg: string) => void;
}

/** Tables with synthetic rows, children first; their detail tables (transitions, observations…) cascade. */
export const SYNTHETIC_TABLES = [
  'cases', 'vehicles', 'sensor_stations', 'cameras', 'misconnections', 'hazards', 'inspections', 'facilities',
  'pipes', 'manholes', 'labels', 'roads', 'water', 'grids', 'communities', 'streets',
];

/** Removes what an earlier run generated; imported and user-made rows stay. */
export async function clearSynthetic(db: pg.ClientBase): Promise<void> {
  for (const t of SYNTHETIC_TABLES) await db.query(`DELETE FROM ${t} WHERE synthetic`);
}

export async function seed(db: pg.ClientBase, opts: SeedOptions): Promise<void> {
  const log = opts.log ?? (() => {});
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = Date.now();
    await fn();
    log(`${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  };
  await db.query(SQL_HELPERS);
  await step('admin units and water', () => seedAdmin(db));
  await step('roads and drainage network', async () => {
    const s = await seedNetwork(db);
    log(`roads ${s.roadsKm.toFixed(0)} km; pipes main ${s.mainKm.toFixed(0)} km, community ${s.communityKm.toFixed(0)} km; ${s.manholes} manholes, ${s.pipes} pipes`);
  });
}
