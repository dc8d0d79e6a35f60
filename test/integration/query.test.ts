// The map's queries end to end — nearest, within, grids/at, search, details — each answer checked
// against plain PostGIS SQL on the same database, and every bad input answered with a 4xx and a message.
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { catalogFor } from '../../server/features/catalog.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();

async function call(url: string, init?: RequestInit) {
  const res = await fetch(ctx.app.baseUrl + url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { res, body: body as never };
}
const post = (url: string, payload: unknown) => call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;


interface Hit { id: number | string; code?: string; name?: string; distance_m: number; bearing_deg: number | null; lon: number; lat: number; properties: Record<string, unknown> }

describe('GET /api/query/nearest', () => {
  it('returns the k nearest of each layer with geodesic distances, as a brute-force scan would', async () => {
    for (const [lon, lat] of [[114.31, 30.55], [114.345, 30.585], [114.25, 30.48]]) {
      const { res, body } = await call(`/api/query/nearest?lon=${lon}&lat=${lat}&layers=manholes,cameras,pipes,cases&k=5`);
      expect(res.status).toBe(200);
      const r = body as { lon: number; lat: number; results: Record<string, Hit[]> };
      expect([r.lon, r.lat]).toEqual([lon, lat]);
      for (const layer of ['manholes', 'cameras', 'pipes', 'cases']) {
        const table = layer;
        const expected = await rows(
          `SELECT id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d FROM ${table}
           ORDER BY d, id LIMIT 5`, [lon, lat]);
        const hits = r.results[layer];
        expect(hits.map((h) => Number(h.id)), `${layer} at ${lon},${lat}`).toEqual(expected.map((e) => Number(e.id)));
        hits.forEach((h, i) => expect(h.distance_m).toBeCloseTo(expected[i].d, 1));
        for (const h of hits) {
          expect(h.bearing_deg === null || (h.bearing_deg >= 0 && h.bearing_deg < 360)).toBe(true);
          expect(typeof h.properties).toBe('object');
        }
      }
      expect(r.results.manholes[0].code).toMatch(/^WC-/);
      expect(r.results.cameras[0].name).toBeTruthy();
    }
  });

  it('the in-memory layers see a new manhole within a second, and agree with PostGIS on 100 random points', async () => {
    const mirror = catalogFor(ctx.app.server.pool).points.get('manholes')!;
    const pts = await rows(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 100, 7))).geom AS p FROM districts) s`);
    for (const p of pts) {
      const { body } = await call(`/api/query/nearest?lon=${p.x}&lat=${p.y}&layers=manholes,sensors,hazards,misconnections&k=3`);
      for (const [layer, table] of [['manholes', 'manholes'], ['sensors', 'sensor_stations'], ['hazards', 'hazards'], ['misconnections', 'misconnections']]) {
        const expected = await rows(`SELECT id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d FROM ${table} ORDER BY d, id LIMIT 3`, [p.x, p.y]);
        const hits = (body as { results: Record<string, Hit[]> }).results[layer];
        expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
        hits.forEach((h, i) => expect(h.distance_m).toBeCloseTo(expected[i].d, 2));
      }
    }
    expect(mirror.loads).toBeGreaterThan(0);

    const [lon, lat] = [114.3321, 30.5432];
    const [m] = await rows(`INSERT INTO manholes (code, usage, geom) VALUES ('WC-TEST-NEAR', 'rain', ST_SetSRID(ST_MakePoint($1, $2), 4326)) RETURNING id`, [lon, lat]);
    try {
      let first: Hit | undefined;
      for (let i = 0; i < 40 && first?.id !== m.id; i++) {
        if (i) await new Promise((r) => setTimeout(r, 25));
        first = ((await call(`/api/query/nearest?lon=${lon}&lat=${lat}&layers=manholes&k=1`)).body as { results: { manholes: Hit[] } }).results.manholes[0];
      }
      expect(first).toMatchObject({ id: m.id, code: 'WC-TEST-NEAR', distance_m: 0, bearing_deg: null });
    } finally {
      await rows('DELETE FROM manholes WHERE id = $1', [m.id]);
    }
  });

  it('bearing and closest point: a camera due north of the query point is at ~0°', async () => {
    const [cam] = await rows('SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM cameras ORDER BY id LIMIT 1');
    const { body } = await call(`/api/query/nearest?lon=${cam.x}&lat=${cam.y - 0.0003}&layers=cameras&k=1`);
    const hit = (body as { results: { cameras: Hit[] } }).results.cameras[0];
    expect(hit.id).toBe(cam.id);
    expect(hit.distance_m).toBeGreaterThan(30);
    expect(hit.distance_m).toBeLessThan(35);
    expect(Math.min(hit.bearing_deg!, 360 - hit.bearing_deg!)).toBeLessThan(1);
    expect([hit.lon, hit.lat]).toEqual([Number(cam.x.toFixed(7)), Number(cam.y.toFixed(7))]);
  });

  it('crs=gcj02 converts the point before searching', async () => {
    const [x, y] = gcoord.transform([114.31, 30.55], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    const { body } = await call('/api/query/nearest?lon=114.31&lat=30.55&layers=manholes&k=1&crs=gcj02');
    const r = body as { lon: number; lat: number; results: { manholes: Hit[] } };
    expect(r.lon).toBeCloseTo(x, 9);
    expect(r.lat).toBeCloseTo(y, 9);
    const [near] = await rows(`SELECT id FROM manholes ORDER BY geom::geography <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography LIMIT 1`, [x, y]);
    expect(r.results.manholes[0].id).toBe(near.id);
  });

  it.each([
    ['/api/query/nearest?lon=114.31&lat=30.55&layers=manholes&k=51', /k must be <= 50/],
    ['/api/query/nearest?lon=114.31&lat=30.55&layers=manholes&k=0', /k must be >= 1/],
    ['/api/query/nearest?lon=30.55&lat=114.31&layers=manholes', /look swapped .*did you mean 114.31, 30.55/],
    ['/api/query/nearest?lon=abc&lat=30.55&layers=manholes', /lon must be number/],
    ['/api/query/nearest?lon=NaN&lat=30.55&layers=manholes', /lon must be number/],
    ['/api/query/nearest?lon=Infinity&lat=30.55&layers=manholes', /longitude must be a finite number/],
    ['/api/query/nearest?lon=200&lat=30.55&layers=manholes', /longitude 200 is outside −180..180/],
    ['/api/query/nearest?lon=114.31&lat=30.55&layers=manholes,bogus', /unknown layer "bogus"; layers: pipes, manholes/],
    ['/api/query/nearest?lon=114.31&lat=30.55&layers=', /layers is empty/],
    ['/api/query/nearest?lon=114.31&lat=30.55', /must have required property 'layers'/],
    ['/api/query/nearest?lon=114.31&lat=30.55&layers=manholes&crs=bd09', /crs must be equal to one of the allowed values/],
  ])('%s → 400', async (url, message) => {
    const { res, body } = await call(url);
    expect(res.status).toBe(400);
    expect((body as { message: string }).message).toMatch(message);
  });
});

describe('POST /api/query/within', () => {
  const square = { type: 'Polygon', coordinates: [[[114.30, 30.54], [114.31, 30.54], [114.31, 30.55], [114.30, 30.55], [114.30, 30.54]]] };
  const wkt = 'SRID=4326;POLYGON((114.30 30.54, 114.31 30.54, 114.31 30.55, 114.30 30.55, 114.30 30.54))';

  it('a polygon: exact counts per layer and at most `limit` features, in id order', async () => {
    const { res, body } = await post('/api/query/within', { layers: ['manholes', 'pipes', 'cases', 'grids'], geometry: square, limit: 50 });
    expect(res.status).toBe(200);
    const r = body as { counts: Record<string, number>; features: Record<string, { type: string; numberMatched: number; numberReturned: number; features: { id: number | string }[] }> };
    for (const layer of ['manholes', 'pipes', 'cases', 'grids']) {
      const ids = (await rows(`SELECT ${layer === 'grids' ? 'code' : 'id'} AS id FROM ${layer} WHERE ST_Intersects(geom, $1::geometry) ORDER BY 1`, [wkt])).map((x) => x.id);
      expect(r.counts[layer], layer).toBe(ids.length);
      expect(r.features[layer].type).toBe('FeatureCollection');
      expect(r.features[layer].numberMatched).toBe(ids.length);
      expect(r.features[layer].features.map((f) => f.id), layer).toEqual(ids.slice(0, 50).map((id) => (layer === 'grids' ? id : Number(id))));
    }
    expect(r.counts.cases).toBeGreaterThan(50);
    expect(r.features.cases.numberReturned).toBe(50);
  });

  it('a circle: geodesic radius, default limit 1000', async () => {
    const { body } = await post('/api/query/within', { layers: ['manholes', 'cameras'], circle: { lon: 114.31, lat: 30.55, radius_m: 500 } });
    const r = body as { counts: Record<string, number>; features: Record<string, { features: unknown[] }> };
    for (const layer of ['manholes', 'cameras']) {
      const [n] = await rows(`SELECT count(*)::int AS n FROM ${layer} WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(114.31, 30.55), 4326)::geography, 500)`);
      expect(r.counts[layer], layer).toBe(n.n);
      expect(r.features[layer].features.length).toBe(Math.min(n.n, 1000));
    }
  });

  it('a MultiPolygon with a hole, given in GCJ-02', async () => {
    const outer = [[114.30, 30.54], [114.32, 30.54], [114.32, 30.56], [114.30, 30.56], [114.30, 30.54]];
    const hole = [[114.305, 30.545], [114.305, 30.555], [114.315, 30.555], [114.315, 30.545], [114.305, 30.545]];
    const { res, body } = await post('/api/query/within', { layers: ['cameras'], geometry: { type: 'MultiPolygon', coordinates: [[outer, hole]] }, crs: 'gcj02' });
    expect(res.status).toBe(200);
    const conv = (r: number[][]) => r.map((p) => gcoord.transform(p as [number, number], gcoord.GCJ02, gcoord.WGS84) as number[]);
    const geo = JSON.stringify({ type: 'MultiPolygon', coordinates: [[conv(outer), conv(hole)]] });
    const [n] = await rows(`SELECT count(*)::int AS n FROM cameras WHERE ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))`, [geo]);
    expect((body as { counts: { cameras: number } }).counts.cameras).toBe(n.n);
  });

  it.each([
    [{ layers: ['manholes'], geometry: { type: 'Polygon', coordinates: [[[114.3, 30.5], [114.4, 30.6], [114.4, 30.5], [114.3, 30.6], [114.3, 30.5]]] } }, /not valid \(Self-intersection/],
    [{ layers: ['manholes'], geometry: { type: 'Polygon', coordinates: [[[114.3, 30.5], [114.4, 30.6], [114.4, 30.5], [114.3, 30.51]]] } }, /the ring is not closed/],
    [{ layers: ['manholes'], geometry: { type: 'LineString', coordinates: [[114.3, 30.5], [114.4, 30.6]] } }, /must be a GeoJSON Polygon or MultiPolygon, got type "LineString"/],
    [{ layers: ['manholes'], geometry: { type: 'Polygon', coordinates: [[[30.5, 114.3], [30.6, 114.4], [30.5, 114.4], [30.5, 114.3]]] } }, /look swapped/],
    [{ layers: ['manholes'], geometry: { type: 'Polygon', coordinates: [[...Array.from({ length: 10_001 }, (_, i) => [114.3 + i * 1e-6, 30.5 + (i % 2) * 1e-6]), [114.3, 30.5]]] } }, /more than 10000 vertices/],
    [{ layers: ['manholes'], circle: { lon: 114.3, lat: 30.5, radius_m: 20_001 } }, /radius_m must be <= 20000/],
    [{ layers: ['manholes'], circle: { lon: 114.3, lat: 30.5, radius_m: 0 } }, /radius_m must be > 0/],
    [{ layers: ['manholes'], circle: { lon: 114.3, lat: 95, radius_m: 10 } }, /latitude 95 is outside/],
    [{ layers: ['manholes'] }, /give exactly one of geometry .* or circle/],
    [{ layers: ['manholes'], circle: { lon: 114.3, lat: 30.5, radius_m: 10 }, geometry: { type: 'Polygon', coordinates: [] } }, /give exactly one of/],
    [{ layers: ['nosuch'], circle: { lon: 114.3, lat: 30.5, radius_m: 10 } }, /unknown layer "nosuch"/],
    [{ layers: [], circle: { lon: 114.3, lat: 30.5, radius_m: 10 } }, /layers must NOT have fewer than 1 items/],
    [{ layers: ['manholes'], circle: { lon: 114.3, lat: 30.5, radius_m: 10 }, limit: 10_001 }, /limit must be <= 10000/],
  ])('%# → 400', async (payload, message) => {
    const { res, body } = await post('/api/query/within', payload);
    expect(res.status).toBe(400);
    expect((body as { message: string }).message).toMatch(message);
  });

  it('a body that is not JSON is a 400', async () => {
    const { res } = await call('/api/query/within', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"layers": [' });
    expect(res.status).toBe(400);
  });
});

describe('GET /api/grids/at', () => {
  it('agrees with PostGIS for 300 points across the district (in-memory index) and names the units', async () => {
    const pts = await rows(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 300, 42))).geom AS p FROM districts) s`);
    const grids = catalogFor(ctx.app.server.pool).grids;
    const fallbacks = grids.stats.fallbacks;
    let misses = 0;
    for (const p of pts) {
      const { res, body } = await call(`/api/grids/at?lon=${p.x}&lat=${p.y}`);
      const [expected] = await rows(
        `SELECT g.code, c.code AS cc, c.name AS cn, s.code AS sc, s.name AS sn, d.code AS dc, d.name AS dn FROM grids g
         JOIN communities c ON c.code = g.community_code JOIN streets s ON s.code = c.street_code JOIN districts d ON d.code = s.district_code
         WHERE ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY g.code LIMIT 1`, [p.x, p.y]);
      if (!expected) {
        expect(res.status).toBe(404);
        misses++;
        continue;
      }
      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        grid: { code: expected.code },
        community: { code: expected.cc, name: expected.cn },
        street: { code: expected.sc, name: expected.sn },
        district: { code: expected.dc, name: expected.dn },
      });
      expect((body as { grid: { area_m2: number } }).grid.area_m2).toBeGreaterThan(0);
    }
    expect(ctx.app.server.changes.connected).toBe(true);
    // Answered from memory: only points no grid covers went to the database.
    expect(grids.stats.fallbacks - fallbacks).toBe(misses);
    expect(grids.stats.loads).toBeGreaterThanOrEqual(1);
  });

  it('outside the district: 404 saying so and how far', async () => {
    const { res, body } = await call('/api/grids/at?lon=114.0&lat=30.55');
    expect(res.status).toBe(404);
    expect((body as { message: string }).message).toMatch(/is outside 武昌区 \(\d+\.\d km away\); unit grids cover only the district/);
  });

  it('crs=gcj02 is converted', async () => {
    const [x, y] = gcoord.transform([114.31, 30.55], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    const [expected] = await rows(`SELECT code FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1`, [x, y]);
    const { body } = await call('/api/grids/at?lon=114.31&lat=30.55&crs=gcj02');
    expect((body as { grid: { code: string } }).grid.code).toBe(expected.code);
  });

  it('a renamed community shows at once (the change feed drops the in-memory index)', async () => {
    const { body } = await call('/api/grids/at?lon=114.31&lat=30.55');
    const code = (body as { community: { code: string; name: string } }).community.code;
    const old = (body as { community: { name: string } }).community.name;
    await ctx.db.query(`UPDATE communities SET name = name || '（测试）' WHERE code = $1`, [code]);
    let name = old;
    for (let i = 0; i < 50 && name === old; i++) {
      await new Promise((r) => setTimeout(r, 20));
      name = ((await call('/api/grids/at?lon=114.31&lat=30.55')).body as { community: { name: string } }).community.name;
    }
    expect(name).toBe(`${old}（测试）`);
    await ctx.db.query(`UPDATE communities SET name = $2 WHERE code = $1`, [code, old]);
  });

  it.each([
    ['/api/grids/at?lon=30.55&lat=114.31', /look swapped/],
    ['/api/grids/at?lon=114.31', /must have required property 'lat'/],
    ['/api/grids/at?lon=114.31&lat=-91', /latitude -91 is outside −90..90/],
    ['/api/grids/at?lon=1e999&lat=30', /longitude must be a finite number/],
  ])('%s → 400', async (url, message) => {
    const { res, body } = await call(url);
    expect(res.status).toBe(400);
    expect((body as { message: string }).message).toMatch(message);
  });
});

