// The two feeds deck.gl draws: vehicle tracks and case density, over a seeded PostGIS copy.
import { beforeAll, describe, expect, it } from 'vitest';
import { districtBounds, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
let district: [number, number, number, number];

const get = async (path: string) => {
  const res = await fetch(`${ctx.app.baseUrl}${path}`);
  return { res, body: await res.json() };
};

beforeAll(async () => {
  district = await districtBounds(ctx.db);
});

describe('GET /api/vehicles/tracks', () => {
  it('gives every vehicle with positions its last hour, oldest first, inside Wuchang', async () => {
    const { res, body } = await get('/api/vehicles/tracks?minutes=60');
    expect(res.status).toBe(200);
    const { rows } = await ctx.db.query(`SELECT count(DISTINCT vehicle_id)::int AS n, extract(epoch FROM max(t))::float8 AS t1 FROM vehicle_positions`);
    // Every vehicle that ever reported is there; the silent ones at their last known position.
    expect(body.vehicles).toHaveLength(rows[0].n);
    expect(body.to).toBe(rows[0].t1);
    expect(body.to - body.from).toBe(3600);
    for (const v of body.vehicles) {
      expect(typeof v.plate).toBe('string');
      expect(['sanitation', 'drainage', 'inspection', 'emergency']).toContain(v.kind);
      expect(v.path.length).toBeGreaterThan(0);
      for (let i = 0; i < v.path.length; i++) {
        const [lon, lat, t] = v.path[i];
        expect(lon).toBeGreaterThan(district[0] - 0.01);
        expect(lon).toBeLessThan(district[2] + 0.01);
        expect(lat).toBeGreaterThan(district[1] - 0.01);
        expect(lat).toBeLessThan(district[3] + 0.01);
        if (v.path.length > 1) expect(t).toBeGreaterThanOrEqual(body.from);
        expect(t).toBeLessThanOrEqual(body.to);
        if (i > 0) expect(t).toBeGreaterThan(v.path[i - 1][2]);
      }
    }
    // 30 s positions: a vehicle reporting the whole hour has 121 of them.
    expect(Math.max(...body.vehicles.map((v: { path: unknown[] }) => v.path.length))).toBe(121);
    const silent = body.vehicles.filter((v: { path: number[][] }) => v.path.length === 1 && v.path[0][2] < body.from);
    for (const v of silent) expect(v.status).toBe('offline');
  });

  it('a shorter window gives fewer positions; a bad one is a 400 with a message', async () => {
    const { body } = await get('/api/vehicles/tracks?minutes=5');
    expect(Math.max(...body.vehicles.map((v: { path: unknown[] }) => v.path.length))).toBe(11);
    for (const q of ['minutes=0', 'minutes=abc', 'minutes=100000', 'minutes=-5']) {
      const { res, body: err } = await get(`/api/vehicles/tracks?${q}`);
      expect(res.status, q).toBe(400);
      expect(err.message, q).toBeTruthy();
    }
  });
});

describe('GET /api/cases/density', () => {
  it('sums to the cases in the district at a district-wide zoom', async () => {
    const { res, body } = await get(`/api/cases/density?bbox=${district.join(',')}&z=12`);
    expect(res.status).toBe(200);
    expect(body.level).toBe(13);
    expect(body.cells.length).toBeGreaterThan(100);
    expect(body.cells.length).toBeLessThanOrEqual(20_000);
    const total = body.cells.reduce((s: number, c: number[]) => s + c[2], 0);
    const open = body.cells.reduce((s: number, c: number[]) => s + c[3], 0);
    const { rows } = await ctx.db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE case_is_open(status))::int AS o FROM cases`);
    expect(total).toBe(rows[0].n);
    expect(open).toBe(rows[0].o);
    for (const [lon, lat, n, o] of body.cells) {
      expect(lon).toBeGreaterThan(district[0] - 0.01);
      expect(lat).toBeLessThan(district[3] + 0.01);
      expect(n).toBeGreaterThan(0);
      expect(o).toBeLessThanOrEqual(n);
    }
  });

  it('counts only the cases inside a small box, and goes coarser rather than past the cap', async () => {
    const box = [114.32, 30.54, 114.33, 30.55];
    const { body } = await get(`/api/cases/density?bbox=${box.join(',')}&z=16`);
    expect(body.level).toBe(16);
    const total = body.cells.reduce((s: number, c: number[]) => s + c[2], 0);
    const { rows } = await ctx.db.query(
      `SELECT count(*)::int AS n FROM cases WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`, box);
    // Cells on the box's edge reach a little beyond it.
    expect(total).toBeGreaterThanOrEqual(rows[0].n);
    expect(total).toBeLessThan(rows[0].n * 1.3 + 50);

    // The whole district at z18 would be hundreds of thousands of cells: the answer is a coarser level instead.
    const { body: wide } = await get(`/api/cases/density?bbox=${district.join(',')}&z=18`);
    expect(wide.cells.length).toBeLessThanOrEqual(20_000);
    expect(wide.level).toBeLessThan(16);
  });

  it('rejects a bad bbox with a message', async () => {
    for (const q of ['bbox=1,2,3', 'bbox=a,b,c,d', 'bbox=114.4,30.5,114.3,30.6', 'bbox=200,0,210,10', 'z=12', `bbox=${district.join(',')}&z=99`]) {
      const { res, body } = await get(`/api/cases/density?${q}`);
      expect(res.status, q).toBe(400);
      expect(body.message, q).toBeTruthy();
    }
  });
});
