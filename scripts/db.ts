// The embedded PostGIS: a private PostgreSQL 15 cluster for this checkout, or DATABASE_URL when set.
// `npm run db -- start|stop|status|url`. Idempotent: a running cluster is reused in well under a second.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chownSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { REPO_ROOT } from '../server/root.ts';
import { freePortFrom } from '../server/ports.ts';

const PG_MAJOR = 15;
export const BIN = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
const EXT_DIR = `/usr/share/postgresql/${PG_MAJOR}/extension`;
const PACKAGES = [`postgresql-${PG_MAJOR}-postgis-3`, `postgresql-${PG_MAJOR}-pgrouting`];
const FIRST_PORT = Number(process.env.WUCHANG_PG_PORT ?? 54329);
export const DB_NAME = process.env.WUCHANG_DB_NAME ?? 'wuchang';

export const repoRoot = REPO_ROOT;

function log(msg: string): void {
  process.stderr.write(`[db] ${msg}\n`);
}

function run(cmd: string, args: string[], opts: { asPostgres?: boolean; quiet?: boolean } = {}) {
  const [c, a] = opts.asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { encoding: 'utf8', stdio: opts.quiet ? 'pipe' : ['ignore', 'pipe', 'pipe'] });
  return { ok: r.status === 0, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/**
 * `run` without blocking the event loop (a benchmark that restarts a database keeps measuring meanwhile);
 * `env` is added to ours (runuser passes it on).
 */
export function runAsync(cmd: string, args: string[], opts: { asPostgres?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ ok: boolean; out: string }> {
  const [c, a] = opts.asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const child = spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => resolve({ ok: false, out: out + String(err) }));
    child.on('close', (code) => resolve({ ok: code === 0, out }));
  });
}

function packagesPresent(): boolean {
  return (
    existsSync(`${BIN}/initdb`) &&
    existsSync(`${EXT_DIR}/postgis.control`) &&
    existsSync(`${EXT_DIR}/pgrouting.control`)
  );
}

function installPackages(): void {
  if (packagesPresent()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`PostgreSQL ${PG_MAJOR} with PostGIS is missing; install ${PACKAGES.join(' ')} (needs root) or set DATABASE_URL`);
  }
  log(`installing ${PACKAGES.join(', ')} from Debian (first run only)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status})`);
  }
  if (!packagesPresent()) throw new Error('PostGIS packages installed but their files are not where expected');
}

/** The cluster lives in .data/pg unless the postgres OS user cannot reach it (e.g. a checkout under /root). */
export function clusterDir(): string {
  const preferred = path.join(repoRoot, '.data', 'pg');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) return preferred; // running as a normal user: the cluster is ours directly
  mkdirSync(preferred, { recursive: true, mode: 0o700 });
  chownSync(preferred, uid('postgres'), gid('postgres'));
  if (run('test', ['-w', preferred, '-a', '-x', preferred], { asPostgres: true }).ok) return preferred;
  const key = createHash('sha1').update(repoRoot).digest('hex').slice(0, 10);
  const fallback = `${CLUSTERS_DIR}/${key}`;
  if (!existsSync(fallback)) {
    log(`the postgres OS user cannot enter ${preferred} (a parent folder is closed to it); using ${fallback} instead`);
  }
  return postgresOwnedDir(fallback);
}

/** Where clusters live that the postgres OS user must own (the fallback above, and extra clusters such as a benchmark's). */
export const CLUSTERS_DIR = '/var/lib/postgresql/wuchang-onemap';

/** `dir` (created if missing) owned by the postgres OS user when we run as root, as initdb needs; returns it. */
export function postgresOwnedDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) for (const d of [path.dirname(dir), dir]) chownSync(d, uid('postgres'), gid('postgres'));
  return dir;
}

function uid(name: string): number {
  return Number(run('id', ['-u', name], { quiet: true }).out.trim());
}
function gid(name: string): number {
  return Number(run('id', ['-g', name], { quiet: true }).out.trim());
}

function pgctl(dir: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  return run(`${BIN}/pg_ctl`, ['-D', dir, ...args], { asPostgres: isRoot });
}

