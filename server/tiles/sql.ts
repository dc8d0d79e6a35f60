// SQL shapes shared by the tile layers. Geometry is stored with a generated EPSG:3857 column, indexed,
// so tiles need no per-row ST_Transform (Martin transforms every row of every tile).
export const EXTENT = 4096;
export const BUFFER = 64;
/** Low-zoom clusters: a tile is cut into CELLS×CELLS cells (16 px each on a 512 px tile). */
export const CELLS = 32;

/** CTE `env` with the tile envelope `e` and the envelope grown by the buffer `b`, from $1..$3 = z, x, y. */
export const ENV = `env AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS e,
  ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${BUFFER / EXTENT}) AS b)`;

export const mvtGeom = (col = 'geom3857') => `ST_AsMVTGeom(${col}, env.e, ${EXTENT}, ${BUFFER}, true)`;

/** Wraps a feature query (must select a `geom` column) into one MVT layer. */
export function asMvt(layer: string, featureSql: string, idColumn?: string): string {
  return `(SELECT coalesce(ST_AsMVT(t, '${layer}', ${EXTENT}, 'geom'${idColumn ? `, '${idColumn}'` : ''}), ''::bytea)
           FROM (${featureSql}) t WHERE t.geom IS NOT NULL)`;
}

/** A whole tile statement made of one or more layers, concatenated as MVT allows. */
export function tileSql(...layers: string[]): string {
  return `WITH ${ENV} SELECT ${layers.join(' || ')} AS mvt`;
}

/**
 * Grid clustering of a point table inside the tile: one feature per occupied cell, placed at the mean
 * of its points, with a count and any extra aggregates. Cells are aligned to the tile so no point is
 * counted in two tiles.
 */
export function clusterSql(table: string, aggregates: string, where = 'true'): string {
  const cell = `((ST_XMax(env.e) - ST_XMin(env.e)) / ${CELLS})`;
  return `SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(avg(ST_X(geom3857)), avg(ST_Y(geom3857))), 3857), env.e, ${EXTENT}, ${BUFFER}, true) AS geom,
            count(*)::int AS count${aggregates ? `, ${aggregates}` : ''}
          FROM ${table}, env
          WHERE geom3857 && env.e AND ST_X(geom3857) < ST_XMax(env.e) AND ST_Y(geom3857) > ST_YMin(env.e) AND ${where}
          GROUP BY env.e, floor((ST_X(geom3857) - ST_XMin(env.e)) / ${cell}), floor((ST_YMax(env.e) - ST_Y(geom3857)) / ${cell})`;
}

export async function runTile(db: import('./types.ts').Queryable, name: string, text: string, z: number, x: number, y: number): Promise<Buffer> {
  const { rows } = await db.query<{ mvt: Buffer }>({ name, text, values: [z, x, y] });
  return rows[0]?.mvt ?? Buffer.alloc(0);
}
