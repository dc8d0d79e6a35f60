// Tracing and CJJ 181 scores end to end on the seeded network: the three trace methods against a walk of
// the edge list done here, what a trace reaches, and scores that follow inspections written by anyone.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const get = async (url: string) => {
  const res = await fetch(ctx.app.baseUrl + url);
  return { status: res.status, body: await res.json() as any };
};
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;

/** Breadth-first over all edges, written independently of server/network. */
function reference(edges: { id: number; f: number; t: number }[], start: { node?: number; pipe?: number }, down: boolean): Set<number> {
  const by = new Map<number, { id: number; f: number; t: number }[]>();
  for (const e of edges) {
    const k = down ? e.f : e.t;
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(e);
  }
  const seen = new Set<number>();
  const stack: number[] = [];
  if (start.pipe !== undefined) {
    const e = edges.find((x) => x.id === start.pipe)!;
    seen.add(e.id);
    stack.push(down ? e.t : e.f);
  } else stack.push(start.node!);
  const nodes = new Set(stack);
  while (stack.length) {
    for (const e of by.get(stack.pop()!) ?? []) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      const n = down ? e.t : e.f;
      if (!nodes.has(n)) { nodes.add(n); stack.push(n); }
    }
  }
  return seen;
}

describe('GET /api/trace', () => {
  it('memory, CTE and pgRouting give the reaches a plain walk of the edge list gives, up and down', async () => {
    const edges = (await rows('SELECT id, from_node AS f, to_node AS t FROM pipes')) as { id: number; f: number; t: number }[];
    const starts = await rows(`
      (SELECT 'pipe' AS kind, id FROM pipes WHERE network = 'main' ORDER BY md5(id::text) LIMIT 4)
      UNION ALL (SELECT 'pipe', id FROM pipes WHERE network = 'community' ORDER BY md5(id::text) LIMIT 3)
      UNION ALL (SELECT 'manhole', manhole_id FROM facilities WHERE kind = 'outfall' ORDER BY code LIMIT 3)`);
    for (const s of starts) {
      for (const direction of ['downstream', 'upstream']) {
        const expected = reference(edges, s.kind === 'pipe' ? { pipe: s.id } : { node: s.id }, direction === 'downstream');
        for (const method of ['memory', 'cte', 'pgrouting']) {
          const { status, body } = await get(`/api/trace?from=${s.kind}:${s.id}&direction=${direction}&method=${method}`);
          expect(status).toBe(200);
          expect(new Set(body.pipes.ids), `${method} ${direction} from ${s.kind} ${s.id}`).toEqual(expected);
          expect(body.pipes.count).toBe(expected.size);
        }
      }
    }
  });

  it('downstream from a reach ends at an outfall, pumping station or plant, with length, grids, communities and cameras', async () => {
    const [p] = await rows(`SELECT id FROM pipes WHERE network = 'community' ORDER BY id LIMIT 1`);
    const { body } = await get(`/api/trace?from=pipe:${p.id}&direction=downstream`);
    const [len] = await rows('SELECT sum(length_m) AS l FROM pipes WHERE id = ANY($1)', [body.pipes.ids]);
    expect(body.pipes.length_m).toBeCloseTo(len.l, 0);
    expect(body.ends.length).toBeGreaterThan(0);
    expect(body.facilities.some((f: { kind: string }) => ['outfall', 'pumping_station', 'wwtp'].includes(f.kind))).toBe(true);
    const grids = await rows(
      `SELECT DISTINCT g.code FROM grids g JOIN pipes p ON ST_Intersects(p.geom, g.geom) WHERE p.id = ANY($1) ORDER BY 1`, [body.pipes.ids]);
    expect(body.grids).toEqual(grids.map((g) => g.code));
    expect(body.communities.length).toBeGreaterThan(0);
    expect(body.communities[0]).toMatchObject({ code: expect.stringMatching(/^\d{12}$/), name: expect.any(String), street: expect.any(String) });
    const cams = await rows(
      `SELECT c.id FROM cameras c WHERE EXISTS (SELECT 1 FROM pipes p WHERE p.id = ANY($1) AND ST_DWithin(p.geom::geography, c.geom::geography, 30)) ORDER BY 1`,
      [body.pipes.ids]);
    expect(body.cameras.items.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b)).toEqual(cams.map((c) => c.id));
  });

  it.each([
    ['/api/trace?from=pipe:999999999&direction=upstream', 404, /no pipe with id 999999999/],
    ['/api/trace?from=manhole:999999999&direction=downstream', 404, /no manhole/],
    ['/api/trace?from=valve:1&direction=downstream', 400, /from must match pattern/],
    ['/api/trace?from=pipe:1&direction=sideways', 400, /direction must be equal to one of the allowed values/],
    ['/api/trace?from=pipe:1&direction=upstream&method=dijkstra', 400, /method must be equal to one of the allowed values/],
    ["/api/trace?from=pipe:1;DROP TABLE pipes&direction=upstream", 400, /from must match pattern/],
  ])('%s → %i', async (url, status, message) => {
    const r = await get(url);
    expect(r.status).toBe(status);
    expect(r.body.message).toMatch(message);
  });
});

