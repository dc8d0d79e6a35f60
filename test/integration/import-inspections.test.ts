// CCTV inspection results (CJJ 181-2012) from a contractor's files into inspections and defects: an .xlsx
// with a title row and a two-row merged header, each reach named once with its defects below it (matched by
// pipe code, by manholes, and by manholes in reverse); a GBK CSV one row per defect; a file with bad rows
// refused whole; a dry run; re-imports that replace. Reaches are rescored, and the scores checked against
// CJJ 181 worked out by hand here. Three test reaches are added to the seeded network first.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeAll } from '../../server/drainage/condition.ts';
import { encodeGbk } from '../../server/importers/shapes/garbled.ts';
import { importInspections, InspectionsRejected, type InspectionImportReport } from '../../server/importers/layers/inspections.ts';
import { importLimits } from '../../server/importers/limits.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { xlsxWorkbook, type XlsxCell } from '../helpers/xlsx.ts';

const test = useTestDatabase();
let pool: pg.Pool;
const limits = importLimits({ gdalSeconds: 60 });
const rows = async (sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows;

// Manholes TWCM1 → TWCM2 → TWCM3 and TWCM4 → TWCM5; pipe codes, lengths (m) and diameters (mm).
const REACHES = [
  { code: 'WC-YS001', from: 'TWCM1', to: 'TWCM2', length: 40, d: 600 },
  { code: 'WC-YS002', from: 'TWCM2', to: 'TWCM3', length: 35, d: 500 },
  { code: 'WC-WS003', from: 'TWCM4', to: 'TWCM5', length: 50, d: 800 },
];
const pipeId: Record<string, number> = {};

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: test.db.url, max: 3 });
  await pool.query(
    `INSERT INTO manholes (code, usage, geom)
     SELECT 'TWCM' || i, 'sewage', ST_SetSRID(ST_MakePoint(114.30 + i * 0.0004, 30.55), 4326) FROM generate_series(1, 5) i`);
  for (const r of REACHES) {
    const [{ id }] = await rows(
      `INSERT INTO pipes (code, from_node, to_node, usage, diameter_mm, length_m, geom)
       SELECT $1, f.id, t.id, 'sewage', $4, $5, ST_MakeLine(f.geom, t.geom) FROM manholes f, manholes t WHERE f.code = $2 AND t.code = $3 RETURNING id`,
      [r.code, r.from, r.to, r.d, r.length]);
    pipeId[r.code] = id;
  }
});
afterAll(async () => { await pool?.end(); });

const TITLE = ['武昌区排水管道 CCTV 检测成果表'];
// Two header rows: ungrouped names merged down through both, 检测信息 and 缺陷 over their columns.
const HEAD_TOP: XlsxCell[] = ['序号', '管段编号', '起点井号', '终点井号', '管径(mm)', '检测信息', null, null, '缺陷', null, null, null, null, null, null, '缺陷描述'];
const HEAD_BOTTOM: XlsxCell[] = [null, null, null, null, null, '检测日期', '检测方向', '检测长度(m)', '距离(m)', '缺陷名称', '缺陷代码', '缺陷等级', '缺陷长度(m)', '时钟表示', '照片编号', null];
const HEAD_MERGES = ['A1:P1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:D3', 'E2:E3', 'F2:H2', 'I2:O2', 'P2:P3'];

/** Three reaches: YS001 by its code (three defects), YS002 by its manholes, WS003 by its manholes given downstream first (逆流). */
function surveyRows(grades: { pl: XlsxCell } = { pl: 'Ⅲ' }): XlsxCell[][] {
  return [
    [1, 'WC-YS001', 'TWCM1', 'TWCM2', 600, '2024-05-06', '顺流', 40, 12.5, '破裂', 'PL', grades.pl, null, '0309', 'P001', '环向裂缝'],
    [null, null, null, null, null, null, null, null, 20.3, '树根', 'SG', '二级', null, '1203', 'P002', null],
    [null, null, null, null, null, null, null, null, 30, '错口', 'CK', 2, null, '0406', 'P003', null],
    [2, null, 'TWCM2', 'TWCM3', 500, '2024-05-06', '顺流', 35, 5, '脱节', 'TJ', '4', null, '0212', 'P004', null],
    [null, null, null, null, null, null, null, null, 10, '障碍物', 'ZW', 'Ⅰ级', null, '06', 'P005', '砖块'],
    [3, null, 'TWCM5', 'TWCM4', 800, '2024-05-07', '逆流', 50, 10, '沉积', 'CJ', '3', 6, '0408', 'P006', null],
  ];
}