describe('GET /api/search', () => {
  interface Result { layer: string; id: number | string; label: string; parts: { field?: string; value: string | number; en?: string }[]; lon: number; lat: number; bbox?: number[] }
  const search = async (q: string, limit?: number) =>
    ((await call(`/api/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`)).body as { results: Result[] }).results;

  it('a community by its exact Chinese name ranks first; substrings follow; areas have a bbox', async () => {
    const [c] = await rows(`SELECT code, name FROM communities ORDER BY code LIMIT 1`);
    const results = await search(c.name);
    expect(results[0]).toMatchObject({ layer: 'communities', id: c.code, label: c.name });
    expect(results[0].bbox).toHaveLength(4);
    const part = c.name.slice(0, 2);
    const some = await search(part, 50);
    expect(some.length).toBeGreaterThan(0);
    for (const r of some) expect(r.label.includes(part) || r.parts.some((x) => String(x.value).includes(part)) || String(r.id).includes(part) || r.layer === 'cameras').toBe(true);
  });

  it('exact > prefix > substring', async () => {
    const [m] = await rows(`SELECT code FROM manholes ORDER BY id LIMIT 1 OFFSET 100`);
    const results = await search(m.code, 50);
    expect(results[0]).toMatchObject({ layer: 'manholes', label: m.code });
    const prefix = m.code.slice(0, -1);
    const byPrefix = await search(prefix, 50);
    expect(byPrefix.every((r) => r.label.startsWith(prefix) || r.label.toUpperCase().includes(prefix))).toBe(true);
  });

  it('grid codes by prefix, case numbers by prefix (exact first), lower-case codes too', async () => {
    const [g] = await rows(`SELECT code FROM grids ORDER BY code LIMIT 1`);
    const grids = await search(g.code.slice(0, 12), 50);
    expect(grids.filter((r) => r.layer === 'grids').every((r) => String(r.id).startsWith(g.code.slice(0, 12)))).toBe(true);
    const [c] = await rows(`SELECT id, case_no FROM cases ORDER BY id DESC LIMIT 1`);
    const cases = await search(c.case_no);
    expect(cases[0]).toMatchObject({ layer: 'cases', id: Number(c.id), label: c.case_no });
    const lower = await search(c.case_no.toLowerCase());
    expect(lower[0]).toMatchObject({ layer: 'cases', label: c.case_no });
    const [pipe] = await rows(`SELECT code FROM pipes ORDER BY id LIMIT 1`);
    expect((await search(pipe.code.toLowerCase()))[0]).toMatchObject({ layer: 'pipes', label: pipe.code });
  });

  it('limit defaults to 10 and stops at 50; LIKE wildcards in q are literal', async () => {
    expect(await search('WC')).toHaveLength(10);
    expect(await search('WC', 50)).toHaveLength(50);
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
  });

  it.each([
    ['/api/search?q=', /q is empty/],
    ['/api/search?q=%20%20', /q is empty/],
    ['/api/search', /must have required property 'q'/],
    ['/api/search?q=a&limit=51', /limit must be <= 50/],
    [`/api/search?q=${'x'.repeat(101)}`, /must NOT have more than 100 characters/],
  ])('%s → 400', async (url, message) => {
    const { res, body } = await call(url);
    expect(res.status).toBe(400);
    expect((body as { message: string }).message).toMatch(message);
  });
});

