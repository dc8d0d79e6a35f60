// The one place values are worded: dates, grades, defects, search result lines and the KPI sheet.
import { describe, expect, it } from 'vitest';
import { defectLabel, formatValue, gradeLabel, isoDate, isoDay, searchLine } from '../../src/panels/format.ts';
import { loadLanguage, translator } from '../../src/i18n/index.tsx';
import { shanghaiDate } from '../../src/wall/format.ts';
import { describeKpis, kpiCell, kpiSheet, type KpiCounts } from '../../server/domain/cases/kpi.ts';

// English is a lazy chunk in the app (src/i18n/index.tsx): loaded before its translator is made.
await loadLanguage('en');
const zh = { ...translator('zh'), lang: 'zh' as const };
const en = { ...translator('en'), lang: 'en' as const };

describe('dates', () => {
  it('read ISO in Beijing time in both languages, whatever the input form', () => {
    expect(isoDate('2026-12-07T06:05:00Z')).toBe('2026-12-07 14:05');
    expect(isoDate(Date.UTC(2026, 11, 6, 23, 59))).toBe('2026-12-07 07:59');
    expect(isoDate(new Date('2026-12-07T06:05:00+08:00'), false)).toBe('2026-12-07');
    expect(isoDate('2026-07-12')).toBe('2026-07-12 08:00');
    expect(isoDate('not a date')).toBe('not a date');
    expect(zh.date('2026-12-07T06:05:00Z')).toBe(en.date('2026-12-07T06:05:00Z'));
    expect(formatValue('status_since', '2026-12-07T06:05:00Z', en)).toBe('2026-12-07 14:05');
    // The wall's clock: the same day form, with the weekday in the UI language (20:00 UTC is the next day in Beijing).
    expect(shanghaiDate(Date.UTC(2026, 11, 6, 20, 0), 'zh')).toBe('2026-12-07 周一');
    expect(shanghaiDate(Date.UTC(2026, 11, 6, 20, 0), 'en')).toBe('2026-12-07 Mon');
  });
});

describe('grades and defects', () => {
  it('one form: Ⅳ级 / grade Ⅳ, and 渗漏 SL · Ⅳ级 / Infiltration SL · grade Ⅳ', () => {
    expect(gradeLabel(4, zh)).toBe('Ⅳ级');
    expect(gradeLabel(1, en)).toBe('grade Ⅰ');
    expect(gradeLabel(null, zh)).toBe('—');
    expect(formatValue('sgrade', 3, zh)).toBe('Ⅲ级');
    expect(defectLabel('SL', 4, zh)).toBe('渗漏 SL · Ⅳ级');
    expect(defectLabel('SL', 4, en)).toBe('Infiltration SL · grade Ⅳ');
    expect(defectLabel('XX', null, zh)).toBe('XX');
  });
});

describe('search result lines', () => {
  it('word coded values through the dictionary and pick a name in the UI language', () => {
    const parts = [{ field: 'kind', value: 'manhole' }, { field: 'usage', value: 'combined' }];
    expect(searchLine(parts, zh)).toBe('检查井 · 合流');
    expect(searchLine(parts, en)).toBe('Manhole · Combined');
    const item = [{ value: '井盖缺失', en: 'Missing manhole cover' }, { field: 'status', value: 'accepted' }];
    expect(searchLine(item, zh)).toBe('井盖缺失 · 受理');
    expect(searchLine(item, en)).toBe('Missing manhole cover · Accepted');
    expect(searchLine([{ value: 'DN300' }], en)).toBe('DN300');
  });
});

describe('the KPI sheet', () => {
  const counts: KpiCounts = {
    reported: 200, valid: 180, registered: 150, dispatched: 140, handled: 120, handledOnTime: 90, closed: 100, closedOnTime: 80,
    reworked: 6, activeDiscovery: 120, disposalHoursSum: 1234.56, disposalCount: 120, satisfied: 2, evaluated: 3,
  };

  it('words a value as the table does: rates as percentages, hours with one decimal, counts as numbers', () => {
    expect(kpiCell('ratio', 2 / 3)).toBe('66.7%');
    expect(kpiCell('ratio', 1)).toBe('100%');
    expect(kpiCell('hours', 10.288)).toBe(10.3);
    expect(kpiCell('count', 150)).toBe(150);
    expect(kpiCell('ratio', null)).toBe(null);
  });

  it('has the table\'s columns after the unit code, headers in the asked language, and no extra KPI', () => {
    const rows = [{ code: '420106001', name: '积玉桥街道', counts, kpis: describeKpis(counts) }];
    const [head, row] = kpiSheet(rows, 'zh');
    expect(head).toEqual(['编码', '名称', '上报数', '立案数', '主动发现率', '按期处置率', '结案率', '按期结案率', '平均处置时长', '返工率', '满意率']);
    expect(row).toEqual(['420106001', '积玉桥街道', 200, 150, '60%', '64.3%', '66.7%', '53.3%', 10.3, '4%', '66.7%']);
    expect(kpiSheet(rows, 'en')[0].slice(0, 4)).toEqual(['Code', 'Name', 'Reports', 'Cases registered']);
    expect(kpiSheet([], 'en')).toHaveLength(1);
  });
});

describe('typed days', () => {
  it('are taken as YYYY-MM-DD only when they name a real day', () => {
    expect(isoDay('2026-12-07')).toBe('2026-12-07');
    expect(isoDay(' 2026-2-3 ')).toBe('2026-02-03');
    expect(isoDay('2026-02-30')).toBe(null);
    expect(isoDay('07/12/2026')).toBe(null);
    expect(isoDay('')).toBe(null);
  });
});