/** The survey as Excel has it: data merged down over each reach's rows. */
function surveyXlsx(data: XlsxCell[][]): Buffer {
  const merges = [...HEAD_MERGES];
  for (const [first, last] of [[4, 6], [7, 8]]) for (const col of 'ABCDEFGH') merges.push(`${col}${first}:${col}${last}`);
  return xlsxWorkbook([TITLE, HEAD_TOP, HEAD_BOTTOM, ...data], { merges, sheet: '检测成果' });
}

const counts = async () => (await rows(`SELECT (SELECT count(*) FROM inspections)::int AS inspections, (SELECT count(*) FROM defects)::int AS defects,
  (SELECT count(*) FROM hazards)::int AS hazards, (SELECT md5(string_agg(pc::text, ',' ORDER BY pipe_id)) FROM pipe_condition pc WHERE pipe_id = ANY($1)) AS scores`, [Object.values(pipeId)]))[0];

const condition = async (code: string) => (await rows(
  `SELECT s, f, sgrade, ri, ri_grade, y, g, fgrade, mi, mi_grade, to_char(inspected_at, 'YYYY-MM-DD') AS inspected_at FROM pipe_condition WHERE pipe_id = $1`, [pipeId[code]]))[0];

const defectsOf = async (code: string, at: string) => rows(
  `SELECT d.code, d.grade, d.distance_m, d.length_m, d.clock_from, d.clock_to, d.note FROM defects d JOIN inspections i ON i.id = d.inspection_id
   WHERE i.pipe_id = $1 AND i.inspected_at = $2 ORDER BY d.distance_m`, [pipeId[code], at]);

