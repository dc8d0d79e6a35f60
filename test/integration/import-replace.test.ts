// A survey network imported again replaces its earlier import instead of doubling the network: the same
// file, and a corrected one under the same name (a pipe changed, one gone, one new). Pipes and manholes
// whose codes come back keep their ids, so the inspections on them stay attached; a different file name,
// replace 'never', and an import named by id behave as they say.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportOptions } from '../../server/importers/import.ts';
import { useTestDatabase } from '../helpers/db.ts';

const test = useTestDatabase();
let pool: pg.Pool;
beforeAll(() => { pool = new pg.Pool({ connectionString: test.db.url, max: 3 }); });
afterAll(async () => { await pool?.end(); });
const rows = async (sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows;

/** A survey: manholes RP-MH1… along a street and pipes RP-P1… between them, with codes, ends and diameters. */
function survey(pipes: { code: string; from: number; to: number; d: number }[]): Buffer {
  const nodes = [...new Set(pipes.flatMap((p) => [p.from, p.to]))].sort((a, b) => a - b);
  const at = (n: number): [number, number] => [114.35 + n * 0.0005, 30.52];
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    features: [
      ...nodes.map((n) => ({ type: 'Feature', properties: { code: `RP-MH${n}` }, geometry: { type: 'Point', coordinates: at(n) } })),
      ...pipes.map((p) => ({ type: 'Feature', properties: { code: p.code, from_node: `RP-MH${p.from}`, to_node: `RP-MH${p.to}`, diameter: p.d }, geometry: { type: 'LineString', coordinates: [at(p.from), at(p.to)] } })),
    ],
  }));
}
const FIRST = [{ code: 'RP-P1', from: 1, to: 2, d: 300 }, { code: 'RP-P2', from: 2, to: 3, d: 300 }, { code: 'RP-P3', from: 3, to: 4, d: 400 }];
const opts = (filename: string, more: Partial<ImportOptions> = {}): ImportOptions => ({ filename, format: 'geojson', crs: null, tolerance_m: 0.5, usage: 'sewage', ...more });
const network = async () => rows(`SELECT p.id, p.code, p.import_id, p.diameter_mm, f.code AS f, t.code AS t FROM pipes p JOIN manholes f ON f.id = p.from_node JOIN manholes t ON t.id = p.to_node
  WHERE p.code LIKE 'RP-%' ORDER BY p.import_id, p.code`);
const imports = async () => (await rows(`SELECT id FROM imports ORDER BY id`)).map((r) => r.id as number);

