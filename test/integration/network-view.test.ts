// The network in depth for the 3D view and the condition report, over a seeded PostGIS copy.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
// A few hundred metres in the middle of Wuchang's seeded network.
const BOX = [114.31, 30.545, 114.318, 30.552] as const;

const get = async (path: string) => {
  const res = await fetch(`${ctx.app.baseUrl}${path}`);
  return { res, body: await res.json() };
};

describe('GET /api/network/3d', () => {
  it('answers the reaches and manholes in the box with their levels from the data', async () => {
    const { res, body } = await get(`/api/network/3d?bbox=${BOX.join(',')}`);
    expect(res.status).toBe(200);
    const env = `ST_MakeEnvelope(${BOX.join(',')}, 4326)`;
    const { rows } = await ctx.db.query(`
      SELECT p.id, p.up_invert_m, p.down_invert_m, mu.ground_elev_m AS up_ground, md.ground_elev_m AS down_ground
      FROM pipes p JOIN manholes mu ON mu.id = p.from_node JOIN manholes md ON md.id = p.to_node WHERE p.geom && ${env}`);
    expect(rows.length).toBeGreaterThan(10);
    expect(body.truncated).toBe(false);
    expect(body.reaches).toHaveLength(rows.length);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of body.reaches) {
      const db = byId.get(r.id)!;
      expect(r.up_invert_m).toBeCloseTo(db.up_invert_m, 3);
      expect(r.down_invert_m).toBeCloseTo(db.down_invert_m, 3);
      expect(r.up_ground_m).toBeCloseTo(db.up_ground, 3);
      expect(r.down_ground_m).toBeCloseTo(db.down_ground, 3);
      // Under the ground, and the path reaches into the box.
      expect(r.up_invert_m).toBeLessThan(r.up_ground_m);
      const lons = r.path.map((p: number[]) => p[0]);
      const lats = r.path.map((p: number[]) => p[1]);
      expect(Math.max(...lons)).toBeGreaterThanOrEqual(BOX[0]);
      expect(Math.min(...lons)).toBeLessThanOrEqual(BOX[2]);
      expect(Math.max(...lats)).toBeGreaterThanOrEqual(BOX[1]);
      expect(Math.min(...lats)).toBeLessThanOrEqual(BOX[3]);
    }
    const { rows: mh } = await ctx.db.query(`SELECT id, coalesce(depth_m, ground_elev_m - invert_elev_m) AS depth FROM manholes WHERE geom && ${env}`);
    expect(body.manholes).toHaveLength(mh.length);
    const depth = new Map(mh.map((m) => [m.id, m.depth]));
    for (const m of body.manholes) {
      expect(m.lon).toBeGreaterThanOrEqual(BOX[0]);
      expect(m.lon).toBeLessThanOrEqual(BOX[2]);
      expect(m.lat).toBeGreaterThanOrEqual(BOX[1]);
      expect(m.lat).toBeLessThanOrEqual(BOX[3]);
      expect(m.depth_m).toBeCloseTo(depth.get(m.id), 3);
      expect(m.depth_m).toBeGreaterThan(0);
    }
  });

  it('is bounded: past the limit the largest diameters come first and truncated says so; a bad box is a 400', async () => {
    const { body } = await get(`/api/network/3d?bbox=${BOX.join(',')}&limit=5`);
    expect(body.reaches).toHaveLength(5);
    expect(body.truncated).toBe(true);
    const env = `ST_MakeEnvelope(${BOX.join(',')}, 4326)`;
    const { rows } = await ctx.db.query(`SELECT diameter_mm FROM pipes WHERE geom && ${env} ORDER BY diameter_mm DESC NULLS LAST LIMIT 5`);
    expect(body.reaches.map((r: { diameter_mm: number }) => r.diameter_mm)).toEqual(rows.map((r) => r.diameter_mm));
    for (const q of ['bbox=1,2,3', 'bbox=114.4,30.5,114.3,30.6', `bbox=${BOX.join(',')}&limit=0`, `bbox=${BOX.join(',')}&limit=100000`]) {
      const { res, body: err } = await get(`/api/network/3d?${q}`);
      expect(res.status, q).toBe(400);
      expect(err.message, q).toBeTruthy();
    }
  });
});

describe('GET /api/network/report', () => {
  it('lists an area\'s reaches worst first with their defects, and counts them per grade', async () => {
    const { res, body } = await get(`/api/network/report?bbox=${BOX.join(',')}`);
    expect(res.status).toBe(200);
    const { rows } = await ctx.db.query(`
      SELECT p.id, greatest(coalesce(p.sgrade, 0), coalesce(p.fgrade, 0)) AS g, c.codes
      FROM pipes p LEFT JOIN pipe_condition c ON c.pipe_id = p.id WHERE p.geom && ST_MakeEnvelope(${BOX.join(',')}, 4326)`);
    expect(body.count).toBe(rows.length);
    expect(body.reaches).toHaveLength(rows.length);
    expect(body.by_grade.reduce((a: number, b: number) => a + b, 0)).toBe(rows.length);
    expect(body.district).toBeTruthy();
    const grades = body.reaches.map((r: { sgrade: number | null; fgrade: number | null }) => Math.max(r.sgrade ?? 0, r.fgrade ?? 0));
    expect(grades).toEqual([...grades].sort((a, b) => b - a));
    const codes = new Map(rows.map((r) => [r.id, r.codes ?? []]));
    for (const r of body.reaches) expect(r.defects).toEqual(codes.get(r.id));
  });

  it('reports the reaches of a trace by their ids; neither or both scopes is a 400', async () => {
    const { rows } = await ctx.db.query(`SELECT id FROM pipes ORDER BY id LIMIT 7`);
    const ids = rows.map((r) => r.id);
    const { body } = await get(`/api/network/report?ids=${ids.join(',')}`);
    expect(body.count).toBe(7);
    expect(body.reaches.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual(ids);
    expect(body.bbox).toHaveLength(4);
    for (const q of ['', `bbox=${BOX.join(',')}&ids=1`, 'ids=abc']) {
      const { res } = await get(`/api/network/report?${q}`);
      expect(res.status, q).toBe(400);
    }
  });
});
