// Which text encoding a district's files are in. Chinese offices save CSV and DBF in GBK (Excel's and
// ArcGIS's default on Chinese Windows) or UTF-8; a Shapefile says which in its .cpg or the DBF header's
// language driver id, or not at all, and a wrong guess turns every name into mojibake (garbled.ts tells
// when that happened). Detection trusts what the file declares only when its bytes agree.
// Pure: bytes in, answers out. GB18030 is decoded with TextDecoder (Node's full ICU); it is a superset of
// GBK and GB2312, so it is the one decoder for all three.
import { BadRequestError } from '../../http/errors.ts';

/** Encodings we decode with (TextDecoder labels). `latin1` is WHATWG windows-1252. */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'latin1' | 'utf-16le' | 'utf-16be';
/** What a person may give with --encoding (gbk is read as its superset gb18030). */
export const ENCODING_OVERRIDES = ['utf-8', 'gbk', 'gb18030', 'latin1'] as const;
export type EncodingOverride = (typeof ENCODING_OVERRIDES)[number];

export type EncodingSource = 'override' | 'bom' | 'cpg' | 'ldid' | 'bytes';

export interface EncodingGuess {
  encoding: TextEncodingName;
  /** What decided it. */
  from: EncodingSource;
  /** Bytes of byte-order mark to skip (text files). */
  bom: number;
  /** Where the declaration and the bytes disagree, or the guess is weak: said to the person importing. */
  warnings: string[];
}

/** The --encoding argument (utf8, UTF-8, gbk, cp936, gb2312, gb18030, latin1, iso-8859-1…) as a decoder name. */
export function parseEncodingOverride(raw: string): TextEncodingName {
  const enc = encodingOfLabel(raw);
  if (!enc || enc.startsWith('utf-16')) {
    throw new BadRequestError(`encoding ${JSON.stringify(raw.slice(0, 40))} is not understood; give one of ${ENCODING_OVERRIDES.join(', ')}`);
  }
  return enc;
}

/** An encoding label as .cpg files, code pages and people write it; null when unknown. */
function encodingOfLabel(raw: string): TextEncodingName | null {
  const s = raw.trim().toUpperCase().replace(/^(ANSI|CP|MS|WINDOWS|WIN)[\s_-]*(?=\d)/, '').replace(/[\s_-]/g, '');
  if (['UTF8', '65001', 'UNICODEUTF8'].includes(s)) return 'utf-8';
  if (['GBK', '936', 'GB2312', 'GB18030', '54936', 'EUCCN', 'CHINESE', 'GB231280', 'XGBK'].includes(s)) return 'gb18030';
  if (['LATIN1', 'ISO88591', '88591', '1252', 'L1', 'ASCII', 'USASCII', '28591'].includes(s)) return 'latin1';
  if (['UTF16LE', '1200', 'UNICODE'].includes(s)) return 'utf-16le';
  if (['UTF16BE', '1201'].includes(s)) return 'utf-16be';
  return null;
}

/** The encoding a Shapefile's .cpg names ("GBK", "936", "UTF-8", "ANSI 936", "88591"…); null when unknown or empty. */
export function cpgEncoding(text: string): TextEncodingName | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  return first.trim() ? encodingOfLabel(first) : null;
}

/**
 * The language driver id of a DBF (byte 29 of its header), or null when `buf` is no DBF header. 0 means
 * "not said". ArcGIS writes 0x4D or 0x7A for GBK; 0x57 means the Windows "ANSI" code page of whoever wrote
 * it, which on Chinese Windows is GBK too, so 0x57 decides nothing.
 */
export function dbfLanguageId(buf: Uint8Array): number | null {
  if (buf.length < 32) return null;
  const version = buf[0];
  // dBASE III–7, FoxPro and Visual FoxPro versions; the header ends with 0x0D after 32-byte field descriptors.
  if (![0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8b, 0x8e, 0xcb, 0xf5, 0xfb].includes(version)) return null;
  const headerLen = buf[8] | (buf[9] << 8);
  if (headerLen < 33) return null;
  return buf[29];
}

/** LDIDs that name an encoding (the ones seen on Chinese data); others decide nothing. */
const LDID_ENCODING: ReadonlyMap<number, TextEncodingName> = new Map([
  [0x4d, 'gb18030'], // 936 Chinese GBK (PRC)
  [0x7a, 'gb18030'], // 936 PRC GBK, as some ArcGIS versions write it
  [0x01, 'latin1'], // 437 US MS-DOS: ASCII data in practice
]);

export function ldidEncoding(id: number | null): TextEncodingName | null {
  return id === null ? null : LDID_ENCODING.get(id) ?? null;
}