describe('CJJ 181 scores follow the inspections', () => {
  it('every inspected reach is scored by the seed, and grades colour the pipes', async () => {
    const [c] = await rows(`SELECT (SELECT count(DISTINCT pipe_id) FROM inspections) AS inspected, (SELECT count(*) FROM pipe_condition) AS scored,
      (SELECT count(*) FROM pipes p JOIN pipe_condition c ON c.pipe_id = p.id WHERE p.sgrade IS DISTINCT FROM c.sgrade OR p.fgrade IS DISTINCT FROM c.fgrade) AS mismatched`);
    expect(Number(c.scored)).toBe(Number(c.inspected));
    expect(Number(c.mismatched)).toBe(0);
  });

  it("the worked example of test/unit/cjj181.test.ts, inserted with SQL, is rescored by the server; deleting it clears the scores", async () => {
    const [p] = await rows(`SELECT id FROM pipes WHERE NOT EXISTS (SELECT 1 FROM inspections i WHERE i.pipe_id = pipes.id) ORDER BY id LIMIT 1`);
    await rows(`UPDATE pipes SET length_m = 40, diameter_mm = 800, area_class = 'arterial', soil_class = 'general' WHERE id = $1`, [p.id]);
    // One transaction, as a survey import writes it: the worker sees the inspection with its defects.
    await rows('BEGIN');
    const [i] = await rows(`INSERT INTO inspections (pipe_id, inspected_at, method) VALUES ($1, '2026-11-01', 'CCTV') RETURNING id`, [p.id]);
    await rows(`INSERT INTO defects (inspection_id, code, grade, distance_m, length_m) VALUES
      ($1, 'PL', 3, 5.0, 1), ($1, 'CK', 2, 12.0, 1), ($1, 'TJ', 4, 13.2, 1), ($1, 'CJ', 2, 0, 10), ($1, 'SG', 1, 30, 1)`, [i.id]);
    await rows('COMMIT');
    const poll = async (check: () => Promise<boolean>) => {
      for (let k = 0; k < 100 && !(await check()); k++) await new Promise((r) => setTimeout(r, 30));
    };
    await poll(async () => (await rows('SELECT ri FROM pipe_condition WHERE pipe_id = $1 AND inspection_id = $2', [p.id, i.id])).length > 0);
    const [s] = await rows('SELECT c.*, p.sgrade AS p_s, p.fgrade AS p_f FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id WHERE c.pipe_id = $1', [p.id]);
    expect(s).toMatchObject({ sgrade: 4, fgrade: 2, sadvice: 'local', sdensity: 'local', p_s: 4, p_f: 2 });
    expect(s.ri).toBeCloseTo(7.75, 3);
    expect(s.s).toBeCloseTo(6.067, 3);
    expect(s.sm).toBeCloseTo(0.075, 3);
    expect(s.y).toBeCloseTo(1.25, 3);
    expect(s.ym).toBeCloseTo(0.41, 3);
    expect(s.mi).toBeCloseTo(1.6, 3);
    expect(s.codes.sort()).toEqual(['CJ', 'CK', 'PL', 'SG', 'TJ']);
    // The identify panel shows the scores with the advice in words.
    const details = (await get(`/api/details/pipes/${p.id}`)).body;
    expect(details.related.condition).toMatchObject({ ri: 7.75, sgrade: 4, sadvice: { code: 'local', zh: '局部修复', en: 'local repair' } });

    await rows('DELETE FROM inspections WHERE id = $1', [i.id]);
    await poll(async () => (await rows('SELECT 1 FROM pipe_condition WHERE pipe_id = $1', [p.id])).length === 0);
    const [after] = await rows('SELECT sgrade, fgrade, (SELECT count(*) FROM pipe_condition WHERE pipe_id = $1)::int AS n FROM pipes WHERE id = $1', [p.id]);
    expect(after).toEqual({ sgrade: null, fgrade: null, n: 0 });
  });
});

