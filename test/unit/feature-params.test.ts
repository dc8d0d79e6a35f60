// Parsing of the feature routes' inputs: coordinates (range, NaN, swapped order, GCJ-02), GeoJSON areas,
// OGC items parameters (bbox, datetime, limit/offset, cursor, property filters) — all failing with a
// 400 that says what to change, before any SQL exists.
import { describe, expect, it } from 'vitest';
import { findCollection } from '../../server/features/collections.ts';
import { ApiError } from '../../server/http/errors.ts';
import { checkLonLat, degreesFor, parseAreaGeoJson, parseCrs, toWgs84, toWkt } from '../../server/geo/input.ts';
import { decodeCursor, encodeCursor, keyFits, parseBbox, parseDatetime, parseItemsQuery } from '../../server/features/params.ts';
import { buildItemsSql } from '../../server/features/items.ts';
import { buildCellCountSql, cellPlan } from '../../server/features/cell-count.ts';
import { mercator } from '../../server/features/spatial.ts';

const cases = findCollection('cases')!;
const cameras = findCollection('cameras')!;
const grids = findCollection('grids')!;

function fails(fn: () => unknown, message: RegExp, status = 400) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).statusCode).toBe(status);
  expect((err as Error).message).toMatch(message);
}

describe('coordinates', () => {
  it('accepts numbers and numeric strings in range', () => {
    expect(checkLonLat(114.31, 30.55)).toEqual([114.31, 30.55]);
    expect(checkLonLat('-180', '90')).toEqual([-180, 90]);
  });

  it.each([
    [NaN, 30, /longitude must be a finite number/],
    [114, Infinity, /latitude must be a finite number/],
    ['abc', 30, /longitude must be a finite number, got "abc"/],
    ['', 30, /longitude must be a finite number/],
    [181, 30, /longitude 181 is outside −180..180/],
    [10, -91, /latitude -91 is outside −90..90/],
    [30.55, 114.31, /look swapped .*did you mean 114.31, 30.55/],
  ])('%s, %s → 400', (lon, lat, message) => fails(() => checkLonLat(lon, lat), message));

  it('GCJ-02 is converted to WGS84 (a few hundred metres in Wuchang), WGS84 passes unchanged', () => {
    const [x, y] = toWgs84([114.31, 30.55], 'gcj02');
    expect(Math.abs(x - 114.31)).toBeGreaterThan(0.003);
    expect(Math.abs(x - 114.31)).toBeLessThan(0.01);
    expect(Math.abs(y - 30.55)).toBeLessThan(0.01);
    expect(toWgs84([114.31, 30.55], 'wgs84')).toEqual([114.31, 30.55]);
    expect(parseCrs('GCJ02')).toBe('gcj02');
    fails(() => parseCrs('bd09'), /crs "bd09" is not supported; use wgs84 \(default\) or gcj02/);
  });

  it('a radius becomes a box that contains the geodesic circle', () => {
    const { dLon, dLat } = degreesFor(1000, 30.55);
    expect(dLat * 110_574).toBeGreaterThan(1000);
    expect(dLon * 111_320 * Math.cos((30.56 * Math.PI) / 180)).toBeGreaterThan(1000);
  });
});

