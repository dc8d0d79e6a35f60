// Anonymous clients cannot starve everyone else: the cost limits of the public routes (server/limits/) on a
// real server. Slow queries are made slow by a lock this test holds on pipes, not by the clock: a request
// that reaches the database waits there until the lock is let go (or its statement timeout ends it).
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { loginAs, useTestApp, type TestAppContext } from '../helpers/app.ts';

/** A filtered items page: an expensive request (it may read the whole table). */
const FILTERED = `/api/collections/pipes/items?limit=5&filter=${encodeURIComponent('diameter_mm > 0')}`;

function request(ctx: TestAppContext, path: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  return fetch(ctx.app.baseUrl + path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> ?? {}) } });
}

/** Holds an exclusive lock on `table` (from the test's own connection) until the returned function is called. */
async function lockPipes(db: pg.Client, table = 'pipes'): Promise<() => Promise<void>> {
  await db.query('BEGIN');
  await db.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return async () => { await db.query('ROLLBACK'); };
}

/** Waits until `n` of the server's statements wait for a lock (they got past every limit and reached the database). */
async function waitingOnLock(db: pg.Client, n: number, query = '%'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await lockWaiters(db, query) >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${n} statements never waited for the lock`);
}

/** How many of the server's statements (those whose text is LIKE `query`) wait for a lock. */
async function lockWaiters(db: pg.Client, query = '%'): Promise<number> {
  // The lock's transaction would otherwise see the activity as it was at its first look.
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'wuchang-onemap' AND wait_event_type = 'Lock' AND query LIKE $1`, [query]);
  return rows[0].n;
}

/** `p`, or an error after `ms`: a request the server should have answered at once must not hang the test. */
function soon<T>(p: Promise<T>, ms = 10_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);
}

describe('per-client limits (anonymous clients, each address its own)', () => {
  const ctx = useTestApp({ trustProxy: true });
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('a 3rd concurrent expensive request from one address is a 429 with Retry-After; an account or another address still gets through', async () => {
    const account = (await loginAs(ctx, 'planner')).headers;
    const unlock = await lockPipes(ctx.db);
    let held: Promise<Response>[] = [];
    try {
      held = [request(ctx, FILTERED, from('203.0.113.7')), request(ctx, FILTERED, from('203.0.113.7'))];
      await waitingOnLock(ctx.db, 2);
      const third = await soon(request(ctx, FILTERED, from('203.0.113.7')));
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await third.json()).message).toMatch(/at most 2 expensive requests .* from one address without logging in/);
      held.push(request(ctx, FILTERED, from('203.0.113.8')), request(ctx, FILTERED, { ...from('203.0.113.7'), ...account }));
      await waitingOnLock(ctx.db, 4);
    } finally {
      await unlock();
    }
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // The slots are given back with the answers.
    expect((await request(ctx, FILTERED, from('203.0.113.7'))).status).toBe(200);
  });

  it('cheap requests (a bbox page of the default size, nearest) are not counted', async () => {
    const unlock = await lockPipes(ctx.db);
    const held = [request(ctx, FILTERED, from('203.0.113.9')), request(ctx, FILTERED, from('203.0.113.9'))];
    try {
      await waitingOnLock(ctx.db, 2);
      expect((await soon(request(ctx, '/api/collections/cameras/items?bbox=114.30,30.54,114.32,30.56', from('203.0.113.9')))).status).toBe(200);
      expect((await soon(request(ctx, '/api/query/nearest?lon=114.31&lat=30.55&layers=cameras', from('203.0.113.9')))).status).toBe(200);
    } finally {
      await unlock();
    }
    await Promise.all(held);
  });

  it('items pages: a limit above 1000 is served as 1000 without logging in, in full for an account', async () => {
    const anonymous = await (await request(ctx, '/api/collections/cameras/items?limit=5000', from('203.0.113.10'))).json();
    expect(anonymous.numberReturned).toBe(1000);
    expect(anonymous.links.find((l: { rel: string }) => l.rel === 'next')).toBeDefined();
    const account = (await loginAs(ctx, 'planner')).headers;
    expect((await (await request(ctx, '/api/collections/cameras/items?limit=5000', account)).json()).numberReturned).toBe(5000);
  });

  it('a network export of more than 2000 reaches is a 401 that says to log in; logged in it is served', async () => {
    const ids = (await ctx.db.query('SELECT id FROM pipes ORDER BY id LIMIT 2001')).rows.map((r) => r.id);
    const body = (n: number) => ({ method: 'POST', body: JSON.stringify({ format: 'csv', ids: ids.slice(0, n) }), headers: { 'content-type': 'application/json' } });
    const anonymous = await request(ctx, '/api/network/export', from('203.0.113.11'), body(2001));
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).message).toMatch(/2001 reaches: exports of more than 2000 reaches are for logged-in users; log in/);
    const viaGet = await request(ctx, `/api/network/export?format=csv&ids=${ids.join(',')}`, from('203.0.113.11'));
    expect(viaGet.status).toBe(401);
    expect((await request(ctx, '/api/network/export', from('203.0.113.11'), body(2000))).status).toBe(200);
    const account = (await loginAs(ctx, 'planner')).headers;
    const logged = await request(ctx, '/api/network/export', account, body(2001));
    expect(logged.status).toBe(200);
    expect((await logged.text()).trim().split('\r\n')).toHaveLength(2002);
  });

  it('live streams: a 5th open stream from one address is a 429; another address, or an account, still connects', async () => {
    const streams: AbortController[] = [];
    const open = async (headers: Record<string, string>) => {
      const ctrl = new AbortController();
      streams.push(ctrl);
      return soon(fetch(`${ctx.app.baseUrl}/api/live`, { headers, signal: ctrl.signal }));
    };
    try {
      for (let i = 0; i < 4; i++) expect((await open(from('203.0.113.12'))).status).toBe(200);
      const fifth = await open(from('203.0.113.12'));
      expect(fifth.status).toBe(429);
      expect((await fifth.json()).message).toMatch(/at most 4 live streams/);
      expect((await open(from('203.0.113.13'))).status).toBe(200);
      expect((await open({ ...from('203.0.113.12'), ...(await loginAs(ctx, 'dispatcher')).headers })).status).toBe(200);
    } finally {
      for (const s of streams) s.abort();
    }
    // A closed stream gives its place back.
    for (let i = 0; ; i++) {
      const again = await open(from('203.0.113.12'));
      if (again.status === 200) break;
      if (i > 100) throw new Error('the closed streams never gave their places back');
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const s of streams) s.abort();
  });
});

