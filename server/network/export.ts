// Selected or traced reaches as files: GeoJSON (reaches), CSV (reaches, geometry as WKT), GeoPackage
// (reaches and their manholes, written by GDAL) and EPA SWMM 5 .inp (the subnetwork, in metres, in the
// UTM zone of its centre so SWMM's map has true scale; the EPSG code is in [TITLE] for re-import).
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { privateTmpDir } from '../tmp-dirs.ts';
import path from 'node:path';
import type pg from 'pg';
import { BadRequestError } from '../http/errors.ts';
import { buildSwmmModel, writeSwmm, type SwmmNetworkNode } from '../importers/swmm.ts';
import { toCsv } from '../../common/csv.ts';

export type ExportFormat = 'geojson' | 'csv' | 'gpkg' | 'inp';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['geojson', 'csv', 'gpkg', 'inp'];
/** Reaches in one export (the whole seed network is ~21 000). */
export const MAX_EXPORT = 100_000;

export interface ExportFile { body: Buffer | string; contentType: string; filename: string }

const REACH_SQL = `
  SELECT p.id, p.code, f.code AS from_code, t.code AS to_code, p.usage, p.network, p.diameter_mm, p.material,
         round(p.length_m::numeric, 2)::float8 AS length_m, p.up_invert_m, p.down_invert_m, p.built_year, p.road_name,
         p.sgrade, p.fgrade, c.ri, c.mi, p.synthetic
  FROM pipes p JOIN manholes f ON f.id = p.from_node JOIN manholes t ON t.id = p.to_node LEFT JOIN pipe_condition c ON c.pipe_id = p.id
  WHERE p.id = ANY($1::int[]) ORDER BY p.id`;

const COLUMNS = ['id', 'code', 'from_code', 'to_code', 'usage', 'network', 'diameter_mm', 'material', 'length_m', 'up_invert_m', 'down_invert_m',
  'built_year', 'road_name', 'sgrade', 'fgrade', 'ri', 'mi', 'synthetic'] as const;

async function geojson(db: pg.Pool, ids: number[], table: 'pipes' | 'manholes'): Promise<string> {
  const sql = table === 'pipes'
    ? `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
         'type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(p.geom, 7)::json, 'properties', to_jsonb(r) - 'id') ORDER BY r.id), '[]'))::text AS j
       FROM (${REACH_SQL}) r JOIN pipes p ON p.id = r.id`
    : `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
         'type', 'Feature', 'id', m.id, 'geometry', ST_AsGeoJSON(m.geom, 7)::json,
         'properties', json_build_object('code', m.code, 'kind', m.kind, 'usage', m.usage, 'ground_elev_m', m.ground_elev_m,
                                         'invert_elev_m', m.invert_elev_m, 'depth_m', m.depth_m)) ORDER BY m.id), '[]'))::text AS j
       FROM manholes m WHERE m.id IN (SELECT from_node FROM pipes WHERE id = ANY($1::int[]) UNION SELECT to_node FROM pipes WHERE id = ANY($1::int[]))`;
  const { rows } = await db.query<{ j: string }>(sql, [ids]);
  return rows[0].j;
}

async function csv(db: pg.Pool, ids: number[]): Promise<string> {
  const { rows } = await db.query(`SELECT r.*, ST_AsText(p.geom) AS wkt FROM (${REACH_SQL}) r JOIN pipes p ON p.id = r.id ORDER BY r.id`, [ids]);
  const header = [...COLUMNS, 'wkt'];
  return toCsv([header, ...rows.map((r) => header.map((c) => r[c]))]);
}