describe('an .xlsx of CCTV results with a title row and a two-row merged header', () => {
  let report: InspectionImportReport;

  it('finds the header, matches each reach (pipe code, manholes, manholes reversed) and writes every defect', async () => {
    report = await importInspections(pool, surveyXlsx(surveyRows()), { filename: '武昌检测成果.xlsx', limits });
    expect(report.committed).toBe(true);
    expect(report.file).toMatchObject({ format: 'xlsx', sheet: '检测成果', encoding: null, header: { row: 2, rows: 2, above: [TITLE[0]] } });
    expect(report.columns.mapping).toMatchObject({
      pipe_code: '管段编号', from_manhole: '起点井号', to_manhole: '终点井号', diameter_mm: '管径(mm)', inspected_at: '检测信息 / 检测日期',
      direction: '检测信息 / 检测方向', inspected_length_m: '检测信息 / 检测长度(m)', distance_m: '缺陷 / 距离(m)', defect_name: '缺陷 / 缺陷名称',
      code: '缺陷 / 缺陷代码', grade: '缺陷 / 缺陷等级', length_m: '缺陷 / 缺陷长度(m)', clock: '缺陷 / 时钟表示', photo: '缺陷 / 照片编号', note: '缺陷描述',
    });
    expect(report.rows).toMatchObject({ read: 6, valid: 6, rejected: 0, with_defect: 6, without_defect: 0 });
    expect(report.row_results.map((r) => [r.row, r.action, r.inspection])).toEqual([[4, 'defect', 0], [5, 'defect', 0], [6, 'defect', 0], [7, 'defect', 1], [8, 'defect', 1], [9, 'defect', 2]]);
    expect(report.inspections.map((i) => [i.pipe_code, i.matched_by, i.direction, i.direction_from, i.inspected_at, i.defects, i.action])).toEqual([
      ['WC-YS001', 'pipe_code', 'downstream', 'sheet', '2024-05-06', 3, 'insert'],
      ['WC-YS002', 'manholes', 'downstream', 'sheet', '2024-05-06', 2, 'insert'],
      ['WC-WS003', 'manholes_reversed', 'upstream', 'sheet', '2024-05-07', 1, 'insert'],
    ]);
    expect(report.matched_by).toEqual({ pipe_code: 1, manholes: 1, manholes_reversed: 1 });
    expect(report.written).toMatchObject({ inspections: { inserted: 3, replaced: 0 }, defects: { inserted: 6, removed: 0 } });
    expect(report.warnings).toEqual([]);

    expect(await defectsOf('WC-YS001', '2024-05-06')).toEqual([
      { code: 'PL', grade: 3, distance_m: 12.5, length_m: 1, clock_from: 3, clock_to: 9, note: '环向裂缝；照片 P001' },
      { code: 'SG', grade: 2, distance_m: expect.closeTo(20.3, 5), length_m: 1, clock_from: 12, clock_to: 3, note: '照片 P002' },
      { code: 'CK', grade: 2, distance_m: 30, length_m: 1, clock_from: 4, clock_to: 6, note: '照片 P003' },
    ]);
    expect((await defectsOf('WC-YS002', '2024-05-06')).map((d) => [d.code, d.grade, d.distance_m, d.clock_from, d.clock_to])).toEqual([['TJ', 4, 5, 2, 12], ['ZW', 1, 10, 6, 6]]);
    expect(await defectsOf('WC-WS003', '2024-05-07')).toEqual([{ code: 'CJ', grade: 3, distance_m: 10, length_m: 6, clock_from: 4, clock_to: 8, note: '照片 P006' }]);
    const [insp] = await rows(`SELECT method, direction, inspected_length_m, synthetic FROM inspections WHERE pipe_id = $1`, [pipeId['WC-WS003']]);
    expect(insp).toEqual({ method: 'CCTV', direction: 'upstream', inspected_length_m: 50, synthetic: false });
    const [audit] = await rows(`SELECT action, after FROM audit_log WHERE action = 'inspections.import' ORDER BY id DESC LIMIT 1`);
    expect(audit.after).toMatchObject({ filename: '武昌检测成果.xlsx', inspections: { inserted: 3 } });
  });

  it('rescores the reaches as CJJ 181 says (worked out here)', async () => {
    // YS001, 40 m, D600 (E = 3), other area, general soil. Structural PL3 (5) @12.5 and CK2 (2) @30, 17.5 m
    // apart (α = 1): S = 3.5, F = max(5, 3.5) = 5 → Ⅲ; F ≥ 4 keeps K = 0, E = 3: RI = 0.7·5 + 0.05·3 = 3.65 → Ⅱ.
    // Functional SG2 (2): Y = G = 2 → Ⅱ; G < 4: MI = 0.8·2 = 1.6 → Ⅱ.
    expect(await condition('WC-YS001')).toMatchObject({ s: 3.5, f: 5, sgrade: 3, ri: 3.65, ri_grade: 2, y: 2, g: 2, fgrade: 2, mi: 1.6, mi_grade: 2, inspected_at: '2024-05-06' });
    // YS002, 35 m, D500 (E = 0): TJ4 (10): F = 10 → Ⅳ, RI = 7 → Ⅲ; ZW1 (0.1): G = 0.1 → Ⅰ, MI = 0.08.
    expect(await condition('WC-YS002')).toMatchObject({ s: 10, f: 10, sgrade: 4, ri: 7, ri_grade: 3, g: 0.1, fgrade: 1, mi: 0.08 });
    // WS003, 50 m, D800 (E = 3): no structural defect (F = 0 → Ⅰ); CJ3 (5) over 6 m: G = 5 → Ⅲ, MI = 0.8·5 + 0.05·3 = 4.15 → Ⅲ.
    expect(await condition('WC-WS003')).toMatchObject({ f: 0, sgrade: 1, ri: 0, g: 5, fgrade: 3, mi: 4.15, mi_grade: 3 });
    expect((await rows(`SELECT code, sgrade, fgrade FROM pipes WHERE id = ANY($1) ORDER BY code`, [Object.values(pipeId)])).map((p) => [p.code, p.sgrade, p.fgrade]))
      .toEqual([['WC-WS003', 1, 3], ['WC-YS001', 3, 2], ['WC-YS002', 4, 1]]);
    expect(report.inspections[0]).toMatchObject({ before: null, after: { f: 5, sgrade: 3, g: 2, fgrade: 2 } });
  });

  it('imported again, the same reach and date replace their inspection; a fixed hazard moves to the new defect and stays repaired', async () => {
    // The PL3 was repaired: its hazard is fixed, so YS001 scores on CK2 alone (F = 2 → Ⅱ).
    const [pl] = await rows(`SELECT d.id FROM defects d JOIN inspections i ON i.id = d.inspection_id WHERE i.pipe_id = $1 AND d.code = 'PL'`, [pipeId['WC-YS001']]);
    const [{ id: hazard }] = await rows(`INSERT INTO hazards (pipe_id, defect_id, code, grade, status, found_at, geom)
      SELECT $1, $2, 'PL', 3, 'fixed', '2024-05-06', ST_LineInterpolatePoint(geom, 0.3) FROM pipes WHERE id = $1 RETURNING id`, [pipeId['WC-YS001'], pl.id]);
    await recomputeAll(pool);
    expect(await condition('WC-YS001')).toMatchObject({ f: 2, sgrade: 2, inspected_at: '2024-05-06' });
    const before = await counts();

    const again = await importInspections(pool, surveyXlsx(surveyRows()), { filename: '武昌检测成果.xlsx', limits });
    expect(again.inspections.map((i) => i.action)).toEqual(['replace', 'replace', 'replace']);
    expect(again.written).toMatchObject({ inspections: { inserted: 0, replaced: 3 }, defects: { inserted: 6, removed: 6 }, hazards: { reattached: 1, detached: 0 } });
    // Replaced in place: the same inspection rows (pipe_condition points at them), new defects.
    expect(again.inspections.map((i) => i.id)).toEqual(report.inspections.map((i) => i.id));
    expect(again.inspections[0].replaced).toEqual({ ids: [report.inspections[0].id], defects: 3 });
    expect(await counts()).toMatchObject({ inspections: before.inspections, defects: before.defects, hazards: before.hazards });
    const [h] = await rows(`SELECT h.status, d.code, i.id AS inspection FROM hazards h JOIN defects d ON d.id = h.defect_id JOIN inspections i ON i.id = d.inspection_id WHERE h.id = $1`, [hazard]);
    expect(h).toEqual({ status: 'fixed', code: 'PL', inspection: again.inspections[0].id });
    expect(await condition('WC-YS001')).toMatchObject({ f: 2, sgrade: 2 });

    // A corrected report (CK2 → CK4 on YS001) changes the scores on re-import.
    const corrected = surveyRows();
    corrected[2][11] = 4; // CK4 scores 10: F = 10 → Ⅳ
    const fixed = await importInspections(pool, surveyXlsx(corrected), { filename: '武昌检测成果(修订).xlsx', limits });
    expect(fixed.inspections[0]).toMatchObject({ action: 'replace', before: { f: 2, sgrade: 2 }, after: { f: 10, sgrade: 4 } });
    expect(await counts()).toMatchObject({ inspections: before.inspections, defects: before.defects });
  });
});

