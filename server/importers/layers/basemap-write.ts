// Writing an imported basemap, inside the import's transaction: the classified features staged in a
// temporary table, then roads, water and buildings replaced whole, with the labels the file brings. Kept to
// the district and 2 km around it (lines and areas cut at that box; buildings whole, if they touch it).
// Waterway lines become areas of their width; each named water body gets one label. Place labels of the
// district, streets and communities are kept unless the file has places of that kind itself.
import { BadRequestError } from '../../http/errors.ts';
import type { BasemapFeature } from './basemap-classify.ts';
import type { Tx } from './types.ts';

export const BASEMAP_TABLES = ['roads', 'water', 'buildings', 'labels'] as const;
export type BasemapCounts = Record<(typeof BASEMAP_TABLES)[number], number>;

/** Degrees around the district's extent that are kept: about 2 km at Wuhan's latitude. */
const MARGIN_DEG = 0.02;
const BATCH = 2000;

const CLIP = `clip AS (SELECT COALESCE(ST_SetSRID(ST_Expand(ST_Extent(geom), ${MARGIN_DEG})::geometry, 4326), ST_MakeEnvelope(-180, -90, 180, 90, 4326)) AS b FROM districts)`;

const PLACE_KINDS = ['district', 'street', 'community'];

async function stage(tx: Tx, features: readonly BasemapFeature[]): Promise<void> {
  await tx.query(`CREATE TEMP TABLE basemap_rows (tbl text NOT NULL, class text, name text, height_m real, levels int, rank int, minzoom int, width_m real,
    geom geometry(Geometry, 4326) NOT NULL) ON COMMIT DROP`);
  for (let i = 0; i < features.length; i += BATCH) {
    const batch = features.slice(i, i + BATCH).map((f) => ({
      tbl: f.table, name: f.name,
      class: f.table === 'roads' ? f.class : f.table === 'water' || f.table === 'labels' ? f.kind : null,
      height_m: f.table === 'buildings' ? f.height_m : null, levels: f.table === 'buildings' ? f.levels : null,
      rank: f.table === 'labels' ? f.rank : null, minzoom: f.table === 'labels' ? f.minzoom : null,
      width_m: f.table === 'water' ? f.width_m ?? null : null, g: JSON.stringify(f.geometry),
    }));
    await tx.query(`INSERT INTO basemap_rows SELECT tbl, class, name, height_m, levels, rank, minzoom, width_m, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)
      FROM jsonb_to_recordset($1::jsonb) AS x(tbl text, class text, name text, height_m real, levels int, rank int, minzoom int, width_m real, g text)`, [JSON.stringify(batch)]);
  }
}

const count = async (tx: Tx, sql: string, values: unknown[] = []) => Number((await tx.query<{ n: string }>(`WITH ${CLIP}, w AS (${sql} RETURNING 1) SELECT count(*) AS n FROM w`, values)).rows[0].n);

export interface BasemapWrite {
  written: BasemapCounts;
  removed: BasemapCounts;
  /** Features further than the margin from the district, left out. */
  outside: number;
}

export async function writeBasemap(tx: Tx, features: readonly BasemapFeature[]): Promise<BasemapWrite> {
  await stage(tx, features);
  const places = PLACE_KINDS.filter((k) => features.some((f) => f.table === 'labels' && f.kind === k));
  const removed: BasemapCounts = {
    roads: await count(tx, 'DELETE FROM roads'),
    water: await count(tx, 'DELETE FROM water'),
    buildings: await count(tx, 'DELETE FROM buildings'),
    labels: await count(tx, `DELETE FROM labels WHERE kind IN ('water', 'road', 'poi') OR kind = ANY($1)`, [places]),
  };
  const written: BasemapCounts = {
    roads: await count(tx, `INSERT INTO roads (name, class, geom)
      SELECT r.name, r.class, d.geom FROM basemap_rows r, clip, LATERAL ST_Dump(ST_CollectionExtract(ST_Intersection(r.geom, clip.b), 2)) d
      WHERE r.tbl = 'roads' AND r.geom && clip.b AND ST_NPoints(d.geom) > 1`),
    water: await count(tx, `INSERT INTO water (name, kind, geom)
      SELECT name, kind, g FROM (
        SELECT r.name, r.class AS kind, ST_Multi(ST_CollectionExtract(ST_Intersection(
          CASE WHEN r.width_m IS NOT NULL THEN ST_Buffer(r.geom::geography, r.width_m / 2)::geometry ELSE ST_MakeValid(r.geom) END, clip.b), 3)) AS g
        FROM basemap_rows r, clip WHERE r.tbl = 'water' AND r.geom && clip.b) x
      WHERE NOT ST_IsEmpty(g)`),
    buildings: await count(tx, `INSERT INTO buildings (name, height_m, levels, geom)
      SELECT name, height_m, levels, g FROM (
        SELECT r.name, r.height_m, r.levels, ST_Multi(ST_CollectionExtract(ST_MakeValid(r.geom), 3)) AS g
        FROM basemap_rows r, clip WHERE r.tbl = 'buildings' AND ST_Intersects(r.geom, clip.b)) x
      WHERE NOT ST_IsEmpty(g)`),
    labels: await count(tx, `INSERT INTO labels (name, kind, rank, minzoom, geom)
      SELECT r.name, r.class, r.rank, r.minzoom, ST_PointOnSurface(r.geom) FROM basemap_rows r, clip
      WHERE r.tbl = 'labels' AND ST_Intersects(r.geom, clip.b)`),
  };
  // One label per named water body, where the largest of its parts lies.
  written.labels += await count(tx, `INSERT INTO labels (name, kind, rank, minzoom, geom)
    SELECT DISTINCT ON (name) name, 'water', 3, 12, ST_PointOnSurface(geom) FROM water WHERE name IS NOT NULL ORDER BY name, ST_Area(geom) DESC`);
  const { rows: [o] } = await tx.query<{ n: string }>(`WITH ${CLIP} SELECT count(*) AS n FROM basemap_rows r, clip WHERE NOT ST_Intersects(r.geom, clip.b)`);
  const outside = Number(o.n);
  if (!written.roads && !written.water && !written.buildings && !written.labels) {
    const { rows: [d] } = await tx.query<{ box: string | null }>(`SELECT ST_AsText(ST_Extent(geom)) AS box FROM districts`);
    throw new BadRequestError(`none of the file's ${features.length} roads, water bodies, buildings and labels lies within 2 km of the district${d.box ? ` (${d.box})` : ''}: `
      + 'is it the right area, and its coordinate system right? Give crs=EPSG:<code> (or gcj02/bd09 for coordinates copied from Amap/Baidu)');
  }
  return { written, removed, outside };
}
