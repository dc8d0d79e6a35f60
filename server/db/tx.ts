// One transaction on a pooled connection: BEGIN, the work, COMMIT — or ROLLBACK on any error, so a
// failure leaves nothing half-written; the connection always goes back to the pool.
import type pg from 'pg';

export async function inTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const out = await fn(tx);
    await tx.query('COMMIT');
    return out;
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}
