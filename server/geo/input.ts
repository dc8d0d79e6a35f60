// Coordinates from clients: checked once here (numbers, finite, in range, in the right order), converted
// from GCJ-02 when the client says so, and serialised to canonical WKT so that user text never reaches
// PostGIS's parsers. Storage is WGS84 (EPSG:4326); GCJ-02 is what Chinese phone maps report.
import gcoord from 'gcoord';
import { BadRequestError, show } from '../http/errors.ts';

export type Position = [number, number];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };
export type AreaGeometry = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>;

export type InputCrs = 'wgs84' | 'gcj02';
export const INPUT_CRS: readonly InputCrs[] = ['wgs84', 'gcj02'];

/** More vertices than this in one geometry is refused (a district boundary has ~2000). */
export const MAX_VERTICES = 10_000;
/** Largest radius of a circle query. */
export const MAX_RADIUS_M = 20_000;

/** Checks a longitude/latitude pair; `where` names it in messages ("lon/lat", "bbox", "S_INTERSECTS"). */
export function checkLonLat(lon: unknown, lat: unknown, where = 'lon/lat'): Position {
  const x = typeof lon === 'string' && lon.trim() !== '' ? Number(lon) : lon;
  const y = typeof lat === 'string' && lat.trim() !== '' ? Number(lat) : lat;
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new BadRequestError(`${where}: longitude must be a finite number, got ${show(lon)}`);
  if (typeof y !== 'number' || !Number.isFinite(y)) throw new BadRequestError(`${where}: latitude must be a finite number, got ${show(lat)}`);
  const swapped = Math.abs(x) <= 90 && Math.abs(y) > 90 && Math.abs(y) <= 180;
  if (swapped) {
    throw new BadRequestError(`${where}: latitude ${y} is outside −90..90; longitude and latitude look swapped (longitude comes first): did you mean ${y}, ${x}?`);
  }
  if (Math.abs(y) > 90) throw new BadRequestError(`${where}: latitude ${y} is outside −90..90`);
  if (Math.abs(x) > 180) throw new BadRequestError(`${where}: longitude ${x} is outside −180..180`);
  return [x, y];
}

/** A position in WGS84 from the client's CRS. gcoord leaves points outside China unchanged. */
export function toWgs84(p: Position, crs: InputCrs = 'wgs84'): Position {
  if (crs === 'wgs84') return p;
  const [x, y] = gcoord.transform(p, gcoord.GCJ02, gcoord.WGS84) as Position;
  return [x, y];
}

export function parseCrs(value: unknown): InputCrs {
  if (value === undefined || value === null || value === '') return 'wgs84';
  const v = String(value).toLowerCase();
  if (v === 'wgs84' || v === 'epsg:4326' || v === 'crs84') return 'wgs84';
  if (v === 'gcj02' || v === 'gcj-02') return 'gcj02';
  throw new BadRequestError(`crs ${show(value)} is not supported; use wgs84 (default) or gcj02`);
}

function position(p: unknown, where: string): Position {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) {
    throw new BadRequestError(`${where}: a position must be [longitude, latitude], got ${show(JSON.stringify(p))}`);
  }
  return checkLonLat(p[0], p[1], where);
}

function ring(r: unknown, where: string, count: { n: number }): Position[] {
  if (!Array.isArray(r)) throw new BadRequestError(`${where}: a ring must be an array of positions`);
  count.n += r.length;
  if (count.n > MAX_VERTICES) throw new BadRequestError(`${where}: more than ${MAX_VERTICES} vertices; simplify the polygon`);
  const pts = r.map((p, i) => position(p, `${where} position ${i}`));
  if (pts.length < 4) throw new BadRequestError(`${where}: a polygon ring needs at least 4 positions (the first repeated at the end), got ${pts.length}`);
  const [a, b] = [pts[0], pts[pts.length - 1]];
  if (a[0] !== b[0] || a[1] !== b[1]) throw new BadRequestError(`${where}: the ring is not closed; repeat the first position at the end`);
  return pts;
}

function polygon(rings: unknown, where: string, count: { n: number }): Position[][] {
  if (!Array.isArray(rings) || rings.length === 0) throw new BadRequestError(`${where}: a polygon is a non-empty array of rings`);
  return rings.map((r, i) => ring(r, i === 0 ? `${where} outer ring` : `${where} hole ${i}`, count));
}

/**
 * A GeoJSON Polygon or MultiPolygon from a request body, checked and converted to WGS84. Validity
 * (self-intersection) is left to PostGIS, which the Catalog asks before using it.
 */
export function parseAreaGeoJson(g: unknown, crs: InputCrs = 'wgs84'): AreaGeometry {
  if (!g || typeof g !== 'object' || Array.isArray(g)) throw new BadRequestError('geometry must be a GeoJSON object');
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  const count = { n: 0 };
  const conv = (rings: Position[][]) => rings.map((r) => r.map((p) => toWgs84(p, crs)));
  if (type === 'Polygon') return { type, coordinates: conv(polygon(coordinates, 'geometry', count)) };
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) throw new BadRequestError('geometry: a MultiPolygon is a non-empty array of polygons');
    return { type, coordinates: coordinates.map((p, i) => conv(polygon(p, `geometry polygon ${i}`, count))) };
  }
  const hint = type === 'Feature' ? '; send the feature\'s geometry' : '';
  throw new BadRequestError(`geometry must be a GeoJSON Polygon or MultiPolygon, got type ${show(type)}${hint}`);
}

const fmt = (p: Position) => `${p[0]} ${p[1]}`;
const list = (ps: Position[]) => `(${ps.map(fmt).join(', ')})`;
const rings = (rs: Position[][]) => `(${rs.map(list).join(', ')})`;

/** Canonical WKT of a checked geometry: numbers printed by us, never the client's text. */
export function toWkt(g: Geometry): string {
  switch (g.type) {
    case 'Point': return `POINT(${fmt(g.coordinates)})`;
    case 'MultiPoint': return `MULTIPOINT(${g.coordinates.map((p) => `(${fmt(p)})`).join(', ')})`;
    case 'LineString': return `LINESTRING${list(g.coordinates)}`;
    case 'MultiLineString': return `MULTILINESTRING${rings(g.coordinates)}`;
    case 'Polygon': return `POLYGON${rings(g.coordinates)}`;
    case 'MultiPolygon': return `MULTIPOLYGON(${g.coordinates.map(rings).join(', ')})`;
  }
}

/** Checks `[west, south, east, north]`; `where` names the parameter in messages. */
export function checkBbox(b: number[], where: string): [number, number, number, number] {
  const [w, s] = checkLonLat(b[0], b[1], `${where} (west, south)`);
  const [e, n] = checkLonLat(b[2], b[3], `${where} (east, north)`);
  if (w > e) throw new BadRequestError(`${where}: west ${w} is east of east ${e}; boxes across the antimeridian are not supported`);
  if (s > n) throw new BadRequestError(`${where}: south ${s} is north of north ${n}; the order is west, south, east, north`);
  return [w, s, e, n];
}

/** Metres per degree at a latitude, generous enough to pre-filter a geodesic radius with a box. */
export function degreesFor(radiusM: number, lat: number): { dLon: number; dLat: number } {
  const dLat = (radiusM / 110_574) * 1.01;
  // The circle is widest in longitude at its poleward edge.
  const edge = Math.min(89.9, Math.abs(lat) + dLat);
  const dLon = (radiusM / (111_320 * Math.max(0.001, Math.cos((edge * Math.PI) / 180)))) * 1.01;
  return { dLon, dLat };
}
