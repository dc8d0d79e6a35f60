// Which column of a district's file fills which field of a layer. Ledgers name their columns in Chinese or
// English, with units in brackets (管径(mm)), full-width letters, required-marks (*名称), spaces and
// underscores, or as two merged header rows (检测信息 / 缺陷代码): names are compared after normalising all
// that away, against each field's synonyms (targets/*.ts), also when cut short to a Shapefile's 10-byte field
// names. A person's own mapping (a JSON template {field: column}) overrides what was matched, and is checked
// for fields and columns that do not exist.
import { BadRequestError } from '../../http/errors.ts';

export type FieldType = 'string' | 'number' | 'integer' | 'date' | 'code';

export interface TargetField {
  field: string;
  /** The file must have a column for it. */
  required: boolean;
  /** Column names that mean this field, most specific first (the field's own name is tried last). */
  synonyms: readonly string[];
  type: FieldType;
  /** For messages: Chinese, then English. */
  label: string;
  /** The table column it fills; null when it only helps find another (a street's name → its code). */
  column: string | null;
  /** An enumerated column: each stored value with the words ledgers use for it. */
  values?: Readonly<Record<string, readonly string[]>>;
}

/** At least one of the alternatives must be matched completely (管段编号, or 起点井号 and 终点井号). */
export interface OneOf {
  alternatives: readonly (readonly string[])[];
  /** A file with geometry (Shapefile) needs none of them: coordinate columns, typically. */
  geometryInstead?: boolean;
  label: string;
}

export interface LayerTarget {
  layer: string;
  /** The table the rows go to. */
  table: string;
  label: string;
  fields: readonly TargetField[];
  oneOf?: readonly OneOf[];
}

// ---------------------------------------------------------------------------------------------------
// Names

/** Brackets and what is in them: units and notes (管径(mm), 经度（WGS84）, 状态[在线/离线]). */
const BRACKETED = /[([{【〔<《][^)\]}】〕>》]*[)\]}】〕>》]/g;
/** Separators and marks that do not change what a name means. */
const NOISE = /[\s_\-.·•:;,'"`、，；：!?！？*#№/\\|~～]/g;

/**
 * A column name reduced to what it means: NFKC (full-width to ASCII, ㎜ to mm), lower case, bracketed
 * parts, separators and required-marks removed. A name that is all brackets keeps what is inside them.
 */
export function normalizeHeader(name: string): string {
  const s = name.normalize('NFKC').toLowerCase();
  const plain = s.replace(BRACKETED, '').replace(NOISE, '');
  return plain || s.replace(/[()[\]{}【】〔〕<>《》]/g, '').replace(NOISE, '');
}

/** The parts of a merged two-row header name ("检测信息 / 缺陷代码"); its last part names the column. */
export const HEADER_JOIN = ' / ';

function keysOf(header: string): { full: string; last: string | null } {
  const full = normalizeHeader(header);
  const parts = header.split(HEADER_JOIN);
  const last = parts.length > 1 ? normalizeHeader(parts[parts.length - 1]) : null;
  return { full, last: last && last !== full ? last : null };
}

const isCjk = (s: string) => /[\u3400-\u9fff]/.test(s);

/**
 * Whether a column name may be a longer one cut to fit a DBF field name (10 bytes): 行政区划代码 is 12 bytes
 * in GBK and comes out of a Shapefile as 行政区划代, in UTF-8 as 行政区. A cut name fills 9–10 bytes in GBK
 * (a two-byte character that did not fit leaves 9) or 8–10 in UTF-8.
 */
function mayBeCut(header: string): boolean {
  const chars = [...header];
  const gbk = chars.reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2), 0);
  const utf8 = Buffer.byteLength(header);
  return (gbk >= 9 && gbk <= 10) || (utf8 >= 8 && utf8 <= 10);
}
/**
 * Long enough to be looked for inside another name: three Chinese characters, or five letters. Two are
 * too few: 长度 (a defect's length) is inside 管段长度 (the reach's).
 */
const containable = (key: string) => (isCjk(key) ? key.length >= 3 : key.length >= 5);

// ---------------------------------------------------------------------------------------------------
// Matching

