// Editing on the map (/api/edit/{layer}): each layer added, moved, changed and deleted with its audit rows;
// a camera's field of view and the coverage of the grids it reaches follow a move or a turn; other roles
// are refused; a bad code or position is a 4xx that changes nothing; two editors of one version: one wins,
// the other gets a 409.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeletedFeature, EditedFeature } from '../../common/api/edit.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
let planner: Record<string, string>;
let admin: Record<string, string>;
/** A point well inside a grid, its grid, and a reach with a point on it. */
let at: { lon: number; lat: number; grid: string };
let pipe: { code: string; lon: number; lat: number };
let manhole: string;

const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) => fetch(ctx.app.baseUrl + path, {
  method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
});
const json = async <T>(res: Response, status: number): Promise<T> => {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
};
const ifMatch = (f: { version: string }) => ({ 'if-match': `"${f.version}"` });
const auditOf = async (entity: string, id: number) =>
  (await ctx.db.query(`SELECT action, before, after FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id`, [entity, String(id)])).rows;
const COUNTED = ['cameras', 'facilities', 'sensor_stations', 'hazards', 'misconnections', 'audit_log'];
const counts = async () => (await ctx.db.query(`SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`)).rows[0];

beforeAll(async () => {
  planner = (await loginAs(ctx, 'planner')).headers;
  admin = (await loginAs(ctx, 'admin')).headers;
  const { rows: [g] } = await ctx.db.query(
    `SELECT trim(code) AS grid, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT code, ST_PointOnSurface(geom) AS p, area_m2 FROM grids) g ORDER BY area_m2 DESC LIMIT 1`);
  at = g;
  const { rows: [p] } = await ctx.db.query(
    `SELECT code, ST_X(m) AS lon, ST_Y(m) AS lat FROM (SELECT code, ST_LineInterpolatePoint(geom, 0.5) AS m FROM pipes WHERE import_id IS NULL
       AND ST_Within(ST_LineInterpolatePoint(geom, 0.5), (SELECT ST_Buffer(ST_Union(geom)::geography, -200)::geometry FROM districts)) ORDER BY id LIMIT 1) p`);
  pipe = p;
  manhole = (await ctx.db.query(`SELECT code FROM manholes WHERE import_id IS NULL ORDER BY id LIMIT 1`)).rows[0].code;
});

