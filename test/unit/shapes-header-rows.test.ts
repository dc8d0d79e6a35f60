// Finding the header of a ledger sheet (server/importers/shapes/header-rows.ts): title and note rows above
// it, a two-row header with merged group cells, repeated headers and totals among the data.
import { describe, expect, it } from 'vitest';
import { knownHeader, matchColumns } from '../../server/importers/shapes/columns.ts';
import { findHeader, sheetRecords, type Cell } from '../../server/importers/shapes/header-rows.ts';
import { TARGETS } from '../../server/importers/shapes/targets/index.ts';

const known = knownHeader(Object.values(TARGETS));

describe('the header row', () => {
  it('a plain sheet: the first row', () => {
    const rows: Cell[][] = [['名称', '类型', '经度', '纬度'], ['中山路泵站', '泵站', 114.3, 30.55]];
    expect(findHeader(rows)).toEqual({ headerRow: 0, headerRows: 1, names: ['名称', '类型', '经度', '纬度'], dataStart: 1, skipped: [] });
  });

  it('a title row spanning the sheet and a notes row above the header are skipped', () => {
    const rows: Cell[][] = [
      ['武昌区视频监控点位台账', null, null, null, null],
      ['填报单位：武昌区城管委', null, null, '填报日期：2024年5月', null],
      [],
      ['序号', '点位名称', '国标编码', '经度', '纬度'],
      ['1', '中山路口', '42010600001320000001', '114.301', '30.551'],
      ['2', '解放路口', '42010600001320000002', '114.302', '30.552'],
    ];
    const h = findHeader(rows);
    expect(h).toMatchObject({ headerRow: 3, headerRows: 1, dataStart: 4, names: ['序号', '点位名称', '国标编码', '经度', '纬度'] });
    expect(h.skipped).toEqual(['武昌区视频监控点位台账', '填报单位：武昌区城管委 填报日期：2024年5月']);
  });

  it('a two-row header: groups apply across the empty cells to their right; merged-down names stand alone', () => {
    const rows: Cell[][] = [
      ['武昌区排水管道 CCTV 检测缺陷汇总表'],
      ['序号', '管段编号', '检测信息', null, '缺陷', null, null, null, '备注'],
      [null, null, '检测日期', '检测方向', '缺陷代码', '缺陷等级', '距离(m)', '时钟表示', null],
      ['1', 'YS001', '2024-05-06', '顺流', 'PL', '3', '12.5', '0309', ''],
    ];
    const h = findHeader(rows, { known });
    expect(h).toMatchObject({ headerRow: 1, headerRows: 2, dataStart: 3, skipped: ['武昌区排水管道 CCTV 检测缺陷汇总表'] });
    expect(h.names).toEqual(['序号', '管段编号', '检测信息 / 检测日期', '检测信息 / 检测方向', '缺陷 / 缺陷代码', '缺陷 / 缺陷等级', '缺陷 / 距离(m)', '缺陷 / 时钟表示', '备注']);
    // And the names match the inspection layer's fields.
    expect(matchColumns(h.names, TARGETS.inspections).mapping).toMatchObject({ pipe_code: '管段编号', inspected_at: '检测信息 / 检测日期', code: '缺陷 / 缺陷代码', grade: '缺陷 / 缺陷等级', distance_m: '缺陷 / 距离(m)', clock: '缺陷 / 时钟表示' });
  });

  it('a two-row header where every top cell is a group is found with known names', () => {
    const rows: Cell[][] = [
      ['基本信息', null, '缺陷信息', null, null],
      ['管段编号', '检测日期', '缺陷代码', '缺陷等级', '距离'],
      ['YS001', '2024-05-06', 'PL', '3', '12.5'],
    ];
    const h = findHeader(rows, { known });
    expect(h.headerRows).toBe(2);
    expect(h.names).toEqual(['基本信息 / 管段编号', '基本信息 / 检测日期', '缺陷信息 / 缺陷代码', '缺陷信息 / 缺陷等级', '缺陷信息 / 距离']);
  });

  it('a first data row of text under a header with an unnamed column is data, not a second header', () => {
    const rows: Cell[][] = [['名称', '类型', null, '备注'], ['中山路泵站', '泵站', '甲', '无'], ['解放路泵站', '泵站', '乙', '']];
    const h = findHeader(rows, { known });
    expect(h).toMatchObject({ headerRows: 1, dataStart: 1, names: ['名称', '类型', '列3', '备注'] });
  });

  it('known names choose between two header-like rows', () => {
    const rows: Cell[][] = [
      ['Camera ledger', 'exported', 'by', 'platform'],
      ['设备编码', '设备名称', '经度', '纬度'],
      ['42010600001320000001', '中山路口', '114.301', '30.551'],
    ];
    expect(findHeader(rows).headerRow).toBe(0);
    expect(findHeader(rows, { known }).headerRow).toBe(1);
  });

  it('repeated names are numbered, names with line breaks made one line', () => {
    const h = findHeader([['名称', '名称', '管径\n(mm)', '名称'], ['a', 'b', '300', 'c']]);
    expect(h.names).toEqual(['名称', '名称 (2)', '管径 (mm)', '名称 (3)']);
  });

  it('an empty sheet', () => {
    expect(findHeader([])).toEqual({ headerRow: 0, headerRows: 1, names: [], dataStart: 1, skipped: [] });
  });
});

describe('records under the header', () => {
  it('empty rows, repeated headers and totals are left out; row numbers kept', () => {
    const rows: Cell[][] = [
      ['设施名称', '类型', '规模'],
      ['中山路泵站', '泵站', '2 m³/s'],
      [null, '', null],
      ['设施名称', '类型', '规模'],
      [' 解放路闸 ', '闸门', 12],
      ['合 计', '', '2'],
    ];
    const h = findHeader(rows);
    const r = sheetRecords(rows, h);
    expect(r.records).toEqual([{ 设施名称: '中山路泵站', 类型: '泵站', 规模: '2 m³/s' }, { 设施名称: '解放路闸', 类型: '闸门', 规模: '12' }]);
    expect(r.rowIndex).toEqual([1, 4]);
    expect(r.skipped).toEqual({ empty: 1, header: 1, total: 1 });
  });
});
