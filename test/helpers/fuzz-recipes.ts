// Valid requests for the operations whose parameters only make sense together: an items query whose
// CQL2 names the collection's own properties with values of their types (extremes included), a within
// query with either a polygon or a circle, reports at positions inside a unit grid. These reach the
// SQL behind the validation, where type and range mistakes turn into 500s.
import fc from 'fast-check';
import { COLLECTIONS, queryableNames, type CollectionDef, type PropertyDef } from '../../server/features/collections.ts';
import type { Operation } from './fuzz-schema.ts';
import type { World } from './fuzz-world.ts';
import { goodPolygon, importBody, latIn, lonIn, NASTY_STRINGS } from './fuzz-values.ts';

export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export function recipeFor(op: Operation, w: World): fc.Arbitrary<RequestParts> | undefined {
  const at = fc.tuple(fc.constantFrom(...w.points), fc.double({ min: -0.0005, max: 0.0005, noNaN: true })).map(([[x, y], d]) => [x + d, y - d]);
  const items = fc.constantFrom(...w.items);
  switch (`${op.method} ${op.path}`) {
    case 'GET /api/collections/{collectionId}/items':
      return fc.constantFrom(...COLLECTIONS).chain((c) => fc.record({
        path: fc.constant({ collectionId: c.id }),
        query: fc.record({
          limit: fc.integer({ min: 1, max: 20 }),
          bbox: fc.tuple(lonIn(), latIn(), fc.double({ min: 0.001, max: 0.05, noNaN: true })).map(([x, y, d]) => [x, y, x + d, y + d].join(',')),
          filter: typedCql(c),
          f: fc.constantFrom('json', 'geojson'),
          ...(c.datetime ? { datetime: fc.constantFrom('2020-01-01T00:00:00Z/..', '../2030-01-01T00:00:00Z', '2024-06-01', '0001-01-01T00:00:00Z/9999-12-31T23:59:59Z') } : {}),
        }, { requiredKeys: ['limit'] }),
      }));
    case 'POST /api/query/within':
      return fc.record({
        body: fc.record({
          layers: fc.uniqueArray(fc.constantFrom(...COLLECTIONS.map((c) => c.id)), { minLength: 1, maxLength: 4 }),
          limit: fc.integer({ min: 1, max: 50 }),
          crs: fc.constantFrom('wgs84', 'gcj02'),
          shape: fc.oneof(goodPolygon().map((geometry) => ({ geometry })),
            fc.tuple(at, fc.double({ min: 1, max: 2000, noNaN: true })).map(([[lon, lat], radius_m]) => ({ circle: { lon, lat, radius_m } }))),
        }, { requiredKeys: ['layers', 'shape'] }).map(({ shape, ...rest }) => ({ ...rest, ...shape })),
      });
    case 'POST /api/cases':
      return fc.record({ body: fc.tuple(items, at, fc.string({ maxLength: 50 }), fc.option(fc.uuid())).map(([item_code, [lon, lat], description, client_id]) => ({ item_code, lon, lat, description, ...(client_id ? { client_id } : {}) })) });
    case 'POST /open311/v2/requests.json': case 'POST /open311/v2/requests.xml':
      return fc.record({ body: fc.tuple(items, at, fc.constantFrom(...NASTY_STRINGS)).map(([service_code, [long, lat], description]) => ({ service_code, lat, long, description: description.slice(0, 4000), first_name: description.slice(0, 80) })) });
    case 'GET /api/query/nearest': case 'GET /api/grids/at': case 'GET /api/cameras/seeing':
      return fc.record({ query: fc.tuple(at, fc.uniqueArray(fc.constantFrom(...COLLECTIONS.map((c) => c.id)), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 50 }))
        .map(([[lon, lat], layers, k]) => ({ lon, lat, ...(op.path.endsWith('nearest') ? { layers: layers.join(','), k } : {}) })) });
    case 'GET /api/network/export':
      return fc.record({ query: fc.tuple(fc.constantFrom('geojson', 'csv', 'inp', 'geojson', 'csv', 'inp', 'geojson', 'gpkg'), fc.oneof(
        fc.tuple(fc.constantFrom(...w.manholes.map((id) => `manhole:${id}`), ...w.pipes.map((id) => `pipe:${id}`)), fc.constantFrom('upstream', 'downstream')).map(([from, direction]) => ({ from, direction })),
        fc.array(fc.constantFrom(...w.pipes), { minLength: 1, maxLength: 10 }).map((ids) => ({ ids: ids.join(',') })),
      )).map(([format, q]) => ({ format, ...q })) });
    case 'POST /api/imports':
      return fc.record({
        query: fc.record({ filename: fc.constantFrom('net.geojson', 'survey.json'), tolerance_m: fc.double({ min: 0, max: 50, noNaN: true }), crs: fc.constantFrom('EPSG:4326', 'gcj02', 'EPSG:4490') }, { requiredKeys: ['filename'] }),
        body: importBody().map((text) => ({ raw: { type: 'application/geo+json', text } })),
      });
    case 'GET /open311/v2/requests.json': case 'GET /open311/v2/requests.xml':
      return fc.record({ query: fc.record({
        window: fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 90 })).map(([endAgo, days]) => ({ end: endAgo * 86_400_000, days })),
        status: fc.constantFrom('open', 'closed'),
        service_code: items,
      }, { requiredKeys: [] }).map(({ window, ...q }) => ({
        ...q,
        ...(window ? { end_date: new Date(Date.now() - window.end).toISOString(), start_date: new Date(Date.now() - window.end - window.days * 86_400_000).toISOString() } : {}),
      })) });
    case 'GET /api/details/{layer}/{id}':
      return fc.oneof(
        fc.tuple(fc.constantFrom('pipes', 'manholes', 'hazards', 'misconnections', 'cameras', 'sensors', 'facilities', 'cases', 'vehicles', 'roads', 'water'), fc.integer({ min: 1, max: 300 }))
          .map(([layer, id]) => ({ path: { layer, id } })),
        fc.constantFrom(...w.grids.map((id) => ({ path: { layer: 'grids', id } })), ...w.communities.map((id) => ({ path: { layer: 'communities', id } })), ...w.streets.map((id) => ({ path: { layer: 'streets', id } }))),
      );
    default:
      return undefined;
  }
}

