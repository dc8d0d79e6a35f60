// Property-based fuzzing of every route in /api/openapi.json (and of paths that are not there): requests
// that fit each operation's schema and requests broken in every way fuzz-values.ts knows, each sent
// anonymously and as an admin. No answer may be a 5xx, every 4xx says what is wrong, nothing gives a
// stack trace away, and the server is healthy afterwards. The seed is fixed: a failure replays.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { send } from '../helpers/fuzz-http.ts';
import { nonFiniteRequests, requestsFor, unknownPaths } from '../helpers/fuzz-requests.ts';
import { Fuzzer, inParallel } from '../helpers/fuzz-run.ts';
import { operations, type Operation } from '../helpers/fuzz-schema.ts';
import { loadWorld, type World } from '../helpers/fuzz-world.ts';

const ctx = useTestApp({ trustProxy: true });

/** Fixed, so a failure replays; FUZZ_SEED explores other inputs. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
/** Generated requests per operation (each sent twice: anonymous and admin); FUZZ_RUNS to go deeper. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Operations fuzzed at once: most of a request's time is spent waiting on PostgreSQL or ogr2ogr. */
const CONCURRENCY = 6;
/**
 * More runs where the inputs are richest (OGC items with CQL2, bbox, datetime; geometry; writes); fewer
 * for login (scrypt) and network exports (GeoPackages are written by ogr2ogr).
 */
const EXTRA: Record<string, number> = {
  'POST /api/auth/login': 0.5,
  'POST /api/network/export': 0.5,
  'GET /api/collections/{collectionId}/items': 6,
  'POST /api/query/within': 3,
  'GET /tiles/{layer}/{z}/{x}/{file}': 3,
  'POST /api/cases': 2,
  'POST /open311/v2/requests.json': 2,
};

let fuzzer: Fuzzer;
let adminAuth: string;
let world: World;
let ops: Operation[];
const started = Date.now();

beforeAll(async () => {
  const { headers, user } = await loginAs(ctx, 'admin');
  adminAuth = headers.authorization;
  fuzzer = new Fuzzer(ctx.app.baseUrl, { authorization: adminAuth, id: Number(user.id) }, SEED);
  ops = operations(await (await fetch(`${ctx.app.baseUrl}/api/openapi.json`)).json());
  const index = await (await fetch(`${ctx.app.baseUrl}/tiles/index.json`)).json() as { layers?: { id: string }[] } | { id: string }[];
  const layers = (Array.isArray(index) ? index : index.layers ?? []).map((l) => l.id);
  world = await loadWorld(ctx.db, layers, Number(user.id));
});

afterAll(() => {
  if (!fuzzer) return;
  const { requests, statuses } = fuzzer.totals;
  const summary = {
    seed: SEED, runsPerOperation: RUNS, operations: ops?.length ?? 0, requests, statusCounts: statuses,
    seconds: Math.round((Date.now() - started) / 100) / 10, failures: fuzzer.failures, byOperation: fuzzer.byOperation,
  };
  console.log(`fuzz: ${requests} requests over ${summary.operations} operations (+ unknown paths), status counts ${JSON.stringify(statuses)}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/fuzz.json', `${JSON.stringify(summary, null, 2)}\n`);
});

function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const phi = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n)];
}

describe('fuzzing the API', () => {
  it('every operation in the OpenAPI document answers every request with a 2xx/3xx or a 4xx that says why', async () => {
    expect(ops.length).toBeGreaterThan(50);
    expect(world.tileLayers.length).toBeGreaterThan(5);
    const found: string[] = [];
    await inParallel(ops, CONCURRENCY, async (op) => {
      const name = `${op.method} ${op.path}`;
      const failure = await fuzzer.fuzz(name, requestsFor(op, world), Math.ceil(RUNS * (EXTRA[name] ?? 1)));
      if (failure) found.push(failure);
    });
    expect(found, found.join('\n\n')).toEqual([]);
  }, Math.max(240_000, RUNS * 10_000));

  it('no numeric parameter or body property is crashed by Infinity (text that the schema coerces past its limits)', async () => {
    const found: string[] = [];
    await inParallel(ops, CONCURRENCY, async (op) => {
      for (const req of nonFiniteRequests(op, world, fuzzer.seedOf(`${op.method} ${op.path}`))) {
        await fuzzer.exchange(req).catch((err: Error) => { found.push(`${req.op}:\n${err.message}`); });
      }
    });
    fuzzer.failures.push(...found);
    expect(found, found.join('\n\n')).toEqual([]);
  }, 120_000);

  it('paths and methods that no route has get a 404/405 with a message', async () => {
    const failure = await fuzzer.fuzz('unknown paths', unknownPaths(), RUNS * 4);
    expect(failure, failure ?? '').toBeNull();
  }, 120_000);

  it('imports accepted during the fuzzing end as done or as failed with a reason, never as a server failure', async () => {
    for (const id of fuzzer.importJobs) {
      let job: { state: string; error?: string } = { state: 'queued' };
      for (let i = 0; i < 200 && (job.state === 'queued' || job.state === 'running'); i++) {
        if (i) await new Promise((r) => setTimeout(r, 100));
        job = await (await fetch(`${ctx.app.baseUrl}/api/imports/jobs/${id}`)).json();
      }
      expect(['done', 'failed'], JSON.stringify(job)).toContain(job.state);
      expect(job.error ?? '', JSON.stringify(job)).not.toMatch(/failed on the server/);
    }
  }, 60_000);

  it('the server is healthy afterwards: health, collections, a tile, an items page, the admin session', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${ctx.app.baseUrl}${path}`, { headers });
    const health = await get('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const collections = await get('/api/collections');
    expect(collections.status).toBe(200);
    expect(((await collections.json()) as { collections: unknown[] }).collections.length).toBeGreaterThan(5);
    const [x, y] = tileAt(114.33, 30.55, 14);
    const tile = await get(`/tiles/pipes/14/${x}/${y}.mvt`);
    expect(tile.status).toBe(200);
    expect((await tile.arrayBuffer()).byteLength).toBeGreaterThan(100);
    expect((await get('/api/collections/manholes/items?limit=2')).status).toBe(200);
    expect((await get('/api/auth/me', { authorization: adminAuth })).status).toBe(200);
    // No connection is left checked out of the pool by a request that failed half way.
    const { pool: db } = ctx.app.server;
    await expect.poll(() => db.totalCount - db.idleCount, { message: 'pool connections still in use' }).toBe(0);
  });
});

