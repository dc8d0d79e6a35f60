// `npm run bench -- load [--clients 200] [--duration 60] [--warmup 5] [--no-fault | --only-fault]
// [--fault-at 20] [--down 5]` (`--cluster`: bench/load-cluster.ts, against `npm run cluster`): the server under a mixed load — vector tiles, spatial queries, search,
// case lists, case details and case reports — from 200 closed-loop clients over loopback, then the same
// load while the database is stopped for a few seconds and started again (pg_ctl stop -m fast … start).
//
// The database is a PostgreSQL cluster of the benchmark's own (restarting the shared development cluster
// would break everyone else's tests): initdb'd once in /var/lib/postgresql/wuchang-onemap/load-bench,
// loaded from the development database `wuchang` (pg_dump → pg_restore, scripts/backup.ts), reused on later
// runs, stopped at the end. The server is a child process (bench/load-server.ts) that trusts
// X-Forwarded-For, and the load generator another (bench/load-client.ts): each simulated client has its
// own connection and address, as behind a proxy, so the per-address write limit applies per client.
//
// Reported: req/s and p50/p95/p99 per kind, answers other than 2xx per kind; for the outage: the 503s
// (with Retry-After), any other 5xx, whether the server process lived, the time from the database
// accepting connections again to the first 200 and to every kind answering 200, and whether every
// acknowledged case report is in the database afterwards (and no refused one half-exists).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, CLUSTERS_DIR, ensureCluster, ensureServer, postgresOwnedDir, repoRoot, runningPort, startCluster, stopCluster } from '../scripts/db.ts';
import { backup, restore } from '../scripts/backup.ts';
import { createUser, type Role } from '../server/auth/users.ts';
import { migrate } from '../server/db/migrate.ts';
import { tilesCovering } from '../server/tiles/tilemath.ts';
import type { ServerStats } from './load-server.ts';
import { KINDS, type ClientSpec, type Kind, type LoadConfig, type LoadOutput, type ReportRecord } from './load-client.ts';
import { arg, loadAverage, machine, points, pointsInGrids, writeResults } from './shared.ts';
import { percentile } from './stats.ts';
import { processAlive } from '../server/process-alive.ts';

const CLUSTER_DIR = `${CLUSTERS_DIR}/load-bench`;
/** The benchmark cluster's ports are looked for from here (the development cluster is on 54329 and up). */
const FIRST_PORT = 54400;
const DB = 'wuchang';
const PASSWORD = 'bench-load-pw-2026';
const SEED = 42;

/** Share of each kind in a writer's requests (field workers and dispatchers); others do not report cases. */
const WEIGHTS: Record<Kind, number> = { tile: 50, nearest: 7, 'grids/at': 6, items: 6, search: 5, 'cases.list': 10, 'cases.detail': 8, 'cases.report': 8 };
/** Client i's role is ROLE_CYCLE[i % 10]: 30 % field workers, 20 % dispatchers, 30 % planners, 20 % commanders. */
const ROLE_CYCLE: Role[] = ['field', 'field', 'field', 'dispatcher', 'dispatcher', 'planner', 'planner', 'planner', 'commander', 'commander'];
const LAYER_WEIGHTS: Record<string, number> = { basemap: 3, pipes: 2, cases: 2, grids: 1.5, manholes: 1, cameras: 1, hazards: 0.5, sensors: 0.5, facilities: 0.5, misconnections: 0.3 };
/** Map views: zoom shares, how many views there are, their popularity (Zipf) and the tiles each shows. */
const ZOOM_WEIGHTS: [number, number][] = [[12, 10], [13, 20], [14, 30], [15, 25], [16, 15]];
const VIEWS = 1000;
const ZIPF = 1.1;
const VIEW_SIZE = { cols: 3, rows: 2 };

const LABELS: Record<Kind, string> = {
  tile: 'tile (/tiles/{layer}/{z}/{x}/{y}.mvt)', nearest: 'query: /api/query/nearest', 'grids/at': 'query: /api/grids/at',
  items: 'query: /api/collections/{c}/items?bbox', search: 'query: /api/search', 'cases.list': 'cases: list (GET /api/cases?filters)',
  'cases.detail': 'cases: detail (GET /api/cases/{id})', 'cases.report': 'cases: report (POST /api/cases)',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const r1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

// ---------------------------------------------------------------------------------------------------
// The benchmark's own database

interface BenchDb { dir: string; port: number; url: string; loaded: 'reused' | string }

/** The benchmark cluster, running, with `wuchang` loaded from the development database (once) and migrated. */
async function benchDatabase(): Promise<BenchDb> {
  const dir = postgresOwnedDir(CLUSTER_DIR);
  const info = await ensureCluster(dir, { firstPort: FIRST_PORT, database: 'postgres' });
  const admin = new pg.Client({ connectionString: info.url });
  await admin.connect();
  const present = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount;
  await admin.end();
  let loaded: BenchDb['loaded'] = 'reused';
  if (!present) {
    // restore() goes through a staging database and renames it at the end: `wuchang` exists only complete.
    const dev = adminUrl((await ensureServer()).url, DB);
    const file = path.join(os.tmpdir(), `onemap-load-bench-${process.pid}.dump`);
    const t0 = Date.now();
    console.log(`[load] loading the benchmark cluster from the development database (${dev.replace(/\/\/[^@]*@/, '//')}): pg_dump → pg_restore, once…`);
    try {
      backup(dev, file);
      await restore(info.url, DB, file);
    } finally {
      rmSync(file, { force: true });
    }
    loaded = `pg_dump of the development database restored in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
  }
  const url = adminUrl(info.url, DB);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await migrate(db);
  } finally {
    await db.end();
  }
  return { dir, port: Number(new URL(info.url).port), url, loaded };
}

/** Removes what earlier runs wrote (their case reports and sessions), so every run starts from the same data. */
export async function cleanUp(db: pg.Client): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM cases WHERE reporter LIKE 'load-%'`);
  await db.query(`DELETE FROM audit_log WHERE actor LIKE 'load-%'`);
  await db.query(`DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username LIKE 'load-%')`);
  return rowCount ?? 0;
}

// ---------------------------------------------------------------------------------------------------
// What the clients ask for

interface Account { username: string; role: Role; street?: string }

async function accounts(db: pg.Client, streets: string[]): Promise<Account[]> {
  const list: Account[] = [
    ...streets.map((street, i) => ({ username: `load-field-${String(i + 1).padStart(2, '0')}`, role: 'field' as Role, street })),
    ...[1, 2, 3, 4].map((i) => ({ username: `load-dispatcher-${i}`, role: 'dispatcher' as Role })),
    ...[1, 2, 3, 4].map((i) => ({ username: `load-planner-${i}`, role: 'planner' as Role })),
    ...[1, 2].map((i) => ({ username: `load-commander-${i}`, role: 'commander' as Role })),
  ];
  const { rows } = await db.query<{ username: string }>(`SELECT username FROM users WHERE username LIKE 'load-%'`);
  const have = new Set(rows.map((r) => r.username));
  for (const a of list) if (!have.has(a.username)) await createUser(db, { username: a.username, password: PASSWORD, role: a.role, grids: a.street ? [a.street] : [] });
  return list;
}

/** Logs every account in through the API (each from its own address: the login limit is per address). */
async function login(base: string, list: Account[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  await Promise.all(list.map(async (a, i) => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.99.${Math.floor(i / 200)}.${(i % 200) + 1}` },
      body: JSON.stringify({ username: a.username, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login as ${a.username} failed: ${res.status} ${await res.text()}`);
    tokens.set(a.username, ((await res.json()) as { token: string }).token);
  }));
  return tokens;
}