describe('a GBK CSV, one row per defect', () => {
  it('decoded from GBK; later inspections rescore their reaches; a row without a defect is an inspection that found none', async () => {
    const csv = [
      '武昌区管道检测缺陷明细（2024年6月）,,,,,,,,,,',
      '管段编号,起点井号,终点井号,检测日期,检测方向,缺陷代码,缺陷名称,缺陷等级,距离(m),时钟表示,备注',
      'WC-YS002,,,2024/06/01,顺流,,无缺陷,,,,疏通后复检',
      ',TWCM1,TWCM2,2024/06/02,,PL,破裂,Ⅳ级,8.0,1212,纵向裂缝',
      ',TWCM1,TWCM2,2024/06/02,,FS,腐蚀,2,15,0903,',
      'WC-WS003,TWCM5,TWCM4,2024年6月3日,逆流,CJ,沉积,1,10,0408,',
    ].join('\r\n') + '\r\n';
    const report = await importInspections(pool, Buffer.from(encodeGbk(csv)!), { filename: '检测明细.csv', limits });
    expect(report.file).toMatchObject({ format: 'csv', encoding: { encoding: 'gb18030', from: 'bytes' }, header: { row: 2, rows: 1 } });
    expect(report.rows).toMatchObject({ read: 4, valid: 4, with_defect: 3, without_defect: 1 });
    expect(report.inspections.map((i) => [i.pipe_code, i.matched_by, i.direction, i.direction_from, i.defects])).toEqual([
      ['WC-YS002', 'pipe_code', 'downstream', 'sheet', 0],
      ['WC-YS001', 'manholes', 'downstream', 'manholes', 2],
      ['WC-WS003', 'pipe_code', 'upstream', 'sheet', 1],
    ]);
    // YS002 cleaned: its latest inspection has no defect (F = G = 0).
    expect(await condition('WC-YS002')).toMatchObject({ f: 0, sgrade: 1, g: 0, fgrade: 1, inspected_at: '2024-06-01' });
    // YS001: PL4 (10) and FS2 (2, continuous, 1 m), 7 m apart: S = 6, F = 10 → Ⅳ.
    expect(await condition('WC-YS001')).toMatchObject({ s: 6, f: 10, sgrade: 4, inspected_at: '2024-06-02' });
    expect(await condition('WC-WS003')).toMatchObject({ g: 0.5, fgrade: 1, inspected_at: '2024-06-03' });
    const [i] = await rows(`SELECT operator, note FROM inspections i LEFT JOIN defects d ON d.inspection_id = i.id WHERE i.pipe_id = $1 AND i.inspected_at = '2024-06-01'`, [pipeId['WC-YS002']]);
    expect(i).toEqual({ operator: null, note: null });
    expect((await defectsOf('WC-YS001', '2024-06-02'))[0]).toMatchObject({ code: 'PL', grade: 4, clock_from: 12, clock_to: 12, note: '纵向裂缝' });
  });
});

