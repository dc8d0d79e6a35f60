// What several benchmark suites share: command-line options, the machine they ran on, where results go,
// and the deterministic spread of points over Wuchang that requests are made at.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { runSeed } from '../scripts/seed/run.ts';
import { migrate } from '../server/db/migrate.ts';

/** `--name N` from the suite's arguments, or `fallback`. */
export function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** Cores, CPU model and memory, for the result files. */
export function machine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB`;
}

/** The 1-, 5- and 15-minute load averages, rounded: other work on the machine shows here. */
export function loadAverage(): [number, number, number] {
  return os.loadavg().map((v) => +v.toFixed(2)) as [number, number, number];
}

/** Writes bench/results/<name>-<YYYY-MM-DD>.json and .md; returns the path without the extension. */
export function writeResults(name: string, json: unknown, md: string): string {
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().slice(0, 10)}`);
  writeFileSync(`${file}.json`, JSON.stringify(json, null, 2));
  writeFileSync(`${file}.md`, md);
  console.log(`[bench] written to ${path.relative(repoRoot, file)}.{json,md}`);
  return file;
}

/** Wuchang's built-up core, where the points of the requests fall. */
export const AREA = { w: 114.27, s: 30.5, e: 114.37, n: 30.6 };

/** A deterministic spread of points over the area (a Halton sequence), so runs are comparable. */
export function points(n: number): [number, number][] {
  const halton = (i: number, b: number) => {
    let f = 1;
    let r = 0;
    for (let x = i; x > 0; x = Math.floor(x / b)) {
      f /= b;
      r += f * (x % b);
    }
    return r;
  };
  return Array.from({ length: n }, (_, i) => [
    +(AREA.w + halton(i + 1, 2) * (AREA.e - AREA.w)).toFixed(6),
    +(AREA.s + halton(i + 1, 3) * (AREA.n - AREA.s)).toFixed(6),
  ]);
}

/** The first `n` of `points(candidates)` that a unit grid covers (the river is not the district), in order. */
export async function pointsInGrids(db: pg.ClientBase, n: number, candidates = Math.ceil(n * 1.4)): Promise<[number, number][]> {
  const all = points(candidates);
  const { rows: inside } = await db.query<{ i: string }>(
    `SELECT i FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, i)
     WHERE EXISTS (SELECT 1 FROM grids g WHERE ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(x, y), 4326))) ORDER BY i`,
    [all.map((p) => p[0]), all.map((p) => p[1])]);
  return inside.map((r) => all[Number(r.i) - 1]).slice(0, n);
}

/**
 * A scratch copy of `source` named `target` that a suite may write to: CREATE DATABASE … TEMPLATE (seconds),
 * or pg_dump | pg_restore when someone stays connected to the source. Says how, and who was connected.
 */
export async function copyDatabase(admin: pg.Client, url: string, source: string, target: string, label: string): Promise<{ method: string; seconds: number; connected: string[] }> {
  const t0 = Date.now();
  const { rows } = await admin.query<{ n: string; who: string }>(
    `SELECT count(*) AS n, string_agg(DISTINCT coalesce(application_name, '') || '@' || coalesce(client_addr::text, 'local'), ', ') AS who
     FROM pg_stat_activity WHERE datname = $1`, [source]);
  const connected = Number(rows[0].n) ? [`${rows[0].n} connection(s): ${rows[0].who}`] : [];
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${target} TEMPLATE ${source} STRATEGY FILE_COPY`);
      return { method: `CREATE DATABASE ${target} TEMPLATE ${source} STRATEGY FILE_COPY`, seconds: (Date.now() - t0) / 1000, connected };
    } catch (err) {
      // 55006: the template is in use by someone else. Wait a little, then copy with pg_dump instead.
      if ((err as { code?: string }).code !== '55006') throw err;
      console.log(`[${label}] ${source} is in use (${(err as Error).message}); retrying in 5 s`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  await admin.query(`CREATE DATABASE ${target}`);
  const src = adminUrl(url, source);
  const dst = adminUrl(url, target);
  console.log(`[${label}] copying ${source} with pg_dump | pg_restore (someone is connected to it)`);
  await new Promise<void>((resolve, reject) => {
    const dump = spawn('pg_dump', ['-Fc', '-d', src], { stdio: ['ignore', 'pipe', 'inherit'] });
    const restore = spawn('pg_restore', ['--no-owner', '-d', dst], { stdio: ['pipe', 'inherit', 'inherit'] });
    dump.stdout.pipe(restore.stdin);
    let left = 2;
    const done = (who: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${who} exited with ${code}`));
      else if (--left === 0) resolve();
    };
    dump.on('close', done('pg_dump'));
    restore.on('close', done('pg_restore'));
  });
  return { method: `pg_dump -Fc ${source} | pg_restore -d ${target}`, seconds: (Date.now() - t0) / 1000, connected };
}

/** Migrates the database, seeds it with 200,000 cases if it has no district yet (once), and counts its cases. */
export async function migratedAndSeeded(db: pg.ClientBase): Promise<number> {
  await migrate(db);
  if ((await db.query('SELECT NOT EXISTS (SELECT 1 FROM streets) AS empty')).rows[0].empty) {
    console.log('[bench] seeding the database (once)…');
    await runSeed(db, { cases: 200_000, log: (m) => console.log(`[seed] ${m}`) });
  }
  return Number((await db.query('SELECT count(*) FROM cases')).rows[0].count);
}

/** A benchmark's own database, empty and migrated (dropped first if a run left it); `drop` removes it. */
export async function freshMigratedDatabase(name: string): Promise<{ url: string; db: pg.Client; drop: () => Promise<void> }> {
  const server = await ensureServer();
  const admin = new pg.Client({ connectionString: adminUrl(server.url) });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = adminUrl(server.url, name);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await migrate(db);
  return {
    url, db,
    drop: async () => {
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
