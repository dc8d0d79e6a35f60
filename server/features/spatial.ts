// SQL of the map's spatial queries: the k nearest features (KNN index), the features within an area, the
// unit grid at a point. One statement per request whatever the number of layers, so a request costs one
// round trip to PostgreSQL.
import { createHash } from 'node:crypto';
import { bearingDeg } from '../domain/fov.ts';
import type { CollectionDef } from './collections.ts';
import { degreesFor, toWkt, type AreaGeometry } from '../geo/input.ts';
import type { BuiltQuery } from './items.ts';
import { featureJsonSql, idJsonSql, keySql, Params, propertiesJsonSql } from './sql.ts';

/** A stable prepared-statement name for a statement text (names are limited to 63 bytes). */
export function statementName(prefix: string, text: string): string {
  return `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

const PREPARED = new Set<string>();
/** Distinct prepared statements at most: each stays prepared on every pooled connection that ran it. */
export const MAX_PREPARED = 256;

/**
 * A name to prepare `text` under, or undefined once MAX_PREPARED distinct texts have been named: the
 * texts vary with the request (layers, k, limit), and a client cycling through them must not make
 * every connection hoard plans without bound. Unnamed statements are simply planned each time.
 */
export function preparedName(prefix: string, text: string): string | undefined {
  const name = statementName(prefix, text);
  if (PREPARED.has(name)) return name;
  if (PREPARED.size >= MAX_PREPARED) return undefined;
  PREPARED.add(name);
  return name;
}

/** Web Mercator metres of a lon/lat, computed here so the KNN operand is a constant the index can use. */
export function mercator(lon: number, lat: number): [number, number] {
  const R = 6378137;
  const y = Math.log(Math.tan(Math.PI / 4 + (Math.max(-85.06, Math.min(85.06, lat)) * Math.PI) / 360)) * R;
  return [(lon * Math.PI * R) / 180, y];
}

/**
 * Initial bearing from one point to another on the sphere, degrees clockwise from north (null when they
 * coincide). Within a district it differs from the ellipsoidal azimuth by well under 0.5°; computed here
 * it costs nothing, in PostGIS it was a fifth of the nearest query.
 */
export function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number | null {
  return lon1 === lon2 && lat1 === lat2 ? null : bearingDeg(lon1, lat1, lon2, lat2);
}

/** Candidates fetched by the planar KNN order beyond k, re-ranked by the exact geodesic distance. */
export const KNN_SLACK = 10;

/**
 * Nearest: per layer, the k + slack nearest by `geom3857 <-> point` (index order; Mercator is conformal,
 * so planar order is geodesic order up to the scale change across the candidates), then the exact
 * geodesic distance to the closest point of each candidate re-ranks them and the first k stay.
 * $1,$2 = lon, lat; $3,$4 = Mercator x, y. k (an integer the route checked) is written into the text:
 * with LIMIT $n the planner cannot cost the generic plan and re-plans every call (measured 2.1 vs
 * 1.2 ms a query); with a constant the prepared statement's generic plan is kept.
 */
export function buildNearestSql(layers: CollectionDef[], k: number): string {
  if (!Number.isInteger(k) || k < 1 || k > 1000) throw new Error(`k must be a small positive integer, got ${k}`);
  // One text per set of layers, whatever order the client listed them in (results are keyed by layer).
  const sorted = [...layers].sort((a, b) => a.id.localeCompare(b.id));
  const branches = sorted.map((c) => `
    SELECT '${c.id}' AS layer, r.* FROM (
      SELECT ${idJsonSql(c)} AS id, ${c.label.code ?? 'NULL::text'} AS code, ${c.label.name ?? 'NULL::text'} AS name,
             ST_Distance(t.geom::geography, q.g::geography) AS distance_m,
             ST_X(ST_ClosestPoint(t.geom, q.g)) AS lon, ST_Y(ST_ClosestPoint(t.geom, q.g)) AS lat,
             ${propertiesJsonSql(c)}::json AS properties
      FROM (SELECT * FROM ${c.table} t WHERE t.geom IS NOT NULL
            ORDER BY t.geom3857 <-> ST_SetSRID(ST_MakePoint($3::float8, $4::float8), 3857) LIMIT ${k + KNN_SLACK}) t, q
      ORDER BY distance_m, ${keySql(c)} LIMIT ${k}) r`);
  return `WITH q AS (SELECT ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326) AS g)
    ${branches.join('\n    UNION ALL')}`;
}

export type Area =
  | { kind: 'polygon'; geometry: AreaGeometry }
  | { kind: 'circle'; lon: number; lat: number; radius_m: number };

/**
 * Within: one row per layer with the exact count and up to `limit` features (GeoJSON text, by key),
 * plus a first row telling whether the polygon is valid (nothing is scanned when it is not). A feature is
 * within when it intersects the area: a pipe partly inside counts.
 */
export function buildWithinSql(layers: CollectionDef[], area: Area, limit: number): BuiltQuery {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  const params = new Params();
  let areaCte: string;
  let match: string;
  if (area.kind === 'polygon') {
    areaCte = `SELECT ST_GeomFromText(${params.add(toWkt(area.geometry), 'text')}, 4326) AS g`;
    match = 'ST_Intersects(t.geom, a.g)';
  } else {
    const { dLon, dLat } = degreesFor(area.radius_m, area.lat);
    const [lon, lat, r] = [params.add(area.lon, 'float8'), params.add(area.lat, 'float8'), params.add(area.radius_m, 'float8')];
    const box = [area.lon - dLon, area.lat - dLat, area.lon + dLon, area.lat + dLat].map((v) => params.add(v, 'float8'));
    areaCte = `SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g, ST_MakeEnvelope(${box.join(', ')}, 4326) AS box, ${r} AS r`;
    // The box lets the index find candidates; the geodesic distance decides.
    match = 't.geom && a.box AND ST_DWithin(t.geom::geography, a.g::geography, a.r)';
  }
  // The limit is written into the text (as k in nearest) so the prepared statement keeps a generic plan.
  const lim = String(limit);
  const ok = area.kind === 'polygon' ? '(SELECT ST_IsValid(g) FROM a)' : 'TRUE';
  const branches = layers.map((c) => `
    SELECT '${c.id}' AS layer,
      (SELECT count(*) FROM ${c.table} t, a WHERE ${ok} AND ${match})::bigint AS n,
      (SELECT coalesce(string_agg(f, ',' ORDER BY k), '') FROM (
         SELECT ${featureJsonSql(c)} AS f, ${keySql(c)} AS k FROM ${c.table} t, a WHERE ${ok} AND ${match}
         ORDER BY ${keySql(c)} LIMIT ${lim}) s) AS features`);
  const text = `WITH a AS (${areaCte})
    SELECT NULL AS layer, NULL::bigint AS n, (SELECT CASE WHEN ${ok} THEN NULL ELSE ST_IsValidReason(g) END FROM a) AS features
    ${branches.map((b) => `UNION ALL${b}`).join('\n')}`;
  return { text, values: params.values };
}

/** The unit grid containing a point with its community, street and district. $1, $2 = lon, lat. */
export const GRID_AT_SQL = `
  SELECT g.code, g.area_m2, ARRAY[ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)] AS bbox, c.code AS community_code, c.name AS community_name,
         s.code AS street_code, s.name AS street_name, d.code AS district_code, d.name AS district_name
  FROM grids g
  JOIN communities c ON c.code = g.community_code
  JOIN streets s ON s.code = c.street_code
  JOIN districts d ON d.code = s.district_code
  WHERE ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))
  ORDER BY g.code LIMIT 1`;

/** When no grid contains the point: the nearest district and how far it is (0 = inside, a gap). */
export const NEAREST_DISTRICT_SQL = `
  SELECT d.code, d.name, ST_Distance(d.geom::geography, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::geography) AS distance_m
  FROM districts d ORDER BY d.geom <-> ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326) LIMIT 1`;
