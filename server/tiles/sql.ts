// SQL shapes shared by the tile layers. Geometry is stored with a generated EPSG:3857 column, indexed,
// so tiles need no per-row ST_Transform (Martin transforms every row of every tile).
import { CLUSTER_CELLS, clusterOffset } from '../../common/clusters.ts';
export const EXTENT = 4096;
export const BUFFER = 64;
/** Cells per tile side of the case aggregates (case_cells: 16 px each on a 512 px tile). */
export const CELLS = 32;

/** CTE `env` with the tile envelope `e` and the envelope grown by the buffer `b`, from $1..$3 = z, x, y. */
export const ENV = `env AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS e,
  ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${BUFFER / EXTENT}) AS b)`;

export const mvtGeom = (col = 'geom3857') => `ST_AsMVTGeom(${col}, env.e, ${EXTENT}, ${BUFFER}, true)`;

/**
 * Wraps a feature query (must select a `geom` column) into one MVT layer. Rows whose geometry is clipped
 * away (NULL) are left out by ST_AsMVT itself, keys and values included. `filtered` also drops them in SQL,
 * as before: the filter is pushed into the feature query, where each row's ST_AsMVTGeom is then computed
 * twice (a sixth of a z14 pipe tile's database time), but its cost steers the planner, and table layers keep
 * the scans and the feature order their tiles have always had (small tables, cluster cells).
 */
export function asMvt(layer: string, featureSql: string, idColumn?: string, { filtered = false } = {}): string {
  return `(SELECT coalesce(ST_AsMVT(t, '${layer}', ${EXTENT}, 'geom'${idColumn ? `, '${idColumn}'` : ''}), ''::bytea)
           FROM (${featureSql}) t${filtered ? ' WHERE t.geom IS NOT NULL' : ''})`;
}

/** A whole tile statement made of one or more layers, concatenated as MVT allows. */
export function tileSql(...layers: string[]): string {
  return `WITH ${ENV} SELECT ${layers.join(' || ')} AS mvt`;
}

/**
 * A cluster's point as an MVT geometry: the centre of `layer`'s quadrant of its cell, whose west and north
 * edges are x0 and y1 and whose side is `side` (EPSG:3857), so clusters keep common/clusters.ts's spacing
 * within and across layers.
 */
export function clusterGeom(layer: string, x0: string, y1: string, side: string): string {
  const { east, south } = clusterOffset(layer);
  return `ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(${x0} + ${east} * ${side}, ${y1} - ${south} * ${side}), 3857), env.e, ${EXTENT}, ${BUFFER}, true)`;
}

/**
 * Grid clustering of a point table inside the tile: one feature per occupied cell of CLUSTER_CELLS², placed
 * by clusterGeom, with a count and any extra aggregates. Cells are aligned to the tile so no point is
 * counted in two tiles.
 */
export function clusterSql(layer: string, table: string, aggregates: string, where = 'true'): string {
  const side = `((ST_XMax(env.e) - ST_XMin(env.e)) / ${CLUSTER_CELLS})`;
  return `SELECT ${clusterGeom(layer, `(ST_XMin(env.e) + i * ${side})`, `(ST_YMax(env.e) - j * ${side})`, side)} AS geom,
            count(*)::int AS count${aggregates ? `, ${aggregates}` : ''}
          FROM ${table}, env,
               LATERAL (SELECT floor((ST_X(geom3857) - ST_XMin(env.e)) / ${side}) AS i, floor((ST_YMax(env.e) - ST_Y(geom3857)) / ${side}) AS j) cell
          WHERE geom3857 && env.e AND ST_X(geom3857) < ST_XMax(env.e) AND ST_Y(geom3857) > ST_YMin(env.e) AND ${where}
          GROUP BY env.e, i, j`;
}

export async function runTile(db: import('./types.ts').Queryable, name: string, text: string, z: number, x: number, y: number): Promise<Buffer> {
  const { rows } = await db.query<{ mvt: Buffer }>({ name, text, values: [z, x, y] });
  return rows[0]?.mvt ?? Buffer.alloc(0);
}
