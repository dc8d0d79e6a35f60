// CQL2 text: the tokenizer and parser accept the subset we claim and refuse the rest with a 400 that
// names what is unsupported; compiled SQL only ever holds whitelisted columns and placeholders.
import { describe, expect, it } from 'vitest';
import { findCollection } from '../../server/features/collections.ts';
import { compileFilter } from '../../server/features/cql2-sql.ts';
import { CqlError, parseCql2, tokenize } from '../../server/features/cql2.ts';
import { Params } from '../../server/features/sql.ts';

const cases = findCollection('cases')!;
const pipes = findCollection('pipes')!;

function sql(filter: string, c = pipes) {
  const params = new Params();
  const out = compileFilter(parseCql2(filter), c, params);
  return { sql: out.sql, values: params.values, polygons: out.polygons };
}

function rejects(filter: string, message: RegExp, c = pipes) {
  let err: unknown;
  try {
    sql(filter, c);
  } catch (e) {
    err = e;
  }
  expect(err, filter).toBeInstanceOf(CqlError);
  expect((err as CqlError).statusCode).toBe(400);
  expect((err as Error).message).toMatch(message);
}

describe('tokenizer', () => {
  it('reads strings with doubled quotes, quoted names, signed numbers and two-character operators', () => {
    const t = tokenize(`"road name" <> 'O''Brien' AND x >= -1.5e2`);
    expect(t.map((x) => [x.type, x.text])).toEqual([
      ['qident', 'road name'], ['op', '<>'], ['string', "O'Brien"], ['ident', 'AND'], ['ident', 'x'], ['op', '>='], ['number', '-1.5e2'], ['eof', ''],
    ]);
  });

  it('reports an unterminated string with its position', () => {
    expect(() => tokenize(`code = 'abc`)).toThrow(/unterminated string starting \(at character 8\)/);
  });

  it('refuses characters outside the language', () => {
    expect(() => tokenize('code = ;')).toThrow(/unexpected character ";"/);
  });
});

