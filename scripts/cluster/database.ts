// The databases of `npm run cluster`: the embedded PostgreSQL (scripts/db.ts) as the primary, made ready
// for streaming replication (a replication role, a physical slot), and a hot standby made from it with
// pg_basebackup -R in a data directory of its own, on a port of its own, started like the primary.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { BIN, giveToPostgres, postgresOwnedDir, runAsync, runningPort, startCluster, stopCluster } from '../db.ts';
import { freePortFrom as freePort } from '../../server/ports.ts';

const REPLICATION_ROLE = 'onemap_replication';
/** Beside the superuser's password (scripts/db.ts), readable by the cluster's owner only; copied to the standby with the rest. */
const REPLICATION_PASSWORD_FILE = 'onemap-replication-password';
const SLOT = 'onemap_replica';

const isRoot = () => process.getuid?.() === 0;

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Makes the primary in `dir` ready to feed a standby: wal_level replica and WAL senders (the defaults of
 * PostgreSQL 15; changed only on a cluster set otherwise, which then restarts once), a cap on the WAL a
 * forgotten slot may hold, the replication role (its password in a file beside the data) and the slot.
 * `local`/`host replication` lines for localhost are in scripts/db.ts's pg_hba.conf. Returns the role's password.
 */
export async function preparePrimary(dir: string, url: string): Promise<string> {
  const restart = await withClient(url, async (c) => {
    const { rows: [s] } = await c.query<{ wal_level: string; senders: string; slots: string }>(
      `SELECT current_setting('wal_level') AS wal_level, current_setting('max_wal_senders') AS senders, current_setting('max_replication_slots') AS slots`);
    let restart = false;
    if (s.wal_level === 'minimal') { await c.query(`ALTER SYSTEM SET wal_level = 'replica'`); restart = true; }
    if (Number(s.senders) < 2) { await c.query('ALTER SYSTEM SET max_wal_senders = 10'); restart = true; }
    if (Number(s.slots) < 2) { await c.query('ALTER SYSTEM SET max_replication_slots = 10'); restart = true; }
    // A standby gone for good must not fill the disk through its slot: past 10 GB the slot is given up.
    await c.query(`ALTER SYSTEM SET max_slot_wal_keep_size = '10GB'`);
    await c.query('SELECT pg_reload_conf()');
    return restart;
  });
  if (restart) {
    const port = runningPort(dir)!;
    await stopCluster(dir, 'fast');
    await startCluster(dir, port);
  }
  const file = path.join(dir, REPLICATION_PASSWORD_FILE);
  const known = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  const password = known || randomBytes(24).toString('base64url');
  await withClient(url, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [REPLICATION_ROLE]);
    // base64url: safe in an SQL literal as it is.
    if (!rowCount) await c.query(`CREATE ROLE ${REPLICATION_ROLE} WITH LOGIN REPLICATION PASSWORD '${password}'`);
    else if (!known) await c.query(`ALTER ROLE ${REPLICATION_ROLE} WITH LOGIN REPLICATION PASSWORD '${password}'`);
    await c.query(`SELECT pg_create_physical_replication_slot($1) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`, [SLOT]);
  });
  if (!known) {
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    giveToPostgres(file);
  }
  return password;
}

/** The standby's data directory for the primary in `primaryDir`: beside it, owned by the postgres OS user. */
export function replicaDirFor(primaryDir: string): string {
  return `${primaryDir.replace(/\/+$/, '')}-replica`;
}

export interface Replica { dir: string; port: number; url: string; made: boolean }

/**
 * Starts (or reuses) the hot standby in `dir`: made once from the primary with pg_basebackup -R through
 * the slot, streaming from then on. `primaryUrl` is the primary's superuser URL; the standby has the same
 * superuser and password (it is a copy), so its URL differs only by the port.
 */
export async function ensureReplica(primaryDir: string, primaryUrl: string, dir: string, firstPort: number, takenPorts: number[] = []): Promise<Replica> {
  let made = false;
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    const password = await preparePrimary(primaryDir, primaryUrl);
    rmSync(dir, { recursive: true, force: true });
    postgresOwnedDir(dir);
    const p = new URL(primaryUrl);
    const conninfo = `host=127.0.0.1 port=${p.port} user=${REPLICATION_ROLE} application_name=onemap_replica`;
    const r = await runAsync(`${BIN}/pg_basebackup`, ['-D', dir, '-d', conninfo, '-X', 'stream', '-S', SLOT, '-R', '-c', 'fast'], { asPostgres: isRoot(), env: { PGPASSWORD: password } });
    if (!r.ok) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pg_basebackup failed:\n${r.out}`);
    }
    // The copy's settings: the primary's own, then these (later lines win). The password goes into
    // primary_conninfo here, whatever -R wrote; feedback keeps long reads on the standby from being cancelled.
    appendFileSync(path.join(dir, 'postgresql.auto.conf'), [
      '# Written by npm run cluster (scripts/cluster/database.ts)',
      `primary_conninfo = '${conninfo} password=${password}'`,
      `primary_slot_name = '${SLOT}'`,
      'hot_standby = on',
      'hot_standby_feedback = on',
      '',
    ].join('\n'));
    // The primary's log came along with the files; the standby writes its own.
    const log = path.join(dir, 'server.log');
    if (existsSync(log)) truncateSync(log, 0);
    made = true;
  }
  let port = runningPort(dir);
  if (port === null) {
    port = await freePort(firstPort, takenPorts);
    await startCluster(dir, port);
  }
  const url = new URL(primaryUrl);
  url.port = String(port);
  return { dir, port, url: url.toString(), made };
}

export interface ReplicationState {
  /** The standby answers and is in recovery (a hot standby). */
  standby: boolean;
  /** Bytes of WAL the standby has yet to replay (from the primary's view), and the time since it last replayed a transaction. */
  lagBytes: number | null;
  replayAgeS: number | null;
  /** The primary's view: the standby's WAL sender state (streaming) and the slot's. */
  sender: string | null;
  slotActive: boolean | null;
}

/** How the standby at `replicaUrl` keeps up with the primary at `primaryUrl` (nulls for what cannot be read). */
export async function replicationState(primaryUrl: string, replicaUrl: string): Promise<ReplicationState> {
  const st: ReplicationState = { standby: false, lagBytes: null, replayAgeS: null, sender: null, slotActive: null };
  let replayLsn: string | null = null;
  await withClient(replicaUrl, async (c) => {
    const { rows: [r] } = await c.query<{ rec: boolean; lsn: string | null; age: number | null }>(
      `SELECT pg_is_in_recovery() AS rec, pg_last_wal_replay_lsn()::text AS lsn, extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`);
    st.standby = r.rec;
    replayLsn = r.lsn;
    st.replayAgeS = r.age === null ? null : Math.round(r.age * 10) / 10;
  }).catch(() => {});
  await withClient(primaryUrl, async (c) => {
    const { rows: [r] } = await c.query<{ lag: string | null; sender: string | null; active: boolean | null }>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS lag,
              (SELECT state FROM pg_stat_replication WHERE application_name = 'onemap_replica' LIMIT 1) AS sender,
              (SELECT active FROM pg_replication_slots WHERE slot_name = $2) AS active`, [replayLsn, SLOT]);
    st.lagBytes = r.lag === null ? null : Math.max(0, Number(r.lag));
    st.sender = r.sender;
    st.slotActive = r.active;
  }).catch(() => {});
  return st;
}
