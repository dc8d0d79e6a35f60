// `npm start`: the whole app on one port — embedded PostGIS (or DATABASE_URL), migrations, synthetic
// data when the database is empty, the built frontend and the API.
import pg from 'pg';
import { ensureServer } from './db.ts';
import { buildFrontend } from './build-frontend.ts';
import { migrate } from '../server/db/migrate.ts';
import { stopWhenClientGone } from '../server/db/client-check.ts';
import { runSeed } from './seed/run.ts';
import { needsSeed } from './seed-when-empty.ts';
import { buildApp } from '../server/app.ts';
import { listFromEnv } from '../server/web-security.ts';

/** ONEMAP_POOL_SIZE: database connections of the server (each is a PostgreSQL backend; mind max_connections). */
function poolSize(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n > 500) throw new Error(`ONEMAP_POOL_SIZE=${v}: give a whole number from 2 to 500`);
  return n;
}

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
  // Killed during the first seed (one transaction, so nothing is written), its backend stops at once; the next start seeds.
  await stopWhenClientGone(db, false);
  const applied = await migrate(db);
  if (applied.length) console.log(`[start] migrations applied: ${applied.join(', ')}`);
  if (await needsSeed(db)) {
    console.log('[start] empty database: generating the synthetic Wuchang (first start only)…');
    await runSeed(db, { cases: Number(process.env.SEED_CASES ?? 200_000), log: (m) => console.log(`[seed] ${m}`) });
  }
} finally {
  await db.end();
}
buildFrontend();
const { app } = await buildApp({
  databaseUrl: url,
  logger: process.env.LOG === '1',
  trustProxy: trustProxy(process.env.ONEMAP_TRUST_PROXY),
  corsOrigins: listFromEnv(process.env.ONEMAP_CORS_ORIGINS),
  frameAncestors: listFromEnv(process.env.ONEMAP_FRAME_ANCESTORS),
  poolSize: poolSize(process.env.ONEMAP_POOL_SIZE),
});
await app.listen({ port, host });
console.log(`\n  武昌“一张图” Wuchang One-Map is running: http://localhost:${port}/\n`);
