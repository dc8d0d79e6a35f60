// GET /api/counts over a seeded PostGIS copy: exact counts in any box of any size (= SQL), including cases
// stacked on cell edges, and clear 400s for what it cannot answer.
import { beforeAll, describe, expect, it } from 'vitest';
import { districtBounds, useTestApp } from '../helpers/app.ts';
import { buildCellCountSql } from '../../server/features/cell-count.ts';
import { COLLECTIONS } from '../../server/features/collections.ts';

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
      const { res, body } = await get(`/api/counts?bbox=${box.join(',')}&layers=cases,cameras,manholes`);
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
    for (const margin of [0.0004, 0.002, 0.05]) {
      const box = [r.w - margin, r.s - margin, r.e + margin, r.n + margin].map((v: number) => Number(v.toFixed(6)));
      const { body } = await get(`/api/counts?bbox=${box.join(',')}&layers=cases`);
      expect(body.counts.cases, `margin ${margin}`).toBe(await sqlCount('cases', box));
      expect(body.counts.cases).toBeGreaterThanOrEqual(201);
    }
  });

  it('with a cap, the cell count gives up (null) rather than visit more rim points than the cap', async () => {
    const c = COLLECTIONS.find((x) => x.id === 'cases')!;
    const [w, s, e, n] = district;
    const box: [number, number, number, number] = [w + (e - w) * 0.3, s + (n - s) * 0.3, w + (e - w) * 0.7, s + (n - s) * 0.7];
    const exact = await sqlCount('cases', box);
    const run = async (cap: number | null) => (await ctx.db.query(buildCellCountSql(c, box, cap)!)).rows[0].n;
    expect(Number(await run(null))).toBe(exact);
    expect(Number(await run(100_000))).toBe(exact);
    expect(await run(0)).toBeNull();
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
    ['bbox=114.2,30.5,114.3,30.6&layers=cases&z=12', /z/],
  ])('refuses %s with a 400 that says why', async (query, why) => {
    const { res, body } = await get(`/api/counts?${query}`);
    expect(res.status).toBe(400);
    expect(body.message).toMatch(why);
  });
});
