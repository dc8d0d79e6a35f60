// A read whose client has gone stops: its statement is cancelled (PostgreSQL's cancel request) and its
// connection goes back to the pool healthy; a tile query shared by concurrent requests stops only when
// every one of them has gone. The slow query is a real one waiting for a lock the test holds on `cases`.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { whileWanted } from '../../server/db/cancel-scope.ts';
import { TileCache } from '../../server/tiles/cache.ts';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
/** How soon an abandoned statement must be gone: it takes milliseconds; the rest is room for a loaded machine. */
const GONE_MS = 5_000;

async function until<T>(what: string, probe: () => Promise<T | false | undefined>): Promise<T> {
  const end = Date.now() + GONE_MS;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not within ${GONE_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The app's backends whose statement waits for a lock. */
async function waiting(): Promise<number[]> {
  const { rows } = await ctx.db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'wuchang-onemap'
     AND state = 'active' AND wait_event_type = 'Lock'`);
  return rows.map((r) => r.pid);
}

const stateOf = async (pid: number) => (await ctx.db.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.state;

/** Runs `fn` while another session holds `cases` locked: every read of it waits. */
async function withCasesLocked<T>(fn: (unlock: () => Promise<void>) => Promise<T>): Promise<T> {
  const locker = new pg.Client({ connectionString: ctx.app.db.url });
  await locker.connect();
  let open = true;
  const unlock = async () => {
    if (open) await locker.query('ROLLBACK');
    open = false;
  };
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE cases IN ACCESS EXCLUSIVE MODE');
    return await fn(unlock);
  } finally {
    await unlock();
    await locker.end();
  }
}

describe('abandoned reads', () => {
  it.each([
    ['an items page', '/api/collections/cases/items?bbox=114.30,30.54,114.32,30.56&limit=10'],
    ['a tile', '/tiles/cases/16/53577/26922.mvt'],
  ])('%s whose client went away: its statement is cancelled and its connection stays in the pool', async (_what, url) => {
    await withCasesLocked(async () => {
      const client = new AbortController();
      const answer = fetch(`${ctx.app.baseUrl}${url}`, { signal: client.signal }).catch(() => null);
      // An items page counts its matches beside the page: one or two statements.
      const pids = await until('the read waits for the lock', async () => (await waiting()).length > 0 && waiting());
      client.abort();
      expect(await answer).toBeNull();
      await until('its statements are gone', async () => (await waiting()).length === 0);
      // Still connected, and idle: released to the pool, not discarded.
      for (const pid of pids) await until('its connection is idle', async () => (await stateOf(pid)) === 'idle');
    });
    const again = await fetch(`${ctx.app.baseUrl}${url}`);
    expect(again.status).toBe(200);
  });

  it('a shared tile query stops only when all the requests waiting for it have gone', async () => {
    const { pool } = ctx.app.server;
    const cache = new TileCache();
    const make = () => pool.query<{ b: Buffer }>(`SELECT convert_to(count(*)::text, 'UTF8') AS b FROM cases`).then((r) => r.rows[0].b);
    // Each scenario asks for a tile of its own: the first one's answer stays cached.
    const tile = (signal: AbortSignal, x: number) => whileWanted(signal, () => cache.get('shared', 1, x, 0, make));

    // One of two goes: the other gets its tile.
    await withCasesLocked(async (unlock) => {
      const [a, b] = [new AbortController(), new AbortController()];
      const [pa, pb] = [tile(a.signal, 0), tile(b.signal, 0)];
      const [pid] = await until('one query for both', async () => (await waiting()).length === 1 && waiting());
      a.abort();
      await ctx.db.query('SELECT 1');
      expect(await waiting()).toEqual([pid]);
      await unlock();
      expect((await pb).raw.length).toBeGreaterThan(0);
      expect(await pa).toBe(await pb);
    });

    // Both go: the query is cancelled, and a later request starts one of its own.
    await withCasesLocked(async () => {
      const [a, b] = [new AbortController(), new AbortController()];
      const settled = Promise.allSettled([tile(a.signal, 1), tile(b.signal, 1)]);
      const [pid] = await until('one query for both', async () => (await waiting()).length === 1 && waiting());
      a.abort();
      b.abort();
      await until('the shared statement is gone', async () => !(await waiting()).includes(pid));
      expect((await settled).map((s) => s.status)).toEqual(['rejected', 'rejected']);
      await until('its connection is idle', async () => (await stateOf(pid)) === 'idle');
    });
    expect((await tile(new AbortController().signal, 1)).raw.length).toBeGreaterThan(0);
  });
});
