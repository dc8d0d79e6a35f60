// Encoding detection and the garbling check (server/importers/shapes/encoding.ts, garbled.ts) on bytes made here: GBK
// from the module's own encoder (checked against known codes), UTF-8 from Buffer, DBFs written byte by byte.
import { describe, expect, it } from 'vitest';
import {
  cpgEncoding, dbfLanguageId, dbfTextValues, decodeText, detectDbfEncoding, detectTextEncoding, gdalEncoding, ldidEncoding,
  parseEncodingOverride, utf8Evidence,
} from '../../server/importers/shapes/encoding.ts';
import { checkGarbled, encodeGbk, garbledColumns } from '../../server/importers/shapes/garbled.ts';

const NAMES = ['中山路泵站', '武昌区积水点', '和平大道 1 号', '东湖路排口', '解放路'];
const gbk = (s: string) => Buffer.from(encodeGbk(s)!);

/** A DBF (dBASE III) with character fields `names` of `width` bytes, the values given as bytes. */
function dbf(fields: { name: Buffer; width: number }[], records: Buffer[][], ldid = 0): Buffer {
  const headerLen = 32 + 32 * fields.length + 1;
  const recordLen = 1 + fields.reduce((a, f) => a + f.width, 0);
  const head = Buffer.alloc(headerLen);
  head[0] = 0x03;
  head.writeUInt32LE(records.length, 4);
  head.writeUInt16LE(headerLen, 8);
  head.writeUInt16LE(recordLen, 10);
  head[29] = ldid;
  fields.forEach((f, i) => {
    f.name.copy(head, 32 + 32 * i, 0, 10);
    head[32 + 32 * i + 11] = 0x43; // C
    head[32 + 32 * i + 16] = f.width;
  });
  head[headerLen - 1] = 0x0d;
  const rows = records.map((values) => {
    const r = Buffer.alloc(recordLen, 0x20);
    let at = 1;
    values.forEach((v, i) => { v.copy(r, at, 0, fields[i].width); at += fields[i].width; });
    return r;
  });
  return Buffer.concat([head, ...rows, Buffer.of(0x1a)]);
}

describe('GBK encoder', () => {
  it('gives the GB2312 codes of common characters and refuses what GBK has not', () => {
    expect(gbk('中山路泵站').toString('hex')).toBe('d6d0c9bdc2b7b1c3d5be');
    expect(gbk('A 1').toString('hex')).toBe('412031');
    expect(new TextDecoder('gb18030').decode(gbk(NAMES.join('|')))).toBe(NAMES.join('|'));
    expect(encodeGbk('😀')).toBeNull();
  });
});

describe('encoding names', () => {
  it('reads .cpg contents and --encoding values as the same decoder names', () => {
    for (const s of ['GBK', 'gbk\r\n', '936', 'CP936', 'ANSI 936', 'GB2312', 'GB18030', '\uFEFFcp936']) expect(cpgEncoding(s), s).toBe('gb18030');
    for (const s of ['UTF-8', 'utf8', '65001']) expect(cpgEncoding(s), s).toBe('utf-8');
    for (const s of ['88591', 'ISO-8859-1', '8859_1', '1252', 'CP1252']) expect(cpgEncoding(s), s).toBe('latin1');
    expect(cpgEncoding('')).toBeNull();
    expect(cpgEncoding('KOI8-R')).toBeNull();
    expect(parseEncodingOverride('gbk')).toBe('gb18030');
    expect(parseEncodingOverride('UTF-8')).toBe('utf-8');
    expect(parseEncodingOverride('latin1')).toBe('latin1');
    expect(() => parseEncodingOverride('ebcdic')).toThrow(/utf-8, gbk, gb18030, latin1/);
    expect(gdalEncoding('gb18030')).toBe('GB18030');
  });

  it('reads the DBF language driver id; 0x4D and 0x7A are GBK, 0x57 (ANSI) decides nothing', () => {
    const f = dbf([{ name: Buffer.from('NAME'), width: 20 }], [[gbk('中山路')]], 0x4d);
    expect(dbfLanguageId(f)).toBe(0x4d);
    expect(ldidEncoding(0x4d)).toBe('gb18030');
    expect(ldidEncoding(0x7a)).toBe('gb18030');
    expect(ldidEncoding(0x57)).toBeNull();
    expect(ldidEncoding(0)).toBeNull();
    expect(dbfLanguageId(Buffer.from('name,kind\n'))).toBeNull();
    expect(dbfLanguageId(Buffer.alloc(10))).toBeNull();
  });
});

