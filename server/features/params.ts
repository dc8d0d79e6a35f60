// The query parameters of /collections/{id}/items, parsed once into a typed ItemsQuery (pg_featureserv's
// QueryParam). Every check that can fail on user input happens here or in the CQL2 parser, with a 400
// that says what to change; the Catalog then only builds SQL from values already known to be good.
import { COLLECTIONS, findCollection, queryableNames, queryableProperty, type CollectionDef } from './collections.ts';
import { parseCql2, type Expr, type Scalar } from './cql2.ts';
import { BadRequestError, NotFoundError, show } from '../http/errors.ts';
import { checkBbox } from '../geo/input.ts';
import { parseInstant, type Instant } from '../http/time.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;
/** `offset` is served with OFFSET, so it is bounded; deeper pages follow the next link's cursor. */
export const MAX_OFFSET = 10_000;

const CRS84 = ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'http://www.opengis.net/def/crs/EPSG/0/4326', 'EPSG:4326', 'CRS84'];
export const RESERVED_PARAMS = new Set(['limit', 'offset', 'bbox', 'bbox-crs', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'cursor', 'f', 'crs']);

export interface DatetimeFilter {
  /** Inclusive bounds; undefined = open. An instant has start and end equal (a date covers its day). */
  start?: Instant;
  end?: Instant;
}

export interface Cursor {
  /** 'after': the page after key (next); 'before': the page before key (prev). */
  dir: 'after' | 'before';
  key: string;
}

export interface ItemsQuery {
  limit: number;
  offset: number;
  bbox?: [number, number, number, number];
  datetime?: DatetimeFilter;
  /** ?name=value filters and the CQL2 filter, as one AST (ANDed). */
  filter?: Expr;
  cursor?: Cursor;
  format: 'geojson' | 'json';
}

export function collectionOr404(id: string): CollectionDef {
  const c = findCollection(id);
  if (!c) throw new NotFoundError(`no collection ${show(id)}; see /api/collections`);
  return c;
}

function one(q: Record<string, unknown>, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new BadRequestError(`${name} may be given once`);
  return String(v);
}

export function parseBbox(raw: string): [number, number, number, number] {
  const parts = raw.split(',');
  if (parts.length !== 4 && parts.length !== 6) {
    throw new BadRequestError(`bbox must be 4 numbers west,south,east,north (or 6 with heights), got ${parts.length}: ${show(raw)}`);
  }
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  const bad = nums.findIndex((n) => !Number.isFinite(n));
  if (bad >= 0) throw new BadRequestError(`bbox: ${show(parts[bad])} is not a number`);
  const b = parts.length === 6 ? [nums[0], nums[1], nums[3], nums[4]] : nums;
  return checkBbox(b, 'bbox');
}