describe('re-importing a survey network', () => {
  let first: Awaited<ReturnType<typeof runImport>>;
  const ids: Record<string, number> = {};

  it('the same file again replaces the first import: same pipe ids, inspections still on them', async () => {
    first = await runImport(pool, survey(FIRST), opts('武昌管网.geojson'));
    expect(first.report.replaced).toBeNull();
    for (const p of await network()) ids[p.code] = p.id;
    // Inspected reaches: P2 (kept by the corrected survey below) and P3 (dropped by it).
    for (const code of ['RP-P2', 'RP-P3']) {
      await pool.query(`WITH i AS (INSERT INTO inspections (pipe_id, inspected_at, method) VALUES ($1, '2024-05-06', 'CCTV') RETURNING id)
        INSERT INTO defects (inspection_id, code, grade, distance_m) SELECT id, 'PL', 4, 5 FROM i`, [ids[code]]);
    }
    const before = await imports();

    const again = await runImport(pool, survey(FIRST), opts('武昌管网.geojson'));
    expect(again.report.replaced).toEqual({
      import_id: first.id, filename: '武昌管网.geojson', matched: 'same_file',
      pipes: { updated: 0, unchanged: 3, added: 0, removed: 0 }, manholes: { kept: 4, added: 0, removed: 0 },
      removed_with_pipes: { inspections: 0, hazards: 0 },
      summary: `replaced import #${first.id} (0 pipes updated, 0 added, 0 removed, 3 unchanged)`,
    });
    expect(await imports()).toEqual([...before.filter((id) => id !== first.id), again.id]);
    const net = await network();
    expect(net.map((p) => [p.code, p.id, p.import_id])).toEqual(FIRST.map((p) => [p.code, ids[p.code], again.id]));
    expect((await rows(`SELECT count(*)::int AS n FROM inspections WHERE pipe_id = ANY($1)`, [Object.values(ids)]))[0].n).toBe(2);
    expect((await rows(`SELECT count(*)::int AS n FROM manholes WHERE code LIKE 'RP-MH%'`))[0].n).toBe(4);
    const [audit] = await rows(`SELECT after FROM audit_log WHERE action = 'import.replace' AND entity_id = $1`, [String(first.id)]);
    expect(audit.after).toMatchObject({ replaced_by: again.id, summary: again.report.replaced!.summary });
    first = again;
  });

  it('a corrected survey under the same name: a pipe updated, one added, one removed with its inspection', async () => {
    const corrected = [{ ...FIRST[0] }, { ...FIRST[1], d: 600 }, { code: 'RP-P4', from: 4, to: 5, d: 400 }];
    const r = await runImport(pool, survey(corrected), opts('武昌管网.geojson'));
    expect(r.report.replaced).toMatchObject({
      import_id: first.id, matched: 'same_name_and_codes',
      pipes: { updated: 1, unchanged: 1, added: 1, removed: 1 }, manholes: { kept: 4, added: 1, removed: 0 },
      removed_with_pipes: { inspections: 1, hazards: 0 },
      summary: `replaced import #${first.id} (1 pipes updated, 1 added, 1 removed, 1 unchanged)`,
    });
    const net = await network();
    expect(net.map((p) => [p.code, p.diameter_mm, p.f, p.t])).toEqual([['RP-P1', 300, 'RP-MH1', 'RP-MH2'], ['RP-P2', 600, 'RP-MH2', 'RP-MH3'], ['RP-P4', 400, 'RP-MH4', 'RP-MH5']]);
    expect(net.slice(0, 2).map((p) => p.id)).toEqual([ids['RP-P1'], ids['RP-P2']]);
    // P2's inspection is still on it, and its scores were recomputed in the import's transaction; P3's went with it.
    const [p2] = await rows(`SELECT pc.inspection_id IS NOT NULL AS scored, pc.f, (SELECT count(*) FROM inspections WHERE pipe_id = $1)::int AS inspections FROM pipe_condition pc WHERE pc.pipe_id = $1`, [ids['RP-P2']]);
    expect(p2).toEqual({ scored: true, f: 10, inspections: 1 });
    expect(await rows(`SELECT 1 FROM pipes WHERE id = $1`, [ids['RP-P3']])).toEqual([]);
    expect(await rows(`SELECT 1 FROM pipe_condition_queue WHERE pipe_id = $1`, [ids['RP-P2']])).toEqual([]);
    first = r;
  });

  it('another file name, or replace "never", adds a second network; replace by id replaces that one', async () => {
    const other = await runImport(pool, survey(FIRST), opts('其他单位管网.geojson'));
    expect(other.report.replaced).toBeNull();
    const never = await runImport(pool, survey(FIRST), opts('其他单位管网.geojson', { replace: 'never' }));
    expect(never.report.replaced).toBeNull();
    expect((await network()).filter((p) => p.code === 'RP-P1').length).toBe(3);
    const given = await runImport(pool, survey(FIRST), opts('whatever.geojson', { replace: never.id }));
    expect(given.report.replaced).toMatchObject({ import_id: never.id, matched: 'given', pipes: { unchanged: 3 } });
    expect((await network()).filter((p) => p.code === 'RP-P1').map((p) => p.import_id)).toEqual([first.id, other.id, given.id]);
  });
});
