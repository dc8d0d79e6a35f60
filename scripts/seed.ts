// `npm run seed [-- --cases N]`: (re)builds the synthetic Wuchang. Replaces earlier synthetic rows only.
import pg from 'pg';
import { ensureServer } from './db.ts';
import { migrate } from '../server/db/migrate.ts';
import { stopWhenClientGone } from '../server/db/client-check.ts';
import { runSeed } from './seed/run.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a whole number, got ${process.argv[i + 1]}`);
  return v;
}

const cases = arg('cases', 200_000);
const { url } = await ensureServer();
const db = new pg.Client({ connectionString: url });
await db.connect();
try {
  // Killed half-way (one transaction, so nothing is written), the seed's backend stops at once, not after its statement.
  await stopWhenClientGone(db, false);
  await migrate(db);
  const t0 = Date.now();
  await runSeed(db, { cases, log: (m) => console.log(`[seed] ${m}`) });
  console.log(`[seed] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await db.end();
}