describe('detecting a text file encoding', () => {
  it('UTF-8 with or without BOM, GBK, GB18030 four-byte characters, Latin-1, UTF-16', () => {
    const csv = `名称,地址\r\n${NAMES.map((n) => `${n},武汉市`).join('\r\n')}\r\n`;
    expect(detectTextEncoding(Buffer.from(csv))).toMatchObject({ encoding: 'utf-8', from: 'bytes', bom: 0 });
    expect(detectTextEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]))).toMatchObject({ encoding: 'utf-8', from: 'bom', bom: 3 });
    expect(detectTextEncoding(gbk(csv))).toMatchObject({ encoding: 'gb18030', from: 'bytes' });
    // 𠀀 (U+20000) is a four-byte GB18030 code: still GB18030, not Latin-1.
    expect(detectTextEncoding(Buffer.concat([gbk('名称,'), Buffer.from('9532fe30', 'hex')])).encoding).toBe('gb18030');
    expect(detectTextEncoding(Buffer.from('name\nCafé 1\n', 'latin1'))).toMatchObject({ encoding: 'latin1', warnings: [expect.stringMatching(/neither UTF-8 nor GBK/)] });
    expect(detectTextEncoding(Buffer.from('code,name\nA1,x\n'))).toMatchObject({ encoding: 'utf-8' });
    expect(detectTextEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('名称', 'utf16le')]))).toMatchObject({ encoding: 'utf-16le', bom: 2 });
    expect(detectTextEncoding(gbk(csv), { override: 'utf-8' })).toMatchObject({ encoding: 'utf-8', from: 'override' });
  });

  it('a sample cut in the middle of a character is still UTF-8', () => {
    const b = Buffer.from('名称'.repeat(10));
    expect(utf8Evidence(b.subarray(0, b.length - 1))).toEqual({ multibyte: 19, invalid: 0 });
    expect(utf8Evidence(gbk('中山路泵站武昌区')).invalid).toBeGreaterThan(0);
  });

  it('decodes to text without the BOM, CRLF kept', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('名称\r\n')]), 'utf-8')).toBe('名称\r\n');
    expect(decodeText(gbk('名称,地址\r\n中山路\r\n'), 'gb18030')).toBe('名称,地址\r\n中山路\r\n');
  });
});

describe('detecting a DBF encoding', () => {
  const fields = [{ name: gbk('名称'), width: 30 }, { name: Buffer.from('CODE'), width: 8 }];
  const gbkDbf = (ldid = 0) => dbf(fields, NAMES.map((n, i) => [gbk(n), Buffer.from(`P${i}`)]), ldid);
  const utfDbf = (ldid = 0) => dbf(fields.map((f, i) => (i ? f : { ...f, name: Buffer.from('名称') })), NAMES.map((n, i) => [Buffer.from(n), Buffer.from(`P${i}`)]), ldid);

  it('samples the field names and character values only', () => {
    const text = dbfTextValues(gbkDbf()).map((v) => new TextDecoder('gb18030').decode(v));
    expect(text).toEqual(['名称', 'CODE', '中山路泵站', 'P0', '武昌区积水点', 'P1', '和平大道 1 号', 'P2', '东湖路排口', 'P3', '解放路', 'P4']);
  });

  it('a .cpg decides when the bytes agree', () => {
    expect(detectDbfEncoding(gbkDbf(), { cpg: 'GBK' })).toMatchObject({ encoding: 'gb18030', from: 'cpg', warnings: [] });
    expect(detectDbfEncoding(utfDbf(), { cpg: 'UTF-8' })).toMatchObject({ encoding: 'utf-8', from: 'cpg', warnings: [] });
  });

  it('the LDID 0x4D decides when there is no .cpg', () => {
    expect(detectDbfEncoding(gbkDbf(0x4d))).toMatchObject({ encoding: 'gb18030', from: 'ldid', warnings: [] });
  });

  it('without either, the bytes decide', () => {
    expect(detectDbfEncoding(gbkDbf())).toMatchObject({ encoding: 'gb18030', from: 'bytes' });
    expect(detectDbfEncoding(utfDbf())).toMatchObject({ encoding: 'utf-8', from: 'bytes' });
    expect(detectDbfEncoding(gbkDbf(0x57))).toMatchObject({ encoding: 'gb18030', from: 'bytes' });
  });

  it('a .cpg or LDID the bytes contradict is overruled with a warning', () => {
    expect(detectDbfEncoding(gbkDbf(), { cpg: 'UTF-8' })).toMatchObject({ encoding: 'gb18030', from: 'bytes', warnings: [expect.stringMatching(/\.cpg file \("UTF-8"\) says UTF-8 but the text is not UTF-8/)] });
    expect(detectDbfEncoding(utfDbf(0x4d))).toMatchObject({ encoding: 'utf-8', warnings: [expect.stringMatching(/language driver 0x4D\) says GBK\/GB18030 but the text is UTF-8/)] });
  });

  it('a UTF-8 value cut by the field width does not make the file GBK', () => {
    const cut = dbf([{ name: Buffer.from('NAME'), width: 10 }], NAMES.map((n) => [Buffer.from(n)]));
    expect(detectDbfEncoding(cut).encoding).toBe('utf-8');
  });

  it('an unknown .cpg falls back to the bytes, saying so; an override wins', () => {
    expect(detectDbfEncoding(gbkDbf(), { cpg: 'KOI8-R' })).toMatchObject({ encoding: 'gb18030', warnings: [expect.stringMatching(/not known here/)] });
    expect(detectDbfEncoding(gbkDbf(), { override: 'latin1', cpg: 'GBK' })).toMatchObject({ encoding: 'latin1', from: 'override' });
  });
});