export type MatchHow = 'name' | 'part' | 'truncated' | 'contains' | 'user';

export interface ColumnMatch {
  field: string;
  header: string;
  /**
   * name: the whole name is a synonym; part: the last part of a merged header is; truncated: the name is a
   * synonym cut to a DBF field name's 10 bytes; contains: the name holds one; user: given.
   */
  how: MatchHow;
}

export interface ColumnMapping {
  layer: string;
  /** field → column name of the file. */
  mapping: Record<string, string>;
  matches: ColumnMatch[];
  /** What the file lacks, in words (required fields, unmet one-of groups). */
  missing: string[];
  /** Columns of the file that fill no field. */
  unused: string[];
  ok: boolean;
}

function synonymKeys(f: TargetField): string[] {
  return [...new Set([...f.synonyms, f.field].map(normalizeHeader).filter(Boolean))];
}

function missingOf(target: LayerTarget, mapping: Record<string, string>, hasGeometry: boolean): string[] {
  const missing = target.fields.filter((f) => f.required && !mapping[f.field]).map((f) => `${f.label} (${f.field})`);
  for (const g of target.oneOf ?? []) {
    if (g.geometryInstead && hasGeometry) continue;
    if (!g.alternatives.some((alt) => alt.every((f) => mapping[f]))) missing.push(g.label);
  }
  return missing;
}

function result(target: LayerTarget, headers: readonly string[], matches: ColumnMatch[], hasGeometry: boolean): ColumnMapping {
  const order = new Map(target.fields.map((f, i) => [f.field, i]));
  matches.sort((a, b) => order.get(a.field)! - order.get(b.field)!);
  const mapping = Object.fromEntries(matches.map((m) => [m.field, m.header]));
  const used = new Set(matches.map((m) => m.header));
  const missing = missingOf(target, mapping, hasGeometry);
  return { layer: target.layer, mapping, matches, missing, unused: headers.filter((h) => !used.has(h)), ok: !missing.length };
}

/**
 * Matches a file's column names to a layer's fields. Whole names first, then the last part of merged
 * names, each by how specific the synonym is (its place in the list); a column fills one field. Then,
 * for fields still unmatched, a column whose name holds a synonym (摄像机名称 holds 名称), when just one
 * column does and it holds no other open field's synonym.
 */
export function matchColumns(headers: readonly string[], target: LayerTarget, opts: { hasGeometry?: boolean } = {}): ColumnMapping {
  const keys = headers.map(keysOf);
  const cut = headers.map(mayBeCut);
  // Whole names first, then last parts, then names cut to a DBF field's size.
  const pairs: { field: string; fi: number; hi: number; rank: number; how: 0 | 1 | 2 }[] = [];
  target.fields.forEach((f, fi) => {
    synonymKeys(f).forEach((syn, rank) => {
      keys.forEach((k, hi) => {
        if (k.full === syn) pairs.push({ field: f.field, fi, hi, rank, how: 0 });
        else if (k.last === syn) pairs.push({ field: f.field, fi, hi, rank, how: 1 });
        else if (cut[hi] && k.full.length >= 2 && syn.length > k.full.length && syn.startsWith(k.full)) pairs.push({ field: f.field, fi, hi, rank, how: 2 });
      });
    });
  });
  pairs.sort((a, b) => a.how - b.how || a.rank - b.rank || a.fi - b.fi || a.hi - b.hi);
  const matches: ColumnMatch[] = [];
  const fieldDone = new Set<string>();
  const headerDone = new Set<number>();
  for (const p of pairs) {
    if (fieldDone.has(p.field) || headerDone.has(p.hi)) continue;
    fieldDone.add(p.field);
    headerDone.add(p.hi);
    matches.push({ field: p.field, header: headers[p.hi], how: (['name', 'part', 'truncated'] as const)[p.how] });
  }
  const open = target.fields.filter((f) => !fieldDone.has(f.field));
  const holders = (f: TargetField) => keys.flatMap((k, hi) => (!headerDone.has(hi) && synonymKeys(f).some((s) => containable(s) && k.full.includes(s)) ? [hi] : []));
  const held = new Map(open.map((f) => [f.field, holders(f)]));
  for (const f of open) {
    const hs = held.get(f.field)!;
    if (hs.length !== 1 || headerDone.has(hs[0])) continue;
    const shared = open.some((g) => g !== f && held.get(g.field)!.includes(hs[0]));
    if (shared) continue;
    headerDone.add(hs[0]);
    matches.push({ field: f.field, header: headers[hs[0]], how: 'contains' });
  }
  return result(target, headers, matches, opts.hasGeometry ?? false);
}

