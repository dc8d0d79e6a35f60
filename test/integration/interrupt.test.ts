// Killed half-way — the import CLI, the server while an import job runs, the seed — nothing partial stays:
// every table keeps exactly its rows, no table, index, constraint or trigger changes, no backend, lock or
// temporary table stays behind, and the next run succeeds. Real processes, killed with SIGKILL at a moment
// the database shows them writing inside their open transaction.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedNetworkGeoJson } from '../../bench/network-file.ts';
import { adminUrl, repoRoot } from '../../scripts/db.ts';
import { needsSeed } from '../../scripts/seed-when-empty.ts';
import { createUser } from '../../server/auth/users.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { anyFreePort as freePort } from '../../server/ports.ts';

/** Pipes in the big survey file: ~10 MB of GeoJSON, a few seconds to import, ~2 s of them writing. */
const PIPES = 20_000;
const SEED_CASES = 2_000;
/** Each test takes ~20–45 s on a quiet 2-core machine; the limit allows for one shared with other jobs. */
const TEST_MS = 300_000;
/** How soon the backends of a killed process must be gone (a 1 s check, and room for a loaded machine). */
const BACKEND_GONE_MS = 10_000;

// ---------------------------------------------------------------------------------------------------------
// Child processes

const children = new Set<Child>();

class Child {
  out = '';
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly proc: ChildProcess;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  /** `node --import tsx SCRIPT ARGS` from the checkout: the pid is that of the script itself (no npx in between). */
  constructor(readonly label: string, script: string, args: string[], env: Record<string, string>) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [this.proc.stdout!, this.proc.stderr!]) s.on('data', (b: Buffer) => { this.out += b.toString(); });
    this.proc.on('exit', (code, signal) => { this.exit = { code, signal }; });
    this.ended = new Promise((resolve) => this.proc.on('close', (code, signal) => resolve({ code, signal })));
    children.add(this);
    void this.ended.then(() => children.delete(this));
  }

  get pid(): number { return this.proc.pid!; }
  get running(): boolean { return this.exit === null && this.proc.exitCode === null && this.proc.signalCode === null; }
  kill(signal: NodeJS.Signals = 'SIGKILL'): void { if (this.running) this.proc.kill(signal); }
  tail(): string { return `--- ${this.label} (pid ${this.pid}) output ---\n${this.out.slice(-3000)}`; }
}

afterAll(async () => {
  for (const c of children) c.kill();
  await Promise.all([...children].map((c) => c.ended));
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it gives a value; fails when `child` ends first or after `ms`. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms: number, child?: Child, every = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (child && !child.running) throw new Error(`waiting for ${what}: ${child.label} ended first\n${child.tail()}`);
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${child ? `\n${child.tail()}` : ''}`);
    await pause(every);
  }
}

// ---------------------------------------------------------------------------------------------------------
// What the database holds

interface DbState {
  /** Every relation outside the system schemas (tables, indexes, sequences, views), with its kind. */
  relations: string[];
  constraints: string[];
  /** Triggers with their enabled state (the seed disables some for a while, in its transaction). */
  triggers: string[];
  /** Exact row count of every table. */
  rows: Record<string, number>;
}

async function dbState(c: pg.Client): Promise<DbState> {
  const rels = (await c.query<{ schema: string; name: string; kind: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
     ORDER BY 1, 2`)).rows;
  const tables = rels.filter((r) => r.kind === 'r' || r.kind === 'p');
  const counts = (await c.query<{ t: string; n: string }>(
    tables.map((t) => `SELECT ${pg.escapeLiteral(`${t.schema}.${t.name}`)} AS t, count(*) AS n FROM ${pg.escapeIdentifier(t.schema)}.${pg.escapeIdentifier(t.name)}`).join(' UNION ALL '))).rows;
  const constraints = (await c.query<{ d: string }>(
    `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
     WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) ORDER BY 1`)).rows;
  const triggers = (await c.query<{ d: string }>(
    `SELECT tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text AS d FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`)).rows;
  return {
    relations: rels.map((r) => `${r.schema}.${r.name} (${r.kind})`),
    constraints: constraints.map((r) => r.d),
    triggers: triggers.map((r) => r.d),
    rows: Object.fromEntries(counts.map((r) => [r.t, Number(r.n)])),
  };
}

/** The same rows in every table and the same tables, indexes, constraints and triggers. */
function expectSameState(after: DbState, before: DbState): void {
  // The request's own rate-limit counter (shared by the instances, limits/shared-rate-store.ts) is not data.
  const data = (rows: Record<string, number>) => Object.fromEntries(Object.entries(rows).filter(([t]) => t !== 'public.rate_limits'));
  expect(data(after.rows), 'rows per table').toEqual(data(before.rows));
  expect(after.relations, 'relations').toEqual(before.relations);
  expect(after.constraints, 'constraints').toEqual(before.constraints);
  expect(after.triggers, 'triggers').toEqual(before.triggers);
}

