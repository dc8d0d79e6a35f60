// CCTV results over HTTP (POST /api/imports?layer=inspections), answered like every registry layer: a dry
// run (200) that writes nothing yet says what the commit would do, a commit (201) whose reaches are
// rescored and which is audited, a sheet with an unknown defect code refused (400) with the report naming
// the row, a sheet lacking columns refused with the file's columns and the template to map them. The .xlsx
// is made here (test/helpers/xlsx.ts); two reaches are added to the seeded network first.
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { xlsxWorkbook, type XlsxCell } from '../helpers/xlsx.ts';

const ctx = useTestApp();
let planner: Record<string, string>;
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const pipeId: Record<string, number> = {};

beforeAll(async () => {
  planner = (await loginAs(ctx, 'planner')).headers;
  await rows(`INSERT INTO manholes (code, usage, geom)
    SELECT 'THTM' || i, 'sewage', ST_SetSRID(ST_MakePoint(114.31 + i * 0.0004, 30.56), 4326) FROM generate_series(1, 3) i`);
  for (const [code, from, to] of [['HT-YS001', 'THTM1', 'THTM2'], ['HT-YS002', 'THTM2', 'THTM3']]) {
    const [{ id }] = await rows(`INSERT INTO pipes (code, from_node, to_node, usage, diameter_mm, length_m, geom)
      SELECT $1, f.id, t.id, 'sewage', 600, 40, ST_MakeLine(f.geom, t.geom) FROM manholes f, manholes t WHERE f.code = $2 AND t.code = $3 RETURNING id`, [code, from, to]);
    pipeId[code] = id;
  }
});

const HEAD: XlsxCell[] = ['管段编号', '起点井号', '终点井号', '检测日期', '距离(m)', '缺陷代码', '缺陷等级', '时钟表示'];
const GOOD: XlsxCell[][] = [
  ['HT-YS001', 'THTM1', 'THTM2', '2024-06-01', 12.5, 'PL', 4, '0309'],
  [null, null, null, null, 20, 'SG', 2, '1203'],
  ['HT-YS002', 'THTM2', 'THTM3', '2024-06-01', 5, 'CJ', 3, '0408'],
];
const sheet = (data: XlsxCell[][], head = HEAD) => xlsxWorkbook([['CCTV 检测成果表'], head, ...data], { merges: ['A1:H1'], sheet: '检测' });

