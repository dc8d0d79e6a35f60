// A streaming hot standby of the test cluster: pg_basebackup -R -X stream into a directory of its own,
// started on a free port. It copies the whole cluster (the seeded template and every test database open
// at that moment): one per test file that needs one, stopped and removed afterwards.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { BIN, CLUSTERS_DIR, postgresOwnedDir, runAsync, startCluster, stopCluster } from '../../scripts/db.ts';
import { processAlive } from '../../server/process-alive.ts';
import { anyFreePort as freePort } from '../../server/ports.ts';

export interface Standby {
  port: number;
  /** `url` (a database of the primary) on the standby. */
  urlOf(url: string): string;
  /** One statement on the standby, in the database of `url`. */
  query<R extends Record<string, unknown>>(url: string, sql: string): Promise<R[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  remove(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program as the cluster's OS user; throws with its words when it fails. */
async function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  const r = await runAsync(cmd, args, { asPostgres: asRoot, env });
  if (!r.ok) throw new Error(`${path.basename(cmd)} failed: ${r.out}`);
}

/** Standbys left by test runs that were killed before their afterAll (their process is gone): stopped and removed. */
async function removeStale(parent: string): Promise<void> {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const pid = Number(/^standby-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (!pid || processAlive(pid)) continue;
    const dir = path.join(parent, name);
    await stopCluster(dir, 'immediate').catch(() => false);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A standby of the cluster that `url` (any database of the test cluster, as its superuser) names. */
export async function makeStandby(url: string): Promise<Standby> {
  const primary = new URL(url);
  const parent = asRoot ? CLUSTERS_DIR : tmpdir();
  await removeStale(parent);
  const name = `standby-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = asRoot ? postgresOwnedDir(path.join(parent, name)) : path.join(parent, name);
  // --no-sync, no manifest and a fast checkpoint: a standby for one test file need not survive a power cut
  // nor be verified.
  await run(`${BIN}/pg_basebackup`, ['-D', dir, '-R', '-X', 'stream', '--no-sync', '--no-manifest', '-c', 'fast', '-h', primary.hostname, '-p', primary.port, '-U', decodeURIComponent(primary.username)],
    { PGPASSWORD: decodeURIComponent(primary.password) });
  // The primary's log came along; the standby keeps a log of its own. A small cache: it serves a few reads.
  writeFileSync(path.join(dir, 'server.log'), '');
  appendFileSync(path.join(dir, 'conf.d.onemap.conf'), 'shared_buffers = 128MB\n');
  const port = await freePort();
  const standby: Standby = {
    port,
    urlOf(u) {
      const out = new URL(u);
      out.port = String(port);
      return out.toString();
    },
    async query(u, sql) {
      const c = new pg.Client({ connectionString: standby.urlOf(u) });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    },
    start: () => startCluster(dir, port),
    async stop() {
      await stopCluster(dir, 'fast');
    },
    async remove() {
      await stopCluster(dir, 'immediate').catch(() => false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await standby.start();
  return standby;
}
