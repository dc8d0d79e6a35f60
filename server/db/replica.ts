// A streaming hot standby (DATABASE_REPLICA_URL) that serves reads the data modules allow it
// (readOnStandby): tiles, items pages, the spatial queries, and the plain SELECTs of the other read-only
// GETs. Its own pool; a probe every second reads the primary's WAL position and the standby's replay
// position, which give its lag. A read goes to the standby only while it is up and at most maxLagMs behind,
// and, for a client that has just written (read-scope.ts), once it has replayed that write; otherwise to the
// primary, as does a read the standby fails for being away.
import type pg from 'pg';
import { isDbUnavailable, isPoolBusy } from './errors.ts';
import { CURRENT_LSN_SQL, parseLsn } from './lsn.ts';
import { createPool } from './pool.ts';
import { neededLsn, onPrimary, onStandby, placed, type StandbyTarget } from './read-scope.ts';

export interface ReplicaOptions {
  url: string;
  /** Behind the primary by more than this, the standby serves nothing until it catches up. */
  maxLagMs?: number;
  /** How often the positions are read. */
  probeMs?: number;
  /** How long a read waits for the standby to replay its client's write before it goes to the primary. */
  waitMs?: number;
  poolSize?: number;
  anonymousStatementTimeoutMs?: number;
  cancelAbandoned?: boolean;
}

export const REPLICA_MAX_LAG_MS = 5_000;
export const REPLICA_PROBE_MS = 1_000;
const REPLICA_WAIT_MS = 100;
const POLL_MS = 20;

/** The standby as /api/health reports it. */
export interface ReplicaHealth {
  up: boolean;
  /** How long ago the primary was at a position the standby has not replayed yet (0: caught up); null while unknown. */
  lag_ms: number | null;
  /** WAL bytes the standby has still to replay; null while unknown. */
  lag_bytes: number | null;
  /** Reads go to the primary now (the standby is down or too far behind). */
  fallback: boolean;
}

/** A read served by a standby: what it had replayed (at least) when the read began. */
export interface StandbyRead {
  lsn: bigint;
}

/** (when, primary position) pairs, oldest first. */
type Sample = { at: number; lsn: bigint };

/**
 * How far behind a standby that has replayed up to `replayed` is, from the primary's positions sampled
 * over time: since the first sample it has not reached (it lacks every commit made since then).
 */
export function lagOf(samples: readonly Sample[], replayed: bigint, now: number): { ms: number; bytes: number } {
  const first = samples.find((s) => s.lsn > replayed);
  const last = samples.at(-1);
  return {
    ms: first ? Math.max(0, now - first.at) : 0,
    bytes: last && last.lsn > replayed ? Number(last.lsn - replayed) : 0,
  };
}

const replicas = new WeakMap<object, Replica>();

/** The standby that serves reads for the primary pool `db`, if one is configured. */
export function replicaOf(db: object): Replica | undefined {
  return replicas.get(db);
}

/**
 * Runs a read the standby may serve (a data module's statements that only read and may lag by a moment).
 * Without a standby, or when it may not serve the client now, `fn` runs on the primary as before. `db` is
 * the primary's pool; a transaction's client (no standby of its own) keeps the read in the transaction.
 * Inside another such read (or a write request), `fn` goes where that one went: one choice per read.
 */
export async function readOnStandby<T>(db: object, fn: () => Promise<T>): Promise<T> {
  const replica = replicaOf(db);
  if (!replica || placed()) return fn();
  const read = await replica.choose();
  return replica.run(read, fn);
}

export class Replica {
  readonly pool: pg.Pool;
  readonly maxLagMs: number;
  private readonly probeMs: number;
  private readonly waitMs: number;
  private up = false;
  private replayed = 0n;
  private lag: { ms: number; bytes: number } | null = null;
  private samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | null = null;
  private polling: Promise<bigint | null> | null = null;
  /** Reads served by the standby and by the primary instead (it was down, behind, or had not replayed the client's write). */
  readonly reads = { standby: 0, primary: 0 };

  constructor(private readonly primary: pg.Pool, opts: ReplicaOptions) {
    this.maxLagMs = opts.maxLagMs ?? REPLICA_MAX_LAG_MS;
    this.probeMs = opts.probeMs ?? REPLICA_PROBE_MS;
    this.waitMs = opts.waitMs ?? REPLICA_WAIT_MS;
    this.pool = createPool({
      url: opts.url, max: opts.poolSize, anonymousStatementTimeoutMs: opts.anonymousStatementTimeoutMs,
      cancelAbandoned: opts.cancelAbandoned, standby: true, applicationName: 'wuchang-onemap-replica',
    });
    replicas.set(primary, this);
  }

