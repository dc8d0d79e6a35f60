// Whether decoded text came out garbled, and which encoding to try instead. Each common mis-reading is
// recognised by undoing it: text that, encoded back the way it was wrongly decoded, decodes cleanly the
// other way was mis-read (UTF-8 read as Latin-1, GBK read as Latin-1, UTF-8 read as GBK); bytes that were
// not the encoding read with leave replacement characters (GBK read as UTF-8). The message names the
// column, how much of it is garbled, and the --encoding to give.
import type { EncodingOverride, TextEncodingName } from './encoding.ts';

export type GarbleKind = 'replacement' | 'utf8-as-latin1' | 'gbk-as-latin1' | 'utf8-as-gbk';

export interface Garbled {
  column: string;
  kind: GarbleKind;
  /** Share (0–1) of the column's text (characters for 'replacement', non-ASCII values otherwise) affected. */
  share: number;
  /** The encoding to try. */
  suggest: EncodingOverride;
  /** One garbled value and what it meant, when that can be recovered. */
  example: { seen: string; meant: string | null };
  message: string;
}

/** windows-1252's characters for bytes 0x80–0x9F, which GDAL's Latin-1 leaves as C1 controls instead. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹ŒŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const CP1252_BYTE: ReadonlyMap<string, number> = new Map([...CP1252_HIGH].map((c, i) => [c, 0x80 + i]));

/** The bytes a Latin-1 (or windows-1252) reading made `s` from; null when `s` has other characters. */
function latin1Bytes(s: string): Uint8Array | null {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const b = c <= 0xff ? c : CP1252_BYTE.get(s[i]);
    if (b === undefined) return null;
    out[i] = b;
  }
  return out;
}

let gbkTable: Map<number, number> | null = null;

/** Code point → GBK two-byte code, built once from the decoder itself (23,940 pairs, ~30 ms). */
function gbkEncoder(): Map<number, number> {
  if (gbkTable) return gbkTable;
  const table = new Map<number, number>();
  const dec = new TextDecoder('gb18030');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = dec.decode(pair);
      const cp = ch.codePointAt(0)!;
      if (ch.length === 1 && cp !== 0xfffd && cp >= 0x80 && !table.has(cp)) table.set(cp, (lead << 8) | trail);
    }
  }
  gbkTable = table;
  return table;
}

/** `s` in GBK (two bytes a character, ASCII as is); null when a character has no GBK code. */
export function encodeGbk(s: string): Uint8Array | null {
  const table = gbkEncoder();
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) { out.push(cp); continue; }
    const code = table.get(cp);
    if (code === undefined) return null;
    out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const NON_ASCII = /[^\x00-\x7f]/;

function strictDecode(bytes: Uint8Array, enc: TextEncodingName, tolerateCutEnd = false): string | null {
  try {
    return new TextDecoder(enc, { fatal: true }).decode(bytes, { stream: tolerateCutEnd });
  } catch {
    return null;
  }
}

/** UTF-8 read as Latin-1, possibly twice ("Ã¤Â¸Â­" is 中 encoded in UTF-8 twice): the text it meant, or null. */
function undoUtf8AsLatin1(s: string): string | null {
  let cur = s;
  for (let round = 0; round < 3; round++) {
    const bytes = latin1Bytes(cur);
    if (!bytes || !bytes.some((b) => b >= 0x80)) break;
    const next = strictDecode(bytes, 'utf-8');
    if (next === null) break;
    cur = next;
  }
  return cur !== s && NON_ASCII.test(cur) ? cur : null;
}

/**
 * GBK read as Latin-1 (what tools that take an undeclared DBF for ISO-8859-1 make of it): the text it
 * meant, or null. Every GBK character became two accented letters, both bytes at 0xA1 and above for the common
 * characters (GB2312); a European word rarely has two accented letters in a row, so most of the high bytes
 * pairing up that way is asked for.
 */
function undoGbkAsLatin1(s: string): string | null {
  const bytes = latin1Bytes(s);
  if (!bytes) return null;
  let high = 0;
  let gbPairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) continue;
    high++;
    if (bytes[i] >= 0xa1 && bytes[i + 1] >= 0xa1 && bytes[i + 1] <= 0xfe) { gbPairs++; high++; i++; }
  }
  if (!gbPairs || (gbPairs * 2) / high < 0.8) return null;
  const meant = strictDecode(bytes, 'gb18030');
  return meant !== null && CJK.test(meant) ? meant : null;
}

/** UTF-8 read as GBK ("鍚嶇О" for 名称): the text it meant, or null. */
function undoUtf8AsGbk(s: string): string | null {
  if (!CJK.test(s)) return null;
  // A byte the mis-reading could not pair is a replacement character at the end: dropped.
  const bytes = encodeGbk(s.replace(/\uFFFD+$/, ''));
  if (!bytes) return null;
  const meant = strictDecode(bytes, 'utf-8', true);
  return meant !== null && meant !== s && CJK.test(meant) ? meant : null;
}

