// The planners' network tools on small networks built here (a district started clean): the longitudinal
// profile of a known path (stations, levels, slopes, water, defects computed from the rows), and each
// design check found on a network built to contain it and on none without.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECK_CODES } from '../../server/domain/network/checks.ts';
import { longitudinalProfile } from '../../server/network/profile.ts';
import { Tracer } from '../../server/network/tracer.ts';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp({}, true);
const get = async (url: string) => {
  const res = await fetch(ctx.app.baseUrl + url);
  return { status: res.status, body: await res.json() as any };
};
const LAT = 30.55;
const ids = new Map<string, number>();

async function network(name: string, manholes: [code: string, lon: number, kind: string, ground: number | null, invert: number | null, depth: number | null][],
  pipes: [code: string, from: string, to: string, usage: string, d: number | null, up: number | null, down: number | null, lengthOverride?: number][]) {
  const { rows: [imp] } = await ctx.db.query(`INSERT INTO imports (filename, format, report) VALUES ($1, 'geojson', '{}') RETURNING id`, [name]);
  for (const [code, lon, kind, ground, invert, depth] of manholes) {
    const { rows: [m] } = await ctx.db.query(
      `INSERT INTO manholes (code, kind, usage, ground_elev_m, invert_elev_m, depth_m, import_id, geom)
       VALUES ($1, $2, 'sewage', $3, $4, $5, $6, ST_SetSRID(ST_MakePoint($7, $8), 4326)) RETURNING id`, [code, kind, ground, invert, depth, imp.id, lon, LAT]);
    ids.set(code, m.id);
  }
  for (const [code, from, to, usage, d, up, down, len] of pipes) {
    const { rows: [p] } = await ctx.db.query(
      `INSERT INTO pipes (code, from_node, to_node, usage, diameter_mm, up_invert_m, down_invert_m, import_id, geom, length_m)
       SELECT $1, a.id, b.id, $4, $5, $6, $7, $8, g, coalesce($9, ST_Length(g::geography))
         FROM manholes a, manholes b, LATERAL (SELECT ST_MakeLine(a.geom, b.geom) AS g) l WHERE a.id = $2 AND b.id = $3 RETURNING id`,
      [code, ids.get(from), ids.get(to), usage, d, up, down, imp.id, len ?? null]);
    ids.set(code, p.id);
  }
  return imp.id as number;
}

let clean: number;
let faulty: number;
const L = { b1: 0, b2: 0 };

