// One pg pool per process. Every statement gets a timeout so a runaway query cannot hold a tile request
// forever; an anonymous client's statements (see anonymous-scope.ts) get a shorter one, so a few costly
// public requests cannot keep the connections everyone else needs.
import pg from 'pg';
import { isAnonymousWork } from './anonymous-scope.ts';

export interface PoolOptions {
  url: string;
  max?: number;
  statementTimeoutMs?: number;
  anonymousStatementTimeoutMs?: number;
}

export const STATEMENT_TIMEOUT_MS = 30_000;
export const ANONYMOUS_STATEMENT_TIMEOUT_MS = 5_000;

export function createPool({ url, max = 16, statementTimeoutMs = STATEMENT_TIMEOUT_MS, anonymousStatementTimeoutMs = ANONYMOUS_STATEMENT_TIMEOUT_MS }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    application_name: 'wuchang-onemap',
  });
  // A dropped connection (database restart) must not crash the process; requests see the error instead.
  // pg-pool listens for errors on idle clients only (and pool.query during its query): a client checked
  // out with pool.connect() — a transaction between two statements, or one whose last answer shared a
  // packet with the server's FATAL "terminating connection" — would emit 'error' with no listener, which
  // kills the process. The client is unusable afterwards: its next query fails ("not queryable", a 503)
  // and the pool discards it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  timeoutPerCheckout(pool, statementTimeoutMs, anonymousStatementTimeoutMs);
  return pool;
}

/**
 * Each checkout (pool.connect, and pool.query, which checks out through it) sets the connection's
 * statement_timeout to the one of the work asking, when the connection has another: one SET per switch
 * between anonymous and other work, none while a connection keeps serving the same kind.
 */
function timeoutPerCheckout(pool: pg.Pool, normalMs: number, anonymousMs: number): void {
  const current = new WeakMap<pg.PoolClient, number>();
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const checkout = async (): Promise<pg.PoolClient> => {
    const want = isAnonymousWork() ? anonymousMs : normalMs;
    const client = await connect();
    if ((current.get(client) ?? normalMs) !== want) {
      try {
        await client.query(`SET statement_timeout = ${Math.round(want)}`);
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      current.set(client, want);
    }
    return client;
  };
  // pg-pool's own query() calls connect with a callback: both forms are served.
  pool.connect = ((cb?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void) => {
    const p = checkout();
    if (!cb) return p;
    p.then((client) => cb(undefined, client, (release?: unknown) => client.release(release as Error)), (err: Error) => cb(err));
    return undefined;
  }) as typeof pool.connect;
}
