// The hostile values the fuzzer mixes into requests: numbers past every limit, strings that break
// parsers, encodings and SQL, URL fragments that are not valid UTF-8, and broken GeoJSON.
import fc from 'fast-check';

/** Numbers (as JSON values) that overflow, underflow or are not numbers at all. */
export const NASTY_NUMBERS: unknown[] = [
  // eslint-disable-next-line no-loss-of-precision -- a literal no double holds is one of the nasty numbers
  1e308, -1e308, 2 ** 63, -(2 ** 63), 2 ** 31, 2 ** 53 + 2, 9999999999999999999, 5e-324, -0, 0, -1, 0.5, 1e21,
];

/** The same and more as they would be typed into a URL: not all of these are numbers. */
export const NASTY_NUMBER_TEXT = [
  '1e308', '-1e308', '1e309', '9223372036854775808', '9999999999999999999', '-9223372036854775809', 'NaN', 'Infinity',
  '-Infinity', '-0', '0x1F', '1_000', '٣', '１２', ' 7 ', '7.', '.5', '1e-400', '00000000000000000001', '2147483648', '-1',
];

/** Strings that have broken parsers, encoders, loggers and SQL somewhere. */
export const NASTY_STRINGS = [
  '', ' ', '\t\n', 'null', 'undefined', 'true', '[]', '{}', '0', '-', ',', ',,', '..', '../../etc/passwd',
  "' OR 1=1 --", '1; DROP TABLE cases', "'; SELECT pg_sleep(5); --", '" OR ""="', '%27', '%', '%%', '\\', '\\x00',
  '$1', '$$', "E'\\\\'", '*', '?', '#', '&', '=', ';', '<script>alert(1)</script>', '{{7*7}}', '${7*7}',
  '😀', '👨‍👩‍👧‍👦', '\u202Egnp.exe', 'مرحبا', 'e\u0301\u0302\u0303\u0304', '\u0000', 'a\u0000b', '\uD800', '\uDFFF',
  '\uFEFF', '\u2028', '武昌区', 'Ω≈ç√∫', 'a'.repeat(300), 'é'.repeat(2000),
];

/**
 * Raw, already percent-encoded URL fragments: invalid UTF-8 (lone surrogates, overlong forms, cut
 * sequences), broken escapes and encoded separators. They go into paths and query strings as they are.
 */
export const RAW_URL_FRAGMENTS = [
  '%ED%A0%80', '%ED%BF%BF', '%C0%AF', '%FF%FE', '%E4%B8', '%00', '%', '%zz', '%2', '%2F', '%2F..%2F..', '%5C',
  '%0D%0AX-Injected:%201', '%25', '%3F', '%23', '..', '.', '%2e%2e', '+', '%20', '%F0%9F%98%80', '%E2%80%AE',
];

/** A string arbitrary: mostly hostile constants, sometimes random unicode (of any length up to 'long'). */
export function nastyString(long = 3000): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_NUMBER_TEXT) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('x', '9', '😀', "'").map((c) => c.repeat(long)) },
  );
}

/** Percent-encodes a string for a URL; lone surrogates become their (invalid) UTF-8 bytes, not U+FFFD. */
export function encodeUrlPart(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const paired = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (c >= 0xd800 && c <= 0xdfff && !paired) {
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    } else if (paired) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else {
      out += encodeURIComponent(s[i]);
    }
  }
  return out;
}

/** An already-encoded hostile URL value: a hostile string, a hostile number, or a raw fragment. */
export function nastyUrlValue(long = 300): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: nastyString(long).map(encodeUrlPart) },
    { weight: 3, arbitrary: fc.constantFrom(...RAW_URL_FRAGMENTS) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('1', 'a', '114.3'), fc.constantFrom(...RAW_URL_FRAGMENTS)).map(([a, b]) => a + b) },
  );
}

/** Any JSON value that is not what a field expects: wrong types, hostile numbers and strings, deep nesting. */
export function nastyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
    { weight: 3, arbitrary: nastyString(20000) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[[]]], { '': '' }, JSON.parse('{"__proto__":{"admin":true}}'), JSON.parse('{"constructor":{"prototype":{"x":1}}}')) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((d) => deep(d)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

// ---------------------------------------------------------------------------------------------------
// Geometry

/** Around the district (≈114.30–114.37 E, 30.50–30.60 N), where the seeded data is. */
export const lonIn = () => fc.double({ min: 114.28, max: 114.39, noNaN: true });
export const latIn = () => fc.double({ min: 30.48, max: 30.62, noNaN: true });

const box = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];

/** A small valid polygon inside the district. */
export function goodPolygon(): fc.Arbitrary<object> {
  return fc.tuple(lonIn(), latIn(), fc.double({ min: 0.0005, max: 0.02, noNaN: true })).map(([x, y, d]) => ({ type: 'Polygon', coordinates: [box(x, y, x + d, y + d)] }));
}