/** Whether a column name is one of the layers' synonyms (whole or as the last part of a merged name); for header-rows.ts. */
export function knownHeader(targets: readonly LayerTarget[]): (name: string) => boolean {
  const all = new Set(targets.flatMap((t) => t.fields.flatMap(synonymKeys)));
  return (name) => {
    const k = keysOf(name);
    return all.has(k.full) || (k.last !== null && all.has(k.last));
  };
}

// ---------------------------------------------------------------------------------------------------
// A person's mapping

/**
 * The JSON a person edits to say which column fills which field: every field, with the column matched
 * (or null), required ones first. Given back to applyUserMapping.
 */
export function mappingTemplate(target: LayerTarget, matched: ColumnMapping): Record<string, string | null> {
  const fields = [...target.fields].sort((a, b) => Number(b.required) - Number(a.required));
  return Object.fromEntries(fields.map((f) => [f.field, matched.mapping[f.field] ?? null]));
}

/**
 * `user` ({field: column, or null to leave a field out}) over the automatic mapping. Each column named
 * must be one of the file's (exactly, or the only one with the same normalised name); each field one of
 * the layer's. Throws a 400 listing every problem at once.
 */
export function applyUserMapping(auto: ColumnMapping, user: unknown, headers: readonly string[], target: LayerTarget, opts: { hasGeometry?: boolean } = {}): ColumnMapping {
  if (typeof user !== 'object' || user === null || Array.isArray(user)) {
    throw new BadRequestError('the column mapping must be a JSON object {"field": "column name"}');
  }
  const fields = new Map(target.fields.map((f) => [f.field, f]));
  const errors: string[] = [];
  const matches = new Map(auto.matches.map((m) => [m.field, m]));
  for (const [field, value] of Object.entries(user)) {
    if (!fields.has(field)) {
      errors.push(`${target.layer} has no field ${JSON.stringify(field)} (fields: ${[...fields.keys()].join(', ')})`);
      continue;
    }
    if (value === null || value === '') { matches.delete(field); continue; }
    if (typeof value !== 'string') { errors.push(`the column for ${field} must be a column name (a string) or null`); continue; }
    const header = headers.includes(value) ? value : sameName(value, headers);
    if (!header) {
      errors.push(`column ${JSON.stringify(value)} (for ${field}) is not in the file (columns: ${headers.map((h) => JSON.stringify(h)).join(', ')})`);
      continue;
    }
    matches.set(field, { field, header, how: 'user' });
  }
  if (errors.length) throw new BadRequestError(`the column mapping has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors.join('; ')}`);
  // A column the person gave to a field is no longer the automatic choice of another.
  const given = new Set([...matches.values()].filter((m) => m.how === 'user').map((m) => m.header));
  const kept = [...matches.values()].filter((m) => m.how === 'user' || !given.has(m.header));
  return result(target, headers, kept, opts.hasGeometry ?? false);
}

function sameName(value: string, headers: readonly string[]): string | null {
  const key = normalizeHeader(value);
  const found = headers.filter((h) => normalizeHeader(h) === key);
  return found.length === 1 ? found[0] : null;
}

/** The stored value of an enumerated field for what a ledger wrote (在线 → online), or null. */
export function matchValue(field: TargetField, raw: unknown): string | null {
  if (!field.values || raw === null || raw === undefined) return null;
  const key = normalizeHeader(String(raw));
  if (!key) return null;
  for (const [value, words] of Object.entries(field.values)) {
    if (normalizeHeader(value) === key || words.some((w) => normalizeHeader(w) === key)) return value;
  }
  return null;
}
