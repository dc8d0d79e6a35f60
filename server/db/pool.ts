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
  pool.on('error', () => {});
  return pool;
}