describe('cameras', () => {
  it('a planner adds a camera, turns it and moves it: its field of view, grid and the coverage follow; then deletes it', async () => {
    // A camera code the seed does not have.
    const code = (await ctx.db.query(`SELECT '4201060000132' || lpad((max(substr(code, 14, 7)::int) + 1)::text, 7, '0') AS c FROM cameras WHERE code LIKE '4201060000132%'`)).rows[0].c as string;
    const added = await json<EditedFeature>(await send('POST', '/api/edit/cameras', planner, { lon: at.lon, lat: at.lat, name: '测试摄像机', code, azimuth_deg: 90, range_m: 60 }), 201);
    expect(added.properties).toMatchObject({ name: '测试摄像机', code, kind: 'gun', azimuth_deg: 90, hfov_deg: 60, range_m: 60, status: 'online', grid_code: at.grid });
    // The grid it stands in gained at most the sector's area (60° of 60 m: 1,885 m²), and gained some.
    const own = added.coverage!.grids.find((g) => g.code === at.grid)!;
    expect(own.after_m2 - own.before_m2).toBeGreaterThan(0);
    expect(own.after_m2 - own.before_m2).toBeLessThanOrEqual(1886);
    const fovOf = async () => (await ctx.db.query(`SELECT ST_AsText(fov) AS fov, ST_Area(fov::geography) AS area FROM cameras WHERE id = $1`, [added.id])).rows[0];
    const fov0 = await fovOf();
    expect(fov0.area).toBeGreaterThan(1000);

    const read = await send('GET', `/api/edit/cameras/${added.id}`, planner);
    expect(read.headers.get('etag')).toBe(`"${added.version}"`);

    const turned = await json<EditedFeature>(await send('PATCH', `/api/edit/cameras/${added.id}`, { ...planner, ...ifMatch(added) }, { azimuth_deg: 270, hfov_deg: 90 }), 200);
    expect(turned.version).not.toBe(added.version);
    expect(turned.properties).toMatchObject({ azimuth_deg: 270, hfov_deg: 90 });
    const fov1 = await fovOf();
    expect(fov1.fov).not.toBe(fov0.fov);
    expect(fov1.area / fov0.area).toBeCloseTo(1.5, 1);
    // The sector now opens to the west of the camera.
    const { rows: [west] } = await ctx.db.query(`SELECT ST_XMax(fov) <= $2 + 1e-9 AS west FROM cameras WHERE id = $1`, [added.id, at.lon]);
    expect(west.west).toBe(true);

    // Moved about 300 m north-east: a new position, its grid from there, and the view moved with it.
    const to = { lon: at.lon + 0.002, lat: at.lat + 0.002 };
    const moved = await json<EditedFeature>(await send('PATCH', `/api/edit/cameras/${added.id}`, { ...planner, ...ifMatch(turned) }, to), 200);
    expect(moved.lon).toBeCloseTo(to.lon, 9);
    expect(moved.lat).toBeCloseTo(to.lat, 9);
    const { rows: [g] } = await ctx.db.query(`SELECT trim(min(code)) AS code FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`, [to.lon, to.lat]);
    expect(moved.properties.grid_code).toBe(g.code);
    const fov2 = await fovOf();
    expect(fov2.fov).not.toBe(fov1.fov);
    // The coverage of the grids the old and the new view reach, before and after: the grid it left lost area.
    const codes = moved.coverage!.grids.map((c) => c.code);
    expect(codes).toContain(at.grid);
    const left = moved.coverage!.grids.find((c) => c.code === at.grid)!;
    expect(left.after_m2).toBeLessThan(left.before_m2);
    // The coverage analysis (the blind-spot grids) answers from the new views at once.
    const summary = await (await fetch(`${ctx.app.baseUrl}/api/cameras/coverage?level=grid&within=${at.grid.slice(0, 12)}`)).json() as { units: { code: string; covered_m2: number }[] };
    const unit = summary.units.find((u) => u.code === at.grid)!;
    expect(Math.abs(unit.covered_m2 - left.after_m2)).toBeLessThan(2);
    // The OGC item is where the camera now is.
    const item = await (await fetch(`${ctx.app.baseUrl}/api/collections/cameras/items/${added.id}`)).json() as { geometry: { coordinates: number[] }; properties: { azimuth_deg: number } };
    expect(item.geometry.coordinates[0]).toBeCloseTo(to.lon, 7);

    const gone = await json<DeletedFeature>(await send('DELETE', `/api/edit/cameras/${added.id}`, { ...planner, ...ifMatch(moved) }), 200);
    expect(gone).toMatchObject({ layer: 'cameras', id: added.id, deleted: true });
    expect((await ctx.db.query(`SELECT 1 FROM cameras WHERE id = $1`, [added.id])).rowCount).toBe(0);

    const log = await auditOf('camera', added.id);
    expect(log.map((l) => l.action)).toEqual(['camera.create', 'camera.update', 'camera.update', 'camera.delete']);
    expect(log[1].before).toMatchObject({ azimuth_deg: 90 });
    expect(log[1].after).toMatchObject({ azimuth_deg: 270 });
    expect(log[2].before.lon).toBeCloseTo(at.lon, 9);
    expect(log[2].after.lon).toBeCloseTo(to.lon, 9);
    expect(log[3].before).toMatchObject({ code });
  });

  it('a camera code that is not a GB/T 28181 camera, a taken code, a position outside the district: 4xx and nothing changes', async () => {
    const before = await counts();
    const recorder = await send('POST', '/api/edit/cameras', planner, { lon: at.lon, lat: at.lat, name: 'x', code: '42010600001110000001' });
    expect(recorder.status).toBe(400);
    expect(await recorder.text()).toMatch(/not a camera/);
    const short = await send('POST', '/api/edit/cameras', planner, { lon: at.lon, lat: at.lat, name: 'x', code: '4201060000132' });
    expect(short.status).toBe(400);
    const taken = (await ctx.db.query(`SELECT trim(code) AS code, id FROM cameras ORDER BY id LIMIT 2`)).rows;
    const dup = await send('POST', '/api/edit/cameras', planner, { lon: at.lon, lat: at.lat, name: 'x', code: taken[0].code });
    expect(dup.status).toBe(409);
    const far = await send('POST', '/api/edit/cameras', planner, { lon: 114.9, lat: 30.9, name: 'x', code: '42010600001320000902' });
    expect(far.status).toBe(400);
    expect(await far.text()).toMatch(/outside the district: \d+ m/);
    const swapped = await send('POST', '/api/edit/cameras', planner, { lon: at.lat, lat: at.lon, name: 'x', code: '42010600001320000902' });
    expect(swapped.status).toBe(400);
    const wide = await send('POST', '/api/edit/cameras', planner, { lon: at.lon, lat: at.lat, name: 'x', code: '42010600001320000902', hfov_deg: 400 });
    expect(wide.status).toBe(400);
    // An existing camera: renaming to another's code, moving out of the district.
    const cam = await json<EditedFeature>(await send('GET', `/api/edit/cameras/${taken[1].id}`, planner), 200);
    expect((await send('PATCH', `/api/edit/cameras/${cam.id}`, { ...planner, ...ifMatch(cam) }, { code: taken[0].code })).status).toBe(409);
    expect((await send('PATCH', `/api/edit/cameras/${cam.id}`, { ...planner, ...ifMatch(cam) }, { lon: 114.9, lat: 30.9 })).status).toBe(400);
    expect((await send('PATCH', `/api/edit/cameras/${cam.id}`, { ...planner, ...ifMatch(cam) }, { lon: at.lon })).status).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await json<EditedFeature>(await send('GET', `/api/edit/cameras/${cam.id}`, planner), 200)).version).toBe(cam.version);
  });
});