describe('GeoJSON areas', () => {
  const square = [[114.3, 30.54], [114.31, 30.54], [114.31, 30.55], [114.3, 30.55], [114.3, 30.54]];

  it('accepts Polygon and MultiPolygon, holes included, and prints WKT', () => {
    const p = parseAreaGeoJson({ type: 'Polygon', coordinates: [square] });
    expect(toWkt(p)).toBe('POLYGON((114.3 30.54, 114.31 30.54, 114.31 30.55, 114.3 30.55, 114.3 30.54))');
    const m = parseAreaGeoJson({ type: 'MultiPolygon', coordinates: [[square], [square]] });
    expect(m.type).toBe('MultiPolygon');
  });

  it('converts from GCJ-02 ring by ring, keeping rings closed', () => {
    const p = parseAreaGeoJson({ type: 'Polygon', coordinates: [square] }, 'gcj02');
    const ring = p.coordinates[0] as number[][];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ring[0][0]).not.toBe(114.3);
  });

  it.each([
    [null, /geometry must be a GeoJSON object/],
    [{ type: 'Point', coordinates: [114, 30] }, /must be a GeoJSON Polygon or MultiPolygon, got type "Point"/],
    [{ type: 'Feature', geometry: {} }, /send the feature's geometry/],
    [{ type: 'Polygon', coordinates: [] }, /a polygon is a non-empty array of rings/],
    [{ type: 'Polygon', coordinates: [[[114, 30], [115, 30], [114, 30]]] }, /at least 4 positions/],
    [{ type: 'Polygon', coordinates: [[[114, 30], [115, 30], [115, 31], [114, 31]]] }, /not closed; repeat the first position/],
    [{ type: 'Polygon', coordinates: [[[114, 30], [115, 'x'], [115, 31], [114, 30]]] }, /position 1: latitude must be a finite number/],
    [{ type: 'Polygon', coordinates: [[[30, 114], [30, 115], [31, 115], [30, 114]]] }, /look swapped/],
    [{ type: 'Polygon', coordinates: [[[114], [115, 30], [115, 31], [114, 30]]] }, /a position must be \[longitude, latitude\]/],
    [{ type: 'Polygon', coordinates: [[...Array.from({ length: 10_001 }, (_, i) => [114 + i * 1e-5, 30]), [114, 30]]] }, /more than 10000 vertices/],
  ])('%# refused', (g, message) => fails(() => parseAreaGeoJson(g), message));
});