async function gpkg(db: pg.Pool, ids: number[]): Promise<Buffer> {
  const dir = await privateTmpDir('export');
  try {
    await writeFile(path.join(dir, 'pipes.geojson'), await geojson(db, ids, 'pipes'));
    await writeFile(path.join(dir, 'manholes.geojson'), await geojson(db, ids, 'manholes'));
    const out = path.join(dir, 'network.gpkg');
    await ogr(['-f', 'GPKG', out, path.join(dir, 'pipes.geojson'), '-nln', 'pipes']);
    await ogr(['-f', 'GPKG', '-update', out, path.join(dir, 'manholes.geojson'), '-nln', 'manholes']);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function ogr(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ogr2ogr', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b) => { err += b; });
    p.on('error', (e) => reject(new Error(`ogr2ogr could not be run (${e.message}); install gdal-bin`)));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ogr2ogr failed: ${err.slice(0, 300)}`))));
  });
}

async function inp(db: pg.Pool, ids: number[], title: string): Promise<string> {
  // UTM zone of the reaches' centre (north or south).
  const { rows: [c] } = await db.query<{ lon: number; lat: number }>(
    'SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c FROM pipes WHERE id = ANY($1::int[])) s', [ids]);
  const epsg = (c.lat >= 0 ? 32600 : 32700) + Math.min(60, Math.floor((c.lon + 180) / 6) + 1);
  const { rows: nodes } = await db.query<{ code: string; kind: string; invert: number | null; depth: number | null; x: number; y: number }>(
    `SELECT m.code, m.kind, m.invert_elev_m AS invert, m.depth_m AS depth, ST_X(g) AS x, ST_Y(g) AS y
     FROM manholes m, LATERAL (SELECT ST_Transform(m.geom, $2::int) AS g) t
     WHERE m.id IN (SELECT from_node FROM pipes WHERE id = ANY($1::int[]) UNION SELECT to_node FROM pipes WHERE id = ANY($1::int[]))
     ORDER BY m.code`, [ids, epsg]);
  const { rows: links } = await db.query<{ code: string; f: string; t: string; length_m: number; d: number | null; up: number | null; down: number | null; fi: number | null; ti: number | null; verts: [number, number][] }>(
    `SELECT p.code, f.code AS f, t.code AS t, p.length_m, p.diameter_mm AS d, p.up_invert_m AS up, p.down_invert_m AS down,
            f.invert_elev_m AS fi, t.invert_elev_m AS ti,
            (SELECT coalesce(json_agg(json_build_array(ST_X(v.geom), ST_Y(v.geom)) ORDER BY v.path), '[]')
               FROM ST_DumpPoints(ST_Transform(p.geom, $2::int)) v WHERE v.path[1] > 1 AND v.path[1] < ST_NPoints(p.geom)) AS verts
     FROM pipes p JOIN manholes f ON f.id = p.from_node JOIN manholes t ON t.id = p.to_node
     WHERE p.id = ANY($1::int[]) ORDER BY p.code`, [ids, epsg]);
  const kind = (k: string): SwmmNetworkNode['kind'] => (k === 'outfall' ? 'outfall' : k === 'storage' ? 'storage' : 'junction');
  // A pipe above its manhole's floor enters or leaves at an offset (LINK_OFFSETS DEPTH).
  const offset = (pipe: number | null, node: number | null) => (pipe !== null && node !== null ? Math.max(0, Math.round((pipe - node) * 1000) / 1000) : 0);
  const model = buildSwmmModel({
    title,
    epsg,
    nodes: nodes.map((n) => ({ name: n.code, kind: kind(n.kind), invert_m: n.invert, max_depth_m: n.depth, x: n.x, y: n.y })),
    links: links.map((l) => ({
      name: l.code, from: l.f, to: l.t, length_m: Math.round(l.length_m * 1000) / 1000, diameter_mm: l.d,
      in_offset_m: offset(l.up, l.fi), out_offset_m: offset(l.down, l.ti), vertices: l.verts,
    })),
  });
  return writeSwmm(model);
}

export async function exportReaches(db: pg.Pool, ids: number[], format: ExportFormat, name: string): Promise<ExportFile> {
  // Ids arrive checked by the schema, except "Infinity" as text, which Ajv coerces past the maximum.
  const bad = ids.find((id) => !(Number.isInteger(id) && id >= 1 && id <= 2147483647));
  if (bad !== undefined) throw new BadRequestError(`pipe id ${bad} is not an id (an integer 1–2147483647)`);
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'network';
  switch (format) {
    case 'geojson': return { body: await geojson(db, ids, 'pipes'), contentType: 'application/geo+json', filename: `${base}.geojson` };
    case 'csv': return { body: await csv(db, ids), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv` };
    case 'gpkg': return { body: await gpkg(db, ids), contentType: 'application/geopackage+sqlite3', filename: `${base}.gpkg` };
    case 'inp': return { body: await inp(db, ids, `Wuchang One-Map export: ${base}`), contentType: 'text/plain; charset=utf-8', filename: `${base}.inp` };
  }
}