describe('the pool share of anonymous work', () => {
  const ctx = useTestApp({ trustProxy: true });

  it('anonymous work holds at most half the pool (8 of 16): more waits its turn, and requests of other kinds are still answered', async () => {
    const streams: AbortController[] = [];
    const unlock = await lockPipes(ctx.db, 'live_events');
    try {
      // Live streams resuming from an event id: each reads live_events on opening, which the lock holds up.
      for (let i = 0; i < 12; i++) {
        const ctrl = new AbortController();
        streams.push(ctrl);
        void fetch(`${ctx.app.baseUrl}/api/live`, { headers: { 'x-forwarded-for': `203.0.113.${20 + (i % 4)}`, 'last-event-id': '1' }, signal: ctrl.signal }).catch(() => {});
      }
      // The opening read of a resuming stream (the hub's own reads of new events are not a client's).
      const opening = 'SELECT min(id)%';
      await waitingOnLock(ctx.db, 8, opening);
      // A deliberate wait: the four held back by the share must still be held back a while later.
      await new Promise((r) => setTimeout(r, 300));
      expect(await lockWaiters(ctx.db, opening)).toBe(8);
      const [m] = (await ctx.db.query('SELECT id FROM manholes ORDER BY id LIMIT 1')).rows;
      expect((await soon(fetch(`${ctx.app.baseUrl}/api/details/manholes/${m.id}`))).status).toBe(200);
      expect((await soon(fetch(`${ctx.app.baseUrl}/api/query/nearest?lon=114.31&lat=30.55&layers=pipes`))).status).toBe(200);
    } finally {
      await unlock();
      for (const s of streams) s.abort();
    }
  });
});

describe('the anonymous statement timeout', () => {
  // A tiny timeout: the request blocked by the lock is ended by it at once.
  const ctx = useTestApp({ anonymousStatementTimeoutMs: 200 });

  it('ends an anonymous expensive request with a 503 that says it was too expensive; an account waits its turn', async () => {
    const account = (await loginAs(ctx, 'planner')).headers;
    const unlock = await lockPipes(ctx.db);
    let logged: Promise<Response> | undefined;
    try {
      const anonymous = await soon(request(ctx, FILTERED));
      expect(anonymous.status).toBe(503);
      expect((await anonymous.json()).message).toMatch(/too expensive: its database query ran past the time allowed \(0\.2 s without logging in, 30 s logged in\)/);
      logged = request(ctx, FILTERED, account);
      await waitingOnLock(ctx.db, 1);
    } finally {
      await unlock();
    }
    expect((await logged!).status).toBe(200);
    // The connection that timed out serves the next request (with the timeout of whoever asks).
    expect((await request(ctx, FILTERED)).status).toBe(200);
    expect((await request(ctx, FILTERED, account)).status).toBe(200);
  });
});