// Each of these was a 500 the fuzzer found; each is now a 4xx that says what is wrong (or, for values
// PostgreSQL cannot hold but that mean something, stored as what they mean).
describe('regressions found by the fuzzer', () => {
  const call = async (method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown; raw?: string } = {}) => {
    const res = await send(ctx.app.baseUrl, {
      op: 'regression', method, url: path,
      headers: { 'x-forwarded-for': fuzzer.freshIp(), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    return { status: res.status, text: res.text, json: () => JSON.parse(res.text) };
  };
  const admin = () => ({ authorization: adminAuth });

  it('a session cookie that is not valid percent-encoding names no session: 401, not a 500', async () => {
    for (const path of ['/api/auth/me', '/api/cases/1', '/api/users']) {
      const res = await call('GET', path, { headers: { cookie: 'onemap_session=%E0%A4%A' } });
      expect(res.status, path).toBe(401);
      expect(res.json().message).toMatch(/log(ged)? in/);
    }
  });

  it('a misspelt parameter or an unknown body property is refused by name, not silently dropped', async () => {
    const list = await call('GET', '/api/cases?staus=closed', { headers: admin() });
    expect(list.status).toBe(400);
    expect(list.json().message).toBe('querystring has an unknown property "staus"');
    const user = await call('POST', '/api/users', { headers: admin(), body: { username: 'x.extra', password: 'long enough pw', role: 'planner', rol: 'admin' } });
    expect(user.status).toBe(400);
    expect(user.json().message).toBe('body has an unknown property "rol"');
    const nearest = await call('GET', '/api/query/nearest?lon=114.31&lat=30.55&layers=manholes&kk=3');
    expect(nearest.status).toBe(400);
    expect(nearest.json().message).toBe('querystring has an unknown property "kk"');
    const within = await call('POST', '/api/query/within', { body: { layers: ['manholes'], circle: { lon: 114.31, lat: 30.55, radius_m: 50, radius: 5000 } } });
    expect(within.status).toBe(400);
    expect(within.json().message).toBe('body/circle has an unknown property "radius"');
  });

  it('a photo upload whose body is JSON (even null) is a 400 asking for the image', async () => {
    for (const raw of ['null', '{}', '"x"', '[]']) {
      const res = await call('POST', '/api/media', { raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, raw).toBe(400);
      expect(res.json().message).toMatch(/must be the photo/);
    }
  });

  it('a vehicle position with a subnormal speed or heading is stored as 0, not refused by the real column', async () => {
    const [v] = (await ctx.db.query('SELECT id FROM vehicles ORDER BY id LIMIT 1')).rows;
    const t = new Date().toISOString();
    const res = await call('POST', '/api/ingest/positions', { headers: admin(), body: { vehicle_id: v.id, t, lon: 114.31, lat: 30.55, speed_kmh: 1e-300, heading_deg: 5e-324 } });
    expect(res.status, res.text).toBe(200);
    const [row] = (await ctx.db.query('SELECT speed_kmh, heading_deg FROM vehicles WHERE id = $1', [v.id])).rows;
    expect(row).toEqual({ speed_kmh: 0, heading_deg: 0 });
  });

  it('free text with NUL or an unpaired surrogate is a 400 naming the field, in reports, steps and Open311', async () => {
    const [[lon, lat]] = world.points;
    for (const description of ['\ud800', 'a\u0000b', '\udfff tail']) {
      const open311 = await call('POST', '/open311/v2/requests.json', { body: { service_code: world.items[0], lat, long: lon, description } });
      expect(open311.status, open311.text).toBe(400);
      expect(open311.json()[0].description).toMatch(/description contains (a NUL|an unpaired)/);
      const report = await call('POST', '/api/cases', { headers: admin(), body: { item_code: world.items[0], lon, lat, description } });
      expect(report.status, report.text).toBe(400);
      expect(report.json().message).toMatch(/description contains/);
    }
    const contact = await call('POST', '/open311/v2/requests.xml', { body: { service_code: world.items[0], lat, long: lon, first_name: 'x\ud800' } });
    expect(contact.status).toBe(400);
    expect(contact.text).toMatch(/<description>body\/first_name contains an unpaired UTF-16 surrogate/);
    // A form (what Open311 clients post) is checked where it is read, by the same rule as JSON at the door.
    const form = await call('POST', '/open311/v2/requests.json', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: new URLSearchParams({ service_code: world.items[0], lat: String(lat), long: String(lon), description: 'a\u0001b' }).toString(),
    });
    expect(form.status, form.text).toBe(400);
    expect(form.json()[0].description).toMatch(/^description contains the control character U\+0001/);
    const step = await call('POST', `/api/cases/${world.caseIds[0]}/actions/verify`, { headers: admin(), body: { note: 'ok\u0000' } });
    expect(step.status, step.text).toBe(400);
    expect(step.json().message).toMatch(/note contains/);
  });

  it('NUL in any other text that reaches PostgreSQL (audit filters, a display name) is a 400, not a 500', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/audit?actor=%00', undefined],
      ['GET', '/api/audit?entity=a%00b', undefined],
      ['POST', '/api/users', { username: 'nul-name', password: 'a-long-password-1', role: 'field', display_name: 'a\u0000b' }],
    ] as const) {
      const res = await call(method, path, { headers: admin(), body });
      expect(res.status, `${path} ${res.text}`).toBe(400);
      expect(res.json().message).toMatch(/NUL|cannot be stored/);
    }
  });
});

