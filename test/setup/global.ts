// Once per test run: the embedded PostGIS, a template database migrated and seeded (reused across runs
// while the migrations and the generator are unchanged), and the built frontend. Each test file then
// copies the template into a database of its own (test/helpers/db.ts), so files run in parallel.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { adminUrl, ensureServer, repoRoot } from '../../scripts/db.ts';
import { buildFrontend } from '../../scripts/build-frontend.ts';
import { migrate } from '../../server/db/migrate.ts';
import { runSeed } from '../../scripts/seed/run.ts';
import { ensureDebianTool } from '../helpers/packages.ts';
import { processAlive } from '../../server/process-alive.ts';

export const TEST_CASES = Number(process.env.TEST_SEED_CASES ?? 200_000);

function sourceHash(): string {
  const h = createHash('sha1').update(String(TEST_CASES)).update(process.env.ONEMAP_SEED_NOW ?? '');
  for (const dir of ['server/db/migrations', 'server/db/functions', 'scripts/seed']) {
    for (const f of readdirSync(path.join(repoRoot, dir)).sort()) h.update(f).update(readFileSync(path.join(repoRoot, dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}


export default async function setup(project: TestProject) {
  const { url } = await ensureServer();
  const template = `wuchang_tmpl_${sourceHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  admin.on('error', () => {});
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) {
      // Older templates go; one another run is still building (its name carries its pid) is left alone.
      const old = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^wuchang_tmpl_[0-9a-f]+$'`);
      for (const r of old.rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => {});
      const building = `${template}_building_${process.pid}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      const db = new pg.Client({ connectionString: adminUrl(url, building) });
      await db.connect();
      try {
        await migrate(db);
        const t0 = Date.now();
        await runSeed(db, { cases: TEST_CASES });
        console.log(`[test setup] template seeded with ${TEST_CASES} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        await db.query('VACUUM ANALYZE');
      } finally {
        await db.end();
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
    // Leftovers of interrupted earlier runs: databases whose creating process is gone.
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^wuchang_(test|tmpl_[0-9a-f]+_building)_'`);
    for (const r of stale.rows) {
      const pid = Number(/_(\d+)(_[0-9a-f]+)?$/.exec(r.datname)?.[1]);
      if (pid && !processAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await admin.end();
  }
  buildFrontend();
  ensureDebianTool('/usr/bin/ogrinfo', 'gdal-bin');
  ensureDebianTool('/usr/bin/chromium', 'chromium');
  project.provide('databaseUrl', url);
  project.provide('template', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    template: string;
  }
}