beforeAll(async () => {
  // A sound sewer: falling, widening, crowns matched (管顶平接), manholes deep enough, ending at an outfall.
  clean = await network('clean.geojson', [
    ['B1', 114.300, 'manhole', 21.0, 19.0, 2.0], ['B2', 114.301, 'manhole', 21.2, 18.7, null], ['B3', 114.302, 'outfall', 20.5, 18.4, 2.1],
  ], [['PB1', 'B1', 'B2', 'sewage', 300, 19.0, 18.8], ['PB2', 'B2', 'B3', 'sewage', 400, 18.7, 18.5]]);
  const { rows } = await ctx.db.query(`SELECT code, length_m FROM pipes WHERE code IN ('PB1', 'PB2') ORDER BY code`);
  [L.b1, L.b2] = rows.map((r) => r.length_m);
  // A level sensor in B2 (0.3 m of water), a defect 30 m into PB1, one seen 10 m from PB2's lower end, a hazard mid-PB2.
  const { rows: [s] } = await ctx.db.query(`INSERT INTO sensor_stations (code, name, kind, manhole_id, geom) SELECT 'YW1', '液位', 'manhole_level', id, geom FROM manholes WHERE code = 'B2' RETURNING id`);
  await ctx.db.query(`INSERT INTO datastreams (station_id, quantity, unit, last_value, last_at) VALUES ($1, 'water_level', 'm', 0.3, now())`, [s.id]);
  for (const [pipe, direction, code, distance] of [['PB1', 'downstream', 'PL', 30], ['PB2', 'upstream', 'CJ', 10]] as const) {
    const { rows: [i] } = await ctx.db.query(`INSERT INTO inspections (pipe_id, inspected_at, method, direction) VALUES ($1, '2026-01-01', 'CCTV', $2) RETURNING id`, [ids.get(pipe), direction]);
    await ctx.db.query(`INSERT INTO defects (inspection_id, code, grade, distance_m) VALUES ($1, $2, 3, $3)`, [i.id, code, distance]);
  }
  await ctx.db.query(`INSERT INTO hazards (pipe_id, code, grade, found_at, geom) SELECT id, 'PL', 4, '2026-01-02', ST_LineInterpolatePoint(geom, 0.5) FROM pipes WHERE code = 'PB2'`);

  // Every design fault once (positions east of the sound sewer, out of its box).
  faulty = await network('faulty.geojson', [
    ['A1', 114.310, 'manhole', 20, 17.9, null], ['A2', 114.311, 'manhole', 20, 18.1, null], ['A3', 114.312, 'manhole', 20, 18.5, null],
    ['A4', 114.313, 'manhole', 20, 18.0, null], ['A5', 114.314, 'manhole', 20, 17.8, null], ['A6', 114.315, 'outfall', 20, 17.0, null],
    ['A7', 114.316, 'manhole', 20, 18.0, null], ['A9', 114.317, 'manhole', 20, 17.5, null], ['A10', 114.31701, 'manhole', 20, 17.4, null],
    ['A11', 114.318, 'manhole', null, 18.0, null],
  ], [
    ['PA1', 'A1', 'A2', 'sewage', 400, 18.0, 18.2], // 倒坡
    ['PA2', 'A2', 'A3', 'sewage', 300, 18.5, 18.3], // 管径倒置, crown above PA1's, below A3's bottom
    ['PA3', 'A4', 'A5', 'rain', 300, 18.0, 17.9], // rain into PA4 (sewage)
    ['PA4', 'A5', 'A6', 'sewage', 300, 17.8, 17.1],
    ['PA5', 'A7', 'A9', 'combined', 300, 18.0, 17.6], // combined into PA6 (rain)
    ['PA6', 'A9', 'A6', 'rain', 300, 17.5, 17.1],
    ['PA7', 'A9', 'A6', 'rain', 300, 17.5, 17.1], // PA6 twice
    ['PA8', 'A9', 'A10', 'rain', 300, 17.5, 17.45, 0.05], // zero length, ends nowhere
    ['PA9', 'A11', 'A6', 'rain', 300, null, 17.2], // an invert missing (and A11's ground)
  ]);
});

describe('GET /api/network/profile', () => {
  it('gives the stations, levels, slopes, water and defects of a known path from the data', async () => {
    const { status, body } = await get(`/api/network/profile?from=manhole:${ids.get('B1')}&to=manhole:${ids.get('B3')}`);
    expect(status).toBe(200);
    expect(body.stations.map((s: any) => s.manhole.code)).toEqual(['B1', 'B2', 'B3']);
    expect(body.reaches.map((r: any) => r.code)).toEqual(['PB1', 'PB2']);
    const [s1, s2, s3] = body.stations;
    expect(s1).toMatchObject({ chainage_m: 0, ground_m: 21, invert_m: 19, depth_m: 2, crown_m: 19.3, diameter_mm: 300, water_m: null });
    expect(s1.slope).toBeCloseTo(0.2 / L.b1, 5);
    // B2 has no depth: ground − invert; its crown is the higher of PB1's lower end (19.1) and PB2's upper end (19.1).
    expect(s2).toMatchObject({ ground_m: 21.2, invert_m: 18.7, depth_m: 2.5, crown_m: 19.1, diameter_mm: 400, water_m: 19 });
    expect(s2.chainage_m).toBeCloseTo(L.b1, 1);
    expect(s2.slope).toBeCloseTo(0.2 / L.b2, 5);
    expect(s3).toMatchObject({ ground_m: 20.5, invert_m: 18.4, depth_m: 2.1, crown_m: 18.9, diameter_mm: null, slope: null });
    expect(s3.chainage_m).toBeCloseTo(L.b1 + L.b2, 1);
    expect(body.length_m).toBeCloseTo(L.b1 + L.b2, 1);
    expect(body.reaches[1]).toMatchObject({ up_invert_m: 18.7, down_invert_m: 18.5, up_crown_m: 19.1, down_crown_m: 18.9 });
    const marks = body.marks.map((m: any) => [m.kind, m.code, m.chainage_m]);
    expect(marks[0]).toEqual(['defect', 'PL', 30]);
    expect(marks[1][0]).toBe('hazard');
    expect(marks[1][2]).toBeCloseTo(L.b1 + L.b2 / 2, 0);
    expect(marks[2][1]).toBe('CJ');
    expect(marks[2][2]).toBeCloseTo(L.b1 + L.b2 - 10, 1);
  });

  it('follows the flow to its end without to, and from a pipe starts at its upper manhole', async () => {
    const down = await get(`/api/network/profile?from=manhole:${ids.get('B1')}`);
    expect(down.body.stations.map((s: any) => s.manhole.code)).toEqual(['B1', 'B2', 'B3']);
    const fromPipe = await get(`/api/network/profile?from=pipe:${ids.get('PB2')}`);
    expect(fromPipe.body.stations.map((s: any) => s.manhole.code)).toEqual(['B2', 'B3']);
  });

  it('answers an unknown manhole 404, no way along the flow 422, a bad reference 400, and bounds the length', async () => {
    expect((await get(`/api/network/profile?from=manhole:999999`)).status).toBe(404);
    expect((await get(`/api/network/profile?from=manhole:${ids.get('B1')}&to=manhole:999999`)).status).toBe(404);
    const up = await get(`/api/network/profile?from=manhole:${ids.get('B3')}&to=manhole:${ids.get('B1')}`);
    expect(up.status).toBe(422);
    expect(up.body.message).toMatch(/not downstream/);
    expect((await get(`/api/network/profile?from=B1`)).status).toBe(400);
    const pool = new pg.Pool({ connectionString: ctx.app.db.url, max: 1 });
    try {
      await expect(longitudinalProfile(pool, new Tracer(pool), { kind: 'manhole', id: ids.get('B1')! }, ids.get('B3')!, 1)).rejects.toMatchObject({ statusCode: 422 });
    } finally {
      await pool.end();
    }
  });
});

