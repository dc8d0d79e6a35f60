// Reads from a real streaming standby of the test cluster (pg_basebackup): tiles, items, spatial queries and
// the other read-only GETs (details, density, case list and detail…) are served there; a client reads its own
// write (a camera, a case) while the standby's replay is paused, and a write request reads none of its
// answer from the standby; a tile invalidated
// by a write is not kept from the paused standby and shows the write once it replays; one too far behind,
// or stopped, costs no request an error, and is used again once it is back.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { EditedFeature } from '../../common/api/edit.ts';
import type { Health } from '../../common/api/health.ts';
import { parseLsn } from '../../server/db/lsn.ts';
import { writing } from '../../server/db/read-scope.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { decodeTile } from '../helpers/mvt.ts';
import { makeStandby, type Standby } from '../helpers/standby.ts';

let standby: Standby;
beforeAll(async () => {
  standby = await makeStandby(inject('databaseUrl'));
});
// Registered before the app's: stopped after the app is.
afterAll(async () => {
  await standby?.remove();
});

// A lag limit no paused replay reaches during the file; probed often, so the tests wait little.
const ctx = useTestApp((db) => ({ replica: { url: standby.urlOf(db.url), maxLagMs: 60_000, probeMs: 100 } }));
let planner: Record<string, string>;
let dispatcher: Record<string, string>;
let at: { lon: number; lat: number };
let codes = 0;

const get = (path: string, headers: Record<string, string> = {}) => fetch(ctx.app.baseUrl + path, { headers: { 'accept-encoding': 'identity', ...headers } });
const health = async () => (await (await get('/api/health')).json() as Health).replica;
const reads = () => ({ ...ctx.app.server.replica!.reads });
const standbyRows = <R extends Record<string, unknown>>(sql: string) => standby.query<R>(ctx.app.db.url, sql);
const until = (check: () => Promise<unknown>) => vi.waitFor(check, { timeout: 30_000, interval: 50 });

/** A camera added through the API at `at`: its code, and the primary's position the answer names. */
async function addCamera(): Promise<{ code: string; id: number; lsn: string; cookie: string }> {
  const { rows: [r] } = await ctx.db.query(`SELECT '4201060000132' || lpad((max(substr(code, 14, 7)::int) + 1 + $1)::text, 7, '0') AS c FROM cameras WHERE code LIKE '4201060000132%'`, [codes++]);
  const res = await fetch(`${ctx.app.baseUrl}/api/edit/cameras`, {
    method: 'POST', headers: { ...planner, 'content-type': 'application/json' },
    body: JSON.stringify({ lon: at.lon, lat: at.lat, name: '副本测试', code: r.c, azimuth_deg: 90, range_m: 60 }),
  });
  const body = await res.json() as EditedFeature;
  expect(res.status, JSON.stringify(body)).toBe(201);
  const lsn = res.headers.get('onemap-lsn')!;
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('onemap-lsn='))!;
  return { code: r.c as string, id: body.id as number, lsn, cookie };
}

/** The camera codes in a tile of the cameras layer. */
async function cameraCodes(z: number, x: number, y: number, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await get(`/tiles/cameras/${z}/${x}/${y}.mvt`, headers);
  expect(res.status).toBe(200);
  return Object.values(decodeTile(new Uint8Array(await res.arrayBuffer()))).flatMap((l) => l.features.map((f) => String(f.properties.code).trim()));
}