describe('the other layers', () => {
  it('a facility: added, moved, renamed, deleted, each audited; an outline kind is refused at a point', async () => {
    const f = await json<EditedFeature>(await send('POST', '/api/edit/facilities', planner, { lon: at.lon, lat: at.lat, code: 'EDIT-PS-1', name: '测试泵站', kind: 'pumping_station' }), 201);
    expect(f.point).toBe(true);
    const m = await json<EditedFeature>(await send('PATCH', `/api/edit/facilities/${f.id}`, { ...planner, ...ifMatch(f) }, { lon: at.lon + 0.001, lat: at.lat, name: '二号泵站' }), 200);
    expect(m).toMatchObject({ properties: { name: '二号泵站', code: 'EDIT-PS-1' } });
    expect(m.lon).toBeCloseTo(at.lon + 0.001, 9);
    expect((await send('PATCH', `/api/edit/facilities/${f.id}`, { ...planner, ...ifMatch(m) }, { kind: 'lake' })).status).toBe(400);
    expect((await send('POST', '/api/edit/facilities', planner, { lon: at.lon, lat: at.lat, code: 'EDIT-L', name: 'x', kind: 'lake' })).status).toBe(400);
    await json(await send('DELETE', `/api/edit/facilities/${f.id}`, { ...planner, ...ifMatch(m) }), 200);
    expect((await auditOf('facility', f.id)).map((l) => l.action)).toEqual(['facility.create', 'facility.update', 'facility.delete']);
  });

  it('a sensor station: added, moved, re-kinded, deleted; a station with readings is not deleted', async () => {
    const s = await json<EditedFeature>(await send('POST', '/api/edit/sensors', admin, { lon: at.lon, lat: at.lat, code: 'EDIT-S-1', name: '测试站', kind: 'ponding' }), 201);
    const m = await json<EditedFeature>(await send('PATCH', `/api/edit/sensors/${s.id}`, { ...planner, ...ifMatch(s) }, { lon: at.lon, lat: at.lat + 0.001, kind: 'rain' }), 200);
    expect(m.properties.kind).toBe('rain');
    await json(await send('DELETE', `/api/edit/sensors/${s.id}`, { ...planner, ...ifMatch(m) }), 200);
    expect((await auditOf('sensor_station', s.id)).map((l) => l.action)).toEqual(['sensor_station.create', 'sensor_station.update', 'sensor_station.delete']);
    const { rows: [busy] } = await ctx.db.query(`SELECT d.station_id AS id FROM datastreams d WHERE EXISTS (SELECT 1 FROM observations o WHERE o.datastream_id = d.id) LIMIT 1`);
    const station = await json<EditedFeature>(await send('GET', `/api/edit/sensors/${busy.id}`, planner), 200);
    expect((await send('DELETE', `/api/edit/sensors/${busy.id}`, { ...planner, ...ifMatch(station) })).status).toBe(409);
  });

  it('a hazard: on the nearest reach, its defect and grade checked against CJJ 181, moved, deleted', async () => {
    const before = await counts();
    expect((await send('POST', '/api/edit/hazards', planner, { lon: pipe.lon, lat: pipe.lat, code: 'XX', grade: 2 })).status).toBe(400);
    // 腐蚀 FS has no grade 4.
    expect((await send('POST', '/api/edit/hazards', planner, { lon: pipe.lon, lat: pipe.lat, code: 'FS', grade: 4 })).status).toBe(400);
    expect((await send('POST', '/api/edit/hazards', planner, { lon: pipe.lon, lat: pipe.lat, code: 'PL', grade: 2, pipe_code: 'NO-SUCH-PIPE' })).status).toBe(400);
    expect(await counts()).toEqual(before);
    const h = await json<EditedFeature>(await send('POST', '/api/edit/hazards', planner, { lon: pipe.lon, lat: pipe.lat, code: '破裂', grade: 3, description: '管顶裂缝' }), 201);
    expect(h.properties).toMatchObject({ code: 'PL', grade: 3, pipe_code: pipe.code, description: '管顶裂缝' });
    expect(h.properties.grid_code).toMatch(/^\d{15}$/);
    expect((await ctx.db.query(`SELECT status FROM hazards WHERE id = $1`, [h.id])).rows[0].status).toBe('found');
    expect((await send('PATCH', `/api/edit/hazards/${h.id}`, { ...planner, ...ifMatch(h) }, { code: 'FS', grade: 4 })).status).toBe(400);
    expect((await send('PATCH', `/api/edit/hazards/${h.id}`, { ...planner, ...ifMatch(h) }, { status: 'fixed' })).status).toBe(400);
    const m = await json<EditedFeature>(await send('PATCH', `/api/edit/hazards/${h.id}`, { ...planner, ...ifMatch(h) }, { lon: pipe.lon + 0.0001, lat: pipe.lat, grade: 4 }), 200);
    expect(m.properties).toMatchObject({ grade: 4, code: 'PL' });
    await json(await send('DELETE', `/api/edit/hazards/${h.id}`, { ...planner, ...ifMatch(m) }), 200);
    const log = await auditOf('hazard', h.id);
    expect(log.map((l) => l.action)).toEqual(['hazard.create', 'hazard.update', 'hazard.delete']);
    expect([log[1].before.grade, log[1].after.grade]).toEqual([3, 4]);
  });

  it('a misconnection: kind, flow, reach and manhole set and cleared, moved, deleted', async () => {
    const x = await json<EditedFeature>(await send('POST', '/api/edit/misconnections', planner, { lon: pipe.lon, lat: pipe.lat, kind: 'sanitary_to_storm', flow_m3d: 12.5, pipe_code: pipe.code, manhole_code: manhole }), 201);
    expect(x.properties).toMatchObject({ kind: 'sanitary_to_storm', flow_m3d: 12.5, pipe_code: pipe.code, manhole_code: manhole });
    const m = await json<EditedFeature>(await send('PATCH', `/api/edit/misconnections/${x.id}`, { ...planner, ...ifMatch(x) }, { lon: pipe.lon, lat: pipe.lat + 0.0002, manhole_code: null, kind: 'other' }), 200);
    expect(m.properties).toMatchObject({ kind: 'other', manhole_code: null, pipe_code: pipe.code });
    await json(await send('DELETE', `/api/edit/misconnections/${x.id}`, { ...planner, ...ifMatch(m) }), 200);
    expect((await auditOf('misconnection', x.id)).map((l) => l.action)).toEqual(['misconnection.create', 'misconnection.update', 'misconnection.delete']);
  });
});