describe('GET /api/drainage/reaches and /api/drainage/summary', () => {
  it('ranks reaches by RI or MI, highest first, and each filter matches the same query in SQL', async () => {
    const all = await get('/api/drainage/reaches?limit=500');
    const ri = all.body.items.map((r: { ri: number }) => r.ri);
    expect(ri).toEqual([...ri].sort((a, b) => b - a));
    const [n] = await rows('SELECT count(*)::int AS n FROM pipe_condition WHERE error IS NULL');
    expect(all.body.total).toBe(n.n);
    const top = all.body.items[0];
    expect(top).toMatchObject({ sadvice: { zh: expect.any(String), en: expect.any(String) }, street: { name: expect.any(String) } });

    const mi = (await get('/api/drainage/reaches?sort=mi&limit=20')).body.items.map((r: { mi: number }) => r.mi);
    expect(mi).toEqual([...mi].sort((a, b) => b - a));

    const street = top.street.code;
    const cases: [string, string, unknown[]][] = [
      [`street=${street}`, `p.grid_code LIKE $1`, [`${street}%`]],
      ['sgrade=4', 'c.sgrade = 4', []],
      ['fgrade=3&code=CJ', `c.fgrade = 3 AND 'CJ' = ANY(c.codes)`, []],
      ['diameter_min=800&diameter_max=1200', 'p.diameter_mm BETWEEN 800 AND 1200', []],
    ];
    for (const [q, sql, values] of cases) {
      const { body } = await get(`/api/drainage/reaches?${q}&limit=500`);
      const expected = await rows(`SELECT c.pipe_id FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id WHERE c.error IS NULL AND ${sql}`, values);
      expect(body.total, q).toBe(expected.length);
      const want = new Set(expected.map((r) => r.pipe_id));
      const got = body.items.map((r: { pipe_id: number }) => r.pipe_id);
      expect(got.length, q).toBe(Math.min(500, want.size));
      expect(got.filter((id: number) => !want.has(id)), q).toEqual([]);
    }
  });

  it('summaries add up: km by grade, hazards and misconnections per street equal the district totals', async () => {
    const { body } = await get('/api/drainage/summary');
    const [t] = await rows(`SELECT sum(length_m) / 1000 AS km, (SELECT count(*)::int FROM hazards WHERE grid_code IS NOT NULL) AS hz,
      (SELECT count(*)::int FROM misconnections WHERE grid_code IS NOT NULL) AS mc,
      sum(length_m) FILTER (WHERE sgrade = 4) / 1000 AS km4 FROM pipes WHERE grid_code IS NOT NULL`);
    expect(body.rows.length).toBe(14);
    expect(body.total.km.total).toBeCloseTo(t.km, 1);
    expect(body.total.km_by_sgrade['4']).toBeCloseTo(t.km4, 1);
    expect(body.total.hazards.total).toBe(t.hz);
    expect(body.total.misconnections.total).toBe(t.mc);
    const s = body.rows.find((r: { hazards: { total: number } }) => r.hazards.total > 0);
    const sum = Object.values(s.km_by_sgrade as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(s.km.total, 2);
    const communities = (await get(`/api/drainage/summary?by=community&street=${s.code}`)).body;
    expect(communities.rows.every((r: { street: { code: string } }) => r.street.code === s.code)).toBe(true);
    expect(communities.total.hazards.total).toBe(s.hazards.total);
    expect((await get('/api/drainage/summary?by=grid')).status).toBe(400);
  });
});

// Found while running `npm run bench -- sqlmap` (bench/sqlmap.ts): "1e999" passed the schema as Infinity and
// PostgreSQL refused it with a 500.
describe('drainage reports: numbers that overflow to Infinity are a 400', () => {
  it('grades, diameters, limit and offset', async () => {
    for (const q of ['sgrade=Infinity', 'fgrade=1e999', 'diameter_min=-1e999', 'diameter_max=Infinity', 'limit=1e999', 'offset=Infinity']) {
      expect((await get(`/api/drainage/reaches?${q}`)).status, q).toBe(400);
    }
  });
});
