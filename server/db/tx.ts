// One transaction on a pooled connection: BEGIN, the work, COMMIT — or ROLLBACK on any error, so a
// failure leaves nothing half-written; the connection always goes back to the pool. A transaction that
// PostgreSQL aborts only to break a deadlock or a serialization conflict is run again (that is what those
// errors ask for): `fn` must therefore do nothing but database work through `tx`.
import type pg from 'pg';

/** deadlock_detected, serialization_failure: nothing was written, and running the transaction again succeeds. */
const RETRY_CODES = new Set(['40P01', '40001']);
export const MAX_ATTEMPTS = 4;

export async function inTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(pool, fn);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !RETRY_CODES.has((err as { code?: string }).code ?? '')) throw err;
      // The other party of the deadlock is committing now; a short random pause keeps two victims apart.
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

async function once<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  // A connection whose ROLLBACK failed may still be inside the transaction: it must not go back to the
  // pool, where the next request would run in an aborted transaction. release(err) discards it.
  let broken: Error | undefined;
  try {
    await tx.query('BEGIN');
    const out = await fn(tx);
    await tx.query('COMMIT');
    return out;
  } catch (err) {
    await tx.query('ROLLBACK').catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    tx.release(broken);
  }
}