describe('GET /api/network/checks', () => {
  const found = (body: any) => body.findings.map((f: any) => `${f.code} ${f.pipe?.code ?? ''}/${f.manhole?.code ?? ''}`).sort();

  it('finds each design fault on the network built with it, with its reach or manhole, severity and figures', async () => {
    const { status, body } = await get(`/api/network/checks?import=${faulty}`);
    expect(status).toBe(200);
    expect(found(body)).toEqual([
      'crown_above_incoming PA2/A2', 'diameter_decrease PA2/A2', 'duplicate_reach PA7/', 'levels_missing /A11', 'levels_missing PA9/',
      'manhole_too_shallow PA2/A3', 'no_outfall PA1/', 'no_outfall PA2/', 'no_outfall PA8/', 'rain_to_sewage PA3/A5',
      'reverse_slope PA1/', 'sewage_to_rain PA5/A9', 'zero_length PA8/',
    ]);
    expect(new Set(body.findings.map((f: any) => f.code))).toEqual(new Set(CHECK_CODES));
    expect(body.findings[0].severity).toBe('error');
    const reverse = body.findings.find((f: any) => f.code === 'reverse_slope');
    expect(reverse).toMatchObject({ severity: 'error', values: { up_invert_m: 18, down_invert_m: expect.closeTo(18.2, 3) } });
    expect(body.findings.find((f: any) => f.code === 'diameter_decrease').values).toMatchObject({ diameter_mm: 300, in_diameter_mm: 400, in_pipe: 'PA1' });
    expect(body.counts.no_outfall).toBe(3);
  });

  it('finds nothing on the sound network, by import or by its area; filters by code and severity', async () => {
    expect((await get(`/api/network/checks?import=${clean}`)).body).toMatchObject({ total: 0, findings: [] });
    expect((await get(`/api/network/checks?bbox=114.2995,30.549,114.3025,30.551`)).body.total).toBe(0);
    const whole = await get('/api/network/checks');
    expect(whole.body.total).toBe(13);
    const some = await get('/api/network/checks?codes=no_outfall,zero_length&severity=error');
    expect(found(some.body)).toEqual(['no_outfall PA1/', 'no_outfall PA2/', 'no_outfall PA8/', 'zero_length PA8/']);
    expect(some.body.counts.levels_missing).toBe(2);
    expect((await get('/api/network/checks?codes=bogus')).status).toBe(400);
    expect((await get('/api/network/checks?bbox=1,2,0,3')).status).toBe(400);
  });
});