describe('GET /api/details/{layer}/{id}', () => {
  type D = { layer: string; id: number | string; properties: Record<string, unknown>; geometry: { type: string } | null; related: Record<string, never> };
  const details = async (layer: string, id: number | string) => (await call(`/api/details/${layer}/${id}`)).body as D;

  it('a pipe: its manholes, inspections with defects (newest first), hazards', async () => {
    const [p] = await rows(`SELECT p.id, p.from_node, p.to_node FROM pipes p WHERE EXISTS (SELECT 1 FROM inspections i JOIN defects d ON d.inspection_id = i.id WHERE i.pipe_id = p.id)
                            AND EXISTS (SELECT 1 FROM hazards h WHERE h.pipe_id = p.id) ORDER BY p.id LIMIT 1`);
    const d = await details('pipes', p.id);
    expect(d).toMatchObject({ layer: 'pipes', id: p.id, geometry: { type: 'LineString' } });
    expect(d.related.from_manhole).toMatchObject({ id: p.from_node });
    expect(d.related.to_manhole).toMatchObject({ id: p.to_node });
    const inspections = d.related.inspections as { id: number; inspected_at: string; defects: { code: string; name_zh: string; grade: number }[] }[];
    const [n] = await rows(`SELECT count(*)::int AS n FROM inspections WHERE pipe_id = $1`, [p.id]);
    expect(inspections).toHaveLength(n.n);
    expect(inspections.some((i) => i.defects.length > 0)).toBe(true);
    expect(inspections.flatMap((i) => i.defects)[0]).toMatchObject({ code: expect.any(String), name_zh: expect.any(String), grade: expect.any(Number) });
    expect([...inspections].sort((a, b) => b.inspected_at.localeCompare(a.inspected_at))).toEqual(inspections);
    expect((d.related.hazards as unknown[]).length).toBeGreaterThan(0);
  });

  it('a manhole: pipes in and out', async () => {
    const [m] = await rows(`SELECT to_node AS id FROM pipes GROUP BY to_node HAVING count(*) >= 2 LIMIT 1`);
    const d = await details('manholes', m.id);
    const pin = (await rows(`SELECT id FROM pipes WHERE to_node = $1 ORDER BY id`, [m.id])).map((r) => r.id);
    const pout = (await rows(`SELECT id FROM pipes WHERE from_node = $1 ORDER BY id`, [m.id])).map((r) => r.id);
    expect((d.related.pipes_in as { id: number }[]).map((x) => x.id)).toEqual(pin);
    expect((d.related.pipes_out as { id: number }[]).map((x) => x.id)).toEqual(pout);
  });

  it('a camera: the last 30 days on record, oldest first, and its stream (for staff)', async () => {
    const d = await details('cameras', 1);
    const days = d.related.status_days as { day: string; online_ratio: number; status: string }[];
    const [last] = await rows(`SELECT max(day)::text AS day FROM camera_status_days WHERE camera_id = 1`);
    expect(days.length).toBe(30);
    expect(days[days.length - 1].day).toBe(last.day);
    expect([...days].sort((a, b) => a.day.localeCompare(b.day))).toEqual(days);
    expect(d.related.stream_url).toBeUndefined();
    const staff = (await loginAs(ctx, 'dispatcher')).headers;
    const forStaff = await (await fetch(`${ctx.app.baseUrl}/api/details/cameras/1`, { headers: staff })).json() as D;
    expect(forStaff.related.stream_url).toMatch(/^rtsp:/);
  });

  it('a case: its catalogue item with deadline and its transitions in order', async () => {
    const [c] = await rows(`SELECT c.id, c.item_code FROM cases c WHERE (SELECT count(*) FROM case_transitions t WHERE t.case_id = c.id) > 3 ORDER BY c.id LIMIT 1`);
    const d = await details('cases', c.id);
    expect(d.related.item).toMatchObject({ code: c.item_code, name_zh: expect.any(String), name_en: expect.any(String), deadline_hours: expect.any(Number) });
    const tr = d.related.transitions as { to_status: string; at: string }[];
    expect(tr.length).toBeGreaterThan(3);
    expect(tr.map((t) => Date.parse(t.at))).toEqual([...tr.map((t) => Date.parse(t.at))].sort((a, b) => a - b));
  });

  it('a sensor: datastreams with thresholds and the 24 h of observations up to the latest', async () => {
    const [s] = await rows(`SELECT station_id AS id FROM datastreams ds WHERE EXISTS (SELECT 1 FROM observations o WHERE o.datastream_id = ds.id) ORDER BY id LIMIT 1`);
    const d = await details('sensors', s.id);
    const streams = d.related.datastreams as { quantity: string; unit: string; warn_level: number | null; observations: { t: string; value: number }[] }[];
    expect(streams.length).toBeGreaterThan(0);
    const obs = streams[0].observations;
    expect(obs.length).toBeGreaterThan(0);
    const span = Date.parse(obs[obs.length - 1].t) - Date.parse(obs[0].t);
    expect(span).toBeLessThanOrEqual(24 * 3600_000);
    expect(streams[0]).toMatchObject({ quantity: expect.any(String), unit: expect.any(String) });
  });

  it('hazards and misconnections: their pipe', async () => {
    const [h] = await rows(`SELECT id, pipe_id FROM hazards ORDER BY id LIMIT 1`);
    expect((await details('hazards', h.id)).related.pipe).toMatchObject({ id: h.pipe_id });
    const [m] = await rows(`SELECT id, pipe_id FROM misconnections WHERE pipe_id IS NOT NULL ORDER BY id LIMIT 1`);
    expect((await details('misconnections', m.id)).related.pipe).toMatchObject({ id: m.pipe_id });
  });

  it('a grid: its community, street and counts of open cases, cameras and manholes', async () => {
    const [g] = await rows(`SELECT grid_code AS code FROM cases WHERE case_is_open(status) GROUP BY grid_code ORDER BY count(*) DESC LIMIT 1`);
    const d = await details('grids', g.code);
    const [e] = await rows(`SELECT
        (SELECT count(*)::int FROM cases WHERE grid_code = $1 AND case_is_open(status)) AS cases_open,
        (SELECT count(*)::int FROM cameras WHERE grid_code = $1) AS cameras,
        (SELECT count(*)::int FROM manholes m, grids gg WHERE gg.code = $1 AND ST_Intersects(m.geom, gg.geom)) AS manholes,
        (SELECT name FROM communities WHERE code = left($1, 12)) AS community`, [g.code]);
    expect(d.id).toBe(g.code);
    expect(d.related.counts).toEqual({ cases_open: e.cases_open, cameras: e.cameras, manholes: e.manholes });
    expect(d.related.community).toMatchObject({ code: g.code.slice(0, 12), name: e.community });
    expect(d.related.street).toMatchObject({ code: g.code.slice(0, 9) });
  });

  it('a facility relates to its operating state and its record: none for one that reports none', async () => {
    const { rows: [f] } = await ctx.db.query<{ id: number }>(`SELECT f.id FROM facilities f WHERE NOT EXISTS (SELECT 1 FROM facility_state s WHERE s.facility_id = f.id) ORDER BY f.id LIMIT 1`);
    expect((await details('facilities', f.id)).related).toEqual({ state: null, history: [] });
  });

  it.each([
    ['/api/details/nosuch/1', 400, /unknown layer "nosuch"/],
    ['/api/details/pipes/abc', 400, /id must be an integer, got "abc"/],
    ['/api/details/pipes/1.5', 400, /id must be an integer/],
    ['/api/details/grids/abc', 400, /id must be the numeric code/],
    ['/api/details/pipes/999999999', 404, /no pipes feature with id 999999999/],
    ['/api/details/pipes/99999999999999999999', 404, /no pipes feature/],
    ['/api/details/cases/9223372036854775807', 404, /no cases feature/],
  ])('%s → %i', async (url, status, message) => {
    const { res, body } = await call(url);
    expect(res.status).toBe(status);
    expect((body as { message: string }).message).toMatch(message);
  });
});

// Found while running `npm run bench -- sqlmap` (bench/sqlmap.ts): "1e999" and "Infinity" pass the schemas as
// ±Infinity (an ajv coercion bug); k-nearest then answered a whole in-memory layer, or a 500 from SQL.
describe('numbers that overflow to Infinity are a 400', () => {
  it('k of nearest, limit of search', async () => {
    for (const url of ['/api/query/nearest?lon=114.31&lat=30.55&layers=manholes&k=Infinity', '/api/query/nearest?lon=114.31&lat=30.55&layers=cases&k=1e999',
      '/api/search?q=WC&limit=1e999', '/api/search?q=WC&limit=-Infinity']) {
      const { res, body } = await call(url);
      expect(res.status, url).toBe(400);
      expect((body as { message: string }).message).toMatch(/finite|whole number in digits/);
    }
  });
});