async function upload(body: Buffer, query: string, headers = planner) {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports?layer=inspections&filename=cctv.xlsx&${query}`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body),
  });
  return { status: res.status, json: await res.json() };
}

const state = async () => (await rows(`SELECT (SELECT count(*) FROM inspections)::int AS inspections, (SELECT count(*) FROM defects)::int AS defects,
  (SELECT count(*) FROM audit_log)::int AS audit, (SELECT md5(coalesce(string_agg(pc::text, ',' ORDER BY pipe_id), '')) FROM pipe_condition pc WHERE pipe_id = ANY($1)) AS scores`,
[Object.values(pipeId)]))[0];
const sgrade = async (code: string) => (await rows('SELECT sgrade FROM pipe_condition WHERE pipe_id = $1', [pipeId[code]]))[0]?.sgrade ?? null;

describe('inspections over HTTP', () => {
  it('a dry run (200) reports every row, the columns and what would be rescored, and writes nothing', async () => {
    const before = await state();
    const r = await upload(sheet(GOOD), 'dry_run=true');
    expect(r.status, JSON.stringify(r.json).slice(0, 500)).toBe(200);
    expect(r.json).toMatchObject({
      layer: 'inspections', format: 'xlsx', dry_run: true, committed: false, sheet: '检测', header: { row: 2, rows: 1 },
      counts: { read: 3, valid: 3, rejected: 0, insert: 3, update: 0 }, rejected: [], crs_source: null,
    });
    expect(r.json.headers).toEqual(HEAD);
    expect(r.json.mapping).toMatchObject({ pipe_code: '管段编号', code: '缺陷代码', grade: '缺陷等级' });
    expect(r.json.template).toMatchObject({ pipe_code: '管段编号' });
    expect(r.json.fields.map((f: { field: string }) => f.field)).toEqual(Object.keys(r.json.template));
    expect(r.json.rows.map((x: { row: number; outcome: string }) => [x.row, x.outcome])).toEqual([[3, 'insert'], [4, 'insert'], [5, 'insert']]);
    // The scores the commit would give: PL grade 4 is structural grade IV.
    const ys1 = r.json.derived.reaches.find((x: { pipe_code: string }) => x.pipe_code === 'HT-YS001');
    expect(ys1.after.sgrade).toBe(4);
    expect(r.json.derived.written.reaches_rescored).toBe(2);
    expect(await state()).toEqual(before);
  });

  it('an unknown defect code is refused (400) with its row number and reason; nothing is written', async () => {
    const before = await state();
    const bad = [...GOOD, [null, null, null, null, 30, 'XX', 2, '0101']];
    const r = await upload(sheet(bad), 'dry_run=false');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/^1 of 4 rows cannot be imported.*row 6: defect "XX" is not a CJJ 181-2012 defect code/);
    expect(r.json.report).toMatchObject({ committed: false, counts: { read: 4, valid: 3, rejected: 1 } });
    expect(r.json.report.rejected).toEqual([{ row: 6, key: null, outcome: 'rejected', reason: expect.stringMatching(/^defect "XX" is not a CJJ 181-2012 defect code/) }]);
    expect(await state()).toEqual(before);
    // The same in a dry run: a 200 whose report lists the row.
    const dry = await upload(sheet(bad), 'dry_run=true');
    expect(dry.status).toBe(200);
    expect(dry.json.rejected.map((x: { row: number }) => x.row)).toEqual([6]);
  });

  it('a sheet lacking the defect code column is refused with its columns and the template to map them; mapping it imports', async () => {
    const head = HEAD.map((h) => (h === '缺陷代码' ? '病害类别' : h));
    const r = await upload(sheet(GOOD, head), 'dry_run=true');
    expect(r.status).toBe(400);
    expect(r.json.report.headers).toEqual(head);
    expect(r.json.report.template).toHaveProperty('code', null);
    expect(r.json.report.missing.length).toBeGreaterThan(0);
    const mapping = JSON.stringify({ ...r.json.report.template, code: '病害类别' });
    const mapped = await upload(sheet(GOOD, head), `dry_run=true&mapping=${encodeURIComponent(mapping)}`);
    expect(mapped.status, JSON.stringify(mapped.json).slice(0, 500)).toBe(200);
    expect(mapped.json.mapping.code).toBe('病害类别');
    expect(mapped.json.matches).toContainEqual({ field: 'code', header: '病害类别', how: 'user' });
  });

  it('options that are not for inspections, and field staff, are refused', async () => {
    expect((await upload(sheet(GOOD), 'crs=gcj02')).status).toBe(400);
    expect((await upload(sheet(GOOD), 'replace=true')).status).toBe(400);
    expect((await upload(sheet(GOOD), 'format=geojson')).json.message).toMatch(/^inspections are read from csv or xlsx/);
    // A workbook named as a CSV is refused by its bytes, with the report as far as it got.
    const asCsv = await upload(sheet(GOOD), 'format=csv');
    expect(asCsv.status).toBe(400);
    expect(asCsv.json.message).toMatch(/zip archive, not a CSV/);
    const field = (await loginAs(ctx, 'field')).headers;
    expect((await upload(sheet(GOOD), 'dry_run=true', field)).status).toBe(403);
  });

  it('a commit (201) writes the inspections, rescores the reaches and is audited', async () => {
    const before = await state();
    expect(await sgrade('HT-YS001')).toBeNull();
    const r = await upload(sheet(GOOD), 'dry_run=false');
    expect(r.status, JSON.stringify(r.json).slice(0, 500)).toBe(201);
    expect(r.json).toMatchObject({ committed: true, dry_run: false, counts: { read: 3, insert: 3, rejected: 0 } });
    const after = await state();
    expect(after.inspections).toBe(before.inspections + 2);
    expect(after.defects).toBe(before.defects + 3);
    expect(await sgrade('HT-YS001')).toBe(4);
    const [audit] = await rows(`SELECT action, actor FROM audit_log ORDER BY id DESC LIMIT 1`);
    expect(audit.action).toBe('inspections.import');
    // Again: the same reaches and date replace what is there, rows counted as updates.
    const again = await upload(sheet(GOOD), 'dry_run=true');
    expect(again.json.counts).toMatchObject({ insert: 0, update: 3 });
  });
});
