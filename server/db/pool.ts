// One pg pool per process. Every statement gets a timeout so a runaway query cannot hold a tile request forever.
import pg from 'pg';

export interface PoolOptions {
  url: string;
  max?: number;
  statementTimeoutMs?: number;
}

export function createPool({ url, max = 16, statementTimeoutMs = 30_000 }: PoolOptions): pg.Pool {
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
  return pool;
}
