// Transactions when the database has trouble; both found by `npm run bench -- load`.
// 1. A database restart (pg_ctl restart -m fast) terminates every backend, including one a transaction
//    holds between two statements: the checked-out client emitted 'error' with no listener and the server
//    process died. Now the transaction fails as "database unavailable" (503), the process lives, and the
//    pool replaces the connection.
// 2. Concurrent case reports deadlocked in the case_cells trigger and answered 500: a transaction chosen as
//    a deadlock victim is now run again.
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { adminUrl } from '../../scripts/db.ts';
import { isDbUnavailable } from '../../server/db/errors.ts';
import { createPool } from '../../server/db/pool.ts';
import { inTransaction } from '../../server/db/tx.ts';

// No data is touched: the cluster's maintenance database is enough, and only our own backends are ended.
const url = adminUrl(inject('databaseUrl'));
let pool: pg.Pool;
let admin: pg.Client;

beforeAll(async () => {
  pool = createPool({ url, max: 2 });
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await pool?.end();
});

it('a connection ended in the middle of a transaction fails that transaction as unavailable, and does not kill the process', async () => {
  let ended = false;
  const err = await inTransaction(pool, async (tx) => {
    const { rows: [{ pid }] } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // As a fast shutdown does: the backend sends FATAL 57P01 and closes while no statement of ours runs.
    const closed = new Promise((r) => tx.once('end', r));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await closed;
    ended = true;
    await tx.query('SELECT 1');
  }).then(() => null, (e: unknown) => e);
  expect(ended).toBe(true);
  expect(err).toBeInstanceOf(Error);
  expect(isDbUnavailable(err)).toBe(true); // → 503 with Retry-After, not 500
  // The broken connection was discarded: the pool answers with a fresh one.
  expect((await pool.query<{ x: number }>('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
});

it('an idle pooled connection ended by the database is replaced on the next query', async () => {
  const { rows: [{ pid }] } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const connections = pool.totalCount;
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  // The pool has seen the connection end and let it go.
  await expect.poll(() => pool.totalCount).toBe(connections - 1);
  const { rows: [after] } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  expect(after.pid).not.toBe(pid);
});

it('a transaction PostgreSQL aborts to break a deadlock is run again (concurrent case reports deadlocked on case_cells)', async () => {
  // Two transactions take two locks in opposite orders: one of them is the deadlock victim (40P01, after
  // deadlock_timeout), and is run again once the other has committed.
  const runs = { a: 0, b: 0 };
  let holding = 0;
  let bothHold!: () => void;
  const both = new Promise<void>((r) => (bothHold = r));
  const take = (name: 'a' | 'b', first: number, second: number) => inTransaction(pool, async (tx) => {
    runs[name]++;
    await tx.query('SELECT pg_advisory_xact_lock(4201067, $1)', [first]);
    if (++holding === 2) bothHold();
    if (holding <= 2) await both;
    await tx.query('SELECT pg_advisory_xact_lock(4201067, $1)', [second]);
    return name;
  });
  expect(await Promise.all([take('a', 1, 2), take('b', 2, 1)])).toEqual(['a', 'b']);
  expect(runs.a + runs.b).toBe(3);
});