/** GeoJSON geometries that are broken in every way a client can break them. */
export function brokenGeometry(): fc.Arbitrary<unknown> {
  const x = 114.32;
  const y = 30.55;
  const bowTie = [[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]];
  return fc.oneof(
    fc.constantFrom<unknown>(
      { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01]]] }, // unclosed ring
      { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x, y]]] }, // too few positions
      { type: 'Polygon', coordinates: [[[x, y]]] },
      { type: 'Polygon', coordinates: [[]] },
      { type: 'Polygon', coordinates: [] },
      { type: 'Polygon', coordinates: [bowTie] }, // self-intersecting
      { type: 'MultiPolygon', coordinates: [[bowTie], [box(x, y, x + 0.02, y + 0.02)]] },
      { type: 'MultiPolygon', coordinates: [[box(x, y, x + 0.02, y + 0.02)], [box(x + 0.01, y + 0.01, x + 0.03, y + 0.03)]] }, // overlapping parts
      { type: 'Polygon', coordinates: [box(200, 95, 201, 96)] }, // out of range
      { type: 'Polygon', coordinates: [box(-180, -90, 180, 90)] }, // the whole world
      { type: 'Polygon', coordinates: [box(179.9, 30, -179.9, 31)] }, // across the antimeridian
      { type: 'Polygon', coordinates: [box(x, y, x, y)] }, // zero area
      { type: 'Polygon', coordinates: [[[x, y, 1, 2, 3], [x + 0.01, y], [x, y + 0.01], [x, y, 9]]] },
      { type: 'Polygon', coordinates: [[[x, 'y'], [x + 0.01, y], [x, y + 0.01], [x, 'y']]] },
      { type: 'Polygon', coordinates: [[[x, null], [x + 0.01, y], [x, y + 0.01], [x, null]]] },
      { type: 'Polygon', coordinates: [[[1e308, 1e308], [-1e308, 1e308], [0, -1e308], [1e308, 1e308]]] },
      { type: 'Polygon', coordinates: [[[x, y], [x + 1e-12, y], [x, y + 1e-12], [x, y]]] },
      { type: 'Polygon', coordinates: [box(x, y, x + 0.02, y + 0.02), box(x + 0.05, y + 0.05, x + 0.06, y + 0.06)] }, // hole outside the shell
      { type: 'Polygon', coordinates: 'POLYGON((1 1, 2 2, 3 3, 1 1))' },
      { type: 'Polygon', coordinates: { 0: [[x, y]] } },
      { type: 'Polygon' },
      { type: 'polygon', coordinates: [box(x, y, x + 0.01, y + 0.01)] }, // wrong case
      { type: 'Poligon', coordinates: [box(x, y, x + 0.01, y + 0.01)] },
      { type: 'Point', coordinates: [x, y] },
      { type: 'Point', coordinates: [] },
      { type: 'LineString', coordinates: [[x, y]] },
      { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [box(x, y, x + 0.01, y + 0.01)] }] },
      { type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [] }] },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [box(x, y, x + 0.01, y + 0.01)] }, properties: {} },
      { type: 'FeatureCollection', features: [] },
      { type: 'Polygon', coordinates: [box(x, y, x + 0.01, y + 0.01)], crs: { type: 'name', properties: { name: 'EPSG:3857' } } },
      { type: null, coordinates: null },
      { type: ['Polygon'], coordinates: [[]] },
      { coordinates: [box(x, y, x + 0.01, y + 0.01)] },
    ),
    // Many vertices, or deep nonsense.
    fc.integer({ min: 3, max: 30000 }).map((n) => ({ type: 'Polygon', coordinates: [ring(x, y, n)] })),
    fc.integer({ min: 1, max: 60 }).map((d) => ({ type: 'Polygon', coordinates: deep(d) })),
    fc.jsonValue({ maxDepth: 4 }).map((c) => ({ type: 'MultiPolygon', coordinates: c })),
  );
}

function ring(x: number, y: number, n: number): number[][] {
  const pts = Array.from({ length: n }, (_, i) => [x + 0.01 * Math.cos((2 * Math.PI * i) / n), y + 0.01 * Math.sin((2 * Math.PI * i) / n)]);
  return [...pts, pts[0]];
}

/** Import files (the raw body of POST /api/imports): GeoJSON that is broken, SWMM stubs, wrong magic. */
export function importBody(): fc.Arbitrary<string> {
  const fc1 = (geometry: unknown, properties: unknown = { diameter_mm: 300 }) => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry, properties }] });
  return fc.oneof(
    brokenGeometry().map((g) => fc1(g)),
    fc.constantFrom(
      fc1({ type: 'LineString', coordinates: [[114.31, 30.55], [114.311, 30.551]] }, { diameter_mm: 'NaN', usage: '\u0000', from_node: "' OR 1=1 --" }),
      fc1({ type: 'LineString', coordinates: [[114.31, 30.55], [114.31, 30.55]] }),
      fc1({ type: 'LineString', coordinates: [[200, 95], [201, 96]] }),
      fc1({ type: 'LineString', coordinates: [[1e308, 1e308], [-1e308, 0]] }),
      fc1({ type: 'LineString', coordinates: [[114.31, 30.55], [114.311, 30.551]] }, { diameter_mm: 1e308, up_invert_m: -1e308, code: 'a'.repeat(5000) }),
      JSON.stringify({ type: 'FeatureCollection', features: null }),
      JSON.stringify({ type: 'FeatureCollection', features: [null, 1, 'x'] }),
      '{"type":"FeatureCollection","features":[',
      '{',
      '{"type":"FeatureCollection"}',
      '[SECTION]\n',
      '[JUNCTIONS]\nJ1 1e308 NaN\n[CONDUITS]\nC1 J1 J2 -1\n[COORDINATES]\nJ1 200 95\n',
      '[TITLE]\n\u0000\uD800',
      'PK\u0003\u0004garbage',
      'SQLite format 3\u0000garbage',
    ),
  );
}