export interface Workload {
  streets: string[];
  accounts: Account[];
  pools: Record<string, string[]>;
  views: LoadConfig['views'];
  report: LoadConfig['report'];
  describe: Record<string, string>;
}

export async function workload(db: pg.Client): Promise<Workload> {
  const q = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => (await db.query<R>(sql, values)).rows;
  const streets = (await q<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY code'));
  const communities = await q<{ code: string; name: string }>('SELECT code, name FROM communities ORDER BY md5(code) LIMIT 40');
  const grids = await q<{ code: string }>('SELECT code FROM grids ORDER BY md5(code) LIMIT 20');
  const caseNos = await q<{ case_no: string }>('SELECT case_no FROM cases ORDER BY md5(id::text) LIMIT 20');
  const facilities = await q<{ name: string }>('SELECT name FROM facilities ORDER BY md5(id::text) LIMIT 10');
  const cameras = await q<{ name: string }>('SELECT name FROM cameras ORDER BY md5(id::text) LIMIT 10');
  const caseIds = (await q<{ id: string }>(`SELECT id FROM cases WHERE coalesce(reporter, '') NOT LIKE 'load-%' ORDER BY md5(id::text) LIMIT 3000`)).map((r) => r.id);
  const pageIds = caseIds.slice(0, 10);
  const items = (await q<{ code: string }>('SELECT code FROM case_items ORDER BY code')).map((r) => r.code);
  const pts = await pointsInGrids(db, 500);
  const bbox = ([x, y]: [number, number], d: number) => [x - d, y - d, x + d, y + d].map((v) => v.toFixed(5)).join(',');
  const enc = encodeURIComponent;
  const month = new Date(Date.now() - 30 * 86400_000).toISOString();

  const list = [
    '/api/cases?limit=50',
    '/api/cases?mine=true&limit=50',
    '/api/cases?overdue=true&limit=50',
    '/api/cases?class=event&status=reported,accepted,verified&limit=50',
    `/api/cases?from=${enc(month)}&limit=50`,
    ...streets.map((s) => `/api/cases?street=${s.code}&status=dispatched,in_progress&limit=50`),
    ...streets.slice(0, 7).map((s) => `/api/cases?street=${s.code}&source=citizen&limit=20`),
    ...communities.slice(0, 10).map((c) => `/api/cases?community=${c.code}&status=closed&limit=50`),
    ...pageIds.map((id) => `/api/cases?before_id=${id}&limit=50`),
  ];
  const pools: Record<string, string[]> = {
    nearest: pts.flatMap(([x, y], i) => {
      const layers = ['manholes,cameras', 'pipes', 'cases', 'sensors,facilities'][i % 4];
      return [`/api/query/nearest?lon=${x}&lat=${y}&layers=${layers}&k=5`];
    }),
    'grids/at': pts.map(([x, y]) => `/api/grids/at?lon=${x}&lat=${y}`),
    items: pts.map((p, i) => {
      const [c, limit, d] = ([['cases', 100, 0.005], ['manholes', 100, 0.004], ['pipes', 50, 0.003], ['cameras', 50, 0.005]] as const)[i % 4];
      return `/api/collections/${c}/items?limit=${limit}&bbox=${bbox(p, d)}`;
    }),
    search: [
      ...streets.map((s) => s.name), ...streets.map((s) => s.name.slice(0, 2)), ...communities.map((c) => c.name.slice(0, 3)),
      ...grids.map((g) => g.code.slice(0, 12)), ...caseNos.map((c) => c.case_no), ...caseNos.map((c) => c.case_no.slice(0, 10)),
      ...facilities.map((f) => f.name), ...cameras.map((c) => c.name.slice(0, 4)),
    ].map((term) => `/api/search?q=${enc(term)}&limit=10`),
    'cases.list': list,
    'cases.detail': caseIds.map((id) => `/api/cases/${id}`),
  };
  // A field worker reads the cases of their street.
  for (const s of streets) {
    const ids = (await q<{ id: string }>(`SELECT id FROM cases WHERE street_code = $1 AND coalesce(reporter, '') NOT LIKE 'load-%' ORDER BY md5(id::text) LIMIT 200`, [s.code])).map((r) => r.id);
    pools[`cases.detail.${s.code}`] = ids.map((id) => `/api/cases/${id}`);
  }

  // Map views: places over the district (a Halton spread), each at a zoom; ranked, the first the most popular.
  const zoomCdf: number[] = [];
  let acc = 0;
  const zTotal = ZOOM_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  for (const [, w] of ZOOM_WEIGHTS) zoomCdf.push((acc += w / zTotal));
  const views = points(VIEWS).map(([lon, lat], r) => {
    const u = ((r * 0.6180339887) % 1); // golden-ratio sequence: zooms spread evenly over the ranks
    const z = ZOOM_WEIGHTS[zoomCdf.findIndex((c) => u < c)][0];
    const t = tilesCovering([lon, lat, lon, lat], z)[0];
    return { z, x: t.x - Math.floor(VIEW_SIZE.cols / 2), y: t.y - Math.floor(VIEW_SIZE.rows / 2) };
  });
  const distinctViews = new Set(views.map((v) => `${v.z}/${v.x}/${v.y}`)).size;
  return {
    streets: streets.map((s) => s.code),
    accounts: await accounts(db, streets.map((s) => s.code)),
    pools, views,
    report: { points: pts, items },
    describe: {
      tiles: `${VIEWS} map views (${distinctViews} distinct) at zooms ${ZOOM_WEIGHTS.map(([z, w]) => `${z} (${w} %)`).join(', ')} over the district, each ${VIEW_SIZE.cols}×${VIEW_SIZE.rows} tiles, popularity Zipf s = ${ZIPF} by rank; layer by weight (${Object.entries(LAYER_WEIGHTS).map(([l, w]) => `${l} ${w}`).join(', ')}) within its zoom range; Accept-Encoding: br, gzip`,
      nearest: `${pools.nearest.length} points inside unit grids, k = 5, layers manholes,cameras / pipes / cases / sensors,facilities in turn`,
      'grids/at': `${pools['grids/at'].length} points inside unit grids`,
      items: 'bbox pages around the same points: cases (~1 km, limit 100), manholes (~800 m, limit 100), pipes (~600 m, limit 50), cameras (~1 km, limit 50)',
      search: `${pools.search.length} terms: street and community names (whole and first characters), grid-code prefixes, case numbers (whole and prefix), facility and camera names`,
      'cases.list': `${list.length} filter combinations (status, street, community, class, source, overdue, mine, from, before_id paging), limit 20–50; field workers see only their street`,
      'cases.detail': `${caseIds.length} random cases (field workers: 200 of their street's)`,
      'cases.report': `${items.length} items at ${pts.length} positions inside unit grids, a new client_id (UUID) each; field workers re-send a report refused with 503 (same client_id) after Retry-After, dispatchers do not`,
    },
  };
}

function clientSpecs(n: number, w: Workload, tokens: Map<string, string>): ClientSpec[] {
  const byRole = (role: Role) => w.accounts.filter((a) => a.role === role);
  const seen: Partial<Record<Role, number>> = {};
  return Array.from({ length: n }, (_, i) => {
    const role = ROLE_CYCLE[i % ROLE_CYCLE.length];
    const mine = byRole(role);
    const account = mine[(seen[role] = (seen[role] ?? -1) + 1) % mine.length];
    const writer = role === 'field' || role === 'dispatcher';
    return {
      ip: `10.77.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`,
      role, token: tokens.get(account.username)!,
      weights: { ...WEIGHTS, 'cases.report': writer ? WEIGHTS['cases.report'] : 0 },
      listPool: 'cases.list',
      detailPool: account.street ? `cases.detail.${account.street}` : 'cases.detail',
      retryReports: role === 'field',
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// The server process

interface ServerProcess { child: ChildProcess; pid: number; url: string; out: string; errors: string[]; exited: { at: number; code: number | null; signal: string | null } | null }

async function startServer(dbUrl: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'load-server.ts')], {
    cwd: repoRoot, env: { ...process.env, DATABASE_URL: dbUrl }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server: ServerProcess = { child, pid: child.pid!, url: '', out: '', errors: [], exited: null };
  child.on('exit', (code, signal) => { server.exited = { at: Date.now(), code, signal }; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    server.errors.push(d);
    if (server.errors.length <= 20) process.stderr.write(d);
  });
  server.url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      server.out += d;
      const m = /listening (\S+)/.exec(server.out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${server.errors.join('').slice(-2000)}`)));
  });
  return server;
}

/** Stops the server (SIGTERM, then SIGKILL after 10 s); its own figures (bench/load-server.ts), if it printed them. */
async function stopServer(s: ServerProcess): Promise<ServerStats | null> {
  if (!s.exited) {
    const done = new Promise<void>((r) => s.child.once('exit', () => r()));
    s.child.kill('SIGTERM');
    await Promise.race([done, sleep(10_000)]);
    if (!s.exited) {
      s.child.kill('SIGKILL');
      await done;
    }
  }
  const line = s.out.split('\n').find((l) => l.startsWith('stats '));
  return line ? (JSON.parse(line.slice(6)) as ServerStats) : null;
}


/** The load generator's configuration for a run against `base`, its accounts logged in there; it starts in 1.5 s. */
export async function clientConfig(base: string, w: Workload, opt: { clients: number; warmupS: number; durationS: number }): Promise<LoadConfig> {
  const tokens = await login(base, w.accounts);
  const index = (await (await fetch(`${base}/tiles/index.json`)).json()) as { id: string; minzoom: number; maxzoom: number }[];
  return {
    base, startAt: Date.now() + 1500, warmupS: opt.warmupS, durationS: opt.durationS, seed: SEED,
    out: path.join(os.tmpdir(), `onemap-load-out-${process.pid}-${Date.now()}.json`),
    clients: clientSpecs(opt.clients, w, tokens), pools: w.pools, views: w.views, viewSize: VIEW_SIZE, zipf: ZIPF,
    layers: index.map((l) => ({ id: l.id, weight: LAYER_WEIGHTS[l.id] ?? 0.3, minzoom: l.minzoom, maxzoom: l.maxzoom })),
    report: w.report,
  };
}

export function runClients(cfg: LoadConfig): Promise<LoadOutput> {
  const file = path.join(os.tmpdir(), `onemap-load-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(cfg));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'load-client.ts'), file], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`the load generator exited with ${code}`);
        resolve(JSON.parse(readFileSync(cfg.out, 'utf8')) as LoadOutput);
      } catch (err) {
        reject(err);
      } finally {
        rmSync(file, { force: true });
        rmSync(cfg.out, { force: true });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Where the machine's CPU went (the machine is shared: other work shows here)

/** Clock ticks of CPU time (user + system) per process, and the machine's busy and total ticks (Linux /proc). */
interface CpuSnapshot { procs: Map<number, { ppid: number; ticks: number }>; busy: number; total: number }

function cpuSnapshot(): CpuSnapshot | null {
  try {
    const procs = new Map<number, { ppid: number; ticks: number }>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
        procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      } catch { /* gone meanwhile */ }
    }
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { procs, busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * CPU used between two snapshots, in % of one core: the server, PostgreSQL (the benchmark cluster's
 * processes: children of its postmaster), the load generator, and the rest of the machine. Processes that
 * ended in between are missed (a restarted database's old backends); new ones count whole.
 */
function cpuBetween(a: CpuSnapshot | null, b: CpuSnapshot | null, pids: { server: number; postmasters: number[] }, clientCpuMs: number, cores: number) {
  if (!a || !b) return null;
  const seconds = (b.total - a.total) / cores / 100; // 100 ticks a second (USER_HZ)
  const used = (pid: number) => { const x = b.procs.get(pid); return x ? x.ticks - (a.procs.get(pid)?.ticks ?? 0) : 0; };
  const pg = [...b.procs.entries()].filter(([pid, x]) => pids.postmasters.includes(pid) || pids.postmasters.includes(x.ppid)).reduce((t, [pid]) => t + used(pid), 0);
  const pct = (ticks: number) => Math.round(ticks / seconds);
  const server = used(pids.server);
  const client = clientCpuMs / 10; // the load generator has exited by now: it measured itself
  const all = b.busy - a.busy;
  return { seconds: +seconds.toFixed(1), server: pct(server), postgres: pct(pg), loadGenerator: pct(client), rest: pct(all - server - pg - client), machine: pct(all), of: cores * 100 };
}

function postmasterPid(dir: string): number | null {
  try {
    return Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// The fault: the database stopped and started again while the load runs

interface Fault {
  /** Epoch ms. pg_ctl stop called / returned; pg_ctl start called / returned. */
  stopCalledAt: number;
  stopReturnedAt: number;
  startCalledAt: number;
  startReturnedAt: number;
  /** From the cluster's log: the shutdown request received, the database shut down, ready to accept connections again. */
  shutdownAt: number;
  downAt: number;
  readyAt: number;
  /** Our own probe: the first connection accepted and query answered after the start. */
  probeUpAt: number;
  /** The moment the database is taken to be back: the log's "ready to accept connections", else the probe. */
  upAt: number;
}

/** The time of the first line of the cluster's log after byte `from` that contains `text` (log lines start with a UTC timestamp). */
function logTime(dir: string, from: number, text: string): number | null {
  let log: Buffer;
  try {
    log = readFileSync(path.join(dir, 'server.log'));
  } catch {
    return null;
  }
  for (const line of log.subarray(from).toString('utf8').split('\n')) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) UTC /.exec(line);
    if (m && line.includes(text)) return Date.parse(`${m[1]}T${m[2]}Z`);
  }
  return null;
}

function logSize(dir: string): number {
  try {
    return statSync(path.join(dir, 'server.log')).size;
  } catch {
    return 0;
  }
}

async function restartDatabase(db: BenchDb, downS: number): Promise<Fault> {
  const logFrom = logSize(db.dir);
  const stopCalledAt = Date.now();
  await stopCluster(db.dir, 'fast');
  const stopReturnedAt = Date.now();
  console.log(`[load] database stopped (pg_ctl stop -m fast returned after ${stopReturnedAt - stopCalledAt} ms); starting it again in ${downS} s`);
  await sleep(downS * 1000);
  const startCalledAt = Date.now();
  let startReturnedAt = 0;
  let startFailed = false;
  const started = startCluster(db.dir, db.port).then(() => { startReturnedAt = Date.now(); }, (err) => { startFailed = true; throw err; });
  started.catch(() => {});
  // Our own check, independent of pg_ctl's polling: a new connection accepted and a query answered.
  let probeUpAt = 0;
  while (!probeUpAt && !startFailed && Date.now() - startCalledAt < 120_000) {
    const c = new pg.Client({ connectionString: db.url, connectionTimeoutMillis: 1000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('SELECT 1');
      probeUpAt = Date.now();
      await c.end();
    } catch {
      await sleep(20);
    }
  }
  await started;
  if (!probeUpAt) throw new Error('the benchmark database did not accept connections within 2 minutes of pg_ctl start');
  const readyAt = logTime(db.dir, logFrom, 'ready to accept connections');
  const fault: Fault = {
    stopCalledAt, stopReturnedAt, startCalledAt, startReturnedAt,
    shutdownAt: logTime(db.dir, logFrom, 'received fast shutdown request') ?? stopCalledAt,
    downAt: logTime(db.dir, logFrom, 'database system is shut down') ?? stopReturnedAt,
    readyAt: readyAt ?? probeUpAt, probeUpAt, upAt: readyAt ?? probeUpAt,
  };
  console.log(`[load] database ready again ${fault.readyAt - startCalledAt} ms after pg_ctl start (probe: ${probeUpAt - startCalledAt} ms); down ${((fault.upAt - fault.shutdownAt) / 1000).toFixed(1)} s in all`);
  return fault;
}

// ---------------------------------------------------------------------------------------------------
// Figures

export interface KindRow { kind: string; n: number; rps: number; p50: number | null; p95: number | null; p99: number | null; max: number | null; ok: number; statuses: Record<string, number> }

function rowFor(label: string, idx: number[], o: LoadOutput, seconds: number): KindRow {
  const ms = idx.map((i) => o.ms[i]);
  const statuses: Record<string, number> = {};
  for (const i of idx) statuses[o.status[i]] = (statuses[o.status[i]] ?? 0) + 1;
  const ok = idx.filter((i) => o.status[i] >= 200 && o.status[i] < 300).length;
  return {
    kind: label, n: idx.length, rps: Math.round((idx.length / seconds) * 10) / 10,
    p50: r1(percentile(ms, 50)), p95: r1(percentile(ms, 95)), p99: r1(percentile(ms, 99)), max: r1(percentile(ms, 100)), ok, statuses,
  };
}

export function perKind(o: LoadOutput, seconds: number): KindRow[] {
  const all = o.kind.map((_, i) => i);
  const rows = KINDS.map((k, ki) => rowFor(LABELS[k], all.filter((i) => o.kind[i] === ki), o, seconds));
  const tiles = all.filter((i) => o.kind[i] === 0);
  rows.splice(1, 0,
    rowFor('  of which first request of that tile (cache miss)', tiles.filter((i) => o.firstTile[i]), o, seconds),
    rowFor('  of which repeats (mostly cache hits)', tiles.filter((i) => !o.firstTile[i]), o, seconds));
  rows.push(rowFor('all', all, o, seconds));
  return rows;
}

export interface ReportCheck {
  sent: number;
  attempts: number;
  acknowledged: number;
  acknowledgedFound: number;
  lost: { client_id: string; id?: number }[];
  withoutReportedStep: number;
  refusedAttempts: number;
  refusedThenAcknowledged: number;
  /** A re-sent report answered 200 (the case existed): its earlier, refused attempt had committed after all. */
  committedDespiteRefusal: number;
  neverAcknowledged: number;
  neverAcknowledgedButPresent: string[];
  queuedAtEnd: number;
}

/** Every acknowledged report must be in the database (with its 'reported' step); a report never acknowledged must not be. */
export async function checkReports(db: pg.Client, reports: ReportRecord[], queuedAtEnd: number): Promise<ReportCheck> {
  const byCid = new Map<string, ReportRecord[]>();
  for (const r of reports) byCid.set(r.client_id, [...(byCid.get(r.client_id) ?? []), r]);
  const ok = (r: ReportRecord) => r.status === 200 || r.status === 201;
  const acked = [...byCid.entries()].filter(([, rs]) => rs.some(ok));
  const never = [...byCid.keys()].filter((cid) => !byCid.get(cid)!.some(ok));
  const { rows } = await db.query<{ client_id: string; id: string; reported: boolean }>(
    `SELECT c.client_id::text, c.id, EXISTS (SELECT 1 FROM case_transitions t WHERE t.case_id = c.id AND t.to_status = 'reported') AS reported
     FROM cases c WHERE c.client_id = ANY($1::uuid[])`, [[...byCid.keys()]]);
  const found = new Map(rows.map((r) => [r.client_id, r]));
  const lost: ReportCheck['lost'] = [];
  let withoutReportedStep = 0;
  for (const [cid, rs] of acked) {
    const row = found.get(cid);
    const id = rs.find(ok)!.id;
    if (!row || (id !== undefined && Number(row.id) !== id)) lost.push({ client_id: cid, id });
    else if (!row.reported) withoutReportedStep++;
  }
  const refused = (r: ReportRecord) => r.status === 503 || r.status === 0;
  return {
    sent: byCid.size,
    attempts: reports.length,
    acknowledged: acked.length,
    acknowledgedFound: acked.length - lost.length,
    lost,
    withoutReportedStep,
    refusedAttempts: reports.filter(refused).length,
    refusedThenAcknowledged: acked.filter(([, rs]) => rs.some(refused)).length,
    committedDespiteRefusal: acked.filter(([, rs]) => rs.some(refused) && rs.some((r) => r.status === 200)).length,
    neverAcknowledged: never.length,
    neverAcknowledgedButPresent: never.filter((cid) => found.has(cid)),
    queuedAtEnd,
  };
}

interface FaultFigures {
  /** Shutdown request → shut down, and shut down → ready again (the cluster's log); pg_ctl's own times. */
  shutdownMs: number;
  downS: number;
  /** From the shutdown request to the database accepting connections again. */
  outageS: number;
  pgCtl: { stopMs: number; startMs: number; probeAfterReadyMs: number };
  answers503: number;
  /** How long the 503s took (ms): quick refusals, not hangs. */
  latency503: { p50: number | null; p95: number | null; max: number | null };
  answers503WithoutRetryAfter: number;
  other5xx: number;
  noAnswer: number;
  /** Non-2xx answers by status during the outage window (stop → up + 5 s). */
  byStatus: Record<string, number>;
  firstErrorAfterStopMs: number | null;
  /** From the database accepting connections again. */
  firstOkAfterUpMs: number | null;
  allKindsOkAfterUpMs: number | null;
  lastErrorAfterUpMs: number | null;
  perKind: { kind: string; firstOkAfterUpMs: number | null; lastErrorAfterUpMs: number | null; answers503: number }[];
  timeline: { second: number; ok: number; s503: number; other: number }[];
  serverAlive: boolean;
  serverExit: ServerProcess['exited'];
}

function faultFigures(o: LoadOutput, f: Fault, server: ServerProcess, recordFrom: number): FaultFigures {
  const all = o.kind.map((_, i) => i);
  const end = (i: number) => o.start[i] + o.ms[i];
  const ok = (i: number) => o.status[i] >= 200 && o.status[i] < 400;
  const afterUp = all.filter((i) => end(i) >= f.upAt);
  const min = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Infinity);
  const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
  const firstOk = (idx: number[]) => { const t = idx.filter(ok).map(end); return t.length ? Math.round(min(t) - f.upAt) : null; };
  const lastErr = (idx: number[]) => { const t = idx.filter((i) => !ok(i)).map(end); return t.length ? Math.round(max(t) - f.upAt) : null; };
  const perKind = KINDS.map((k, ki) => {
    const mine = afterUp.filter((i) => o.kind[i] === ki);
    return { kind: LABELS[k], firstOkAfterUpMs: firstOk(mine), lastErrorAfterUpMs: lastErr(mine), answers503: all.filter((i) => o.kind[i] === ki && o.status[i] === 503).length };
  });
  const byStatus: Record<string, number> = {};
  for (const i of all) if (!ok(i) && end(i) >= f.stopCalledAt && end(i) <= f.upAt + 5000) byStatus[o.status[i]] = (byStatus[o.status[i]] ?? 0) + 1;
  const errorsAfterStop = all.filter((i) => !ok(i) && end(i) >= f.stopCalledAt).map(end);
  const firstOks = perKind.map((k) => k.firstOkAfterUpMs);
  const timeline: FaultFigures['timeline'] = [];
  const s0 = Math.floor((f.stopCalledAt - recordFrom) / 1000) - 3;
  const s1 = Math.ceil((f.upAt - recordFrom) / 1000) + 6;
  for (let s = s0; s <= s1; s++) {
    const idx = all.filter((i) => end(i) >= recordFrom + s * 1000 && end(i) < recordFrom + (s + 1) * 1000);
    timeline.push({ second: s, ok: idx.filter(ok).length, s503: idx.filter((i) => o.status[i] === 503).length, other: idx.filter((i) => !ok(i) && o.status[i] !== 503).length });
  }
  return {
    shutdownMs: f.downAt - f.shutdownAt,
    downS: +((f.readyAt - f.downAt) / 1000).toFixed(2),
    outageS: +((f.upAt - f.shutdownAt) / 1000).toFixed(2),
    pgCtl: { stopMs: f.stopReturnedAt - f.stopCalledAt, startMs: f.startReturnedAt - f.startCalledAt, probeAfterReadyMs: f.probeUpAt - f.readyAt },
    answers503: all.filter((i) => o.status[i] === 503).length,
    latency503: (() => { const ms = all.filter((i) => o.status[i] === 503).map((i) => o.ms[i]); return { p50: r1(percentile(ms, 50)), p95: r1(percentile(ms, 95)), max: r1(percentile(ms, 100)) }; })(),
    answers503WithoutRetryAfter: o.noRetryAfter,
    other5xx: all.filter((i) => o.status[i] >= 500 && o.status[i] !== 503).length,
    noAnswer: all.filter((i) => o.status[i] === 0).length,
    byStatus,
    firstErrorAfterStopMs: errorsAfterStop.length ? Math.round(min(errorsAfterStop) - f.shutdownAt) : null,
    firstOkAfterUpMs: firstOk(afterUp),
    allKindsOkAfterUpMs: firstOks.some((v) => v === null) ? null : Math.max(...(firstOks as number[])),
    lastErrorAfterUpMs: lastErr(afterUp),
    perKind,
    timeline,
    serverAlive: !server.exited && processAlive(server.pid),
    serverExit: server.exited,
  };
}

// ---------------------------------------------------------------------------------------------------
// One run

interface RunOptions { clients: number; durationS: number; warmupS: number; fault: { atS: number; downS: number } | null }

interface RunResult {
  label: string;
  clients: number;
  durationS: number;
  warmupS: number;
  loadAverageAfter: [number, number, number];
  /** CPU over the recorded run, % of one core (see cpuBetween). */
  cpu: ReturnType<typeof cpuBetween>;
  sent: number;
  rows: KindRow[];
  tileFirstShare: number;
  failures: Record<string, number>;
  reports: ReportCheck;
  serverErrors: string[];
  serverAlive: boolean;
  /** Answers completed per second of the recorded run: 2xx/3xx, 503, other. */
  perSecond: [number, number, number][];
  /** The server's own figures: event-loop delay (ms), the tile cache, and per second of the recorded run the longest loop delay and the pool's queue. */
  server: { loop: ServerStats['loop']; tileCache: ServerStats['tileCache']; feed: ServerStats['feed']; perSecond: { second: number; loopMaxMs: number; poolWaiting: number; poolTotal: number }[] } | null;
  /** The slowest answers: kind, start (s into the recorded run), duration, status. */
  slowest: { kind: Kind; startS: number; ms: number; status: number }[];
  fault?: FaultFigures & { atS: number; downSleepS: number };
}

async function runOnce(label: string, db: BenchDb, w: Workload, opt: RunOptions): Promise<RunResult> {
  console.log(`\n[load] ${label}: ${opt.clients} clients, ${opt.warmupS} s warm-up + ${opt.durationS} s${opt.fault ? `, the database stopped at ${opt.fault.atS} s for ${opt.fault.downS} s` : ''}`);
  const server = await startServer(db.url);
  try {
    const cfg = await clientConfig(server.url, w, opt);
    const { startAt } = cfg;
    const recordFrom = startAt + opt.warmupS * 1000;
    const load = runClients(cfg);
    const postmasters = [postmasterPid(db.dir)];
    let cpuFrom: CpuSnapshot | null = null;
    const snap = setTimeout(() => { cpuFrom = cpuSnapshot(); }, recordFrom - Date.now());
    let fault: Fault | null = null;
    if (opt.fault) {
      await sleep(recordFrom + opt.fault.atS * 1000 - Date.now());
      fault = await restartDatabase(db, opt.fault.downS);
    }
    const out = await load;
    const cpuTo = cpuSnapshot();
    clearTimeout(snap);
    postmasters.push(postmasterPid(db.dir));
    const cpu = cpuBetween(cpuFrom, cpuTo, { server: server.pid, postmasters: postmasters.filter((p): p is number => !!p) }, out.cpuMs, os.cpus().length);
    const loadAverageAfter = loadAverage();
    const faultFig = fault ? faultFigures(out, fault, server, recordFrom) : undefined;
    const serverAlive = !server.exited && processAlive(server.pid);
    const stats = await stopServer(server);
    const serverFigures: RunResult['server'] = stats && {
      loop: stats.loop, tileCache: stats.tileCache, feed: stats.feed,
      perSecond: stats.seconds.map((x) => ({ second: Math.floor((x.t - 1000 - recordFrom) / 1000), loopMaxMs: x.loopMaxMs, poolWaiting: x.poolWaiting, poolTotal: x.poolTotal }))
        .filter((x) => x.second >= 0 && x.second < opt.durationS),
    };
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    const reports = await checkReports(check, out.reports, out.queuedAtEnd);
    await check.end();
    const rows = perKind(out, opt.durationS);
    const perSecond: RunResult['perSecond'] = Array.from({ length: Math.ceil(opt.durationS) + 2 }, () => [0, 0, 0]);
    out.kind.forEach((_, i) => {
      const sec = perSecond[Math.max(0, Math.floor((out.start[i] + out.ms[i] - recordFrom) / 1000))];
      if (sec) sec[out.status[i] >= 200 && out.status[i] < 400 ? 0 : out.status[i] === 503 ? 1 : 2]++;
    });
    const slowest = out.kind.map((_, i) => i).sort((a, b) => out.ms[b] - out.ms[a]).slice(0, 5)
      .map((i) => ({ kind: KINDS[out.kind[i]], startS: +((out.start[i] - recordFrom) / 1000).toFixed(2), ms: Math.round(out.ms[i]), status: out.status[i] }));
    const tiles = out.kind.filter((k) => k === 0).length;
    const result: RunResult = {
      label, clients: opt.clients, durationS: opt.durationS, warmupS: opt.warmupS, loadAverageAfter, cpu, sent: out.sent, rows,
      tileFirstShare: tiles ? +(out.firstTile.reduce((a, b) => a + b, 0) / tiles).toFixed(3) : 0,
      failures: out.failures, reports, serverErrors: server.errors.join('').split('\n').filter((l) => l.startsWith('[load-server]')).slice(0, 50),
      serverAlive, perSecond, server: serverFigures, slowest, ...(faultFig ? { fault: { ...faultFig, atS: opt.fault!.atS, downSleepS: opt.fault!.downS } } : {}),
    };
    const all = rows.at(-1)!;
    console.log(`[load] ${label}: ${all.n} requests, ${all.rps} req/s, p50 ${all.p50} ms, p95 ${all.p95} ms, p99 ${all.p99} ms; non-2xx ${all.n - all.ok}; reports acknowledged ${reports.acknowledged}, lost ${reports.lost.length}`);
    if (faultFig) console.log(`[load] outage: ${faultFig.answers503} × 503, other 5xx ${faultFig.other5xx}, no answer ${faultFig.noAnswer}; first 200 ${faultFig.firstOkAfterUpMs} ms and every kind ${faultFig.allKindsOkAfterUpMs} ms after the database was back; server alive: ${faultFig.serverAlive}`);
    return result;
  } finally {
    await stopServer(server);
  }
}

// ---------------------------------------------------------------------------------------------------
// The report

const statusCols = (rows: KindRow[]) => [...new Set(rows.flatMap((r) => Object.keys(r.statuses)))].filter((s) => !(Number(s) >= 200 && Number(s) < 300)).sort();

function kindTable(r: RunResult): string {
  const cols = statusCols(r.rows);
  const head = `| kind | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | 2xx | errors (non-2xx) |${cols.map((c) => ` ${c === '0' ? 'no answer' : c} |`).join('')}\n|---|---|---|---|---|---|---|---|---|${cols.map(() => '---|').join('')}\n`;
  return head + r.rows.map((x) => `| ${x.kind === 'all' ? '**all**' : x.kind.replace(/^ {2}/, '↳ ')} | ${x.n} | ${x.rps} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.max} | ${x.ok} | ${x.n - x.ok} |${cols.map((c) => ` ${x.statuses[c] ?? 0} |`).join('')}`).join('\n');
}

function reportLines(c: ReportCheck): string {
  return `Case reports: ${c.sent} sent (${c.attempts} attempts), ${c.acknowledged} acknowledged (2xx); **${c.acknowledgedFound} of ${c.acknowledged} found in the database afterwards, ${c.lost.length} lost**` +
    `${c.withoutReportedStep ? `, ${c.withoutReportedStep} without their 'reported' step` : ''}. ` +
    `Refused attempts (503 or no answer): ${c.refusedAttempts}; reports acknowledged after a re-send: ${c.refusedThenAcknowledged} ` +
    `(of which ${c.committedDespiteRefusal} answered 200 "already there": the refused attempt had committed after all). ` +
    `Never acknowledged: ${c.neverAcknowledged} (${c.queuedAtEnd} still queued for a re-send when the run ended); of these present in the database anyway: **${c.neverAcknowledgedButPresent.length}**.`;
}

function markdown(results: RunResult[], meta: Record<string, unknown>, describe: Record<string, string>): string {
  const stamp = new Date().toISOString().slice(0, 10);
  const parts = [`# Load benchmark ${stamp}\n`,
    `${meta.machine}. Load average before: ${(meta.loadAverageBefore as number[]).join(', ')}. Command: \`${meta.command}\`. Server (bench/load-server.ts: buildApp, trustProxy) and load generator (bench/load-client.ts) in child processes of their own, PostgreSQL 15 (the benchmark's own cluster, ${meta.database}) — all on the same cores, over loopback.\n`,
    `Each of the clients is closed-loop (its next request as soon as its answer is in, no think time; after a 503 or 429 it waits the Retry-After it was given, 50–100 % of it at random), has its own keep-alive connection and its own X-Forwarded-For address, and sends Accept-Encoding: br, gzip. A client's role decides what it may ask: 30 % field workers (one account per street, 14), 20 % dispatchers (4 accounts), 30 % planners (4), 20 % commanders (2). Mix per request for field workers and dispatchers: ${Object.entries(WEIGHTS).map(([k, v]) => `${k} ${v} %`).join(', ')}; planners and commanders do not report (the rest in the same proportions). Latencies are per response, exact percentiles, all answers included; req/s = responses / recorded seconds. Closed-loop clients send less when the server slows down (no correction for coordinated omission): the latencies are those these clients saw at the throughput they got. The first ${meta.warmupS} s (warm-up) are not recorded; the server starts each run with an empty tile cache.\n`,
    `What is asked:\n${Object.entries(describe).map(([k, v]) => `- ${k}: ${v}`).join('\n')}\n`,
    `The machine is shared: the CPU lines below say how much of it other work took during each run, and the load averages how busy it was. Found and fixed with this benchmark (see the regression tests test/integration/db-terminate.test.ts and cases-concurrency.test.ts): the server process died during the restart (a pooled connection checked out by a transaction got the database's FATAL 57P01 with no 'error' listener), and concurrent case reports deadlocked on case_cells (500s). Neither happens in the runs below.\n`];
  for (const r of results) {
    parts.push(`## ${r.label}: ${r.clients} clients × ${r.durationS} s\n`);
    parts.push(`${kindTable(r)}\n`);
    parts.push(`Tiles: ${(r.tileFirstShare * 100).toFixed(1)} % of tile requests were the first of their tile in the run (uncached); case reports invalidate cached case tiles around them, so some repeats miss too. Load average after: ${r.loadAverageAfter.join(', ')}. Requests without an answer: ${Object.keys(r.failures).length ? Object.entries(r.failures).map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}. Server process alive at the end: ${r.serverAlive ? 'yes' : '**no**'}${r.serverErrors.length ? `; server-side 5xx other than 503: ${r.serverErrors.length} (first: \`${r.serverErrors[0]}\`)` : ''}.\n`);
    const ok = r.perSecond.slice(0, r.durationS).map((x) => x[0]);
    parts.push(`Answers per second (2xx/3xx) over the run: min ${Math.min(...ok)}, median ${[...ok].sort((a, b) => a - b)[Math.floor(ok.length / 2)]}, max ${Math.max(...ok)} (every second in the JSON). Slowest answers: ${r.slowest.map((x) => `${x.kind} ${x.ms} ms (${x.status}, sent at ${x.startS} s)`).join('; ')}.\n`);
    if (r.cpu) parts.push(`CPU over the recorded ${r.cpu.seconds} s, in % of one core (the machine has ${r.cpu.of}): server ${r.cpu.server} %, PostgreSQL ${r.cpu.postgres} %, load generator ${r.cpu.loadGenerator} %, **everything else on the machine ${r.cpu.rest} %** (busy in all: ${r.cpu.machine} %).\n`);
    if (r.server) {
      const busiest = r.server.perSecond.reduce((a, x) => Math.max(a, x.poolWaiting), 0);
      const tc = r.server.tileCache;
      parts.push(`Server (its own figures): event-loop delay p50 ${r.server.loop.p50} ms, p99 ${r.server.loop.p99} ms, max ${r.server.loop.max} ms; requests waiting for one of the pool's connections: up to ${busiest} (pool of ${Math.max(...r.server.perSecond.map((x) => x.poolTotal), 0)}); tile cache ${tc.hits} hits, ${tc.misses} misses (${tc.hits + tc.misses ? ((100 * tc.misses) / (tc.hits + tc.misses)).toFixed(1) : 0} %, warm-up included), ${tc.entries} tiles held at the end.\n`);
    }
    parts.push(`${reportLines(r.reports)}\n`);
    if (r.fault) {
      const f = r.fault;
      parts.push(`### The outage\n`);
      parts.push(`At ${f.atS} s: \`pg_ctl stop -m fast\`, then \`pg_ctl start\` ${r.fault.downSleepS} s after it returned. From the cluster's log: shut down ${f.shutdownMs} ms after the request, down ${f.downS} s, ready to accept connections ${f.outageS} s after the shutdown request (pg_ctl stop returned after ${f.pgCtl.stopMs} ms, pg_ctl start after ${f.pgCtl.startMs} ms; our probe connected ${f.pgCtl.probeAfterReadyMs} ms after the log's "ready"). Times "after the database is back" count from the log's "ready to accept connections".\n`);
      parts.push(`| figure | value | target |\n|---|---|---|\n` +
        `| 503 answers (all with Retry-After?) | ${f.answers503} (${f.answers503WithoutRetryAfter ? `**${f.answers503WithoutRetryAfter} without**` : 'all with Retry-After'}) | 503 while down |\n` +
        `| time to answer 503, p50 / p95 / max | ${f.latency503.p50} / ${f.latency503.p95} / ${f.latency503.max} ms | no hang |\n` +
        `| other 5xx answers | ${f.other5xx} | 0 |\n` +
        `| requests without an answer | ${f.noAnswer} | 0 |\n` +
        `| server process | ${f.serverAlive ? 'alive throughout (same pid)' : `**exited** ${JSON.stringify(f.serverExit)}`} | alive |\n` +
        `| non-2xx answers from stop to up + 5 s, by status | ${Object.entries(f.byStatus).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'} | 503 only |\n` +
        `| first error after the shutdown request | ${f.firstErrorAfterStopMs ?? '–'} ms | |\n` +
        `| database unavailable (shutdown request → ready) | ${f.outageS} s | |\n` +
        `| first 200 after the database is back | ${f.firstOkAfterUpMs ?? '–'} ms | < 5 s |\n` +
        `| every kind answered 200 again after | ${f.allKindsOkAfterUpMs ?? '–'} ms | < 5 s |\n` +
        `| last error after the database is back | ${f.lastErrorAfterUpMs === null ? 'none' : `${f.lastErrorAfterUpMs} ms`} | |\n` +
        `| acknowledged reports checked / lost | ${r.reports.acknowledged} / ${r.reports.lost.length} | 0 lost |\n` +
        `| reports refused with 503 or unanswered (attempts) | ${r.reports.refusedAttempts} | allowed |\n` +
        `| never-acknowledged reports present in the database | ${r.reports.neverAcknowledgedButPresent.length} of ${r.reports.neverAcknowledged} | 0 |\n`);
      parts.push(`Per kind, after the database was back (ms from the log's "ready to accept connections"):\n\n| kind | 503 answers | first 2xx after up | last error after up |\n|---|---|---|---|\n` +
        f.perKind.map((k) => `| ${k.kind} | ${k.answers503} | ${k.firstOkAfterUpMs ?? '–'} | ${k.lastErrorAfterUpMs ?? 'none'} |`).join('\n') + '\n');
      const srv = new Map((r.server?.perSecond ?? []).map((x) => [x.second, x]));
      parts.push(`Answers per second around the outage (second of the recorded run, by completion; the server's longest event-loop delay and most requests waiting for a pooled connection in that second):\n\n| s | 2xx/3xx | 503 | other | loop max ms | pool queue |\n|---|---|---|---|---|---|\n` +
        f.timeline.map((t) => `| ${t.second} | ${t.ok} | ${t.s503} | ${t.other} | ${srv.get(t.second)?.loopMaxMs ?? ''} | ${srv.get(t.second)?.poolWaiting ?? ''} |`).join('\n') + '\n');
    }
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------------

export async function run(args: string[]): Promise<void> {
  if (args.includes('--cluster')) return (await import('./load-cluster.ts')).run(args);
  const clients = arg(args, 'clients', 200);
  const durationS = arg(args, 'duration', 60);
  const warmupS = arg(args, 'warmup', 5);
  const faultAt = arg(args, 'fault-at', 20);
  const downS = arg(args, 'down', 5);
  const onlyFault = args.includes('--only-fault');
  const noFault = args.includes('--no-fault');
  if (!noFault && faultAt >= durationS) throw new Error(`--fault-at ${faultAt} must fall inside --duration ${durationS}`);
  const loadAverageBefore = loadAverage();
  const db = await benchDatabase();
  console.log(`[load] benchmark database: ${db.url} (${db.loaded})`);
  try {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const removed = await cleanUp(c);
    if (removed) console.log(`[load] removed ${removed} case reports of earlier runs`);
    const w = await workload(c);
    await c.end();
    const results: RunResult[] = [];
    if (!onlyFault) results.push(await runOnce('Steady load', db, w, { clients, durationS, warmupS, fault: null }));
    if (!noFault) results.push(await runOnce('Database restart under load', db, w, { clients, durationS, warmupS, fault: { atS: faultAt, downS } }));
    const meta = {
      date: new Date().toISOString(),
      machine: `${machine()}, Node ${process.version}`,
      loadAverageBefore,
      command: `npm run bench -- load ${args.join(' ')}`.trim(),
      database: `${db.url.replace(/\/\/[^@]*@/, '//')}, ${db.loaded}`,
      clients, durationS, warmupS, faultAt, downS, weights: WEIGHTS, roles: ROLE_CYCLE,
    };
    writeResults('load', { ...meta, workload: w.describe, runs: results }, markdown(results, meta, w.describe));
    const c2 = new pg.Client({ connectionString: db.url });
    await c2.connect();
    await cleanUp(c2);
    await c2.end();
  } finally {
    if (runningPort(db.dir) !== null) await stopCluster(db.dir, 'fast');
    console.log('[load] benchmark cluster stopped');
  }
}
