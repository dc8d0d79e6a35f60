// The rows of an inspection sheet as contractors write them (inspection-rows.ts), and the inspections made
// of them once their reaches are known (inspection-plan.ts): merged and 同上 cells, defect codes with the
// grade in them, rows that record no defect, and each kind of refusal with its reason.
import { describe, expect, it } from 'vitest';
import { distanceTolerance, planInspections } from '../../server/importers/layers/inspection-plan.ts';
import { reachKey, type Reach, type ReachAnswer } from '../../server/importers/layers/inspection-reaches.ts';
import { parseInspectionRows } from '../../server/importers/layers/inspection-rows.ts';

const MAPPING = {
  pipe_code: '管段编号', from_manhole: '起点井号', to_manhole: '终点井号', inspected_at: '检测日期', direction: '检测方向', method: '检测方法',
  code: '缺陷代码', defect_name: '缺陷名称', grade: '缺陷等级', distance_m: '距离', clock: '时钟表示', note: '备注',
};
const COLS = Object.values(MAPPING);
const rec = (...cells: string[]) => Object.fromEntries(COLS.map((c, i) => [c, cells[i] ?? '']));
const parse = (records: Record<string, string>[]) => parseInspectionRows(records, records.map((_, i) => i + 3), MAPPING, '2025-01-01');

describe('parseInspectionRows', () => {
  it('fills a reach\'s merged and 同上 cells down; a code may carry the grade; 无缺陷 is an inspection without a defect', () => {
    const { rows, rejected } = parse([
      rec('YS1', 'A', 'B', '2024-05-06', '逆流', 'QV', 'PL3', '', '', '12.5', '0309'),
      rec('', '', '', '', '', '', 'SG', '树根', 'Ⅱ级', '20', '12'),
      rec('同上', '', '', '同上', '', '', 'CK(2)', '', '', '30'),
      rec('YS2', '', '', '', '', '', '', '无缺陷'),
    ]);
    expect(rejected).toEqual([]);
    expect(rows.map((r) => [r.row, r.reach.pipe_code, r.inspected_at, r.direction, r.method, r.defect && [r.defect.code, r.defect.grade, r.defect.distance_m]])).toEqual([
      [4, 'YS1', '2024-05-06', 'upstream', 'QV', ['PL', 3, 12.5]],
      [5, 'YS1', '2024-05-06', 'upstream', 'QV', ['SG', 2, 20]],
      [6, 'YS1', '2024-05-06', 'upstream', 'QV', ['CK', 2, 30]],
      // A new reach: the date (merged down a column) carries on, the reach's own cells do not.
      [7, 'YS2', '2024-05-06', null, null, null],
    ]);
    expect(rows[0].defect).toMatchObject({ clock_from: 3, clock_to: 9 });
    expect(rows[1].reach).toEqual({ pipe_code: 'YS1', from: 'A', to: 'B' });
  });

  it('refuses a row with every reason found in it', () => {
    const { rows, rejected } = parse([
      rec('YS1', '', '', '2024-05-06', '横向', '', 'PL', '树根', '2', '3'),
      rec('YS1', '', '', '2030-01-01', '', '', 'PL4', '', '3', '-1'),
      rec('YS1', '', '', '2024-02-30', '', '', '', '', '2', '3'),
      rec('', 'A', '', '2024-05-06', '', '', 'XX', '', '1', '3', '0013'),
    ]);
    expect(rows).toEqual([]);
    expect(rejected).toEqual([
      { row: 4, reason: '检测方向 "横向" is not one of 顺流, 逆流; defect code PL is 破裂 but the name says 树根 (SG)' },
      { row: 5, reason: 'inspection date 2030-01-01 is in the future; the code says grade 4 (PL4) but the grade column says 3; distance -1 m is negative' },
      { row: 6, reason: 'inspection date "2024-02-30" is not a day of the calendar; a grade, distance or clock position is given but no defect code or name' },
      { row: 7, reason: expect.stringMatching(/^the reach needs both its start and end manhole .*; defect "XX" is not a CJJ 181-2012 defect code or name/) },
    ]);
  });
});

describe('planInspections', () => {
  const reach = (id: number, code: string, length_m: number, from = `${code}-u`, to = `${code}-d`): Reach =>
    ({ id, code, length_m, diameter_mm: 300, material: null, import_id: null, from_code: from, to_code: to });

  it('one inspection per reach and date; distance within the reach (with tolerance), agreeing rows, no defect twice', () => {
    const { rows } = parse([
      rec('YS1', '', '', '2024-05-06', '顺流', '', 'PL', '', '1', '40.5'),
      rec('YS1', '', '', '2024-05-06', '', '', 'PL', '', '1', '41.5'),
      rec('YS1', '', '', '2024-05-06', '逆流', '', 'CK', '', '1', '3'),
      rec('YS1', '', '', '2024-05-06', '', '', 'PL', '', '1', '40.5'),
      rec('YS1', '', '', '2024-06-01', '', '', 'CJ', '', '2', '5'),
      rec('YS9', '', '', '2024-06-01', '', '', 'CJ', '', '2', '5'),
    ]);
    const answers = new Map<string, ReachAnswer>([
      [reachKey({ pipe_code: 'YS1', from: null, to: null }), { reach: reach(1, 'YS1', 40), by: 'pipe_code', startsDownstream: null }],
      [reachKey({ pipe_code: 'YS9', from: null, to: null }), { reason: 'no reach has pipe code YS9' }],
    ]);
    expect(distanceTolerance(40)).toBe(1);
    const plan = planInspections(rows, answers);
    expect(plan.rejected).toEqual([
      { row: 5, reason: 'distance 41.5 m is beyond the end of reach YS1 (40.0 m long)' },
      { row: 6, reason: 'rows of YS1 on 2024-05-06 disagree on the direction (顺流 downstream above, 逆流 upstream here)' },
      { row: 7, reason: 'the same defect as row 4 (PL grade 1 at 40.5 m of YS1 on 2024-05-06)' },
      { row: 9, reason: 'unknown reach: no reach has pipe code YS9' },
    ]);
    expect(plan.inspections.map((i) => [i.inspected_at, i.direction, i.direction_from, i.rows, i.defects.length])).toEqual([
      ['2024-05-06', 'downstream', 'sheet', [4], 1],
      ['2024-06-01', 'downstream', 'default', [8], 1],
    ]);
  });

  it('takes the direction from the manholes when the sheet does not say, and warns when they disagree with it', () => {
    const { rows } = parse([
      rec('', 'B', 'A', '2024-05-06', '', '', 'PL', '', '1', '3'),
      rec('', 'D', 'C', '2024-05-06', '顺流', '', 'PL', '', '1', '3'),
    ]);
    const answers = new Map<string, ReachAnswer>([
      [reachKey({ pipe_code: null, from: 'B', to: 'A' }), { reach: reach(1, 'P1', 40, 'A', 'B'), by: 'manholes_reversed', startsDownstream: true }],
      [reachKey({ pipe_code: null, from: 'D', to: 'C' }), { reach: reach(2, 'P2', 40, 'C', 'D'), by: 'manholes_reversed', startsDownstream: true }],
    ]);
    const plan = planInspections(rows, answers);
    expect(plan.inspections.map((i) => [i.pipe_code, i.matched_by, i.direction, i.direction_from])).toEqual([
      ['P1', 'manholes_reversed', 'upstream', 'manholes'],
      ['P2', 'manholes_reversed', 'downstream', 'sheet'],
    ]);
    expect(plan.warnings).toEqual(['row 5: the sheet says 顺流 downstream from D to C, but the network has P2 flowing C → D: stored as the sheet says']);
  });
});
