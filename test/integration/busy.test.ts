// A server whose every database connection stays busy answers 503 "busy" with Retry-After — not the
// "database cannot be reached" of an outage, and not a 500 — and serves again once a connection is free.
import type pg from 'pg';
import { expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp({ poolSize: 2 });

it('all pooled connections held past the pool\'s wait: 503 busy with Retry-After, then 200 when one is free', async () => {
  const pool = ctx.app.server.pool;
  const held: pg.PoolClient[] = [await pool.connect(), await pool.connect()];
  try {
    const res = await fetch(`${ctx.app.baseUrl}/api/collections/cameras/items?limit=1`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await res.json() as { message: string }).message).toMatch(/the server is busy \(all 2 database connections in use\)/);
  } finally {
    for (const c of held) c.release();
  }
  expect((await fetch(`${ctx.app.baseUrl}/api/collections/cameras/items?limit=1`)).status).toBe(200);
});