/** Client backends on this database other than `c` itself. */
async function otherBackends(c: pg.Client) {
  return (await c.query<{ pid: number; app: string; state: string; xid: string | null; query: string }>(
    `SELECT pid, application_name AS app, state, backend_xid::text AS xid, left(query, 60) AS query FROM pg_stat_activity
     WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`)).rows;
}

/**
 * Waits until the killed process's backends are gone (a backend finds its client gone when it next talks to
 * it, or at its next connection check), then checks that nothing of theirs is left: no backend at all (so
 * none idle in transaction), no lock held by anyone else, no prepared transaction, no temporary table.
 * Returns how long the backends took to go.
 */
async function expectNoBackendLeft(c: pg.Client): Promise<number> {
  const t0 = Date.now();
  await until('the killed process\'s backends to end', async () => (await otherBackends(c)).length === 0, 90_000);
  const took = Date.now() - t0;
  // They check for their client every second while they run (server/db/client-check.ts) rather than finish
  // the statement they were in (the seed's candidate positions: ~10 s; minutes at 5.32 M cases).
  expect(took).toBeLessThan(BACKEND_GONE_MS);
  const { rows: [r] } = await c.query<{ locks: number; prepared: number; temp: number }>(
    `SELECT (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND a.backend_type = 'client backend' AND l.pid <> pg_backend_pid())::int AS locks,
            (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database())::int AS prepared,
            (SELECT count(*) FROM pg_class WHERE relpersistence = 't')::int AS temp`);
  expect(r).toEqual({ locks: 0, prepared: 0, temp: 0 });
  return took;
}

/** The backend of `app` inside its transaction (it has written: it has a transaction id) running one of `statements`. */
function writing(c: pg.Client, app: string, statement: RegExp) {
  return async () => (await otherBackends(c)).find((b) => b.app === app && b.xid !== null && b.state === 'active' && statement.test(b.query.trim()));
}

const IMPORT_TMP = /^onemap-import-(\d+)-/;
/** Temporary folders of the import reader left by the given processes. */
const importTmpOf = (pids: number[]) => readdirSync(os.tmpdir()).filter((f) => pids.includes(Number(IMPORT_TMP.exec(f)?.[1])));

const timings: Record<string, string> = {};
afterAll(() => { console.log(`[interrupt] ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join('; ')}`); });
const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------------------
// Imports: the CLI killed, then the server killed during a job (one database, a copy of the seeded template)