/** CQL2 over `c`'s queryables: the right kind of literal for each property, its extremes included. */
function typedCql(c: CollectionDef): fc.Arbitrary<string> {
  const names = queryableNames(c).filter((n) => c.properties[n]);
  if (!names.length) return fc.constant('TRUE');
  const predicate = fc.constantFrom(...names).chain((name) => {
    const p = c.properties[name];
    const v = literalOf(p);
    const ops = p.type === 'string' ? ['=', '<>', '<', '>=', 'LIKE', 'NOT LIKE'] : ['=', '<>', '<', '<=', '>', '>='];
    return fc.oneof(
      fc.tuple(fc.constantFrom(...ops), v).map(([o, x]) => `${name} ${o} ${x}`),
      fc.tuple(v, v).map(([a, b]) => `${name} BETWEEN ${a} AND ${b}`),
      fc.array(v, { minLength: 1, maxLength: 5 }).map((xs) => `${name} IN (${xs.join(', ')})`),
      fc.constantFrom(`${name} IS NULL`, `${name} IS NOT NULL`),
    );
  });
  const spatial = fc.tuple(fc.constantFrom('S_INTERSECTS', 'S_WITHIN', 'S_CONTAINS', 'S_DISJOINT', 'S_TOUCHES', 'S_CROSSES', 'S_OVERLAPS', 'S_EQUALS'),
    fc.constantFrom('BBOX(114.3,30.5,114.35,30.55)', 'POINT(114.32 30.55)', 'POLYGON((114.3 30.5,114.35 30.5,114.35 30.55,114.3 30.55,114.3 30.5))',
      'POLYGON((114.3 30.5,114.35 30.55,114.35 30.5,114.3 30.55,114.3 30.5))', 'LINESTRING(114.3 30.5,114.4 30.6)', 'POINT(200 95)', 'BBOX(-180,-90,180,90)',
      'MULTIPOLYGON(((114.3 30.5,114.35 30.5,114.35 30.55,114.3 30.5)),((114.3 30.5,114.35 30.5,114.35 30.55,114.3 30.5)))'))
    .map(([f, g]) => `${f}(geometry, ${g})`);
  const term = fc.oneof({ weight: 4, arbitrary: predicate }, { weight: 1, arbitrary: spatial });
  return fc.array(fc.tuple(term, fc.constantFrom('AND', 'OR', 'AND NOT')), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.map(([t, j], i) => (i ? `${j} ${t}` : t)).join(' '));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function literalOf(p: PropertyDef): fc.Arbitrary<string> {
  switch (p.type) {
    case 'integer': case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 5000 }).map(String), fc.constantFrom('2147483648', '-2147483649', '9223372036854775808', '9999999999999999999', '1e308', '-1e308', '0.5', '1e-320', '-0'));
    case 'boolean': return fc.constantFrom('TRUE', 'FALSE');
    case 'date': return fc.constantFrom("DATE('2024-01-31')", "DATE('0001-01-01')", "DATE('9999-12-31')", "DATE('2024-02-30')", "DATE('-4713-01-01')", "'2024-01-01'");
    case 'date-time': return fc.constantFrom("TIMESTAMP('2024-01-31T08:00:00Z')", "TIMESTAMP('0001-01-01T00:00:00Z')", "TIMESTAMP('9999-12-31T23:59:59.999999Z')", "TIMESTAMP('2024-01-31T08:00:00+14:00')", "DATE('2024-01-31')", "'294277-01-01T00:00:00Z'");
    default:
      return fc.oneof(fc.constantFrom(...(p.enum ?? ['x'])).map(quote), fc.constantFrom(...NASTY_STRINGS).map(quote), fc.constantFrom("'%'", "'\\%'", "'_%_'", "'%\\'"));
  }
}