describe('OGC items parameters', () => {
  it('bbox: 4 or 6 numbers, west ≤ east, south ≤ north, in range', () => {
    expect(parseBbox('114.3,30.54,114.32,30.56')).toEqual([114.3, 30.54, 114.32, 30.56]);
    expect(parseBbox('114.3,30.54,0,114.32,30.56,100')).toEqual([114.3, 30.54, 114.32, 30.56]);
    fails(() => parseBbox('1,2,3'), /bbox must be 4 numbers west,south,east,north/);
    fails(() => parseBbox('1,2,x,4'), /bbox: "x" is not a number/);
    fails(() => parseBbox('114.32,30.54,114.30,30.56'), /boxes across the antimeridian are not supported/);
    fails(() => parseBbox('114.30,30.56,114.32,30.54'), /the order is west, south, east, north/);
    fails(() => parseBbox('30.54,114.30,30.56,114.32'), /look swapped/);
  });

  it('datetime: instants, closed and open intervals; nonsense refused', () => {
    expect(parseDatetime('2025-01-01T08:00:00Z')).toEqual({ start: { kind: 'date-time', text: '2025-01-01T08:00:00Z' }, end: { kind: 'date-time', text: '2025-01-01T08:00:00Z' } });
    expect(parseDatetime('2025-01-01/..')).toEqual({ start: { kind: 'date', text: '2025-01-01' }, end: undefined });
    expect(parseDatetime('../2025-01-01T00:00:00+08:00').end).toEqual({ kind: 'date-time', text: '2025-01-01T00:00:00+08:00' });
    fails(() => parseDatetime('../..'), /at least one bound/);
    fails(() => parseDatetime('2025-02-01/2025-01-01'), /the start 2025-02-01 is after the end 2025-01-01/);
    fails(() => parseDatetime('yesterday'), /"yesterday" is not an RFC 3339 date-time/);
    fails(() => parseDatetime('2025-01-01T25:00:00Z'), /not an RFC 3339/);
    fails(() => parseDatetime('a/b/c'), /an instant or an interval/);
  });

  it('cursor: opaque, round-trips, forgeries refused', () => {
    const c = encodeCursor({ dir: 'after', key: '5000000' });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ dir: 'after', key: '5000000' });
    expect(decodeCursor(encodeCursor({ dir: 'before', key: '420106002013001' }))).toEqual({ dir: 'before', key: '420106002013001' });
    fails(() => decodeCursor(Buffer.from("a:1' OR 1=1").toString('base64url')), /cursor is not one this server issued/);
    fails(() => decodeCursor('!!!'), /cursor is not one this server issued/);
  });

  it('keys that would overflow the key column are recognised', () => {
    expect(keyFits(cameras, '2147483647')).toBe(true);
    expect(keyFits(cameras, '2147483648')).toBe(false);
    expect(keyFits(cases, '9223372036854775807')).toBe(true);
    expect(keyFits(cases, '9223372036854775808')).toBe(false);
    expect(keyFits(grids, '420106002013001')).toBe(true);
    expect(keyFits(cameras, '12a')).toBe(false);
  });

  it('property filters are typed and become CQL2 equalities (IN when repeated)', () => {
    const q = parseItemsQuery(cases, { status: ['closed', 'reported'], synthetic: 'true', limit: 10 });
    const built = buildItemsSql(cases, q);
    expect(built.where).toBe('((t.status = ANY($1::text[])) AND (t.synthetic = $2::boolean))');
    expect(built.whereValues).toEqual([['closed', 'reported'], true]);
    fails(() => parseItemsQuery(findCollection('pipes')!, { diameter_mm: 'big' }), /diameter_mm must be an integer, got "big"/);
    fails(() => parseItemsQuery(cases, { nosuch: '1' }), /unknown query parameter "nosuch"; the parameters are limit, offset, bbox/);
    fails(() => parseItemsQuery(cases, { stream_url: 'x' }), /unknown query parameter "stream_url"/);
  });

  it('limit, offset, filter-lang, crs and f are checked', () => {
    fails(() => parseItemsQuery(cases, { limit: 0 }), /limit must be an integer from 1 to 10000/);
    fails(() => parseItemsQuery(cases, { offset: 10_001 }), /offset must be an integer from 0 to 10000; for deeper pages follow the next link/);
    fails(() => parseItemsQuery(cases, { 'filter-lang': 'cql2-json', filter: '{}' }), /filter-lang "cql2-json" is not supported; use cql2-text/);
    fails(() => parseItemsQuery(cases, { 'bbox-crs': 'EPSG:3857', bbox: '1,2,3,4' }), /bbox-crs "EPSG:3857" is not supported/);
    fails(() => parseItemsQuery(cases, { f: 'html' }), /f=html is not offered/);
    fails(() => parseItemsQuery(findCollection('pipes')!, { datetime: '2025-01-01' }), /collection pipes has no time property; datetime applies to hazards \(found_at\)/);
    fails(() => parseItemsQuery(cases, { cursor: encodeCursor({ dir: 'after', key: '1' }), offset: 5 }), /either cursor or offset/);
  });

  it('items SQL: keyset after a cursor, reversed before one, bounded OFFSET; keys first, features after', () => {
    const next = buildItemsSql(cases, parseItemsQuery(cases, { cursor: encodeCursor({ dir: 'after', key: '5000000' }), limit: 100 }));
    expect(next.page.text).toMatch(/WHERE TRUE AND t\.id > \$1::bigint\s+ORDER BY t\.id LIMIT 101\)/);
    expect(next.page.values).toEqual(['5000000']);
    expect(next.reversed).toBe(false);
    const prev = buildItemsSql(cases, parseItemsQuery(cases, { cursor: encodeCursor({ dir: 'before', key: '77' }), limit: 10 }));
    expect(prev.page.text).toMatch(/t\.id < \$1::bigint\s+ORDER BY t\.id DESC LIMIT 11\)/);
    expect(prev.reversed).toBe(true);
    expect(buildItemsSql(cases, parseItemsQuery(cases, { offset: 200, limit: 100 })).page.text).toMatch(/LIMIT 101 OFFSET 200\)/);
  });

  it('datetime SQL: a date end covers its day; date columns compare as days', () => {
    const q = parseItemsQuery(cases, { datetime: '2025-01-01/2025-01-31' });
    expect(buildItemsSql(cases, q).where).toBe('t.reported_at >= $1::date AND t.reported_at < $2::date + 1');
    const hazards = findCollection('hazards')!;
    expect(buildItemsSql(hazards, parseItemsQuery(hazards, { datetime: '../2025-01-31T12:00:00Z' })).where).toBe('t.found_at <= $1::timestamptz::date');
  });
});

