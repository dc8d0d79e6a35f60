// Two instances of the server on one database, as behind a balancer: a client's rate limit is one budget
// whichever instance answers (the store in PostgreSQL), a limiter whose database is away counts in memory
// and fails no request, and a write through one instance (or straight into the database) reaches the other's
// in-memory copies — the grid index, the nearest points, the trace graph, the collections' extents — and its
// tile cache by the change feed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/app.ts';
import { createSession, createUser } from '../../server/auth/users.ts';
import { sharedRateLimits } from '../../server/limits/shared-rate-store.ts';
import { LOGIN_RATE } from '../../server/routes/auth.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { tileVersion } from '../helpers/mvt.ts';

let db: TestDatabase;
let sql: pg.Client;
const servers: { app: App; base: string }[] = [];
const [A, B] = [0, 1];
const url = (i: number, path: string) => servers[i].base + path;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  for (let i = 0; i < 2; i++) {
    const app = await buildApp({ databaseUrl: db.url });
    servers.push({ app, base: await app.app.listen({ port: 0, host: '127.0.0.1' }) });
  }
});
afterAll(async () => {
  for (const s of servers) await s.app.close();
  await sql?.end();
  await db?.drop();
});

/** Polls `probe` until it holds: change events arrive within milliseconds; the bound only stops a hang. */
async function soon<T>(probe: () => Promise<T>, holds: (v: T) => boolean): Promise<T> {
  const until = Date.now() + 5000;
  for (;;) {
    const v = await probe();
    if (holds(v) || Date.now() > until) return v;
    await new Promise((r) => setImmediate(r));
  }
}

describe('rate limits', () => {
  it('logins on A and on B spend one budget: past the limit B answers 429 although it saw fewer', async () => {
    const login = (i: number) => fetch(url(i, '/api/auth/login'), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody-here', password: 'wrong-password-1' }),
    }).then((r) => r.status);
    const onA = Math.ceil(LOGIN_RATE.max / 2) + 1;
    for (let i = 0; i < onA; i++) expect(await login(A)).toBe(401);
    for (let i = onA; i < LOGIN_RATE.max; i++) expect(await login(B)).toBe(401);
    expect(await login(B)).toBe(429);
    expect(await login(A)).toBe(429);
    const { rows } = await sql.query(`SELECT key, hits FROM rate_limits WHERE key LIKE 'POST /api/auth/login %'`);
    expect(rows).toEqual([{ key: 'POST /api/auth/login 127.0.0.1', hits: LOGIN_RATE.max + 2 }]);
    // The window over, the next attempt starts a new one.
    await sql.query(`UPDATE rate_limits SET expires_at = now() - interval '1 second'`);
    expect(await login(B)).toBe(401);
    expect((await sql.query(`SELECT hits FROM rate_limits`)).rows).toEqual([{ hits: 1 }]);
  });

  it('the sweep deletes the counters whose window is over, and only those', async () => {
    await sql.query(`INSERT INTO rate_limits (key, hits, expires_at) VALUES ('POST /x 203.0.113.8', 3, now() - interval '1 second')`);
    const rates = sharedRateLimits(db.url);
    expect(await rates.sweeper.run()).toBe(1);
    await rates.close();
    expect((await sql.query(`SELECT key FROM rate_limits`)).rows).toEqual([{ key: 'POST /api/auth/login 127.0.0.1' }]);
  });

  it('a limiter whose database is away counts in memory: limits hold per instance and no request fails', async () => {
    const rates = sharedRateLimits('postgres://nobody@127.0.0.1:1/none');
    const store = new rates.store({}).child({ routeInfo: { method: 'POST', url: '/x' } } as never);
    const hit = () => new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      store.incr('203.0.113.7', (err, r) => (err ? reject(err) : resolve(r!)), 60_000, 2));
    expect((await hit()).current).toBe(1);
    expect((await hit()).current).toBe(2);
    const third = await hit();
    expect(third.current).toBe(3);
    expect(third.ttl).toBeGreaterThan(0);
    expect(rates.memoryHits).toBe(3);
    await rates.close();
  });
});

