// Camera operations against PostGIS: online rates add up, the inspection list is every camera not online,
// coverage of a grid is the area of the union of online cameras' sectors inside it (recomputed after a
// camera goes offline), and the cameras that see a point are those whose sector holds it.
import { describe, expect, it } from 'vitest';
import { seesPoint } from '../../server/domain/fov.ts';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const get = async (path: string) => (await fetch(ctx.app.baseUrl + path)).json();

describe('cameras', () => {
  it('online rate now and per day, per street, agree with the rows', async () => {
    const r = await get('/api/cameras/online?level=street&days=7');
    const [s] = await rows(`SELECT substr(grid_code, 1, 9) AS code, count(*)::int AS n, count(*) FILTER (WHERE status = 'online')::int AS online FROM cameras GROUP BY 1 ORDER BY 1 LIMIT 1`);
    const u = r.units.find((x: { code: string }) => x.code === s.code);
    expect(u.now).toMatchObject({ cameras: s.n, online: s.online });
    expect(u.history.length).toBe(7);
    for (const h of u.history) expect(h.online_rate).toBeGreaterThan(0.5);
  });

  it('the inspection list holds every camera that is not online', async () => {
    const list = await get('/api/cameras/inspection');
    const [n] = await rows(`SELECT count(*)::int AS n FROM cameras WHERE status <> 'online'`);
    expect(list.count).toBe(n.n);
    expect(list.items.every((c: { status: string }) => c.status !== 'online')).toBe(true);
  });

  it('grid coverage is the union of online sectors inside the grid, and follows a camera going offline', async () => {
    const [g] = await rows(`SELECT g.code FROM grids g JOIN cameras c ON c.status = 'online' AND ST_Intersects(c.fov, g.geom) GROUP BY g.code ORDER BY count(*) DESC LIMIT 1`);
    const expected = async () => (await rows(`SELECT coalesce(ST_Area(ST_Intersection(ST_Union(c.fov), g.geom)::geography), 0) / g.area_m2 AS share
      FROM grids g JOIN cameras c ON c.status = 'online' AND ST_Intersects(c.fov, g.geom) WHERE g.code = $1 GROUP BY g.geom, g.area_m2`, [g.code]))[0].share;
    const share = async () => (await get(`/api/cameras/coverage?level=grid&within=${g.code.slice(0, 12)}`)).units.find((u: { code: string }) => u.code === g.code).share;
    expect(await share()).toBeCloseTo(await expected(), 4);
    // The most useful camera of the grid goes offline: coverage drops, through the change feed.
    const [cam] = await rows(`SELECT c.id FROM cameras c JOIN grids g ON g.code = $1 WHERE c.status = 'online' AND ST_Intersects(c.fov, g.geom)
      ORDER BY ST_Area(ST_Intersection(c.fov, g.geom)) DESC LIMIT 1`, [g.code]);
    const before = await share();
    await rows(`UPDATE cameras SET status = 'offline' WHERE id = $1`, [cam.id]);
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) { await new Promise((r) => setTimeout(r, 50)); after = await share(); }
    expect(after).toBeLessThan(before);
    expect(after).toBeCloseTo(await expected(), 4);
    const summary = await get('/api/cameras/coverage?level=street&blind_below=0.05');
    expect(summary.units.length).toBe(14);
    expect(summary.blind_grids.every((b: { share: number }) => b.share < 0.05)).toBe(true);
  });

  it('the cameras that see a point are those whose sector holds it (as the domain geometry says)', async () => {
    const [c] = await rows(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, azimuth_deg, hfov_deg, range_m FROM cameras WHERE hfov_deg < 180 ORDER BY id LIMIT 1`);
    // A point 60 % of the range straight along the azimuth.
    const [p] = await rows(`SELECT ST_X(q) AS x, ST_Y(q) AS y FROM (SELECT ST_Project(geom::geography, range_m * 0.6, radians(azimuth_deg))::geometry AS q FROM cameras WHERE id = $1) s`, [c.id]);
    const r = await get(`/api/cameras/seeing?lon=${p.x}&lat=${p.y}`);
    expect(r.cameras.map((x: { id: number }) => x.id)).toContain(c.id);
    for (const cam of r.cameras) expect(seesPoint(cam, p.x, p.y)).toBe(true);
    const behind = await get(`/api/cameras/seeing?lon=${2 * c.lon - p.x}&lat=${2 * c.lat - p.y}`);
    expect(behind.cameras.map((x: { id: number }) => x.id)).not.toContain(c.id);
  });
});