async function pauseReplay(): Promise<void> {
  await standbyRows('SELECT pg_wal_replay_pause()');
  await until(async () => expect((await standbyRows<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s'))[0].s).toBe('paused'));
}

async function resumeReplay(past: string): Promise<void> {
  await standbyRows('SELECT pg_wal_replay_resume()');
  await until(async () => expect(parseLsn((await standbyRows<{ l: string }>('SELECT pg_last_wal_replay_lsn()::text AS l'))[0].l)! >= parseLsn(past)!).toBe(true));
}

beforeAll(async () => {
  planner = (await loginAs(ctx, 'planner')).headers;
  dispatcher = (await loginAs(ctx, 'dispatcher')).headers;
  const { rows: [g] } = await ctx.db.query(`SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p, area_m2 FROM grids) g ORDER BY area_m2 DESC LIMIT 1`);
  at = g;
  await until(async () => expect(await health()).toMatchObject({ up: true, fallback: false }));
});

describe('a streaming standby', () => {
  it('serves tiles, items pages, spatial queries, counts in view and search; /api/health reports it', async () => {
    const before = reads();
    const [x, y] = [at.lon.toFixed(5), at.lat.toFixed(5)];
    expect((await get('/api/collections/pipes/items?limit=5')).status).toBe(200);
    expect((await get(`/api/query/nearest?lon=${x}&lat=${y}&layers=pipes&k=3`)).status).toBe(200);
    const within = await fetch(`${ctx.app.baseUrl}/api/query/within`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ layers: 'pipes', circle: { lon: at.lon, lat: at.lat, radius_m: 200 } }),
    });
    expect(within.status).toBe(200);
    // A read with a body names no position: it wrote nothing.
    expect(within.headers.get('onemap-lsn')).toBeNull();
    const t = tilesCovering([at.lon, at.lat, at.lon, at.lat], 15)[0];
    expect((await get(`/tiles/pipes/15/${t.x}/${t.y}.mvt`)).status).toBe(200);
    const box = [at.lon - 0.01, at.lat - 0.01, at.lon + 0.01, at.lat + 0.01].map((v) => v.toFixed(5)).join(',');
    expect((await get(`/api/counts?bbox=${box}&layers=cameras,manholes`)).status).toBe(200);
    expect((await get(`/api/search?q=${encodeURIComponent('武昌')}`)).status).toBe(200);
    expect(reads()).toEqual({ standby: before.standby + 6, primary: before.primary });
    // The reads' connections are the standby's, in this file's database.
    const [{ n }] = await standbyRows<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'wuchang-onemap-replica' AND datname = current_database()`);
    expect(n).toBeGreaterThan(0);
    const h = await health();
    expect(h).toMatchObject({ up: true, fallback: false });
    expect(h!.lag_ms).toBeGreaterThanOrEqual(0);
  });

  it('serves the other read-only GETs: feature details, density, the case list, layer status, the wall summary', async () => {
    const { rows: [pipe] } = await ctx.db.query<{ id: number }>('SELECT id FROM pipes ORDER BY id LIMIT 1');
    const box = [at.lon - 0.02, at.lat - 0.02, at.lon + 0.02, at.lat + 0.02].map((v) => v.toFixed(5)).join(',');
    const before = reads();
    for (const [path, headers] of [
      [`/api/details/pipes/${pipe.id}`, {}], [`/api/cases/density?bbox=${box}&z=14`, {}], ['/api/cases?limit=3', dispatcher],
      ['/api/data/layers', {}], ['/api/wall/summary', {}],
    ] as const) expect((await get(path, headers)).status, path).toBe(200);
    expect(reads()).toEqual({ standby: before.standby + 5, primary: before.primary });
    // A write request's reads (a step's answer is read back after it) never go to the standby.
    expect(await writing(0n, () => ctx.app.server.replica!.choose())).toBeNull();
  });

  it('a case reported and read back at once, replay paused: the reporter sees it (the primary), others do not yet (the standby)', async () => {
    await pauseReplay();
    try {
      const res = await fetch(`${ctx.app.baseUrl}/api/cases`, {
        method: 'POST', headers: { ...dispatcher, 'content-type': 'application/json' },
        body: JSON.stringify({ item_code: 'E0101', lon: at.lon, lat: at.lat, description: '副本读己之写' }),
      });
      const c = await res.json() as { id: number; description: string };
      expect(res.status, JSON.stringify(c)).toBe(201);
      const lsn = res.headers.get('onemap-lsn')!;
      const before = reads();
      const mine = await get(`/api/cases/${c.id}`, { ...dispatcher, 'onemap-lsn': lsn });
      expect(mine.status).toBe(200);
      expect(await mine.json()).toMatchObject({ id: c.id, description: '副本读己之写' });
      expect(reads()).toEqual({ standby: before.standby, primary: before.primary + 1 });
      expect((await get(`/api/cases/${c.id}`, dispatcher)).status).toBe(404);
      expect(reads().standby).toBe(before.standby + 1);
    } finally {
      await standbyRows('SELECT pg_wal_replay_resume()');
    }
  });

  it('a client reads its own write while the standby replays nothing; others read the standby', async () => {
    await pauseReplay();
    try {
      const cam = await addCamera();
      expect(cam.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(cam.cookie).toMatch(new RegExp(`^onemap-lsn=${cam.lsn.replace('/', '\\/')}; HttpOnly; SameSite=Lax; Path=/; Max-Age=\\d+$`));
      const item = `/api/collections/cameras/items/${cam.id}`;
      const before = reads();
      // The browser brings the cookie back; an API client the header. The paused standby lacks the write: the primary answers.
      expect((await get(item, { cookie: cam.cookie.split(';')[0] })).status).toBe(200);
      expect((await get(item, { 'onemap-lsn': cam.lsn })).status).toBe(200);
      expect(reads().primary).toBe(before.primary + 2);
      // Without it the standby answers, as it was before the write.
      expect((await get(item)).status).toBe(404);
      expect(reads().standby).toBe(before.standby + 1);
      // Once it is further behind than its limit, nobody reads it.
      const replica = ctx.app.server.replica! as unknown as { maxLagMs: number };
      replica.maxLagMs = 200;
      try {
        await until(async () => expect(await health()).toMatchObject({ up: true, fallback: true }));
        expect((await health())!.lag_ms).toBeGreaterThan(200);
        expect((await health())!.lag_bytes).toBeGreaterThan(0);
        const behind = reads();
        expect((await get(item)).status).toBe(200);
        expect(reads()).toEqual({ standby: behind.standby, primary: behind.primary + 1 });
      } finally {
        replica.maxLagMs = 60_000;
      }
      await resumeReplay(cam.lsn);
      expect((await get(item)).status).toBe(200);
    } finally {
      await standbyRows('SELECT pg_wal_replay_resume()');
    }
  });

  it('does not keep a tile the paused standby made after a change to its layer; once it replays, the tile shows the change', async () => {
    const t = tilesCovering([at.lon, at.lat, at.lon, at.lat], 17)[0];
    const key = [17, t.x, t.y] as const;
    const tiles = ctx.app.server.tiles;
    // Kept once the standby's position (as last probed) is past the layer's last change.
    const kept = () => until(async () => {
      await cameraCodes(...key);
      expect(tiles.cache.has('cameras', ...key)).toBe(true);
    });
    await kept();
    await pauseReplay();
    let cam;
    try {
      cam = await addCamera();
      // The change feed has heard the write (the position of the layer's last change is past it).
      await until(async () => expect(await tiles.changeHeard('cameras') >= parseLsn(cam!.lsn)!).toBe(true));
      const before = reads();
      expect(await cameraCodes(...key)).not.toContain(cam.code);
      expect(reads().standby).toBe(before.standby + 1);
      await tiles.changeHeard('cameras');
      await new Promise((r) => setImmediate(r));
      expect(tiles.cache.has('cameras', ...key)).toBe(false);
      await resumeReplay(cam.lsn);
    } finally {
      await standbyRows('SELECT pg_wal_replay_resume()');
    }
    const before = reads();
    expect(await cameraCodes(...key)).toContain(cam.code);
    expect(reads().standby).toBe(before.standby + 1);
    await kept();
  });

  it('stopped: reads are answered by the primary and health says so; started again: it serves reads again', async () => {
    await standby.stop();
    const t = tilesCovering([at.lon, at.lat, at.lon, at.lat], 16)[0];
    expect((await get('/api/collections/pipes/items?limit=7')).status).toBe(200);
    expect((await get(`/tiles/pipes/16/${t.x}/${t.y}.mvt`)).status).toBe(200);
    expect((await get(`/api/query/nearest?lon=${at.lon}&lat=${at.lat}&layers=pipes&k=2`)).status).toBe(200);
    await until(async () => expect(await health()).toMatchObject({ up: false, fallback: true }));
    const before = reads();
    expect((await get('/api/collections/pipes/items?limit=8')).status).toBe(200);
    expect(reads()).toEqual({ standby: before.standby, primary: before.primary + 1 });

    await standby.start();
    await until(async () => expect(await health()).toMatchObject({ up: true, fallback: false }));
    expect((await get('/api/collections/pipes/items?limit=9')).status).toBe(200);
    expect(reads().standby).toBe(before.standby + 1);
  });
});