describe('in-memory copies follow writes made elsewhere', () => {
  it('a grid redrawn: B answers grids/at and the grid tiles from the new polygon', async () => {
    const { rows: [g] } = await sql.query(
      `SELECT trim(code) AS code, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT code, ST_PointOnSurface(geom) AS p, area_m2 FROM grids) g ORDER BY area_m2 DESC LIMIT 1`);
    const at = () => fetch(url(B, `/api/grids/at?lon=${g.lon}&lat=${g.lat}`)).then(async (r) => ((await r.json()) as { grid?: { code: string } }).grid?.code);
    const [t] = tilesCovering([g.lon, g.lat, g.lon, g.lat], 14);
    const tile = () => fetch(url(B, `/tiles/grids/14/${t.x}/${t.y}.mvt`)).then((r) => r.headers.get('etag'));
    expect(await at()).toBe(g.code);
    const before = await tile();
    expect(servers[B].app.tiles.cache.has('grids', 14, t.x, t.y)).toBe(true);
    // The grid cut back from the point: as an import or an editor in another process would.
    await sql.query(`UPDATE grids SET geom = ST_Multi(ST_Difference(geom, ST_Buffer(ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, 10)::geometry))
                     WHERE trim(code) = $1`, [g.code, g.lon, g.lat]);
    expect(await soon(at, (c) => c !== g.code)).not.toBe(g.code);
    expect(await soon(tile, (e) => e !== before)).not.toBe(before);
  });

  it('a layer changed: both instances name its tiles by one new version, so a browser keeps them across instances', async () => {
    const versions = (spec: string) => Promise.all([A, B].map((i) => tileVersion(servers[i].base, spec)));
    const [a0, b0] = await versions('pipes,grids');
    const [grids0] = await versions('grids');
    await sql.query('UPDATE pipes SET diameter_mm = diameter_mm + 1 WHERE id = (SELECT min(id) FROM pipes)');
    const [a1, b1] = await soon(() => versions('pipes,grids'), ([a, b]) => a === b && a !== a0);
    expect(a1).toBe(b1);
    expect([a1, b1]).not.toContain(a0);
    expect([a1, b1]).not.toContain(b0);
    // The layer not written keeps its version on each instance.
    expect((await versions('grids'))[0]).toBe(grids0);
    // The version asked on either instance is current there: the tile is kept for good.
    const [t] = tilesCovering([114.3, 30.55, 114.3, 30.55], 14);
    for (const i of [A, B]) {
      const res = await fetch(url(i, `/tiles/pipes,grids/14/${t.x}/${t.y}.mvt?v=${a1}`));
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('a camera moved through A: B finds it nearest its new place and draws it there', async () => {
    const user = await createUser(sql, { username: 'instances-planner', password: 'pw-moves-cameras-long', role: 'planner' });
    const auth = { authorization: `Bearer ${(await createSession(sql, user.id, null)).token}` };
    const { rows: [cam] } = await sql.query(`SELECT id, ST_X(geom) + 0.003 AS lon, ST_Y(geom) + 0.003 AS lat FROM cameras ORDER BY id LIMIT 1`);
    const nearest = () => fetch(url(B, `/api/query/nearest?layers=cameras&lon=${cam.lon}&lat=${cam.lat}&k=1`))
      .then(async (r) => ((await r.json()) as { results: { cameras: { id: number }[] } }).results.cameras[0]?.id);
    const [t] = tilesCovering([cam.lon, cam.lat, cam.lon, cam.lat], 16);
    const tile = () => fetch(url(B, `/tiles/cameras/16/${t.x}/${t.y}.mvt`)).then((r) => r.headers.get('etag'));
    expect(await nearest()).not.toBe(cam.id);
    const before = await tile();
    const read = await fetch(url(A, `/api/edit/cameras/${cam.id}`), { headers: auth });
    const moved = await fetch(url(A, `/api/edit/cameras/${cam.id}`), {
      method: 'PATCH', headers: { ...auth, 'content-type': 'application/json', 'if-match': read.headers.get('etag')! },
      body: JSON.stringify({ lon: cam.lon, lat: cam.lat }),
    });
    expect(moved.status, await moved.text()).toBe(200);
    expect(await soon(nearest, (id) => id === cam.id)).toBe(cam.id);
    expect(await soon(tile, (e) => e !== before)).not.toBe(before);
    // The collection's extent (held by each instance) follows too.
    const since = () => fetch(url(B, '/api/collections/cameras')).then(async (r) => ((await r.json()) as { extent: { temporal: { interval: string[][] } } }).extent.temporal.interval[0][0]);
    expect(await since()).not.toBe('1990-01-01T00:00:00Z');
    await sql.query(`UPDATE cameras SET installed_on = '1990-01-01' WHERE id = $1`, [cam.id]);
    expect(await soon(since, (t) => t === '1990-01-01T00:00:00Z')).toBe('1990-01-01T00:00:00Z');
  });

  it('a reach added downstream: B traces it from its graph in memory', async () => {
    const { rows: [p] } = await sql.query(`SELECT p.id, p.to_node, m.id AS other FROM pipes p, LATERAL (SELECT id FROM manholes WHERE id <> p.to_node AND id <> p.from_node ORDER BY id LIMIT 1) m ORDER BY p.id LIMIT 1`);
    const trace = () => fetch(url(B, `/api/trace?from=pipe:${p.id}&direction=downstream`))
      .then(async (r) => ((await r.json()) as { pipes: { ids: number[] }; method: string }));
    const first = await trace();
    expect(first.method).toBe('memory');
    const { rows: [added] } = await sql.query(
      `INSERT INTO pipes (code, from_node, to_node, usage, length_m, geom)
       SELECT 'INSTANCES-TEST', a.id, b.id, 'rain', 10, ST_MakeLine(a.geom, b.geom) FROM manholes a, manholes b WHERE a.id = $1 AND b.id = $2
       RETURNING id`, [p.to_node, p.other]);
    expect(first.pipes.ids).not.toContain(added.id);
    expect((await soon(trace, (r) => r.pipes.ids.includes(added.id))).pipes.ids).toContain(added.id);
  });
});
