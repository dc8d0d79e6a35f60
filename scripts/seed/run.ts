// One seed run is one transaction: killed half-way, it leaves nothing behind; earlier synthetic rows
// are replaced, imported and user-made rows stay.
import type pg from 'pg';
import { clearSynthetic, seed, type SeedOptions } from './index.ts';

export async function runSeed(db: pg.ClientBase, opts: SeedOptions): Promise<void> {
  await db.query('BEGIN');
  // Bulk history, not live news: the live-event triggers skip it (migration 010).
  await db.query("SET LOCAL onemap.bulk_load = 'on'");
  try {
    await clearSynthetic(db);
    await seed(db, opts);
    // The seeded week waits in the history tables' default partitions: into partitions of its days.
    await db.query('SELECT history_ensure()');
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
