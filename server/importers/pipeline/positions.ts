// Where each row is, in WGS84. GIS files come transformed by GDAL (from their .prj, or the CRS given);
// points copied from Amap or Baidu (crs=gcj02, bd09) are corrected here. A GIS file without a CRS, and a
// ledger's coordinate columns, are judged by their numbers (shapes/crs-check.ts): longitude/latitude swapped,
// metres without a CRS (with the Gauss-Krüger zone that would put them in the district), degrees where a
// projected CRS is given — each refused with what to do. Then the whole file must land in the district:
// a wrong CRS puts it kilometres away, which is said with the distance.
import { BadRequestError } from '../../http/errors.ts';
import { parseNumber } from '../shapes/values.ts';
import { coordinateKind, guessProjected, landingCheck, type Bbox, type LandingCheck, type LonLat } from '../shapes/crs-check.ts';
import type { CrsSource } from '../../../common/api/imports.ts';
import { CGCS2000, computedHere, crsFromHeader, crsName, describeCrs, toWgs84, WGS84, type Crs } from '../shapes/crs.ts';
import { crsSourceOf, FROM_FILE } from '../shapes/crs-source.ts';
import type { Tx } from '../layers/types.ts';

export interface Positions {
  /** Each record's geometry in WGS84, or null when it has none (a ledger row without coordinates). */
  geometries: (GeoJSON.Geometry | null)[];
  /** What CRS the positions were read in, in words. */
  crs: string;
  /** The same as values, for a client to say in its own language; null without positions. */
  crsSource: CrsSource | null;
  landing: Omit<LandingCheck, 'message'> | null;
  warnings: string[];
}

export interface PositionInput {
  records: readonly Record<string, unknown>[];
  /** GIS files' geometries (already WGS84 unless raw or GCJ-02/BD-09), or null for ledgers. */
  geometries: readonly (GeoJSON.Geometry | null)[] | null;
  rawCoordinates: boolean;
  /** field → column of the file. */
  mapping: Readonly<Record<string, string>>;
  given: Crs | null;
  /** The area the data must land in and its centre; null before any district is loaded. */
  area: { bbox: Bbox; centre: LonLat; margin_km: number; what: string } | null;
  /** How a person gives the CRS ("crs=" over HTTP, "--crs " on the command line). */
  flag: string;
}

const geographic = (c: Crs) => c.kind !== 'epsg' || c.epsg === WGS84 || c.epsg === CGCS2000;

/** Every position of a geometry, through `fn`. */
export function mapCoordinates(g: GeoJSON.Geometry, fn: (p: LonLat) => LonLat): GeoJSON.Geometry {
  const walk = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? [...fn([(c as number[])[0], (c as number[])[1]]), ...(c as number[]).slice(2)] : (c as unknown[]).map(walk));
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map((x) => mapCoordinates(x, fn)) };
  return { ...g, coordinates: walk(g.coordinates) } as GeoJSON.Geometry;
}

/** A geometry's first position: where a point is, a polygon begins. */
export function firstPoint(g: GeoJSON.Geometry | null): LonLat | null {
  if (!g) return null;
  if (g.type === 'GeometryCollection') return g.geometries.map(firstPoint).find((p) => p) ?? null;
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' ? [c[0], c[1]] : null;
}

const refuse = (message: string) => new BadRequestError(message);

/** Refuses coordinates that are swapped, mixed, or in metres where degrees are expected (and the other way round). */
function judge(samples: readonly [number, number][], crs: Crs | null, area: PositionInput['area'], flag: string, what: string): void {
  const check = coordinateKind(samples);
  if (check.kind === 'swapped' || check.kind === 'mixed') throw refuse(check.message!);
  const guess = () => (area ? guessProjected(samples, area.centre).message.replace(/crs=/g, flag) : `give ${flag}EPSG:<code>`);
  if (check.kind === 'projected' && (!crs || geographic(crs))) {
    throw refuse(`${what} are in metres, ${crs ? `but ${crsName(crs)} is longitude/latitude` : 'and no coordinate system is given'}: ${guess()}`);
  }
  if (check.kind === 'lonlat' && crs && !geographic(crs)) {
    throw refuse(`${what} are longitude/latitude degrees, but ${describeCrs(crs)} is in metres: give the CRS the numbers are in (${flag}wgs84, gcj02, bd09), or map the X/Y columns`);
  }
}