describe('garbled text', () => {
  it('GBK read as UTF-8: replacement characters, try gbk', () => {
    const g = checkGarbled('名称', NAMES.map((n) => gbk(n).toString('utf8')));
    expect(g).toMatchObject({ kind: 'replacement', suggest: 'gbk' });
    expect(g!.message).toMatch(/^names look garbled: \d+ % of text in column 名称 is replacement characters; try --encoding gbk$/);
    expect(checkGarbled('名称', ['正常', '中\uFFFD'], { decodedAs: 'gb18030', flag: 'encoding=' })!.message).toMatch(/try encoding=utf-8$/);
  });

  it('GBK read as Latin-1, UTF-8 read as Latin-1 (once or twice), UTF-8 read as GBK: each named, with the text meant', () => {
    const asLatin1 = checkGarbled('名称', NAMES.map((n) => gbk(n).toString('latin1')));
    expect(asLatin1).toMatchObject({ kind: 'gbk-as-latin1', suggest: 'gbk', share: 1, example: { seen: 'ÖÐÉ½Â·±ÃÕ¾', meant: '中山路泵站' } });
    const utf8Latin1 = NAMES.map((n) => Buffer.from(n).toString('latin1'));
    expect(checkGarbled('名称', utf8Latin1)).toMatchObject({ kind: 'utf8-as-latin1', suggest: 'utf-8', example: { meant: '中山路泵站' } });
    const twice = NAMES.map((n) => Buffer.from(Buffer.from(n).toString('latin1')).toString('latin1'));
    expect(twice[0].startsWith('Ã¤Â¸Â­')).toBe(true);
    expect(checkGarbled('名称', twice)).toMatchObject({ kind: 'utf8-as-latin1', example: { meant: '中山路泵站' } });
    const asGbk = checkGarbled('名称', NAMES.map((n) => new TextDecoder('gb18030').decode(Buffer.from(n))));
    expect(asGbk).toMatchObject({ kind: 'utf8-as-gbk', suggest: 'utf-8' });
    expect(asGbk!.message).toMatch(/UTF-8 text read as GBK .*try --encoding utf-8/);
  });

  it('right text is not garbled: Chinese, ASCII, European names, mixed', () => {
    expect(checkGarbled('名称', NAMES)).toBeNull();
    expect(checkGarbled('name', ['Straße', 'Café Élysée', 'Zürich', 'São Paulo', 'Ærø', 'Ωmega'])).toBeNull();
    expect(checkGarbled('code', ['420106001001001', 'PL', '', null, 12])).toBeNull();
    expect(checkGarbled('addr', ['武汉市武昌区中山路 1 号（近解放路）', 'No. 3, 东湖路', '№ 5', '°C 温度'])).toBeNull();
  });

  it('over rows: the header names and each column', () => {
    const bad = Buffer.from('名称').toString('latin1');
    const rows = NAMES.map((n, i) => ({ [bad]: gbk(n).toString('latin1'), code: `P${i}` }));
    const found = garbledColumns(rows);
    expect(found.map((g) => [g.column, g.kind])).toEqual([['', 'utf8-as-latin1'], [bad, 'gbk-as-latin1']]);
    expect(found[0].message).toMatch(/^column names look garbled: .* in the column names are UTF-8 text read as Latin-1/);
  });
});