function pgctlAsync(dir: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  return runAsync(`${BIN}/pg_ctl`, ['-D', dir, ...args], { asPostgres: isRoot });
}

/** The port of the cluster in `dir` when it runs, else null. */
export function runningPort(dir: string): number | null {
  if (!pgctl(dir, ['status']).ok) return null;
  const pid = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
  return Number(pid[3]);
}

/**
 * The superuser's password of the cluster in `dir`, kept beside its data (mode 0600, readable by the owner
 * of the checkout or root only). Every login needs it: with `trust`, any local process — a GDAL reader
 * given a PG: connection string, another user's script — would be superuser.
 */
const PASSWORD_FILE = 'onemap-password';

function passwordFile(dir: string): string {
  return path.join(dir, PASSWORD_FILE);
}

function readPassword(dir: string): string | null {
  const file = passwordFile(dir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null;
}

/**
 * The password file belongs to the cluster's OS user, like every file beside it: a base backup
 * (pg_basebackup, for a streaming standby) reads the whole data directory through the server, and
 * fails on a file the server may not open. Idempotent.
 */
function passwordFileOwnedByServer(dir: string): void {
  const file = passwordFile(dir);
  if (existsSync(file)) giveToPostgres(file);
}

/** `file` owned by the postgres OS user when we run as root: the server reads its data directory as that user. */
export function giveToPostgres(file: string): void {
  if (process.getuid?.() !== 0) return;
  const owner = uid('postgres');
  if (statSync(file).uid !== owner) chownSync(file, owner, gid('postgres'));
}

/** base64url: safe inside a URL and an SQL literal without escaping. */
function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

const HBA = `# Written by scripts/db.ts: every login, on the socket and on TCP, needs the password in ${PASSWORD_FILE}.
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
local replication all scram-sha-256
host replication all 127.0.0.1/32 scram-sha-256
`;

/** Whether the cluster's pg_hba.conf lets anyone in without a password (clusters made before passwords). */
function hbaTrusts(dir: string): boolean {
  return readFileSync(path.join(dir, 'pg_hba.conf'), 'utf8').split('\n')
    .some((l) => !l.trimStart().startsWith('#') && l.split(/\s+/).includes('trust'));
}

function initCluster(dir: string): void {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  log(`initdb ${dir}`);
  const isRoot = process.getuid?.() === 0;
  const password = newPassword();
  // initdb reads the password from a file the postgres OS user can read; it is gone right after.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'onemap-initdb-'));
  const pwfile = path.join(tmp, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (isRoot) for (const f of [tmp, pwfile]) chownSync(f, uid('postgres'), gid('postgres'));
  let r;
  try {
    r = run(`${BIN}/initdb`, ['-D', dir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8'], { asPostgres: isRoot });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!r.ok) throw new Error(`initdb failed:\n${r.out}`);
  writeFileSync(passwordFile(dir), `${password}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'pg_hba.conf'), HBA);
  // A development cluster: fast bulk loads matter more than surviving a power cut (see README).
  const conf = [
    "listen_addresses = '127.0.0.1'",
    'max_connections = 200',
    'shared_buffers = 1GB',
    'work_mem = 64MB',
    'maintenance_work_mem = 512MB',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_wal_size = 4GB',
    'jit = off',
    "timezone = 'Asia/Shanghai'",
  ];
  writeFileSync(path.join(dir, 'conf.d.onemap.conf'), conf.join('\n') + '\n');
  const main = path.join(dir, 'postgresql.conf');
  writeFileSync(main, readFileSync(main, 'utf8') + "\ninclude 'conf.d.onemap.conf'\n");
}

export interface DbInfo {
  url: string;
  embedded: boolean;
  dir?: string;
}

/** Start (or reuse) the embedded cluster and make sure the database exists. Returns a superuser URL to it. */
export async function ensureServer(): Promise<DbInfo> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false };
  installPackages(); // before clusterDir(): the postgres OS user comes with the packages
  return ensureCluster(clusterDir());
}

export interface ClusterOptions {
  /** The first port tried when the cluster is not running (default 54329 or WUCHANG_PG_PORT). */
  firstPort?: number;
  /** The database made sure of (default wuchang or WUCHANG_DB_NAME). */
  database?: string;
}

/**
 * Start (or reuse) the cluster in `dir` — initdb on first use, the same settings as the embedded one, the
 * first free port from `firstPort` — and make sure the database exists. Returns a superuser URL to it.
 * `dir` must be one the postgres OS user can write when we run as root (see postgresOwnedDir).
 */
export async function ensureCluster(dir: string, opts: ClusterOptions = {}): Promise<DbInfo> {
  installPackages();
  initCluster(dir);
  let port = runningPort(dir);
  if (port === null) {
    port = await freePortFrom(opts.firstPort ?? FIRST_PORT, [], 100);
    await startCluster(dir, port);
  }
  const password = await requirePassword(dir, port);
  passwordFileOwnedByServer(dir);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${opts.database ?? DB_NAME}`;
  await createDatabaseIfMissing(url);
  return { url, embedded: true, dir };
}

/**
 * The password of the running cluster in `dir`. A cluster initialised before logins needed one (pg_hba
 * `trust`) gets a password and the scram-only pg_hba.conf here, once, while trust still lets us in.
 */
async function requirePassword(dir: string, port: number): Promise<string> {
  const known = readPassword(dir);
  if (known && !hbaTrusts(dir)) return known;
  const password = known ?? newPassword();
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    await client.query(`ALTER ROLE postgres PASSWORD '${password}'`);
  } finally {
    await client.end();
  }
  writeFileSync(passwordFile(dir), `${password}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'pg_hba.conf'), HBA);
  const r = pgctl(dir, ['reload']);
  if (!r.ok) throw new Error(`pg_ctl reload failed:\n${r.out}`);
  log(`the cluster in ${dir} now asks every login for its password (kept in ${PASSWORD_FILE})`);
  return password;
}

/** Starts the (initialised, stopped) cluster in `dir` on `port`; resolves once it accepts connections. Does not block the event loop. */
export async function startCluster(dir: string, port: number): Promise<void> {
  const logFile = path.join(dir, 'server.log');
  const r = await pgctlAsync(dir, ['-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -k ${dir}`, 'start']);
  if (!r.ok) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`PostgreSQL did not start:\n${r.out}\n${tail}`);
  }
  log(`PostgreSQL ${PG_MAJOR} started on 127.0.0.1:${port} (${dir})`);
}

/**
 * Stops the cluster in `dir` (pg_ctl stop -m `mode`, waiting until it is down); false when it was not
 * running. Does not block the event loop. Never point it at a cluster others are using.
 */
export async function stopCluster(dir: string, mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<boolean> {
  if (runningPort(dir) === null) return false;
  const r = await pgctlAsync(dir, ['-m', mode, '-w', 'stop']);
  if (!r.ok) throw new Error(`pg_ctl stop failed:\n${r.out}`);
  return true;
}

export function adminUrl(url: string, db = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

export function stopServer(): boolean {
  const dir = clusterDir();
  if (runningPort(dir) === null) return false;
  const r = pgctl(dir, ['-m', 'fast', '-w', 'stop']);
  if (!r.ok) throw new Error(`pg_ctl stop failed:\n${r.out}`);
  return true;
}

/** Modification time of the newest file among `paths`, for "is this build stale" checks. */
export function newestMtime(paths: string[]): number {
  return Math.max(0, ...paths.filter(existsSync).map((p) => statSync(p).mtimeMs));
}

async function main(): Promise<void> {
  const cmd = process.argv[2] ?? 'start';
  if (cmd === 'start' || cmd === 'url') {
    const info = await ensureServer();
    process.stdout.write(`${info.url}\n`);
  } else if (cmd === 'stop') {
    if (process.env.DATABASE_URL) return log('DATABASE_URL is set: not stopping a database this project does not own');
    log(stopServer() ? 'stopped' : 'was not running');
  } else if (cmd === 'status') {
    const dir = clusterDir();
    const port = runningPort(dir);
    log(port ? `running on 127.0.0.1:${port} (${dir})` : `not running (${dir})`);
  } else {
    throw new Error(`unknown command ${cmd}; use start, stop, status or url`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e) => {
    log(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
