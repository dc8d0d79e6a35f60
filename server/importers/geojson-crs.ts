// GeoJSON "crs" members GDAL would follow. GDAL reads a crs object on the collection and on each geometry;
// of type "link" or "url" it fetches the href (any host, even file://), of type "name" it resolves the
// name. Only names of EPSG or OGC systems are let through; any other crs object is refused before GDAL
// sees the file. One pass over the bytes (no JSON.parse of 100 MB): it finds every member named crs the
// way GDAL's parser (json-c) does — keys in double or single quotes, escapes, any letter case.
import { BadRequestError } from '../http/errors.ts';

const SAFE_NAME = /^(EPSG:\d{1,6}|urn:ogc:def:crs:EPSG:[\d.]*:\d{1,6}|urn:ogc:def:crs:OGC:[\d.]*:CRS(84|83|27)|OGC:CRS(84|83|27)|CRS(84|83|27))$/i;
/** Longest key that can spell "crs" (three \uXXXX escapes and quotes), and longest crs object read. */
const MAX_KEY = 24;
const MAX_CRS = 64 * 1024;

const REFUSED = 'the GeoJSON gives its coordinate system ("crs") as a link or in a form that is not read; only names such as '
  + '"EPSG:4326" or "urn:ogc:def:crs:EPSG::4547" are accepted: remove the "crs" member and give crs=EPSG:<code>';

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Index of the quote `q` that closes a string whose text starts at `from` (n when it never closes). */
function stringEnd(buf: Buffer, from: number, q: number): number {
  let j = from;
  for (;;) {
    j = buf.indexOf(q, j);
    if (j < 0) return buf.length;
    let slashes = 0;
    while (buf[j - 1 - slashes] === 0x5c) slashes++;
    if (slashes % 2 === 0) return j;
    j++;
  }
}

function decodeKey(raw: string, q: number): string | null {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${q === 0x27 ? raw.replace(/\\'/g, "'").replace(/"/g, '\\"') : raw}"`) as string;
  } catch {
    return null; // an escape JSON does not know: it may spell anything to json-c
  }
}

/** The crs object starting at `at` (after the colon) is one of the names GDAL may resolve, or not an object. */
function checkValue(buf: Buffer, at: number): void {
  let i = at;
  while (i < buf.length && isSpace(buf[i])) i++;
  if (buf[i] !== 0x7b) return; // GDAL reads only an object
  let depth = 0;
  let j = i;
  for (; j < buf.length && j - i < MAX_CRS; j++) {
    const c = buf[j];
    if (c === 0x22 || c === 0x27) j = stringEnd(buf, j + 1, c);
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) break;
  }
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8', i, j + 1));
  } catch {
    throw new BadRequestError(REFUSED);
  }
  if (!safeCrs(value)) throw new BadRequestError(REFUSED);
}

function safeCrs(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return true;
  for (const [k, val] of Object.entries(v)) {
    if (/^type$/i.test(k)) {
      if (typeof val !== 'string' || val.toLowerCase() !== 'name') return false;
    } else if (/^properties$/i.test(k)) {
      if (typeof val !== 'object' || val === null || Array.isArray(val)) return false;
      for (const [pk, pv] of Object.entries(val)) if (!/^name$/i.test(pk) || typeof pv !== 'string' || !SAFE_NAME.test(pv.trim())) return false;
    } else return false;
  }
  return true;
}

/** Throws a 400 when the GeoJSON holds a crs object other than an EPSG/OGC name. */
export function checkGeoJsonCrs(buf: Buffer): void {
  let i = 0;
  // The next single quote is looked up again only once passed (most files have none: one search, not one per string).
  let sq = buf.indexOf(0x27);
  while (i < buf.length) {
    if (sq >= 0 && sq < i) sq = buf.indexOf(0x27, i);
    const dq = buf.indexOf(0x22, i);
    const start = dq < 0 ? sq : sq < 0 ? dq : Math.min(dq, sq);
    if (start < 0) return;
    const q = buf[start];
    const end = stringEnd(buf, start + 1, q);
    i = end + 1;
    if (end - start - 1 > MAX_KEY) continue;
    let k = i;
    while (k < buf.length && isSpace(buf[k])) k++;
    if (buf[k] !== 0x3a) continue; // not a member name
    const key = decodeKey(buf.toString('utf8', start + 1, end), q);
    if (key === null || key.toLowerCase() === 'crs') checkValue(buf, k + 1);
  }
}