describe('bad files and dry runs', () => {
  it('a file with an unknown defect code on row 7 (and other bad rows) is refused with each row and reason; nothing is written', async () => {
    const data = surveyRows();
    data[3][10] = 'XX'; // row 7: TJ → XX, and no name to fall back on
    data[3][9] = null;
    data[4][11] = 5; // row 8: grade 5
    data[5][8] = 58; // row 9: 58 m along a 50 m reach
    const unknown: XlsxCell[] = [4, 'WC-NOPE', null, null, 300, '2024-05-08', '顺流', 20, 3, '破裂', 'PL', 1, null, '0101', null, null];
    const before = await counts();
    const err = await importInspections(pool, surveyXlsx([...data, unknown]), { filename: 'bad.xlsx', limits }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InspectionsRejected);
    const rejected = (err as InspectionsRejected).report.rejected;
    expect(rejected.map((r) => r.row)).toEqual([7, 8, 9, 10]);
    expect(rejected[0].reason).toMatch(/^defect "XX" is not a CJJ 181-2012 defect code or name/);
    expect(rejected[1].reason).toMatch(/^grade "5" is not 1–4/);
    expect(rejected[2].reason).toBe('distance 58 m is beyond the end of reach WC-WS003 (50.0 m long)');
    expect(rejected[3].reason).toBe('unknown reach: no reach has pipe code WC-NOPE');
    expect((err as Error).message).toMatch(/^4 of 7 rows cannot be imported, nothing was written: row 7: defect "XX" is not a CJJ 181-2012 defect code/);
    expect((err as InspectionsRejected).statusCode).toBe(400);
    expect(await counts()).toEqual(before);

    // Grade Ⅳ is not defined for 腐蚀 FS; a clock hour 13; a reach given by one manhole only.
    const csv = '管段编号,起点井号,检测日期,缺陷代码,缺陷等级,距离,时钟表示\nWC-YS001,,2024-05-06,FS,4,3,0303\nWC-YS001,,2024-05-06,PL,1,3,1303\n,TWCM1,2024-05-06,PL,1,3,\n';
    const e2 = await importInspections(pool, Buffer.from(csv), { filename: 'bad.csv', limits }).then(() => null, (e: InspectionsRejected) => e);
    expect(e2).toBeInstanceOf(InspectionsRejected);
    expect(e2!.report.rejected).toEqual([
      { row: 2, reason: 'FS 腐蚀 has no grade 4 in CJJ 181-2012 (its grades: 1, 2, 3)' },
      { row: 3, reason: expect.stringMatching(/^clock position "1303" has hour 13/) },
      { row: 4, reason: expect.stringMatching(/^the reach needs both its start and end manhole/) },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('a dry run reports per row and the scores a commit would give, and writes nothing', async () => {
    const before = await counts();
    const data: XlsxCell[][] = [
      [1, 'WC-WS003', null, null, 800, '2024-07-01', '逆流', 50, 4, '破裂', 'PL', 'Ⅳ', null, '0303', null, null],
      [2, 'WC-YS002', null, null, 500, '2024-07-01', '顺流', 35, 2, '树根', 'QQ', 2, null, '0303', null, null],
    ];
    const report = await importInspections(pool, surveyXlsx(data), { filename: 'dry.xlsx', limits, dryRun: true });
    expect(report).toMatchObject({ dry_run: true, committed: false, rows: { read: 2, valid: 1, rejected: 1 } });
    expect(report.row_results).toEqual([
      { row: 4, action: 'defect', inspection: 0 },
      { row: 5, action: 'rejected', reason: expect.stringMatching(/^defect "QQ" is not a CJJ 181-2012 defect code/) },
    ]);
    expect(report.inspections[0]).toMatchObject({ pipe_code: 'WC-WS003', action: 'insert', before: { f: 0, sgrade: 1 }, after: { f: 10, sgrade: 4, inspected_at: '2024-07-01' } });
    expect(await counts()).toEqual(before);
    expect(await rows(`SELECT id FROM inspections WHERE inspected_at = '2024-07-01' AND pipe_id = ANY($1)`, [Object.values(pipeId)])).toEqual([]);
  });

  it('refuses a sheet without the columns it needs, naming them and the mapping to give; a mapping makes it import', async () => {
    const csv = '管线,日期,代码,等级,距离\nWC-YS002,2024-08-01,CJ,1,3\n';
    const err = await importInspections(pool, Buffer.from(csv), { filename: 'x.csv', limits }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/lacks 管段编号, or 起点井号 and 终点井号; give a column mapping such as \{"inspected_at":"日期"/);
    const ok = await importInspections(pool, Buffer.from(csv), { filename: 'x.csv', limits, dryRun: true, mapping: { pipe_code: '管线' } });
    expect(ok.inspections).toMatchObject([{ pipe_code: 'WC-YS002', defects: 1 }]);
    // Matched among one network import's pipes only: these test reaches belong to none.
    const elsewhere = await importInspections(pool, Buffer.from(csv), { filename: 'x.csv', limits, dryRun: true, mapping: { pipe_code: '管线' }, importId: 2147483647 });
    expect(elsewhere.rejected).toEqual([{ row: 2, reason: 'unknown reach: no reach has pipe code WC-YS002' }]);
    await expect(importInspections(pool, Buffer.from('a'), { filename: 'x.xls', limits })).rejects.toThrow(/must be \.csv or \.xlsx/);
    await expect(importInspections(pool, Buffer.from('PK\x03\x04junk'), { filename: 'x.csv', limits })).rejects.toThrow(/is a zip archive, not a CSV/);
  });
});