export interface GarbleOptions {
  /** What the text was decoded with, when known. */
  decodedAs?: TextEncodingName;
  /** How the person gives the encoding: "--encoding " (the default) or "encoding=". */
  flag?: string;
  /** Where the text is, for the message (default "column <name>"). */
  where?: string;
}

const percent = (share: number) => (share > 0 && share < 0.01 ? '<1' : String(Math.round(share * 100)));

/**
 * Whether a column's text came out garbled, and which encoding to try instead: replacement characters
 * (bytes that were not the encoding read with: GBK read as UTF-8, usually), UTF-8 read as Latin-1
 * ("ä¸\u00adå\u009b½"), GBK read as Latin-1 ("ÖÐ¹ú"), UTF-8 read as GBK ("涓浗"). `decodedAs` is what
 * the text was decoded with, when known: replacement characters after a GBK reading point to UTF-8.
 */
export function checkGarbled(column: string, values: Iterable<unknown>, opts: GarbleOptions = {}): Garbled | null {
  const flag = opts.flag ?? '--encoding ';
  let chars = 0;
  let replaced = 0;
  let nonAscii = 0;
  let firstReplaced: string | null = null;
  const found: Record<Exclude<GarbleKind, 'replacement'>, { n: number; example: { seen: string; meant: string } | null }> = {
    'utf8-as-latin1': { n: 0, example: null }, 'gbk-as-latin1': { n: 0, example: null }, 'utf8-as-gbk': { n: 0, example: null },
  };
  for (const v of values) {
    if (typeof v !== 'string' || !v) continue;
    const s = v.trim();
    chars += s.replace(/\s/g, '').length;
    const r = s.match(/\uFFFD/g)?.length ?? 0;
    if (r) { replaced += r; firstReplaced ??= s; }
    if (!NON_ASCII.test(s)) continue;
    nonAscii++;
    const tries: [keyof typeof found, (x: string) => string | null][] = [['utf8-as-latin1', undoUtf8AsLatin1], ['gbk-as-latin1', undoGbkAsLatin1], ['utf8-as-gbk', undoUtf8AsGbk]];
    for (const [kind, undo] of tries) {
      const meant = undo(s);
      if (meant !== null) { found[kind].n++; found[kind].example ??= { seen: s, meant }; break; }
    }
  }
  const where = opts.where ?? `column ${column}`;
  // A mis-reading garbles every non-ASCII value alike; a few stray matches among many are chance. A known
  // mis-reading is named before replacement characters, which UTF-8 read as GBK also leaves (at value ends).
  const kinds = Object.entries(found) as [keyof typeof found, (typeof found)[keyof typeof found]][];
  const best = kinds.sort((a, b) => b[1].n - a[1].n)[0];
  if (best[1].n && best[1].n / nonAscii >= 0.3) {
    const [kind, { n, example }] = best;
    const share = n / nonAscii;
    const suggest: EncodingOverride = kind === 'gbk-as-latin1' ? 'gbk' : 'utf-8';
    const what = { 'utf8-as-latin1': 'UTF-8 text read as Latin-1', 'gbk-as-latin1': 'GBK text read as Latin-1', 'utf8-as-gbk': 'UTF-8 text read as GBK' }[kind];
    return {
      column, kind, share, suggest, example: example!,
      message: `names look garbled: ${percent(share)} % of the non-ASCII values in ${where} are ${what} (${JSON.stringify(example!.seen.slice(0, 20))} should read ${JSON.stringify(example!.meant.slice(0, 20))}); try ${flag}${suggest}`,
    };
  }
  if (!replaced || !chars) return null;
  const share = replaced / chars;
  const suggest: EncodingOverride = opts.decodedAs === 'gb18030' ? 'utf-8' : 'gbk';
  return {
    column, kind: 'replacement', share, suggest, example: { seen: firstReplaced!, meant: null },
    message: `names look garbled: ${percent(share)} % of text in ${where} is replacement characters; try ${flag}${suggest}`,
  };
}

/** checkGarbled over every column of decoded rows, and over the column names themselves. */
export function garbledColumns(rows: readonly Record<string, unknown>[], opts: Omit<GarbleOptions, 'where'> & { maxRows?: number } = {}): Garbled[] {
  const sample = rows.slice(0, opts.maxRows ?? 2000);
  const names = new Set<string>();
  for (const r of sample) for (const k of Object.keys(r)) names.add(k);
  const out: Garbled[] = [];
  const header = checkGarbled('', names, { ...opts, where: 'the column names' });
  if (header) out.push({ ...header, message: header.message.replace(/^names look garbled/, 'column names look garbled') });
  for (const name of names) {
    const g = checkGarbled(name, sample.map((r) => r[name]), opts);
    if (g) out.push(g);
  }
  return out;
}
