// `npm start`: the whole app on one port — embedded PostGIS (or DATABASE_URL), migrations, synthetic
// data when the database is empty, the built frontend and the API.
import pg from 'pg';
import { ensureServer } from './db.ts';
import { buildFrontend } from './build-frontend.ts';
import { migrate } from '../server/db/migrate.ts';
import { runSeed } from './seed/run.ts';
import { buildApp } from '../server/app.ts';

/** ONEMAP_TRUST_PROXY: 'true', or the proxies' addresses/CIDRs (comma-separated). */
function trustProxy(v: string | undefined): boolean | string {
  if (!v || v === 'false') return false;
  return v === 'true' ? true : v;
}

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';

const { url } = await ensureServer();
const db = new pg.Client({ connectionString: url });
await db.connect();
try {
  const applied = await migrate(db);
  if (applied.length) console.log(`[start] migrations applied: ${applied.join(', ')}`);
  const { rows } = await db.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM streets) AS empty');
  if (rows[0].empty) {
    console.log('[start] empty database: generating the synthetic Wuchang (first start only)…');
    await runSeed(db, { cases: Number(process.env.SEED_CASES ?? 200_000), log: (m) => console.log(`[seed] ${m}`) });
  }
} finally {
  await db.end();
}
buildFrontend();
const { app } = await buildApp({ databaseUrl: url, logger: process.env.LOG === '1', trustProxy: trustProxy(process.env.ONEMAP_TRUST_PROXY) });
await app.listen({ port, host });
console.log(`\n  武昌“一张图” Wuchang One-Map is running: http://localhost:${port}/\n`);
