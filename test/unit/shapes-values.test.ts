// Ledger cells read as field types (server/importers/shapes/values.ts).
import { describe, expect, it } from 'vitest';
import { coerce, parseCode, parseDate, parseInteger, parseNumber } from '../../server/importers/shapes/values.ts';

const value = (p: { ok: boolean; value?: unknown; reason?: string }) => (p.ok ? p.value : `! ${p.reason}`);

describe('numbers', () => {
  it('separators, full width, units, signs, exponents', () => {
    const cases: [unknown, number][] = [[12.5, 12.5], ['12.5', 12.5], ['1,234.5', 1234.5], ['１２', 12], ['300mm', 300], ['12.5 m', 12.5], ['-3', -3], ['+0.5', 0.5], ['.5', 0.5], ['1e3', 1000], ['45°', 45], ['2 m³/s', 2]];
    for (const [v, n] of cases) expect(value(parseNumber(v)), String(v)).toBe(n);
  });

  it('not numbers', () => {
    for (const v of ['', 'abc', '1,23', '12.5.1', 'mm', '-', NaN, Infinity, '1 2']) expect(parseNumber(v).ok, String(v)).toBe(false);
    expect(value(parseNumber('abc'))).toBe('! "abc" is not a number');
    expect(value(parseInteger('2.5'))).toBe('! 2.5 is not a whole number');
    expect(value(parseInteger('3'))).toBe(3);
  });
});

describe('dates', () => {
  it('the forms ledgers write, and Excel serials', () => {
    const cases: [unknown, string][] = [['2024-05-06', '2024-05-06'], ['2024/5/6', '2024-05-06'], ['2024.05.06', '2024-05-06'], ['2024年5月6日', '2024-05-06'], ['2024 年 5 月 6 日', '2024-05-06'], ['2024-05-06 10:30:00', '2024-05-06'], ['2024-05-06T10:30:00', '2024-05-06'], ['20240506', '2024-05-06'], [45418, '2024-05-06'], ['45418', '2024-05-06'], ['２０２４－０５－０６', '2024-05-06']];
    for (const [v, d] of cases) expect(value(parseDate(v)), String(v)).toBe(d);
  });

  it('not days of the calendar, not dates', () => {
    expect(value(parseDate('2024-02-30'))).toBe('! "2024-02-30" is not a day of the calendar');
    expect(value(parseDate('2023/13/01'))).toMatch(/not a day of the calendar/);
    expect(value(parseDate('5/6/2024'))).toBe('! "5/6/2024" is not a date (write 2024-05-06)');
    expect(parseDate('123').ok).toBe(false);
  });
});

describe('codes and coercion by type', () => {
  it('codes stay text; empty cells are null for every type', () => {
    expect(value(parseCode(' YS001 '))).toBe('YS001');
    expect(value(parseCode('420106001001001.0'))).toBe('420106001001001');
    expect(value(parseCode('ＹＳ００１'))).toBe('YS001');
    for (const t of ['string', 'number', 'integer', 'date', 'code'] as const) expect(value(coerce('  ', t))).toBeNull();
    expect(value(coerce(' 中山路 ', 'string'))).toBe('中山路');
    expect(value(coerce('3', 'integer'))).toBe(3);
    expect(value(coerce('2024/5/6', 'date'))).toBe('2024-05-06');
    expect(value(coerce('x', 'number'))).toBe('! "x" is not a number');
  });
});
