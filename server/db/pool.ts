// One pg pool per process. Every statement gets a timeout so a runaway query cannot hold a tile request
// forever; an anonymous client's statements (see anonymous-scope.ts) get a shorter one, so a few costly
// public requests cannot keep the connections everyone else needs.
import pg from 'pg';
import { Semaphore } from '../limits/semaphore.ts';
import { isAnonymousWork } from './anonymous-scope.ts';
import { cancelOnAbort } from './cancel.ts';
import { currentSignal } from './cancel-scope.ts';
import { AnonymousShareBusy, isCancelled, QueryCancelled } from './errors.ts';
import { standbyTarget } from './read-scope.ts';

/** The app's pool, as route plugins name it (they pass it on to data modules and never query it themselves). */
export type Pool = pg.Pool;

export interface PoolOptions {
  url: string;
  max?: number;
  statementTimeoutMs?: number;
  anonymousStatementTimeoutMs?: number;
  /** Whether the statements of abandoned work are cancelled (db/cancel.ts); on unless a benchmark's baseline turns it off. */
  cancelAbandoned?: boolean;
  /** The pool of a hot standby (db/replica.ts): its own connections, never handing a checkout on. */
  standby?: boolean;
  /** application_name of the connections, as pg_stat_activity shows them. */
  applicationName?: string;
}

export const STATEMENT_TIMEOUT_MS = 30_000;
export const ANONYMOUS_STATEMENT_TIMEOUT_MS = 5_000;
/** The share of the pool anonymous work may hold at once, whatever route it comes from (a burst of live streams opening). */
export const ANONYMOUS_POOL_SHARE = 1 / 2;
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * The share of the pool kept open once opened (pg-pool's `min`; beyond it, connections idle for 30 s close).
 * A new connection costs ~15 ms to open and its first tile ~50 ms more (PostGIS loaded, the catalog read, the
 * tile statement planned in the new backend): without it, every burst of map tiles after a quiet half-minute
 * paid that again on each connection it opened (49 cold z14 pipe tiles from 10 clients after the idle timeout,
 * one process, loaded machine: p95 276 → 171 ms and 336 → 288 ms in two runs). MapServer's FastCGI processes
 * keep theirs for good.
 */
const KEPT_OPEN_SHARE = 1 / 2;

export function createPool({
  url, max = 16, statementTimeoutMs = STATEMENT_TIMEOUT_MS, anonymousStatementTimeoutMs = ANONYMOUS_STATEMENT_TIMEOUT_MS, cancelAbandoned = true,
  standby = false, applicationName = 'wuchang-onemap',
}: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    min: Math.floor(max * KEPT_OPEN_SHARE),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    application_name: applicationName,
  });
  // A dropped connection (database restart) must not crash the process; requests see the error instead.
  // pg-pool listens for errors on idle clients only (and pool.query during its query): a client checked
  // out with pool.connect() — a transaction between two statements, or one whose last answer shared a
  // packet with the server's FATAL "terminating connection" — would emit 'error' with no listener, which
  // kills the process. The client is unusable afterwards: its next query fails ("not queryable", a 503)
  // and the pool discards it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  checkoutByWork(pool, statementTimeoutMs, anonymousStatementTimeoutMs, cancelAbandoned, standby);
  return pool;
}

/**
 * Each checkout (pool.connect, and pool.query, which checks out through it) sets the connection's
 * statement_timeout to the one of the work asking, when the connection has another: one SET per switch
 * between anonymous and other work, none while a connection keeps serving the same kind. Anonymous work
 * holds at most ANONYMOUS_POOL_SHARE of the connections; beyond, it waits its turn as long as for a
 * connection, then fails as a pool that stayed busy does (503, retry shortly). Work that can be abandoned
 * (a read whose client may go away: db/cancel-scope.ts) gets a connection tied to its signal, none once gone.
 * Inside a read a data module let a standby serve (db/read-scope.ts), the checkout is the standby pool's;
 * when the standby refuses it, the primary's, so a standby going away costs no request an error.
 */
function checkoutByWork(pool: pg.Pool, normalMs: number, anonymousMs: number, cancelAbandoned: boolean, standby: boolean): void {
  const current = new WeakMap<pg.PoolClient, number>();
  const anonymousSlots = new Semaphore(Math.max(1, Math.floor((pool.options.max ?? 10) * ANONYMOUS_POOL_SHARE)));
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const anonymousConnect = async (): Promise<pg.PoolClient> => {
    if (!(await anonymousSlots.acquire(CONNECT_TIMEOUT_MS).granted)) throw new AnonymousShareBusy(anonymousSlots.max);
    let client: pg.PoolClient;
    try {
      client = await connect();
    } catch (err) {
      anonymousSlots.release();
      throw err;
    }
    // pg-pool gives each checkout a release function of its own: the slot goes back with the connection, once.
    const release = client.release;
    let released = false;
    client.release = (err?: Error | boolean) => {
      if (!released) anonymousSlots.release();
      released = true;
      return release(err);
    };
    return client;
  };
  const checkout = async (): Promise<pg.PoolClient> => {
    const target = standby ? undefined : standbyTarget();
    if (target) {
      try {
        const client = await target.pool.connect();
        target.served = true;
        return client;
      } catch (err) {
        if (isCancelled(err)) throw err;
        target.down(err);
      }
    }
    const anonymous = isAnonymousWork();
    const signal = cancelAbandoned ? currentSignal() : undefined;
    if (signal?.aborted) throw new QueryCancelled();
    const want = anonymous ? anonymousMs : normalMs;
    const client = await (anonymous ? anonymousConnect() : connect());
    // Gone while it waited for a connection (pg-pool cannot take a waiter back): the connection goes straight back.
    if (signal?.aborted) {
      client.release();
      throw new QueryCancelled();
    }
    if ((current.get(client) ?? normalMs) !== want) {
      try {
        await client.query(`SET statement_timeout = ${Math.round(want)}`);
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      current.set(client, want);
    }
    return signal ? cancelOnAbort(client, signal) : client;
  };
  // pg-pool's own query() calls connect with a callback: both forms are served.
  pool.connect = ((cb?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void) => {
    const p = checkout();
    if (!cb) return p;
    p.then((client) => cb(undefined, client, (release?: unknown) => client.release(release as Error)), (err: Error) => cb(err));
    return undefined;
  }) as typeof pool.connect;
}
