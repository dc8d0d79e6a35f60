// `npm run cluster` as functions (the command, its test and the load benchmark use them): start (or reuse)
// the primary, its streaming replica, the app instances and HAProxy; read their status; stop them. What runs
// is written to <runDir>/state.json (mode 0600: it holds the database URLs), so later commands find it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { clusterDir, ensureCluster, repoRoot, runningPort, stopCluster } from '../db.ts';
import { ensureReplica, replicaDirFor, replicationState, type ReplicationState } from './database.ts';
import { checkConfig, HAPROXY, haproxyConfig, installHaproxy, serverStates, type ServerState } from './haproxy.ts';
import { buildOnce, instanceHealth, isInstance, startInstance, waitHealthy, type Instance, type InstanceHealth } from './instances.ts';
import { alive, spawnDetached, stopPid, tail, waitFor } from './processes.ts';
import { freePortFrom as freePort } from '../../server/ports.ts';

export interface ClusterOptions {
  runDir: string;
  /** The balancer's address (PORT, HOST). */
  host: string;
  port: number;
  /** ONEMAP_INSTANCES. */
  instances: number;
  /** Internal ports of the instances are looked for from here. */
  instanceFirstPort: number;
  /** The embedded primary's data directory (scripts/db.ts's cluster by default) and the first port tried for it. */
  primaryDir?: string;
  primaryFirstPort?: number;
  replicaFirstPort: number;
  /** The database the instances use on the embedded primary. */
  database?: string;
  /** Existing servers instead of the embedded ones (DATABASE_URL, DATABASE_REPLICA_URL). */
  databaseUrl?: string;
  replicaUrl?: string;
  /** More environment for the instances (SEED_CASES, ONEMAP_POOL_SIZE…). */
  env?: NodeJS.ProcessEnv;
  /** How long the first instance may take to answer (it seeds an empty database first: minutes). */
  firstStartMs?: number;
  log?: (msg: string) => void;
}

export interface ClusterState {
  runDir: string;
  url: string;
  primary: { url: string; dir: string | null; startedHere: boolean };
  replica: { url: string; dir: string | null; port: number | null } | null;
  instances: Instance[];
  balancer: { host: string; port: number; pid: number; config: string; socket: string; log: string };
}

const stateFile = (runDir: string) => path.join(runDir, 'state.json');

export function readState(runDir: string): ClusterState | null {
  const f = stateFile(runDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ClusterState) : null;
}

function writeState(s: ClusterState): void {
  writeFileSync(stateFile(s.runDir), JSON.stringify(s, null, 2), { mode: 0o600 });
}

export const hidePassword = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

function isHaproxy(pid: number | undefined): boolean {
  if (!alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(HAPROXY);
  } catch {
    return false;
  }
}

