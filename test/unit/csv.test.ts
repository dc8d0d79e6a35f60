// The one CSV writer (common/csv.ts) that the server's and the browser's exports use.
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../common/csv.ts';

describe('toCsv', () => {
  it('writes a BOM, CRLF records, RFC 4180 quoting, and values as a person reads them', () => {
    expect(toCsv([['a', 'b'], ['x,y', 'line 1\nline 2'], [true, false], [null, undefined], [12n, new Date(Date.UTC(2026, 0, 2))], [' pad', { k: 1 }]]))
      .toBe('\uFEFFa,b\r\n"x,y","line 1\nline 2"\r\ntrue,false\r\n,\r\n12,2026-01-02T00:00:00.000Z\r\n" pad","{""k"":1}"\r\n');
  });

  it('prefixes text starting with = + - @ tab or CR with a quote; numbers stay numbers', () => {
    expect(toCsv([['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1']])).toBe(`\uFEFF'=1+1,'+1,'-1+2,'@SUM(A1),"'\t=1","'\r=1"\r\n`);
    expect(toCsv([[-1, -0.5, 3, '-', 'a-b', '中文']])).toBe("\uFEFF-1,-0.5,3,'-,a-b,中文\r\n");
  });
});
