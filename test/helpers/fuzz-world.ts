// Realistic values for the fuzzer, read from the test database: ids and codes that exist, coordinates in
// the district, CQL2 over real property names. Valid-looking requests get past "not found" into the
// code behind it; the hostile values are mixed in by the request builder.
import fc from 'fast-check';
import type pg from 'pg';
import { COLLECTIONS } from '../../server/features/collections.ts';
import type { Hints, Operation, Schema } from './fuzz-schema.ts';
import { latIn, lonIn, nastyString } from './fuzz-values.ts';

export interface World {
  streets: string[];
  communities: string[];
  grids: string[];
  items: string[];
  caseIds: number[];
  caseNos: string[];
  manholes: number[];
  pipes: number[];
  cameras: number[];
  datastreams: number[];
  vehicles: number[];
  imports: number[];
  users: number[];
  tileLayers: string[];
  /** Points inside unit grids (where a case can be reported). */
  points: [number, number][];
  /** The fuzzing admin: never patched (that would end its session mid-run). */
  adminId: number;
}

export async function loadWorld(db: pg.Client, tileLayers: string[], adminId: number): Promise<World> {
  const col = async <T>(sql: string) => (await db.query(sql)).rows.map((r) => Object.values(r)[0] as T);
  return {
    streets: await col('SELECT code FROM streets ORDER BY code LIMIT 20'),
    communities: await col('SELECT code FROM communities ORDER BY code LIMIT 40'),
    grids: await col('SELECT code FROM grids ORDER BY code LIMIT 40'),
    items: await col('SELECT code FROM case_items ORDER BY code'),
    caseIds: (await col<string>('SELECT id FROM cases ORDER BY id DESC LIMIT 60')).map(Number),
    caseNos: await col('SELECT case_no FROM cases ORDER BY id DESC LIMIT 30'),
    manholes: (await col<string>('SELECT id FROM manholes ORDER BY id LIMIT 40')).map(Number),
    pipes: (await col<string>('SELECT id FROM pipes ORDER BY id LIMIT 40')).map(Number),
    cameras: (await col<string>('SELECT id FROM cameras ORDER BY id LIMIT 20')).map(Number),
    datastreams: (await col<string>('SELECT id FROM datastreams ORDER BY id LIMIT 20')).map(Number),
    vehicles: (await col<string>('SELECT id FROM vehicles ORDER BY id LIMIT 20')).map(Number),
    imports: (await col<string>('SELECT id FROM imports ORDER BY id LIMIT 10')).map(Number),
    users: (await col<string>('SELECT id FROM users ORDER BY id LIMIT 10')).map(Number).filter((id) => id !== adminId),
    tileLayers,
    points: (await db.query('SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 60) g')).rows.map((r) => [r.x, r.y]),
    adminId,
  };
}

const pick = <T>(xs: T[], fallback: T) => fc.constantFrom(...(xs.length ? xs : [fallback]));
const COLLECTION_IDS = COLLECTIONS.map((c) => c.id);