describe('who may edit, and two editors at once', () => {
  it('other roles are refused before anything is read, and nothing changes', async () => {
    const before = await counts();
    const { rows: [cam] } = await ctx.db.query(`SELECT id, xmin::text AS version FROM cameras ORDER BY id LIMIT 1`);
    for (const role of ['commander', 'field', 'dispatcher'] as const) {
      const h = (await loginAs(ctx, role, role === 'field' ? ['420106001'] : [])).headers;
      expect((await send('POST', '/api/edit/cameras', h, { lon: at.lon, lat: at.lat, name: 'x', code: '42010600001320000903' })).status).toBe(403);
      expect((await send('PATCH', `/api/edit/cameras/${cam.id}`, { ...h, 'if-match': cam.version }, { name: 'x' })).status).toBe(403);
      expect((await send('DELETE', `/api/edit/cameras/${cam.id}`, { ...h, 'if-match': cam.version })).status).toBe(403);
      expect((await send('GET', `/api/edit/cameras/${cam.id}`, h)).status).toBe(403);
    }
    expect((await send('PATCH', `/api/edit/cameras/${cam.id}`, { 'if-match': cam.version }, { name: 'x' })).status).toBe(401);
    // Audit rows of the logins only.
    const after = await counts();
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect((await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'camera.%'`)).rows[0].n)
      .toBe((await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'camera.%' AND entity_id <> $1`, [String(cam.id)])).rows[0].n);
  });

  it('two editors change the same version: one wins, the other gets 409 and overwrites nothing; no If-Match is 428', async () => {
    const f = await json<EditedFeature>(await send('POST', '/api/edit/facilities', planner, { lon: at.lon, lat: at.lat, code: 'EDIT-PS-2', name: '甲', kind: 'flood_gate' }), 201);
    const [a, b] = await Promise.all([
      send('PATCH', `/api/edit/facilities/${f.id}`, { ...planner, ...ifMatch(f) }, { name: '乙' }),
      send('PATCH', `/api/edit/facilities/${f.id}`, { ...admin, ...ifMatch(f) }, { name: '丙' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? '乙' : '丙';
    const loser = await (a.status === 409 ? a : b).json() as { message: string };
    expect(loser.message).toMatch(/changed since version/);
    expect((await ctx.db.query(`SELECT name FROM facilities WHERE id = $1`, [f.id])).rows[0].name).toBe(winner);
    expect((await send('PATCH', `/api/edit/facilities/${f.id}`, planner, { name: '丁' })).status).toBe(428);
    expect((await send('DELETE', `/api/edit/facilities/${f.id}`, { ...planner, ...ifMatch(f) })).status).toBe(409);
    expect((await auditOf('facility', f.id)).map((l) => l.action)).toEqual(['facility.create', 'facility.update']);
  });
});