describe('bbox counts from cells', () => {
  it('coarse and finest cells lie wholly inside the box; the coarse cells sit in the finest ones\' hole', () => {
    const R = 20037508.342789244;
    for (const bbox of [[114.3, 30.54, 114.32, 30.56], [114.1, 30.3, 114.5, 30.7], [114.305, 30.545, 114.3061, 30.5462]] as [number, number, number, number][]) {
      const plan = cellPlan(bbox, 16)!;
      const [x0, y0] = mercator(bbox[0], bbox[1]);
      const [x1, y1] = mercator(bbox[2], bbox[3]);
      for (const r of [plan.coarse, plan.fine]) {
        if (r.x0 > r.x1) continue;
        expect(r.size).toBe(40075016.685578488 / 2 ** (r.z + 5));
        expect(r.x0 * r.size - R).toBeGreaterThan(x0);
        expect((r.x1 + 1) * r.size - R).toBeLessThan(x1);
        expect(R - r.y0 * r.size).toBeLessThan(y1);
        expect(R - (r.y1 + 1) * r.size).toBeGreaterThan(y0);
      }
      expect(plan.fine.z).toBe(16);
      expect((plan.coarse.x1 - plan.coarse.x0 + 1) * (plan.coarse.y1 - plan.coarse.y0 + 1)).toBeLessThanOrEqual(16_384);
      // The hole (coarse cells in finest units) lies within the finest cells: the ring never counts a cell twice.
      if (plan.hole.x0 <= plan.hole.x1) {
        expect(plan.hole.x0).toBeGreaterThanOrEqual(plan.fine.x0);
        expect(plan.hole.x1).toBeLessThanOrEqual(plan.fine.x1);
        expect(plan.hole.y0).toBeGreaterThanOrEqual(plan.fine.y0);
        expect(plan.hole.y1).toBeLessThanOrEqual(plan.fine.y1);
      }
    }
    expect(buildCellCountSql(cases, [114.3, 30.54, 114.32, 30.56], 2000)!.text).toMatch(/FROM case_cells WHERE z = \$\d+::int AND cx BETWEEN/);
  });

  it('no cells for a collection without them, or a box smaller than a cell', () => {
    expect(buildCellCountSql(cameras, [114.3, 30.54, 114.32, 30.56], 2000)).toBeNull();
    expect(buildCellCountSql(cases, [114.3, 30.54, 114.3000001, 30.5400001], 2000)).toBeNull();
  });
});

describe('prepared statements', () => {
  it('nearest: one text per set of layers and k, with k written in (so the generic plan is kept)', async () => {
    const { buildNearestSql } = await import('../../server/features/spatial.ts');
    const a = buildNearestSql([findCollection('manholes')!, cameras], 5);
    expect(buildNearestSql([cameras, findCollection('manholes')!], 5)).toBe(a);
    expect(a).toMatch(/LIMIT 15\) t, q/);
    expect(a).toMatch(/LIMIT 5\) r/);
    expect(() => buildNearestSql([cameras], 0)).toThrow();
  });

  it('at most MAX_PREPARED distinct texts get a name; the rest run unnamed', async () => {
    const { preparedName, MAX_PREPARED } = await import('../../server/features/spatial.ts');
    const names = Array.from({ length: MAX_PREPARED + 50 }, (_, i) => preparedName('t', `SELECT ${i}`));
    expect(names.filter(Boolean).length).toBeLessThanOrEqual(MAX_PREPARED);
    expect(names.at(-1)).toBeUndefined();
    expect(preparedName('t', 'SELECT 0')).toBe(names[0]);
  });
});

describe('bearing', () => {
  it('is degrees clockwise from north, null for the same point', async () => {
    const { bearing } = await import('../../server/features/spatial.ts');
    expect(bearing(114.3, 30.5, 114.3, 30.6)).toBeCloseTo(0, 6);
    expect(bearing(114.3, 30.5, 114.4, 30.5)).toBeCloseTo(89.97, 1);
    expect(bearing(114.3, 30.5, 114.3, 30.4)).toBeCloseTo(180, 6);
    expect(bearing(114.3, 30.5, 114.2, 30.5)).toBeCloseTo(270.03, 1);
    expect(bearing(114.3, 30.5, 114.3, 30.5)).toBeNull();
  });
});
