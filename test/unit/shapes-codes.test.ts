// Code validators of district ledgers (server/importers/shapes/codes.ts): unit grid codes, GB/T 28181
// device codes, CJJ 181 defect codes and grades, clock positions; Excel's damage to each is named.
import { describe, expect, it } from 'vitest';
import { DEFECT_CODES } from '../../server/domain/cjj181/tables.ts';
import {
  checkClock, checkDefectCode, checkDefectGrade, checkDeviceCode, checkGrade, checkUnitGridCode, parseClock,
  parseDefectCode, parseDeviceCode, parseGrade, parseUnitGridCode,
} from '../../server/importers/shapes/codes.ts';

const valueOf = <T>(p: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!p.ok) throw new Error(p.reason);
  return p.value;
};

describe('unit grid codes', () => {
  it('15 digits: county, street, community, grid', () => {
    expect(valueOf(parseUnitGridCode('420106001002003', '420106'))).toEqual({ code: '420106001002003', county: '420106', street: '001', community: '002', grid: '003' });
    expect(checkUnitGridCode(' 420106001002003 ', '420106')).toBeNull();
    expect(checkUnitGridCode('４２０１０６００１００２００３', '420106')).toBeNull();
    expect(checkUnitGridCode(420106001002003, '420106')).toBeNull();
    expect(checkUnitGridCode('420106001002003.0', '420106')).toBeNull();
  });

  it('each wrong form says what is wrong', () => {
    expect(checkUnitGridCode('', '420106')).toBe('the grid code is empty');
    expect(checkUnitGridCode('42010600100200', '420106')).toMatch(/has 14 digits; a unit grid code has 15 \(county 420106 \+ street 3/);
    expect(checkUnitGridCode('420106001002', '420106')).toMatch(/that is a community code/);
    expect(checkUnitGridCode('420106-001-002-003', '420106')).toMatch(/characters other than digits/);
    expect(checkUnitGridCode('420102001002003', '420106')).toBe('grid code 420102001002003 is not in county 420106 (it starts 420102)');
    expect(checkUnitGridCode('420106000002003', '420106')).toMatch(/street \(街道\) number 000/);
    expect(checkUnitGridCode('420106001002000', '420106')).toMatch(/grid \(网格\) number 000/);
  });

  it('Excel scientific notation: digits lost, format the column as text', () => {
    expect(checkUnitGridCode('4.20106E+14', '420106')).toMatch(/^4\.20106E\+14 is a number Excel rounded .*format the column as text \(文本\)/);
  });
});

describe('GB/T 28181 device codes', () => {
  it('20 digits, with the type named', () => {
    const d = valueOf(parseDeviceCode('42010600001320012345'));
    expect(d).toMatchObject({ centre: '42010600', industry: '00', network: '0', serial: '012345' });
    expect(d.type).toMatchObject({ code: '132', zh: '网络摄像机（IPC）' });
    expect(valueOf(parseDeviceCode('42010600001310000001')).type.en).toBe('camera');
    expect(valueOf(parseDeviceCode('42010600001180000001')).type.en).toBe('NVR');
    expect(valueOf(parseDeviceCode('42010600001110000001')).type.en).toBe('DVR');
    expect(valueOf(parseDeviceCode('42010600001340000001')).type.zh).toBe('报警输入设备');
  });

  it('wrong length, letters, unknown type, reserved network, a recorder where a camera is expected, another county', () => {
    expect(checkDeviceCode('4201060000132001234')).toMatch(/has 19 digits; a GB\/T 28181 code has 20/);
    expect(checkDeviceCode('4201060000132001234X')).toMatch(/characters other than digits/);
    expect(checkDeviceCode('42010600009990012345')).toMatch(/type 999 \(digits 11–13\), which GB\/T 28181 does not define/);
    expect(checkDeviceCode('42010600001329012345')).toMatch(/network digit 9/);
    expect(checkDeviceCode('42010600001180000001', { expect: 'camera' })).toBe('device code 42010600001180000001 is of type 118 (网络视频录像机（NVR）), not a camera (131 摄像机 or 132 网络摄像机): give the camera\'s channel code');
    expect(checkDeviceCode('42010600001320012345', { expect: 'camera', county: '420106' })).toBeNull();
    expect(checkDeviceCode('42010200001320012345', { county: '420106' })).toMatch(/centre code 42010200, not in county 420106/);
    expect(checkDeviceCode('4.20106E+19')).toMatch(/Excel rounded \(a 20-digit code/);
    // eslint-disable-next-line no-loss-of-precision -- the number as Excel hands it over, already rounded
    expect(checkDeviceCode(42010600001320012345)).toMatch(/Excel rounded/);
  });
});

describe('CJJ 181 defect codes', () => {
  it('every code of the standard by code, by Chinese name and by English name', () => {
    for (const d of DEFECT_CODES) {
      expect(valueOf(parseDefectCode(d.code)).code).toBe(d.code);
      expect(valueOf(parseDefectCode(d.code.toLowerCase())).code).toBe(d.code);
      expect(valueOf(parseDefectCode(d.name_zh)).code).toBe(d.code);
      expect(valueOf(parseDefectCode(d.name_en)).code).toBe(d.code);
    }
  });

  it('written as ledgers write them', () => {
    for (const [v, code] of [['ＰＬ', 'PL'], [' pl ', 'PL'], ['PL 破裂', 'PL'], ['破裂(PL)', 'PL'], ['破裂（PL）', 'PL'], ['CQ残墙坝根', 'CQ'], ['残墙坝根', 'CQ'], ['残墙/坝根', 'CQ'], ['TL-接口材料脱落', 'TL'], ['AJ2', 'AJ']]) {
      expect(valueOf(parseDefectCode(v)).code, v).toBe(code);
    }
  });

  it('unknown, empty, or a code and a name that disagree', () => {
    expect(checkDefectCode('XX')).toMatch(/"XX" is not a CJJ 181-2012 defect code or name \(PL 破裂, BX 变形/);
    expect(checkDefectCode('管道很好')).toMatch(/not a CJJ 181-2012 defect/);
    expect(checkDefectCode('')).toBe('the defect code is empty');
    expect(checkDefectCode('PL 变形')).toBe('defect "PL 变形": code PL is 破裂 but the name says 变形 (BX)');
  });
});

describe('grades', () => {
  it('1–4 in every way ledgers write them', () => {
    const cases: [unknown, number][] = [[1, 1], ['2', 2], ['3级', 3], ['4 级', 4], ['Ⅰ', 1], ['Ⅱ级', 2], ['Ⅲ', 3], ['Ⅳ级', 4], ['I', 1], ['ii', 2], ['III', 3], ['IV', 4], ['一级', 1], ['二级', 2], ['三', 3], ['四级', 4], ['1.0', 1], ['２', 2], ['等级：3', 3]];
    for (const [v, g] of cases) expect(valueOf(parseGrade(v)), String(v)).toBe(g);
  });

  it('anything else is refused', () => {
    for (const v of [0, 5, 2.5, '5级', 'V', '五级', 'A', '']) expect(checkGrade(v), String(v)).not.toBeNull();
    expect(checkGrade('5级')).toMatch(/is not 1–4 \(also read: Ⅰ–Ⅳ, I–IV, 一级–四级\)/);
  });

  it('a grade the defect does not have', () => {
    const fs = valueOf(parseDefectCode('FS'));
    expect(checkDefectGrade(fs, 3)).toBeNull();
    expect(checkDefectGrade(fs, 4)).toBe('FS 腐蚀 has no grade 4 in CJJ 181-2012 (its grades: 1, 2, 3)');
    expect(checkDefectGrade(valueOf(parseDefectCode('TL')), 3)).toMatch(/its grades: 1, 2/);
  });
});

describe('clock positions', () => {
  it('four digits from-to, a single hour, separators, Excel\'s lost leading zero', () => {
    expect(valueOf(parseClock('0309'))).toEqual({ from: 3, to: 9 });
    expect(valueOf(parseClock('1203'))).toEqual({ from: 12, to: 3 });
    expect(valueOf(parseClock(309))).toEqual({ from: 3, to: 9 });
    expect(valueOf(parseClock('03'))).toEqual({ from: 3, to: 3 });
    expect(valueOf(parseClock('3'))).toEqual({ from: 3, to: 3 });
    expect(valueOf(parseClock('3-9'))).toEqual({ from: 3, to: 9 });
    expect(valueOf(parseClock('03～09'))).toEqual({ from: 3, to: 9 });
    expect(valueOf(parseClock('3点至9点'))).toEqual({ from: 3, to: 9 });
  });

  it('hours outside 1–12 and other text are refused', () => {
    expect(checkClock('1309')).toMatch(/has hour 13; hours are 1–12/);
    expect(checkClock('0009')).toMatch(/has hour 0/);
    expect(checkClock('abc')).toMatch(/not understood; write four digits/);
    expect(checkClock('')).toBe('the clock position is empty');
    expect(checkClock('030912')).toMatch(/not understood/);
  });
});
