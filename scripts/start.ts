// `npm start`: the whole app on one port — embedded PostGIS (or DATABASE_URL), migrations, synthetic
// data when the database is empty (none with ONEMAP_SEED=none or `npm start -- --empty`: a district that
// loads its own files), the built frontend and the API.
import pg from 'pg';
import { ensureServer } from './db.ts';
import { buildFrontend } from './build-frontend.ts';
import { migrate } from '../server/db/migrate.ts';
import { stopWhenClientGone } from '../server/db/client-check.ts';
import { runSeed } from './seed/run.ts';
import { markClean, needsSeed, seedMode } from './seed-when-empty.ts';
import { buildApp } from '../server/app.ts';
import { listFromEnv } from '../server/web-security.ts';
import { instanceName } from '../server/instance.ts';
import { parseBasemaps } from '../server/basemaps.ts';
import { checkIngestKey, parseAckMinutes, parsePoolSize, parseReplicaMaxLag, parseStreamOrigins, parseTrustProxy, SettingError } from '../server/settings.ts';

// Settings first: a wrong one stops the start before the database is touched.
function readSettings() {
  try {
    return {
      trustProxy: parseTrustProxy(process.env.ONEMAP_TRUST_PROXY),
      ingestKey: checkIngestKey(process.env.ONEMAP_INGEST_KEY),
      poolSize: parsePoolSize(process.env.ONEMAP_POOL_SIZE),
      replicaMaxLagMs: parseReplicaMaxLag(process.env.ONEMAP_REPLICA_MAX_LAG_MS),
      alarmAckMinutes: parseAckMinutes(process.env.ONEMAP_ALARM_ACK_MINUTES),
      streamOrigins: parseStreamOrigins(process.env.ONEMAP_STREAM_ORIGINS),
      basemaps: parseBasemaps(process.env),
      seed: seedMode(process.argv.slice(2), process.env.ONEMAP_SEED),
    };
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    console.error(`[start] ${err.message}`);
    process.exit(1);
  }
}
const settings = readSettings();
if (settings.trustProxy.warning) console.warn(`[start] warning: ${settings.trustProxy.warning}`);

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
  if (settings.seed === 'none' && await needsSeed(db)) {
    await markClean(db);
    console.log('[start] empty database started clean: no synthetic data; load the district\'s files (README, "Your own district")');
  } else if (await needsSeed(db)) {
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
  trustProxy: settings.trustProxy.value,
  ingestKey: settings.ingestKey,
  corsOrigins: listFromEnv(process.env.ONEMAP_CORS_ORIGINS),
  frameAncestors: listFromEnv(process.env.ONEMAP_FRAME_ANCESTORS),
  poolSize: settings.poolSize,
  alarmAckMinutes: settings.alarmAckMinutes,
  streamOrigins: settings.streamOrigins,
  basemaps: settings.basemaps,
  // A streaming standby of that database: tiles, items and spatial queries read there (server/db/replica.ts).
  replica: process.env.DATABASE_REPLICA_URL ? { url: process.env.DATABASE_REPLICA_URL, maxLagMs: settings.replicaMaxLagMs } : undefined,
  instance: instanceName(process.env.ONEMAP_INSTANCE),
});
await app.listen({ port, host });
console.log(`\n  武昌“一张图” Wuchang One-Map is running: http://localhost:${port}/\n`);