export function parseDatetime(raw: string): DatetimeFilter {
  const bound = (s: string, which: string): Instant | undefined => {
    if (s === '..' || s === '') return undefined;
    const t = parseInstant(s);
    if (!t) throw new BadRequestError(`datetime: ${which} ${show(s)} is not an RFC 3339 date-time (2024-01-31T08:00:00Z) or date (2024-01-31)`);
    return t;
  };
  const parts = raw.split('/');
  if (parts.length === 1) {
    if (raw === '..' || raw === '') throw new BadRequestError('datetime: ".." is only valid as one end of an interval such as 2024-01-01/..');
    const t = bound(raw, 'instant')!;
    return { start: t, end: t };
  }
  if (parts.length !== 2) throw new BadRequestError(`datetime must be an instant or an interval start/end, got ${show(raw)}`);
  const [start, end] = [bound(parts[0], 'start'), bound(parts[1], 'end')];
  if (!start && !end) throw new BadRequestError('datetime: an interval needs at least one bound ("../.." is not allowed)');
  if (start && end && Date.parse(start.text) > Date.parse(end.text)) {
    throw new BadRequestError(`datetime: the start ${start.text} is after the end ${end.text}`);
  }
  return { start, end };
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.dir === 'after' ? 'a' : 'b'}:${c.key}`).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? Buffer.from(raw, 'base64url').toString('utf8') : '';
  const m = /^([ab]):(\d{1,20})$/.exec(text);
  if (!m) throw new BadRequestError('cursor is not one this server issued; follow the next/prev links as they are');
  return { dir: m[1] === 'a' ? 'after' : 'before', key: m[2] };
}

/** ?name=value on a queryable property → an equality (or IN for a repeated name) in CQL2 terms. */
function propertyFilter(c: CollectionDef, name: string, raw: unknown): Expr {
  const p = queryableProperty(c, name);
  if (!p) {
    throw new BadRequestError(`unknown query parameter ${show(name)}; the parameters are ${[...RESERVED_PARAMS].join(', ')} and the queryables of ${c.id}: ${queryableNames(c).join(', ')}`);
  }
  const values = (Array.isArray(raw) ? raw : [raw]).map(String);
  // PostgreSQL refuses NUL in text: compared with a column, it would fail the query with a 500.
  if (values.some((v) => v.includes('\u0000'))) throw new BadRequestError(`${name} contains a NUL character (U+0000), which no property can hold`);
  const pos = 0;
  const scalars: Scalar[] = values.map((v) => {
    switch (p.type) {
      case 'string': return { kind: 'string', value: v, pos };
      case 'integer':
        if (!/^-?\d{1,15}$/.test(v)) throw new BadRequestError(`${name} must be an integer, got ${show(v)}`);
        return { kind: 'number', value: Number(v), pos };
      case 'number':
        if (v.trim() === '' || !Number.isFinite(Number(v))) throw new BadRequestError(`${name} must be a number, got ${show(v)}`);
        return { kind: 'number', value: Number(v), pos };
      case 'boolean':
        if (v !== 'true' && v !== 'false') throw new BadRequestError(`${name} must be true or false, got ${show(v)}`);
        return { kind: 'boolean', value: v === 'true', pos };
      default:
        if (!parseInstant(v)) throw new BadRequestError(`${name} must be an RFC 3339 date-time or date, got ${show(v)}`);
        return { kind: 'string', value: v, pos };
    }
  });
  const arg: Scalar = { kind: 'property', name, pos };
  return scalars.length === 1 ? { op: 'cmp', cmp: '=', left: arg, right: scalars[0] } : { op: 'in', arg, list: scalars, not: false };
}

/** Parses the items query string of collection `c` (limit/offset already type-checked by the route schema). */
export function parseItemsQuery(c: CollectionDef, q: Record<string, unknown>): ItemsQuery {
  const limit = Number(q.limit ?? DEFAULT_LIMIT);
  const offset = Number(q.offset ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadRequestError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw new BadRequestError(`offset must be an integer from 0 to ${MAX_OFFSET}; for deeper pages follow the next link (keyset cursor)`);
  }
  for (const name of ['bbox-crs', 'filter-crs', 'crs']) {
    const v = one(q, name);
    if (v !== undefined && !CRS84.includes(v)) throw new BadRequestError(`${name} ${show(v)} is not supported; only ${CRS84[0]} (lon/lat WGS84)`);
  }
  const f = one(q, 'f');
  if (f !== undefined && !['json', 'geojson'].includes(f)) throw new BadRequestError(`f=${f.slice(0, 20)} is not offered; use f=geojson (default) or f=json`);

  const out: ItemsQuery = { limit, offset, format: f === 'json' ? 'json' : 'geojson' };
  const bbox = one(q, 'bbox');
  if (bbox !== undefined) out.bbox = parseBbox(bbox);
  const datetime = one(q, 'datetime');
  if (datetime !== undefined) {
    if (!c.datetime) throw new BadRequestError(`collection ${c.id} has no time property; datetime applies to ${timeCollections()}`);
    out.datetime = parseDatetime(datetime);
  }
  const cursor = one(q, 'cursor');
  if (cursor !== undefined) {
    if (offset) throw new BadRequestError('use either cursor or offset, not both');
    out.cursor = decodeCursor(cursor);
    if (!keyFits(c, out.cursor.key)) throw new BadRequestError('cursor is not one this server issued; follow the next/prev links as they are');
  }

  const parts: Expr[] = [];
  for (const [name, v] of Object.entries(q)) {
    if (!RESERVED_PARAMS.has(name)) parts.push(propertyFilter(c, name, v));
  }
  const filter = one(q, 'filter');
  const lang = one(q, 'filter-lang');
  if (lang !== undefined && lang !== 'cql2-text') {
    throw new BadRequestError(`filter-lang ${show(lang)} is not supported; use cql2-text${lang === 'cql2-json' ? ' (CQL2 JSON is not implemented)' : ''}`);
  }
  if (filter !== undefined) parts.push(parseCql2(filter));
  if (parts.length) out.filter = parts.length === 1 ? parts[0] : { op: 'and', args: parts };
  return out;
}

function timeCollections(): string {
  return COLLECTIONS.filter((c) => c.datetime).map((c) => `${c.id} (${c.datetime})`).join(', ');
}

/** Whether a decimal key fits the collection's key column (so PostgreSQL never sees an overflowing one). */
export function keyFits(c: CollectionDef, key: string): boolean {
  if (!/^\d{1,20}$/.test(key)) return false;
  if (c.key.type === 'code') return true;
  const max = c.key.type === 'integer' ? '2147483647' : '9223372036854775807';
  const k = key.replace(/^0+(?=\d)/, '');
  return k.length < max.length || (k.length === max.length && k <= max);
}