describe('an import killed half-way leaves nothing, and the next run succeeds', () => {
  let db: TestDatabase;
  let c: pg.Client;
  let dir: string;
  let file: string;
  let body: Buffer;

  beforeAll(async () => {
    const t0 = Date.now();
    db = await createTestDatabase();
    c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      body = await seedNetworkGeoJson(pool, PIPES);
    } finally {
      await pool.end();
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-interrupt-'));
    file = path.join(dir, 'survey.geojson');
    writeFileSync(file, body);
    timings['import setup'] = since(t0);
  });

  afterAll(async () => {
    for (const ch of children) ch.kill();
    await Promise.all([...children].map((ch) => ch.ended));
    await c?.end();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const importCli = (app: string) => new Child(`import (${app})`, 'scripts/import.ts', [file, '--tolerance', '0.05'], { DATABASE_URL: db.url, PGAPPNAME: app });

  it('`npm run import` killed while reading and while writing; the same import then writes the whole network', async () => {
    const before = await dbState(c);
    expect(before.rows['public.pipes']).toBeGreaterThan(PIPES);

    // 1. Killed while GDAL reads the file: the upload's temporary copy must not stay in the temp folder.
    let t0 = Date.now();
    const reader = importCli('onemap-interrupt-read');
    await until('the import to be reading', () => reader.out.includes('reading') && importTmpOf([reader.pid]).length > 0, 60_000, reader);
    reader.kill();
    expect((await reader.ended).signal).toBe('SIGKILL');
    timings['import killed reading'] = since(t0);

    // 2. Killed while it inserts the manholes and pipes in its transaction.
    t0 = Date.now();
    const writer = importCli('onemap-interrupt-write');
    const backend = await until('the import to be writing', writing(c, 'onemap-interrupt-write', /^INSERT INTO pipes\b/), 90_000, writer);
    writer.kill();
    const end = await writer.ended;
    expect(end.signal, writer.tail()).toBe('SIGKILL');
    expect(writer.out).toMatch(/writing/);
    expect(writer.out).not.toMatch(/written in|done/);
    timings['import killed writing'] = `${since(t0)} (in "${backend.query.slice(0, 20)}…")`;
    timings['import backend gone after'] = `${await expectNoBackendLeft(c)} ms`;

    expectSameState(await dbState(c), before);
    // The next import swept the folder the killed reader left.
    expect(importTmpOf([reader.pid, writer.pid])).toEqual([]);

    // 3. The same import again, to the end.
    t0 = Date.now();
    const again = importCli('onemap-interrupt-again');
    const ok = await again.ended;
    expect(ok.code, again.tail()).toBe(0);
    const m = /import (\d+): (\d+) pipes and (\d+) manholes written/.exec(again.out);
    expect(m, again.tail()).not.toBeNull();
    const [, id, pipes, manholes] = m!.map(Number);
    expect(pipes).toBe(PIPES);
    timings['import rerun'] = since(t0);
    const done = await dbState(c);
    expect(done.rows['public.pipes']).toBe(before.rows['public.pipes'] + PIPES);
    expect(done.rows['public.manholes']).toBe(before.rows['public.manholes'] + manholes);
    expect(done.rows['public.imports']).toBe(before.rows['public.imports'] + 1);
    const { rows: [own] } = await c.query(`SELECT (SELECT count(*) FROM pipes WHERE import_id = $1)::int AS pipes, (SELECT count(*) FROM manholes WHERE import_id = $1)::int AS manholes`, [id]);
    expect(own).toEqual({ pipes: PIPES, manholes });
  }, TEST_MS);

  it('the server killed while an import job writes: nothing stays, the job does not stay "running", a new import succeeds', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // `npm start` on the test database (already seeded: it migrates, finds the city there, and listens).
    const startServer = async (label: string) => {
      const t0 = Date.now();
      const s = new Child(label, 'scripts/start.ts', [], { DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG: '0' });
      await until('the server to listen', () => /is running: http/.test(s.out), 120_000, s);
      timings[`${label} start`] = since(t0);
      return s;
    };

    let server = await startServer('server');
    const username = `t-planner-interrupt-${process.pid}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await createUser(c, { username, password, role: 'planner' });
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(login.status).toBe(200);
    const headers = { authorization: `Bearer ${(await login.json() as { token: string }).token}` };
    const post = () => fetch(`${base}/api/imports?filename=survey.geojson&tolerance_m=0.05`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) });
    const job = async (status: string) => {
      const res = await fetch(base + status, { headers });
      return { status: res.status, json: await res.json() as { state?: string; stage?: string; error?: string; message?: string; import?: { id: number; report: { written: { pipes: number; manholes: number } } } } };
    };

    // The test above imported this very file: sent again, it would replace that import (network-write.ts),
    // updating its pipes instead of inserting them. This test is about a fresh import being killed.
    await c.query('DELETE FROM imports');
    const before = await dbState(c);
    const t0 = Date.now();
    const accepted = await post();
    expect(accepted.status).toBe(202);
    const { status } = await accepted.json() as { status: string };
    // The server's pool names its connections itself; nobody else uses this database.
    await until('the job to be writing', writing(c, 'wuchang-onemap', /^INSERT INTO pipes\b/), 120_000, server);
    const seen = await job(status);
    expect(seen.json.state).toBe('running');
    server.kill();
    expect((await server.ended).signal, server.tail()).toBe('SIGKILL');
    timings['server killed writing'] = since(t0);
    timings['server backends gone after'] = `${await expectNoBackendLeft(c)} ms`;
    // Nothing of the import; only the job's own row, which says it was running.
    const killed = await dbState(c);
    expect(killed.rows['public.import_jobs']).toBe(before.rows['public.import_jobs'] + 1);
    expectSameState(killed, { ...before, rows: { ...before.rows, 'public.import_jobs': killed.rows['public.import_jobs'] } });

    // Started again: the job of the dead process is not "running" (nor queued) for ever, and says what became of it.
    server = await startServer('server again');
    const stale = await job(status);
    expect(stale.status).toBe(200);
    expect(stale.json.state).toBe('failed');
    expect(stale.json.error).toMatch(/stopped before it finished; nothing was written/);

    // And a new import runs to the end.
    const t1 = Date.now();
    const res = await post();
    expect(res.status).toBe(202);
    const next = (await res.json() as { status: string }).status;
    const finished = await until('the new job to end', async () => {
      const j = await job(next);
      return j.json.state === 'done' || j.json.state === 'failed' ? j.json : null;
    }, 120_000, server, 100);
    expect(finished.state, finished.error).toBe('done');
    expect(finished.import!.report.written.pipes).toBe(PIPES);
    timings['server import after restart'] = since(t1);
    const done = await dbState(c);
    expect(done.rows['public.pipes']).toBe(before.rows['public.pipes'] + PIPES);
    expect(done.rows['public.manholes']).toBe(before.rows['public.manholes'] + finished.import!.report.written.manholes);
    expect(done.rows['public.imports']).toBe(before.rows['public.imports'] + 1);
    server.kill('SIGTERM');
    await server.ended;
  }, TEST_MS);
});

// ---------------------------------------------------------------------------------------------------------
// The seed, killed on an empty database

describe('a seed killed half-way leaves an empty database, which the next start seeds', () => {
  const base = inject('databaseUrl');
  const name = `wuchang_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = adminUrl(base, name);
  let c: pg.Client;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl(base) });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    c = new pg.Client({ connectionString: url });
    await c.connect();
    await migrate(c);
  });

  afterAll(async () => {
    for (const ch of children) ch.kill();
    await Promise.all([...children].map((ch) => ch.ended));
    await c?.end();
    const admin = new pg.Client({ connectionString: adminUrl(base) });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  const seedCli = (app: string) => new Child(`seed (${app})`, 'scripts/seed.ts', ['--cases', String(SEED_CASES)], { DATABASE_URL: url, PGAPPNAME: app });
  const SYNTHETIC = ['streets', 'communities', 'grids', 'roads', 'water', 'labels', 'manholes', 'pipes', 'facilities', 'hazards', 'misconnections',
    'inspections', 'cameras', 'sensor_stations', 'observations', 'vehicles', 'vehicle_positions', 'cases', 'case_transitions', 'case_cell_totals', 'pipe_condition'];

  it('`npm run seed` killed after half its steps: no synthetic row, no table or index changed; recognised as empty; the next seed completes', async () => {
    const before = await dbState(c);
    for (const t of SYNTHETIC) expect(before.rows[`public.${t}`], t).toBe(0);
    expect(await needsSeed(c)).toBe(true);

    let t0 = Date.now();
    const seed = seedCli('onemap-interrupt-seed');
    // Past the network, cameras, sensors and the hazards, in the middle of a long statement of the cases step
    // (the candidate positions): a lot written, nothing committed.
    await until('the seed to reach its cases', () => /\[seed\] misconnections/.test(seed.out), 120_000, seed);
    const backend = await until('the seed\'s long statement', writing(c, 'onemap-interrupt-seed', /^CREATE TEMP TABLE seed_cand\b/), 60_000, seed);
    const { rows: [seen] } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM streets`);
    expect(seen.n).toBe(0); // its rows are not visible: not committed
    seed.kill();
    const end = await seed.ended;
    expect(end.signal, seed.tail()).toBe('SIGKILL');
    expect(seed.out).not.toMatch(/\[seed\] done/);
    timings['seed killed'] = `${since(t0)} (in "${backend.query.slice(0, 30)}…")`;
    timings['seed backend gone after'] = `${await expectNoBackendLeft(c)} ms`;

    expectSameState(await dbState(c), before);
    expect(await needsSeed(c)).toBe(true);

    t0 = Date.now();
    const again = seedCli('onemap-interrupt-seed-again');
    const ok = await again.ended;
    expect(ok.code, again.tail()).toBe(0);
    timings['seed rerun'] = since(t0);
    const full = await dbState(c);
    const n = (t: string) => full.rows[`public.${t}`];
    expect({ streets: n('streets'), grids: n('grids'), hazards: n('hazards'), misconnections: n('misconnections'), cameras: n('cameras'), vehicles: n('vehicles'), cases: n('cases') })
      .toEqual({ streets: 14, grids: 1367, hazards: 831, misconnections: 2632, cameras: 8000, vehicles: 120, cases: SEED_CASES });
    for (const t of SYNTHETIC) expect(n(t), t).toBeGreaterThan(0);
    // A completed seed puts its history into day partitions of their own (history_ensure): new tables by
    // design, with their indexes and constraints; everything else is as before.
    const notDay = (xs: string[]) => xs.filter((x) => !/^(public\.)?(observations|vehicle_positions|track_points|live_events)_\d{8}[_ ]/.test(x));
    expect(notDay(full.relations)).toEqual(before.relations);
    expect(notDay(full.constraints)).toEqual(before.constraints);
    expect(full.triggers).toEqual(before.triggers);
    expect(await needsSeed(c)).toBe(false);
  }, TEST_MS);
});