/** Starts what is not running and reuses what is; returns what runs where. */
export async function startClusterRun(o: ClusterOptions): Promise<ClusterState> {
  const log = o.log ?? ((m: string) => process.stderr.write(`[cluster] ${m}\n`));
  mkdirSync(o.runDir, { recursive: true, mode: 0o700 });
  const before = readState(o.runDir);
  installHaproxy();

  // The primary: an existing server, or the embedded one.
  let primary: ClusterState['primary'];
  if (o.databaseUrl) {
    primary = { url: o.databaseUrl, dir: null, startedHere: false };
  } else {
    const dir = o.primaryDir ?? clusterDir();
    const wasRunning = runningPort(dir) !== null;
    const info = await ensureCluster(dir, { firstPort: o.primaryFirstPort, database: o.database });
    primary = { url: info.url, dir, startedHere: !wasRunning || (before?.primary.startedHere ?? false) };
    log(`primary: PostgreSQL on port ${new URL(info.url).port} (${dir})${wasRunning ? ', already running' : ''}`);
  }

  // The replica: an existing server, a standby made from the embedded primary, or none (an existing primary without DATABASE_REPLICA_URL).
  let replica: ClusterState['replica'] = null;
  if (o.replicaUrl) {
    replica = { url: o.replicaUrl, dir: null, port: null };
  } else if (primary.dir) {
    const dir = replicaDirFor(primary.dir);
    const r = await ensureReplica(primary.dir, primary.url, dir, o.replicaFirstPort, [Number(new URL(primary.url).port)]);
    replica = { url: r.url, dir, port: r.port };
    log(`replica: hot standby on port ${r.port} (${dir})${r.made ? ', made now with pg_basebackup -R' : ''}`);
  } else {
    log('replica: none (DATABASE_URL is set without DATABASE_REPLICA_URL)');
  }

  buildOnce();
  const state: ClusterState = {
    runDir: o.runDir, url: `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${o.port}/`, primary, replica, instances: [],
    balancer: { host: o.host, port: o.port, pid: before?.balancer.pid ?? 0, config: path.join(o.runDir, 'haproxy.cfg'), socket: path.join(o.runDir, 'haproxy.sock'), log: path.join(o.runDir, 'haproxy.log') },
  };
  const env = { primaryUrl: primary.url, replicaUrl: replica?.url ?? null, extra: o.env ?? {} };

  // The instances: the first alone (it migrates, and seeds an empty database), then the others together.
  const taken = [o.port];
  const names = Array.from({ length: o.instances }, (_, i) => `app-${i + 1}`);
  const wanted: { name: string; port: number; running: Instance | null }[] = [];
  for (const name of names) {
    const old = before?.instances.find((i) => i.name === name);
    const running = old && isInstance(old.pid) && (await instanceHealth(old.port)).status === 200 ? old : null;
    const port = old && (running || (await freePort(old.port)) === old.port) ? old.port : await freePort(o.instanceFirstPort, taken);
    taken.push(port);
    wanted.push({ name, port, running });
  }
  const bring = async (w: (typeof wanted)[number], seed: boolean, ms: number): Promise<Instance> => {
    if (w.running) return w.running;
    const i = startInstance(w.name, w.port, o.runDir, { ...env, seed });
    state.instances.push(i);
    writeState(state);
    await waitHealthy(i, ms);
    log(`${i.name}: started on 127.0.0.1:${i.port} (pid ${i.pid})`);
    return i;
  };
  const first = await bring(wanted[0], true, o.firstStartMs ?? 30 * 60_000);
  const rest = await Promise.all(wanted.slice(1).map((w) => bring(w, false, 120_000)));
  state.instances = [first, ...rest];
  for (const w of wanted) if (w.running) log(`${w.name}: already running on 127.0.0.1:${w.port} (pid ${w.running.pid})`);
  writeState(state);

  // The balancer: reused when it runs this very configuration, else started (replacing an older one).
  const config = haproxyConfig({ host: o.host, port: o.port, socket: state.balancer.socket, instances: state.instances });
  const same = existsSync(state.balancer.config) && readFileSync(state.balancer.config, 'utf8') === config;
  if (!(same && isHaproxy(before?.balancer.pid))) {
    writeFileSync(state.balancer.config, config);
    checkConfig(state.balancer.config);
    const old = isHaproxy(before?.balancer.pid) ? before!.balancer.pid : 0;
    await stopPid(old || undefined, 5000);
    state.balancer.pid = spawnDetached(HAPROXY, ['-db', '-f', state.balancer.config], process.env, state.balancer.log);
    writeState(state);
    await waitFor(`HAProxy on ${o.host}:${o.port} to see every instance up (log: ${state.balancer.log})`, async () => {
      if (!isHaproxy(state.balancer.pid)) throw new Error(`HAProxy exited; the end of ${state.balancer.log}:\n${tail(state.balancer.log)}`);
      const s = await serverStates(state.balancer.socket);
      return !!s && s.filter((x) => x.backend === 'app').every((x) => x.status === 'UP');
    }, 10_000);
    log(`balancer: HAProxy on ${o.host}:${o.port} (pid ${state.balancer.pid})`);
  } else {
    log(`balancer: HAProxy already running on ${o.host}:${o.port} (pid ${state.balancer.pid})`);
  }
  writeState(state);
  return state;
}

export interface ClusterStatus {
  primary: { url: string; up: boolean; role: string | null };
  replica: ({ url: string } & ReplicationState) | null;
  instances: (Instance & { running: boolean; health: InstanceHealth })[];
  balancer: { port: number; running: boolean; servers: ServerState[] | null };
}

async function databaseRole(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => {});
  try {
    await c.connect();
    const { rows: [r] } = await c.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    return r.standby ? 'replica' : 'primary';
  } catch {
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}

export async function clusterStatus(runDir: string): Promise<ClusterStatus | null> {
  const s = readState(runDir);
  if (!s) return null;
  const role = await databaseRole(s.primary.url);
  return {
    primary: { url: hidePassword(s.primary.url), up: role !== null, role },
    replica: s.replica && { url: hidePassword(s.replica.url), ...(await replicationState(s.primary.url, s.replica.url)) },
    instances: await Promise.all(s.instances.map(async (i) => ({ ...i, running: isInstance(i.pid), health: await instanceHealth(i.port) }))),
    balancer: { port: s.balancer.port, running: isHaproxy(s.balancer.pid), servers: await serverStates(s.balancer.socket) },
  };
}

/** Stops the balancer, the instances and the embedded replica; the embedded primary too when this cluster started it. */
export async function stopClusterRun(runDir: string, log: (m: string) => void = (m) => process.stderr.write(`[cluster] ${m}\n`)): Promise<void> {
  const s = readState(runDir);
  if (!s) return log(`nothing recorded in ${runDir}: not started here`);
  if (isHaproxy(s.balancer.pid)) await stopPid(s.balancer.pid, 5000);
  log('balancer stopped');
  await Promise.all(s.instances.map(async (i) => { if (isInstance(i.pid)) await stopPid(i.pid); }));
  log(`instances stopped (${s.instances.map((i) => i.name).join(', ')})`);
  if (s.replica?.dir && await stopCluster(s.replica.dir, 'fast')) log(`replica stopped (${s.replica.dir})`);
  if (s.primary.dir && s.primary.startedHere && await stopCluster(s.primary.dir, 'fast')) log(`primary stopped (${s.primary.dir})`);
  else if (s.primary.dir) log(`primary left running: it ran before the cluster started (npm run db -- stop stops it)`);
}

/** The default run directory of `npm run cluster`. */
export const RUN_DIR = process.env.ONEMAP_CLUSTER_DIR ?? path.join(repoRoot, '.data', 'cluster');