/** Hints for one operation: a realistic value for a parameter or property name, or undefined. */
export function hintsFor(op: Operation, w: World): Hints {
  const on = (...parts: string[]) => parts.some((p) => op.path.includes(p));
  return (name: string, schema: Schema) => {
    switch (name) {
      case 'lon': case 'long': return lonIn();
      case 'lat': return latIn();
      case 'radius_m': return fc.double({ min: 1, max: 3000, noNaN: true });
      case 'collectionId': return fc.constantFrom(...COLLECTION_IDS);
      case 'featureId': return fc.oneof(fc.integer({ min: 1, max: 3000 }).map(String), pick(w.grids, '1'), pick(w.streets, '1'));
      case 'layer': return fc.constantFrom(...COLLECTION_IDS);
      case 'layers': {
        const list = fc.uniqueArray(fc.constantFrom(...COLLECTION_IDS), { minLength: 1, maxLength: 4 });
        return schema.type === 'array' ? list : list.map((l) => l.join(','));
      }
      case 'k': return fc.integer({ min: 1, max: 50 });
      // Small pages mostly (big ones are slow, not interesting), the schema's maximum now and then.
      case 'limit': return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: schema.minimum ?? 1, max: Math.min(schema.maximum ?? 20, 20) }) }, { weight: 1, arbitrary: fc.constant(schema.maximum ?? 1000) });
      case 'offset': return fc.integer({ min: 0, max: 50 });
      case 'password': return fc.constantFrom('a-long-password-1', 'pässwört-长密码-2024', `${'x'.repeat(190)}-long`);
      case 't': return recentTime();
      case 'start_date': case 'end_date': return undefined;
      case 'bbox': return bbox();
      case 'datetime': return datetime();
      case 'filter': return cql2(op.path);
      case 'street': return pick(w.streets, '420106001');
      case 'community': return pick(w.communities, '420106001001');
      case 'grid': return pick(w.grids, '420106001001001');
      case 'within': return fc.oneof(pick(w.streets, '420106001'), pick(w.communities, '420106001001'), fc.constant('420106'));
      case 'grids': return fc.array(fc.oneof(pick(w.grids, '420106001001001'), pick(w.streets, '420106001')), { maxLength: 3 });
      case 'item': case 'item_code': case 'service_code': return pick(w.items, 'C0101');
      case 'code': return on('/open311/') ? pick(w.items, 'C0101') : undefined;
      case 'from':
        if (on('/api/trace', '/api/network')) return fc.oneof(pick(w.manholes, 1).map((id) => `manhole:${id}`), pick(w.pipes, 1).map((id) => `pipe:${id}`));
        return recentTime();
      case 'to': return recentTime();
      case 'ids':
        return schema.type === 'array' ? fc.array(pick(w.pipes, 1), { minLength: 1, maxLength: 20 }) : fc.array(pick(w.pipes, 1), { minLength: 1, maxLength: 20 }).map((a) => a.join(','));
      case 'datastream_id': return pick(w.datastreams, 1);
      case 'vehicle_id': return pick(w.vehicles, 1);
      case 'camera_id': return pick(w.cameras, 1);
      case 'q': return fc.oneof(fc.constantFrom('武昌', '中山路', 'WC-', '4201', '积水', 'manhole'), pick(w.caseNos, 'x'));
      case 'id':
        if (on('/open311/')) return pick(w.caseNos, 'X1');
        if (on('/api/cases/')) return pick(w.caseIds, 1);
        if (on('/api/users/')) return pick(w.users, w.adminId + 1);
        if (on('/api/imports/{id}')) return pick(w.imports, 1);
        // Whole layers: the small ones (the 200,000 cases take longer than an answer may here; their download
        // has its own test), an unknown name now and then.
        if (on('/api/data/layers/')) return fc.constantFrom('district', 'streets', 'communities', 'facilities', 'vehicles', 'labels', 'nothing');
        return undefined;
      case 'service_request_id': return fc.array(pick(w.caseNos, 'X1'), { minLength: 1, maxLength: 3 }).map((a) => a.join(','));
      case 'photos': return fc.constant([]);
      case 'cursor': return fc.oneof(fc.base64String({ maxLength: 40 }), fc.constantFrom('eyJrIjoxfQ', 'MTIz', '____', '=='));
      case 'filename': return fc.constantFrom('net.geojson', 'survey.json', 'net.inp', 'shp.zip', 'net.gpkg', 'NET.GEOJSON', '../../etc/passwd.json', '.geojson');
      // GeoPackages take an ogr2ogr run each (about a second on a busy machine): one export in eight.
      case 'format':
        if (on('/api/network/export')) return fc.constantFrom('geojson', 'csv', 'inp', 'geojson', 'csv', 'inp', 'geojson', 'gpkg');
        // GeoPackage and XLSX take an ogr2ogr run each.
        if (on('/api/data/layers/')) return fc.constantFrom('geojson', 'csv', 'geojson', 'csv', 'geojson', 'csv', 'gpkg', 'xlsx');
        return undefined;
      case 'f': return fc.constantFrom('json', 'geojson');
      default: return undefined;
    }
  };
}

/** Path parameters that only make sense together: tiles (layer, z, x, y.mvt), layer TileJSON files. */
export function pathHints(op: Operation, w: World): fc.Arbitrary<Record<string, unknown>> | undefined {
  if (op.path === '/tiles/{layer}/{z}/{x}/{file}') {
    const zoom = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 18 }) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 32 }) });
    const fraction = fc.oneof({ weight: 6, arbitrary: fc.double({ min: 0, max: 0.999, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: -0.1, max: 1.1, noNaN: true }) });
    return fc.tuple(fc.constantFrom(...w.tileLayers), zoom, fraction, fraction, fc.constantFrom('mvt', 'mvt', 'mvt', 'mvt', 'pbf', ''))
      .map(([layer, z, fx, fy, ext]) => {
        const n = 2 ** Math.max(0, Math.min(z, 30));
        return { layer, z, x: Math.floor(fx * n), file: ext ? `${Math.floor(fy * n)}.${ext}` : String(Math.floor(fy * n)) };
      });
  }
  if (op.path === '/tiles/{file}') return fc.oneof(fc.constantFrom(...w.tileLayers).map((l) => ({ file: `${l}.json` })), fc.constant({ file: 'index.json' }));
  return undefined;
}

/** A time in the last ten days (ingest refuses the future; KPI windows and lists want recent data). */
function recentTime(): fc.Arbitrary<string> {
  return fc.integer({ min: 60_000, max: 10 * 86_400_000 }).map((ago) => new Date(Date.now() - ago).toISOString());
}