  /** Probes now and every probeMs until stop(). */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.probe(), this.probeMs);
    this.timer.unref();
    await this.probe();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.probing;
    await this.pool.end();
  }

  /** Whether the standby may serve reads now (up, and not too far behind). */
  get usable(): boolean {
    return this.up && this.lag !== null && this.lag.ms <= this.maxLagMs;
  }

  health(): ReplicaHealth {
    return { up: this.up, lag_ms: this.lag?.ms ?? null, lag_bytes: this.lag?.bytes ?? null, fallback: !this.usable };
  }

  /** Reads the positions once (concurrent callers share the reading). */
  probe(): Promise<void> {
    this.probing ??= this.readPositions().finally(() => (this.probing = null));
    return this.probing;
  }

  private async readPositions(): Promise<void> {
    const now = Date.now();
    // The primary first: a standby position read after it is compared with a primary no further along.
    try {
      const { rows: [p] } = await this.primary.query<{ lsn: string }>(CURRENT_LSN_SQL);
      const lsn = parseLsn(p.lsn);
      if (lsn !== null) this.samples.push({ at: now, lsn });
    } catch {
      // The primary is away: the lag is judged from the positions it had.
    }
    const keep = now - 2 * Math.max(this.maxLagMs, 5_000);
    while (this.samples.length > 1 && this.samples[0].at < keep) this.samples.shift();
    const replayed = await this.replayPosition();
    if (replayed === null) {
      this.lag = null;
      return;
    }
    this.lag = lagOf(this.samples, replayed, Date.now());
  }

  /** The standby's replay position now, or null (and down) when it cannot be read or is no standby. */
  private async replayPosition(): Promise<bigint | null> {
    try {
      const { rows: [r] } = await this.pool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
      const lsn = parseLsn(r.lsn);
      // A promoted standby (no replay position) is a primary of its own now: it serves nothing of ours.
      this.up = lsn !== null;
      if (lsn !== null && lsn > this.replayed) this.replayed = lsn;
      return lsn;
    } catch {
      this.up = false;
      return null;
    }
  }

  /**
   * Where the read running now goes: the standby (with what it had replayed by then) when it may serve this
   * client, else null: the primary (always for a write request's reads). A client whose write the standby
   * has not replayed yet waits up to waitMs for it, polling the standby's position (one query shared by all
   * waiting reads).
   */
  async choose(): Promise<StandbyRead | null> {
    if (!this.usable || placed() === 'primary') return null;
    const need = neededLsn();
    if (this.replayed >= need) return { lsn: this.replayed };
    const until = Date.now() + this.waitMs;
    for (;;) {
      this.polling ??= this.replayPosition().finally(() => (this.polling = null));
      await this.polling;
      if (!this.usable) return null;
      if (this.replayed >= need) return { lsn: this.replayed };
      if (Date.now() + POLL_MS > until) return null;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /**
   * Runs the read on the standby chosen (null: the primary). A read the standby fails because it went away
   * (or cancelled for a conflict with its replay) runs again on the primary: no client sees the standby go.
   */
  async run<T>(read: StandbyRead | null, fn: () => Promise<T>): Promise<T> {
    if (!read) {
      this.reads.primary++;
      return onPrimary(fn);
    }
    const target: StandbyTarget = { pool: this.pool, served: false, down: (err) => this.refused(err) };
    try {
      const out = await onStandby(target, fn);
      this.reads[target.served ? 'standby' : 'primary']++;
      return out;
    } catch (err) {
      if (!target.served || !(isDbUnavailable(err) || isRecoveryConflict(err))) throw err;
      this.refused(err);
      this.reads.primary++;
      return onPrimary(fn);
    }
  }

  /** The standby failed a read: taken as down (when it is away, not busy) until the next probe finds it. */
  private refused(err: unknown): void {
    if (isDbUnavailable(err) && !isPoolBusy(err)) this.up = false;
  }
}

/**
 * A standby cancels a query whose rows its replay must remove (40001), or whose database was dropped
 * (57P04); and refuses any write (25006), should a read that may run there ever write.
 */
function isRecoveryConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '57P04' || code === '25006';
}