/** The GDAL ENCODING open option of the Shapefile driver for a decoder name. */
export function gdalEncoding(enc: TextEncodingName): string {
  return { 'utf-8': 'UTF-8', gb18030: 'GB18030', latin1: 'CP1252', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' }[enc];
}

const NAMES: Record<TextEncodingName, string> = { 'utf-8': 'UTF-8', gb18030: 'GBK/GB18030', latin1: 'Latin-1', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16' };

// ---------------------------------------------------------------------------------------------------
// Evidence in the bytes

export interface Utf8Evidence {
  /** Well-formed multi-byte sequences. */
  multibyte: number;
  /** Bytes ≥ 0x80 that start no well-formed sequence. */
  invalid: number;
}

/** Counts well-formed and broken UTF-8 sequences; a sequence cut by the end of the sample is not counted. */
export function utf8Evidence(bytes: Uint8Array): Utf8Evidence {
  let multibyte = 0;
  let invalid = 0;
  const n = bytes.length;
  for (let i = 0; i < n;) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let len = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) { len = 3; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { len = 4; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    if (!len) { invalid++; i++; continue; }
    let ok = true;
    let k = 1;
    for (; k < len && i + k < n; k++) {
      const c = bytes[i + k];
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) { ok = false; break; }
    }
    if (ok && i + k === n && k < len) break; // cut by the sample's end
    if (ok) { multibyte++; i += len; } else { invalid++; i++; }
  }
  return { multibyte, invalid };
}

/**
 * UTF-8 unless broken sequences are more than 2 % of the non-ASCII ones. GBK text has broken ones at most
 * every other character (about a third of GBK characters happen to be well-formed 2-byte UTF-8), while
 * UTF-8 with a few fields cut mid-character by a fixed DBF width has a handful.
 */
function isUtf8(e: Utf8Evidence): boolean {
  return e.invalid === 0 || e.invalid / (e.invalid + e.multibyte) < 0.02;
}

/** What a sample of text bytes says about its encoding. */
interface Evidence {
  high: boolean;
  utf8: Utf8Evidence;
  /** Decodes as GB18030 without error (Latin-1 text mostly does not). */
  gb18030: boolean;
}

function isGb18030(bytes: Uint8Array): boolean {
  try {
    // stream: a character cut by the end of the sample or field is not an error.
    new TextDecoder('gb18030', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Evidence of separate values (DBF fields: each may end in a character cut by the field width), or of one text. */
function evidence(values: readonly Uint8Array[]): Evidence {
  const utf8: Utf8Evidence = { multibyte: 0, invalid: 0 };
  let high = false;
  let gb18030 = true;
  for (const v of values) {
    if (!v.some((b) => b >= 0x80)) continue;
    high = true;
    const e = utf8Evidence(withoutCutUtf8(v));
    utf8.multibyte += e.multibyte;
    utf8.invalid += e.invalid;
    if (gb18030 && !isGb18030(v)) gb18030 = false;
  }
  return { high, utf8, gb18030 };
}

/**
 * A value without a UTF-8 sequence cut short at its end: writers that cut text to a field width in bytes
 * leave half a character there, which is no evidence against UTF-8.
 */
function withoutCutUtf8(v: Uint8Array): Uint8Array {
  const end = v.length;
  let k = end - 1;
  while (k >= 0 && k > end - 4 && v[k] >= 0x80 && v[k] <= 0xbf) k--;
  if (k < 0 || k === end) return v;
  const b = v[k];
  const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
  return need > end - k ? v.subarray(0, k) : v;
}

/** The encoding the bytes themselves point to, ASCII counting as UTF-8. */
function byBytes(e: Evidence): TextEncodingName {
  if (!e.high || isUtf8(e.utf8)) return 'utf-8';
  return e.gb18030 ? 'gb18030' : 'latin1';
}

/**
 * Declared (by .cpg or LDID) and byte-evident encodings reconciled: the declaration stands unless the bytes
 * contradict it. Non-ASCII bytes that are well-formed UTF-8 throughout are UTF-8 whatever a .cpg says (GBK
 * text is that by chance only for a word or two); bytes that are not UTF-8 are not UTF-8 whatever it says.
 */
function reconcile(declared: TextEncodingName, from: EncodingSource, what: string, e: Evidence): EncodingGuess {
  const warnings: string[] = [];
  if (!e.high) return { encoding: declared, from, bom: 0, warnings };
  const utf8 = isUtf8(e.utf8);
  if (declared === 'utf-8' && !utf8) {
    const actual = e.gb18030 ? 'gb18030' : 'latin1';
    warnings.push(`${what} says UTF-8 but the text is not UTF-8; read as ${NAMES[actual]}`);
    return { encoding: actual, from: 'bytes', bom: 0, warnings };
  }
  if (declared !== 'utf-8' && utf8 && e.utf8.multibyte >= 3) {
    warnings.push(`${what} says ${NAMES[declared]} but the text is UTF-8; read as UTF-8`);
    return { encoding: 'utf-8', from: 'bytes', bom: 0, warnings };
  }
  return { encoding: declared, from, bom: 0, warnings };
}

/** Bytes looked at: enough rows to decide, not the whole 100 MB. */
const SAMPLE_BYTES = 4 * 1024 * 1024;

/**
 * The encoding of a text file (CSV, TSV): the override if given, else its byte-order mark, else what its
 * bytes are (UTF-8 when well-formed, else GB18030 when that decodes, else Latin-1).
 */
export function detectTextEncoding(bytes: Uint8Array, opts: { override?: TextEncodingName } = {}): EncodingGuess {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (opts.override) return { encoding: opts.override, from: 'override', bom: opts.override === 'utf-8' ? bom : 0, warnings: [] };
  if (bom) return { encoding: 'utf-8', from: 'bom', bom, warnings: [] };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', from: 'bom', bom: 2, warnings: [] };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', from: 'bom', bom: 2, warnings: [] };
  const encoding = byBytes(evidence([bytes.subarray(0, SAMPLE_BYTES)]));
  const warnings = encoding === 'latin1' ? ['the text is neither UTF-8 nor GBK; read as Latin-1 (give --encoding if names look wrong)'] : [];
  return { encoding, from: 'bytes', bom: 0, warnings };
}

interface DbfField { type: string; offset: number; length: number }

/**
 * The text of a DBF: its field names and the values of its character (C) fields in the first records,
 * without padding. Binary fields of FoxPro files and the header's lengths would read as broken UTF-8.
 */
export function dbfTextValues(dbf: Uint8Array, maxBytes = SAMPLE_BYTES): Uint8Array[] {
  if (dbfLanguageId(dbf) === null) return [];
  const headerLen = dbf[8] | (dbf[9] << 8);
  const recordLen = dbf[10] | (dbf[11] << 8);
  const fields: DbfField[] = [];
  const values: Uint8Array[] = [];
  let offset = 1; // the deletion flag
  for (let p = 32; p + 32 <= Math.min(headerLen, dbf.length) && dbf[p] !== 0x0d; p += 32) {
    values.push(trimPadding(dbf.subarray(p, p + 11)));
    const f = { type: String.fromCharCode(dbf[p + 11]), offset, length: dbf[p + 16] };
    // Character fields longer than 255 keep the high byte of their length in the decimal count.
    if (f.type === 'C') f.length += dbf[p + 17] << 8;
    fields.push(f);
    offset += f.length;
  }
  let total = 0;
  if (recordLen < 1) return values;
  for (let r = headerLen; r + recordLen <= dbf.length && total < maxBytes; r += recordLen) {
    for (const f of fields) {
      if (f.type !== 'C') continue;
      const v = trimPadding(dbf.subarray(r + f.offset, r + f.offset + f.length));
      if (v.length) values.push(v);
      total += f.length;
    }
  }
  return values;
}

function trimPadding(v: Uint8Array): Uint8Array {
  const nul = v.indexOf(0);
  let end = nul < 0 ? v.length : nul;
  while (end > 0 && v[end - 1] === 0x20) end--;
  return v.subarray(0, end);
}

/**
 * The encoding of a Shapefile's DBF: the override if given, else its .cpg, else its language driver id,
 * else what the text bytes are; a .cpg or LDID the bytes contradict is overruled, with a warning.
 */
export function detectDbfEncoding(dbf: Uint8Array, opts: { override?: TextEncodingName; cpg?: string | null } = {}): EncodingGuess {
  if (opts.override) return { encoding: opts.override, from: 'override', bom: 0, warnings: [] };
  const sample = evidence(dbfTextValues(dbf));
  const warnings: string[] = [];
  if (opts.cpg != null) {
    const enc = cpgEncoding(opts.cpg);
    if (enc) return reconcile(enc, 'cpg', `the .cpg file (${JSON.stringify(opts.cpg.trim().slice(0, 20))})`, sample);
    if (opts.cpg.trim()) warnings.push(`the .cpg file names an encoding not known here (${JSON.stringify(opts.cpg.trim().slice(0, 20))}); guessed from the text`);
  }
  const ldid = dbfLanguageId(dbf);
  const byLdid = ldidEncoding(ldid);
  if (byLdid) {
    const r = reconcile(byLdid, 'ldid', `the DBF header (language driver 0x${ldid!.toString(16).toUpperCase()})`, sample);
    return { ...r, warnings: [...warnings, ...r.warnings] };
  }
  return { encoding: byBytes(sample), from: 'bytes', bom: 0, warnings };
}

/** Text decoded (replacement characters where bytes are broken), without its byte-order mark. */
export function decodeText(bytes: Uint8Array, enc: TextEncodingName): string {
  // TextDecoder drops a BOM of its own encoding; a UTF-8 BOM in a file read as something else stays visible.
  return new TextDecoder(enc).decode(bytes);
}