function bbox(): fc.Arbitrary<string> {
  const good = fc.tuple(lonIn(), latIn(), fc.double({ min: 0.0001, max: 0.05, noNaN: true })).map(([x, y, d]) => [x, y, x + d, y + d].join(','));
  return fc.oneof(
    { weight: 3, arbitrary: good },
    { weight: 2, arbitrary: fc.constantFrom('114.37,30.60,114.30,30.50', '-180,-90,180,90', '200,95,201,96', '1e308,1e308,-1e308,-1e308', 'NaN,NaN,NaN,NaN', '1,2,3', '1,2,3,4,5,6', '1,2,3,4,5', ',,,', '114.3,30.5,114.3,30.5', '179,0,-179,1', 'a,b,c,d', '114.3;30.5;114.4;30.6', '9999999999999999999,0,1,1') },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.double(), nastyString(50)), { minLength: 0, maxLength: 7 }).map((a) => a.join(',')) },
  );
}

function datetime(): fc.Arbitrary<string> {
  const iso = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  return fc.oneof(
    iso,
    fc.tuple(fc.oneof(iso, fc.constant('..'), fc.constant('')), fc.oneof(iso, fc.constant('..'), fc.constant(''))).map(([a, b]) => `${a}/${b}`),
    fc.constantFrom('2024-01-01', '2024-13-45T25:61:61Z', '../..', '/', '//', 'now', '0000-00-00T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z',
      '2024-01-01T00:00:00Z/2023-01-01T00:00:00Z', '2024-01-01T00:00:00+99:99', '1e308', '2024-02-30', '9999-12-31T23:59:59.999999999Z'),
  );
}

/** CQL2 text over the collection's real properties: well-formed (mixing types on purpose) and garbage. */
export function cql2(_path: string): fc.Arbitrary<string> {
  const props = [...new Set(COLLECTIONS.flatMap((c) => Object.keys(c.properties)))];
  const prop = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...props) }, { weight: 1, arbitrary: fc.constantFrom('geometry', 'id', '"usage"', '"no such"', 'x', 'pg_sleep', 'geom') });
  const literal = fc.oneof(
    fc.integer().map(String), fc.double({ noNaN: true }).map(String),
    fc.constantFrom("'rain'", "'2024-01-01'", "''", "'%'", "'_'", "'''; DROP TABLE cases; --'", 'TRUE', 'NULL', '1e308', '-1e308', '9999999999999999999', 'NaN',
      "DATE('2024-01-01')", "DATE('2024-13-45')", "TIMESTAMP('2024-01-01T00:00:00Z')", "TIMESTAMP('yesterday')", "'\u0000'", "'😀'"),
  );
  const geom = fc.constantFrom('POINT(114.32 30.55)', 'POINT(200 95)', 'POLYGON((114.3 30.5,114.35 30.5,114.35 30.55,114.3 30.55,114.3 30.5))',
    'POLYGON((114.3 30.5,114.35 30.55,114.35 30.5,114.3 30.55,114.3 30.5))', 'POLYGON((114.3 30.5,114.35 30.5))', 'POLYGON((1 1,2 2,3 3))',
    'BBOX(114.3,30.5,114.35,30.55)', 'BBOX(1,2,3)', 'BBOX(114.35,30.55,114.3,30.5)', 'LINESTRING(114.3 30.5)', 'MULTIPOINT((1 2),(3 4))', 'POINT(1e308 1e308)',
    'POINT()', 'POINT(1 2 3 4)', 'GEOMETRYCOLLECTION(POINT(1 2))', 'ENVELOPE(1,2,3,4)');
  const predicate = fc.oneof(
    fc.tuple(prop, fc.constantFrom('=', '<>', '<', '<=', '>', '>=', '=='), literal).map((t) => t.join(' ')),
    fc.tuple(prop, fc.constantFrom('LIKE', 'NOT LIKE'), literal).map((t) => t.join(' ')),
    fc.tuple(prop, literal, literal).map(([p, a, b]) => `${p} BETWEEN ${a} AND ${b}`),
    fc.tuple(prop, fc.array(literal, { minLength: 0, maxLength: 4 })).map(([p, l]) => `${p} IN (${l.join(', ')})`),
    prop.map((p) => `${p} IS NULL`),
    fc.tuple(fc.constantFrom('S_INTERSECTS', 'S_WITHIN', 'S_CONTAINS', 'S_DWITHIN', 'S_CROSSES', 'S_FOO'), prop, geom).map(([f, p, g]) => `${f}(${p}, ${g})`),
  );
  const expr = fc.array(fc.tuple(predicate, fc.constantFrom('AND', 'OR', 'AND NOT', ')', '(')), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.map(([p, j], i) => (i ? `${j} ${p}` : p)).join(' '));
  const tokens = fc.array(fc.constantFrom('(', ')', 'AND', 'OR', 'NOT', '=', 'LIKE', 'IN', 'BETWEEN', 'IS', 'NULL', "'", "'a'", '1', ',', 'usage', 'S_INTERSECTS', 'POINT', '"', '--', '/*', ';', '\\'), { maxLength: 12 })
    .map((t) => t.join(' '));
  return fc.oneof({ weight: 4, arbitrary: expr }, { weight: 1, arbitrary: tokens }, { weight: 1, arbitrary: nastyString(5000) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => `${'('.repeat(n)}usage = 'rain'${')'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, () => "usage = 'rain'").join(' OR ')) });
}