describe('parser: the supported subset', () => {
  it('builds an AST with AND binding tighter than OR, NOT and parentheses', () => {
    expect(parseCql2(`a = 1 OR b = 2 AND NOT (c = 3)`)).toEqual({
      op: 'or',
      args: [
        { op: 'cmp', cmp: '=', left: { kind: 'property', name: 'a', pos: 0 }, right: { kind: 'number', value: 1, pos: 4 } },
        {
          op: 'and',
          args: [
            { op: 'cmp', cmp: '=', left: { kind: 'property', name: 'b', pos: 9 }, right: { kind: 'number', value: 2, pos: 13 } },
            { op: 'not', arg: { op: 'cmp', cmp: '=', left: { kind: 'property', name: 'c', pos: 24 }, right: { kind: 'number', value: 3, pos: 28 } } },
          ],
        },
      ],
    });
  });

  it.each([
    [`usage = 'rain'`, `(t.usage = $1::text)`, ['rain']],
    [`diameter_mm <> 300`, `(t.diameter_mm <> $1::bigint)`, [300]],
    [`length_m < 10.5`, `(t.length_m < $1::float8)`, [10.5]],
    [`300 <= diameter_mm`, `(t.diameter_mm >= $1::bigint)`, [300]],
    [`code LIKE 'WC-YG-%'`, `(t.code LIKE $1::text)`, ['WC-YG-%']],
    [`code NOT LIKE '%9'`, `(t.code NOT LIKE $1::text)`, ['%9']],
    [`usage IN ('rain', 'combined')`, `(t.usage = ANY($1::text[]))`, [['rain', 'combined']]],
    [`diameter_mm NOT IN (300, 400)`, `(NOT t.diameter_mm = ANY($1::bigint[]))`, [[300, 400]]],
    [`diameter_mm BETWEEN 300 AND 600`, `(t.diameter_mm BETWEEN $1::bigint AND $2::bigint)`, [300, 600]],
    [`sgrade IS NULL`, `(t.sgrade IS NULL)`, []],
    [`sgrade IS NOT NULL`, `(t.sgrade IS NOT NULL)`, []],
    [`synthetic = TRUE`, `(t.synthetic = $1::boolean)`, [true]],
    [`up_invert_m > down_invert_m`, `(t.up_invert_m > t.down_invert_m)`, []],
    [`TRUE`, `TRUE`, []],
    [`NOT (usage = 'rain' OR usage = 'sewage') AND diameter_mm >= 800`,
      `((NOT ((t.usage = $1::text) OR (t.usage = $2::text))) AND (t.diameter_mm >= $3::bigint))`, ['rain', 'sewage', 800]],
  ])('%s', (filter, expected, values) => {
    const out = sql(filter);
    expect(out.sql).toBe(expected);
    expect(out.values).toEqual(values);
  });

  it('keywords are case-insensitive', () => {
    expect(sql(`usage in ('rain') and not diameter_mm between 1 and 2 or sgrade is null`).sql)
      .toBe(`(((t.usage = ANY($1::text[])) AND (NOT (t.diameter_mm BETWEEN $2::bigint AND $3::bigint))) OR (t.sgrade IS NULL))`);
  });

  it('times: TIMESTAMP(), DATE() and RFC 3339 strings, cast for the column', () => {
    expect(sql(`reported_at >= TIMESTAMP('2025-01-01T00:00:00Z') AND reported_at < DATE('2025-02-01')`, cases)).toEqual({
      sql: `((t.reported_at >= $1::timestamptz) AND (t.reported_at < $2::date))`,
      values: ['2025-01-01T00:00:00Z', '2025-02-01'],
      polygons: [],
    });
    expect(sql(`reported_at BETWEEN '2025-01-01' AND '2025-01-31T23:59:59+08:00'`, cases).values).toEqual(['2025-01-01', '2025-01-31T23:59:59+08:00']);
  });

  it('char(n) codes are compared as bpchar so their indexes are used', () => {
    expect(sql(`grid_code = '420106002013001'`, cases).sql).toBe(`(t.grid_code = $1::bpchar)`);
  });

  it('S_INTERSECTS with every supported geometry literal; WKT is re-printed by us, never passed through', () => {
    const geoms: [string, string][] = [
      ['POINT (114.31  30.55)', 'POINT(114.31 30.55)'],
      ['LINESTRING(114.30 30.54,114.32 30.56)', 'LINESTRING(114.3 30.54, 114.32 30.56)'],
      ['polygon((114.30 30.54, 114.32 30.54, 114.32 30.56, 114.30 30.54))', 'POLYGON((114.3 30.54, 114.32 30.54, 114.32 30.56, 114.3 30.54))'],
      ['MULTIPOLYGON(((114.30 30.54, 114.32 30.54, 114.32 30.56, 114.30 30.54)), ((114.40 30.54, 114.42 30.54, 114.42 30.56, 114.40 30.54)))',
        'MULTIPOLYGON(((114.3 30.54, 114.32 30.54, 114.32 30.56, 114.3 30.54)), ((114.4 30.54, 114.42 30.54, 114.42 30.56, 114.4 30.54)))'],
      ['MULTIPOINT((114.31 30.55), (114.32 30.56))', 'MULTIPOINT((114.31 30.55), (114.32 30.56))'],
      ['MULTIPOINT(114.31 30.55, 114.32 30.56)', 'MULTIPOINT((114.31 30.55), (114.32 30.56))'],
      ['MULTILINESTRING((114.30 30.54, 114.32 30.56), (114.1 30.1, 114.2 30.2))', 'MULTILINESTRING((114.3 30.54, 114.32 30.56), (114.1 30.1, 114.2 30.2))'],
      ['POINT(-70.5 -33.25)', 'POINT(-70.5 -33.25)'],
    ];
    for (const [input, wkt] of geoms) {
      const out = sql(`S_INTERSECTS(geometry, ${input})`);
      expect(out.sql).toBe('ST_Intersects(t.geom, ST_GeomFromText($1::text, 4326))');
      expect(out.values).toEqual([wkt]);
    }
    expect(sql('S_INTERSECTS(geometry, POLYGON((114.30 30.54, 114.32 30.54, 114.32 30.56, 114.30 30.54)))').polygons).toHaveLength(1);
  });

  it('BBOX and ENVELOPE are west, south, east, north', () => {
    for (const kw of ['BBOX', 'ENVELOPE']) {
      expect(sql(`S_INTERSECTS(geom, ${kw}(114.30, 30.54, 114.32, 30.56))`)).toEqual({
        sql: 'ST_Intersects(t.geom, ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326))',
        values: [114.3, 30.54, 114.32, 30.56],
        polygons: [],
      });
    }
  });

  it('the other spatial functions map to PostGIS and keep their argument order', () => {
    expect(sql(`S_WITHIN(geometry, BBOX(114, 30, 115, 31))`).sql).toMatch(/^ST_Within\(t\.geom, ST_MakeEnvelope/);
    expect(sql(`S_CONTAINS(POINT(114.3 30.5), geometry)`).sql).toMatch(/^ST_Contains\(ST_GeomFromText\(\$1::text, 4326\), t\.geom\)$/);
    expect(sql(`S_DISJOINT(geometry, POINT(114.3 30.5))`).sql).toMatch(/^ST_Disjoint/);
  });
});

describe('parser: what is refused, and how', () => {
  it.each([
    [`diameter_mm + 1 > 2`, /arithmetic \(\+\) is not supported/],
    [`diameter_mm > 2 * 3`, /arithmetic \(\*\) is not supported/],
    [`T_AFTER(reported_at, TIMESTAMP('2025-01-01T00:00:00Z'))`, /temporal operator T_AFTER is not supported/],
    [`A_CONTAINS(tags, ('a'))`, /array operator A_CONTAINS is not supported/],
    [`CASEI(road_name) = 'x'`, /function CASEI .* is not supported/],
    [`upper(code) = 'X'`, /function upper is not supported/],
    [`S_RELATE(geometry, POINT(1 2))`, /spatial function S_RELATE is not supported/],
    [`S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 2)))`, /GEOMETRYCOLLECTION is not supported/],
    [`S_INTERSECTS(geometry, POINT Z(1 2 3))`, /only 2D coordinates/],
    [`S_INTERSECTS(geometry, POINT(1 2 3))`, /only 2D coordinates/],
    [`S_INTERSECTS(geometry, POINT EMPTY)`, /POINT EMPTY is not supported/],
    [`S_INTERSECTS(geometry, CIRCLE(1 2))`, /CIRCLE\(…\) is not a supported geometry/],
    [`S_INTERSECTS(geometry, POLYGON((1 2, 3 4, 5 6, 1 3)))`, /a ring must end where it starts/],
    [`S_INTERSECTS(geometry, POINT(30.5 114.3))`, /look swapped/],
    [`S_INTERSECTS(geometry, BBOX(114.3, 114.4, 30.6, 30.5))`, /look swapped|latitude/],
    [`S_INTERSECTS(geometry, POINT(1 2), POINT(3 4))`, /expected "\)" closing S_INTERSECTS/],
    [`S_INTERSECTS(POINT(1 2), POINT(3 4))`, /needs the geometry property and one geometry literal/],
    [`S_INTERSECTS(usage, POINT(1 2))`, /"usage" is not the geometry/],
    [`geometry = 'x'`, /the geometry can only be used in a spatial function/],
    [`nosuch = 1`, /unknown property "nosuch" in collection pipes; queryables: code, /],
    [`diameter_mm = '300'`, /diameter_mm is a number; write the value without quotes/],
    [`usage = rain`, /unknown property "rain"/],
    [`usage = 5`, /usage is text; quote the value/],
    [`synthetic = 'true'`, /synthetic is true or false/],
    [`diameter_mm LIKE '3%'`, /LIKE needs a text property/],
    [`usage BETWEEN 'a' AND 'b'`, /BETWEEN needs a number or time property/],
    [`usage != 'rain'`, /"!=" is not CQL2; use <>/],
    [`usage = NULL`, /NULL can only be tested with IS NULL/],
    [`usage IS 'rain'`, /expected NULL after IS/],
    [`1 = 1`, /a comparison needs a property on at least one side/],
    [`usage`, /expected a comparison .* after usage, found the end of the filter/],
    [`(usage = 'rain'`, /expected "\)" closing the parenthesis/],
    [`usage = 'rain')`, /expected AND, OR or the end of the filter/],
    [`usage = 'rain' AND`, /expected a property name or a value, found the end of the filter/],
    [``, /the filter is empty/],
    [`usage IN ()`, /expected a property name or a value/],
    [`diameter_mm BETWEEN 1 OR 2`, /expected AND in BETWEEN/],
    [`(`.repeat(100) + `usage = 'rain'` + `)`.repeat(100), /nested deeper than 64 levels/],
  ])('%s', (filter, message) => rejects(filter, message));

  it('times that are not RFC 3339 are refused before PostgreSQL sees them', () => {
    rejects(`reported_at > '2025-13-01'`, /is not an RFC 3339 time or date/, cases);
    rejects(`reported_at > DATE('2025-02-30')`, /is not a date YYYY-MM-DD/, cases);
    rejects(`reported_at > TIMESTAMP('2025-01-01')`, /is not an RFC 3339 time such as/, cases);
    rejects(`reported_at > 5`, /reported_at is a date-time; compare it with TIMESTAMP/, cases);
  });

  it('a property that is not queryable cannot be filtered on', () => {
    rejects(`stream_url = 'x'`, /unknown property "stream_url"/, findCollection('cameras')!);
  });
});

describe('injection-looking input stays data', () => {
  it.each([
    `usage = 'rain''; DROP TABLE pipes; --'`,
    `code LIKE '%'' OR 1=1 --'`,
    `road_name IN ('a''), (SELECT 1', 'b')`,
  ])('%s', (filter) => {
    const out = sql(filter);
    expect(out.sql).not.toMatch(/DROP|SELECT|OR 1=1|--/);
    expect(out.sql).toMatch(/^\(t\.\w+ (=|LIKE|= ANY)/);
    expect(JSON.stringify(out.values)).toMatch(/DROP TABLE pipes|OR 1=1|SELECT 1/);
  });

  it('names are never interpolated: a quoted name that is SQL is just an unknown property', () => {
    rejects(`"usage = usage OR TRUE" = 'x'`, /unknown property "usage = usage OR TRUE"/);
    rejects(`"t.code; DROP TABLE pipes" = 'x'`, /unknown property/);
  });

  it('numbers reach SQL as bound parameters, even enormous ones', () => {
    expect(sql(`diameter_mm > 1e308`).values).toEqual([1e308]);
    rejects(`diameter_mm > 1e999`, /out of range/);
  });
});