async function transformAll(db: Tx, points: readonly (LonLat | null)[], crs: Crs): Promise<(LonLat | null)[]> {
  if (computedHere(crs)) return points.map((p) => (p ? toWgs84(p[0], p[1], crs) : null));
  const epsg = (crs as { epsg: number }).epsg;
  const { rows: srs } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM spatial_ref_sys WHERE srid = $1', [epsg]);
  if (!srs[0].n) throw refuse(`EPSG:${epsg} is not a coordinate system PostGIS knows`);
  const given = points.flatMap((p, i) => (p ? [{ p, i }] : []));
  const { rows } = await db.query<{ x: number; y: number }>(
    `SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), $3::int), 4326) AS g, i
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, i)) t ORDER BY i`, [given.map((g) => g.p[0]), given.map((g) => g.p[1]), epsg]);
  const out: (LonLat | null)[] = points.map(() => null);
  given.forEach((g, k) => { out[g.i] = [rows[k].x, rows[k].y]; });
  return out;
}

/** A ledger's coordinate columns: the pair mapped, and the CRS its column names state. */
function columnPair(mapping: PositionInput['mapping']): { fields: [string, string]; stated: Crs | null } | null {
  for (const [a, b] of [['lon', 'lat'], ['x', 'y']] as const) {
    if (mapping[a] && mapping[b]) return { fields: [mapping[a], mapping[b]], stated: crsFromHeader(mapping[a]) ?? crsFromHeader(mapping[b]) };
  }
  return null;
}

export async function positionsOf(db: Tx, input: PositionInput): Promise<Positions> {
  const warnings: string[] = [];
  let geometries: (GeoJSON.Geometry | null)[];
  let crsText: string;
  let crsSource: CrsSource | null;
  if (input.geometries) {
    geometries = [...input.geometries];
    const samples = geometries.map(firstPoint).filter((p): p is LonLat => p !== null);
    if (input.rawCoordinates) {
      judge(samples, input.given, input.area, input.flag, 'the file has no coordinate system (no .prj), and its coordinates');
      warnings.push('the file has no coordinate system (no .prj): its coordinates were read as longitude/latitude');
    }
    const offset = input.given && input.given.kind !== 'epsg' ? input.given : null;
    if (offset) geometries = geometries.map((g) => (g ? mapCoordinates(g, (p) => toWgs84(p[0], p[1], offset)) : null));
    crsText = input.given ? describeCrs(input.given) : input.rawCoordinates ? 'none in the file: read as WGS84 longitude/latitude' : 'from the file (transformed to WGS84 by GDAL)';
    crsSource = input.given ? crsSourceOf(input.given, 'given') : input.rawCoordinates ? crsSourceOf({ kind: 'epsg', epsg: WGS84 }, 'none')
      : FROM_FILE;
  } else {
    const pair = columnPair(input.mapping);
    if (!pair) {
      geometries = input.records.map(() => null);
      crsText = 'no positions';
      crsSource = null;
    } else {
      const raw = input.records.map((r) => {
        const x = parseNumber(r[pair.fields[0]]);
        const y = parseNumber(r[pair.fields[1]]);
        return x.ok && y.ok ? ([x.value, y.value] as LonLat) : null;
      });
      const crs = input.given ?? pair.stated;
      const samples = raw.filter((p): p is LonLat => p !== null);
      judge(samples, crs, input.area, input.flag, `the coordinates (${pair.fields.join(', ')})`);
      const used = crs ?? { kind: 'epsg', epsg: WGS84 };
      const wgs = await transformAll(db, raw, used);
      geometries = wgs.map((p) => (p ? { type: 'Point', coordinates: p } : null));
      crsText = `${describeCrs(used)}${input.given ? ' (given)' : pair.stated ? ' (from the column names)' : ' (the default for longitude/latitude)'}`;
      crsSource = crsSourceOf(used, input.given ? 'given' : pair.stated ? 'columns' : 'default');
    }
  }
  let landing: Positions['landing'] = null;
  const points = geometries.map(firstPoint).filter((p): p is LonLat => p !== null);
  if (input.area && points.length) {
    const l = landingCheck(points, input.area.bbox, { margin_km: input.area.margin_km, crs: input.given ?? undefined });
    landing = { inside: l.inside, total: l.total, distance_km: Math.round(l.distance_km * 10) / 10 };
    if (l.inside < l.total / 2) throw refuse(`${l.message!.replace('from the district', `from ${input.area.what}`)} (${l.inside} of ${l.total} positions lie within ${input.area.margin_km} km of it)`);
    if (l.message) warnings.push(l.message);
  }
  return { geometries, crs: crsText, crsSource, landing, warnings };
}