describe('regressions found by the fuzzer: non-finite numbers', () => {
  const post = (path: string, body: unknown) => send(ctx.app.baseUrl, {
    op: 'regression', method: 'POST', url: path, headers: { 'x-forwarded-for': fuzzer.freshIp(), 'content-type': 'application/json', authorization: adminAuth }, body: JSON.stringify(body),
  });

  it('Infinity as text is refused wherever a number sits: batches, id lists, a circle, and ?minutes of vehicle tracks', async () => {
    const t = new Date().toISOString();
    for (const [path, body, message] of [
      ['/api/ingest/cameras', [{ camera_id: world.cameras[0], status: 'online' }, { camera_id: '1e999', status: 'online' }], /cameras\[1\]: camera_id must be an integer id/],
      ['/api/ingest/observations', [{ datastream_id: world.datastreams[0], t, value: '-Infinity' }], /readings\[0\]: value must be a finite number/],
      ['/api/ingest/positions', [{ vehicle_id: world.vehicles[0], t, lon: 114.31, lat: 30.55, speed_kmh: 'Infinity' }], /positions\[0\]: speed_kmh must be a number in 0–300/],
      ['/api/network/export', { format: 'csv', ids: [world.pipes[0], 'Infinity'] }, /pipe id Infinity is not an id/],
      ['/api/query/within', { layers: ['pipes'], circle: { lon: 114.31, lat: 30.55, radius_m: 'Infinity' } }, /circle.radius_m must be a number of metres/],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, `${path} ${res.text}`).toBe(400);
      expect(JSON.parse(res.text).message).toMatch(message);
    }
    const tracks = await send(ctx.app.baseUrl, { op: 'regression', method: 'GET', url: '/api/vehicles/tracks?minutes=1e999', headers: {} });
    expect(tracks.status, tracks.text).toBe(400);
    expect(JSON.parse(tracks.text).message).toMatch(/minutes must be (a finite number|a whole number in digits)/);
  });
});
