// GET /api/counts over a seeded PostGIS copy: exact counts in any box at any zoom (= SQL), including cases
// stacked on cell edges, and clear 400s for what it cannot answer.
import { beforeAll, describe, expect, it } from 'vitest';
import { districtBounds, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
let district: [number, number, number, number];

const get = async (path: string) => {
  const res = await fetch(`${ctx.app.baseUrl}${path}`);
  return { res, body: await res.json() };
};
const sqlCount = async (table: string, b: number[]) =>
  Number((await ctx.db.query(`SELECT count(*) FROM ${table} WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`, b)).rows[0].count);

beforeAll(async () => {
  district = await districtBounds(ctx.db);
  // Cases exactly on the boundaries of z14 case cells (level 16 = z14 + 2): a rim test off by one would miss them.
  await ctx.db.query(`
    INSERT INTO cases (case_no, class_code, item_code, source, status, reported_at, geom)
    SELECT 'EDGE-' || g, it.class_code, it.code, 'citizen', 'reported', now(),
           ST_Transform(ST_SetSRID(ST_MakePoint(-20037508.342789244 + (420000 + g) * 40075016.685578488 / 2 ^ 21,
                                                20037508.342789244 - (210000 + g) * 40075016.685578488 / 2 ^ 21), 3857), 4326)
    FROM generate_series(0, 200) g,
         (SELECT s.class_code, i.code FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code ORDER BY i.code LIMIT 1) it`);
});

describe('GET /api/counts', () => {
  it('equals SQL over the box for cases, cameras and manholes, for boxes of every size and zoom', async () => {
    const [w, s, e, n] = district;
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const boxes: { box: number[]; z: number }[] = [{ box: district, z: 11 }];
    for (let i = 0; i < 24; i++) {
      const z = 10 + Math.floor(rand() * 8);
      const width = ((e - w) * 2 ** (11 - z)) * (0.5 + rand());
      const x = w + rand() * (e - w);
      const y = s + rand() * (n - s);
      boxes.push({ box: [x - width / 2, y - width / 3, x + width / 2, y + width / 3].map((v) => Number(v.toFixed(6))), z });
    }
    let nonZero = 0;
    for (const { box, z } of boxes) {
      const { res, body } = await get(`/api/counts?bbox=${box.join(',')}&layers=cases,cameras,manholes&z=${z}`);
      expect(res.status).toBe(200);
      for (const layer of ['cases', 'cameras', 'manholes']) {
        const want = await sqlCount(layer, box);
        expect(body.counts[layer], `${layer} ${box} z${z}`).toBe(want);
        if (want > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(30);
  });

  it('counts cases lying exactly on cell edges once', async () => {
    const { rows } = await ctx.db.query(`SELECT ST_XMin(e) w, ST_YMin(e) s, ST_XMax(e) e, ST_YMax(e) n FROM (SELECT ST_Extent(geom) e FROM cases WHERE case_no LIKE 'EDGE-%') x`);
    const r = rows[0];
    for (const z of [12, 13, 14]) {
      const box = [r.w - 0.002, r.s - 0.002, r.e + 0.002, r.n + 0.002].map((v: number) => Number(v.toFixed(6)));
      const { body } = await get(`/api/counts?bbox=${box.join(',')}&layers=cases&z=${z}`);
      expect(body.counts.cases, `z${z}`).toBe(await sqlCount('cases', box));
      expect(body.counts.cases).toBeGreaterThanOrEqual(201);
    }
  });

  it('answers only the layers asked, once each', async () => {
    const { body } = await get(`/api/counts?bbox=${district.map((v) => v.toFixed(5)).join(',')}&layers=cameras,cameras`);
    expect(Object.keys(body.counts)).toEqual(['cameras']);
  });

  it.each([
    ['bbox=1,2,3&layers=cases', /bbox/],
    ['bbox=114.3,30.5,114.2,30.6&layers=cases', /west < east/],
    ['bbox=114.2,30.5,114.3,30.6&layers=pipes', /layers/],
    ['bbox=114.2,30.5,114.3,30.6', /layers/],
    ['bbox=114.2,30.5,114.3,30.6&layers=cases&z=99', /z/],
  ])('refuses %s with a 400 that says why', async (query, why) => {
    const { res, body } = await get(`/api/counts?${query}`);
    expect(res.status).toBe(400);
    expect(body.message).toMatch(why);
  });
});
