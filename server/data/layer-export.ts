// A data layer as a file: GeoJSON and CSV written as the rows come (a cursor, 2,000 rows at a time), GeoPackage
// and XLSX by GDAL's ogr2ogr from the GeoJSON written the same way to a private folder (GDAL reads a large
// GeoJSON as a stream); the file is then streamed and the folder removed. Memory stays bounded whatever the
// layer's size (200,000 cases). GDAL runs
// as for an import (importers/gdal-env.ts): the two drivers it needs, no network, no inherited variables.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { DownloadFormat } from '../../common/api/data.ts';
import { toCsv } from '../../common/csv.ts';
import { ApiError } from '../http/errors.ts';
import { gdalEnv } from '../importers/gdal-env.ts';
import { Semaphore } from '../limits/semaphore.ts';
import { privateTmpDir } from '../tmp-dirs.ts';
import type { DataLayer } from './layer-registry.ts';

const BATCH = 2000;
const CONTENT_TYPE: Record<DownloadFormat, string> = {
  geojson: 'application/geo+json',
  csv: 'text/csv; charset=utf-8',
  gpkg: 'application/geopackage+sqlite3',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const GDAL_DRIVER = { gpkg: 'GPKG', xlsx: 'XLSX' } as const;
/** GDAL conversions at once: each takes a core and a temporary file as large as the layer. */
const converting = new Semaphore(2);

export interface LayerFile {
  body: Readable;
  contentType: string;
  filename: string;
}

interface Row { p: string; g: string | null; wkt?: string | null; lon?: number | null; lat?: number | null }

/** The layer's rows, BATCH at a time, read through a cursor in a read-only transaction of one connection. */
async function* layerRows(pool: pg.Pool, l: DataLayer, extra: 'wkt' | 'lonlat' | null): AsyncGenerator<Row[]> {
  const geom = l.geom ?? 'NULL::geometry';
  const more = extra === 'wkt' ? ', ST_AsText(g.geom) AS wkt' : extra === 'lonlat'
    ? ', ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat' : '';
  const client = await pool.connect();
  let broken: Error | undefined;
  let open = false;
  try {
    await client.query('BEGIN READ ONLY');
    open = true;
    await client.query(`DECLARE layer_rows NO SCROLL CURSOR FOR
      SELECT row_to_json(a)::text AS p, ST_AsGeoJSON(g.geom, 7) AS g${more}
      FROM ${l.table} t CROSS JOIN LATERAL (SELECT ${l.columns.join(', ')}) a CROSS JOIN LATERAL (SELECT ${geom} AS geom) g
      ORDER BY ${l.order}`);
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH ${BATCH} FROM layer_rows`);
      if (!rows.length) break;
      yield rows;
    }
    await client.query('COMMIT');
    open = false;
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // Stopped half-way (the client went away): the transaction is still open.
    if (open && !broken) await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
    client.release(broken);
  }
}

/** The columns of a download: the layer's, by the names its SQL gives them. */
export const columnNames = (l: DataLayer) => l.columns.map((c) => /(?:\bAS\s+|\.)(\w+)$/i.exec(c)![1]);

/** A FeatureCollection, written feature by feature; for XLSX each feature's properties get lon/lat of a point on it. */
async function* geojson(pool: pg.Pool, l: DataLayer, extra: 'lonlat' | null = null): AsyncGenerator<string> {
  yield `{"type":"FeatureCollection","name":${JSON.stringify(l.id)},"features":[`;
  let first = true;
  for await (const rows of layerRows(pool, l, extra)) {
    const parts = rows.map((r) => {
      const props = extra === 'lonlat' ? JSON.stringify({ ...JSON.parse(r.p), lon: r.lon ?? null, lat: r.lat ?? null }) : r.p;
      return `{"type":"Feature","geometry":${r.g ?? 'null'},"properties":${props}}`;
    });
    yield (first ? '\n' : ',\n') + parts.join(',\n');
    first = false;
  }
  yield ']}\n';
}

async function* csv(pool: pg.Pool, l: DataLayer): AsyncGenerator<string> {
  const names = columnNames(l);
  const header = l.geom ? [...names, 'wkt'] : names;
  yield toCsv([header]);
  for await (const rows of layerRows(pool, l, l.geom ? 'wkt' : null)) {
    const records = rows.map((r) => {
      const p = JSON.parse(r.p) as Record<string, unknown>;
      return [...names.map((n) => p[n] as string | number | boolean | null), ...(l.geom ? [r.wkt ?? null] : [])];
    });
    // One BOM, at the start of the file.
    yield toCsv(records).replace(/^\uFEFF/, '');
  }
}

/** GeoPackage or XLSX through ogr2ogr; the folder goes when the file has been read (or the reader stops). */
async function viaGdal(pool: pg.Pool, l: DataLayer, format: 'gpkg' | 'xlsx'): Promise<Readable> {
  const slot = converting.acquire(60_000);
  if (!(await slot.granted)) throw new ApiError(503, 'busy', 'other layer downloads are being converted; try again in a minute');
  const dir = await privateTmpDir('export');
  const done = () => {
    converting.release();
    void rm(dir, { recursive: true, force: true });
  };
  try {
    const src = path.join(dir, 'layer.geojson');
    const out = path.join(dir, `layer.${format}`);
    await pipeline(Readable.from(geojson(pool, l, format === 'xlsx' ? 'lonlat' : null)), createWriteStream(src));
    const driver = GDAL_DRIVER[format];
    const args = ['-f', driver, out, src, '-nln', l.id];
    if (format === 'gpkg' && !l.geom) args.push('-nlt', 'NONE');
    await ogr2ogr(args, await gdalEnv(['GeoJSON', driver], dir));
    const stream = createReadStream(out);
    stream.once('close', done);
    return stream;
  } catch (err) {
    done();
    throw err;
  }
}

function ogr2ogr(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ogr2ogr', args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    p.stderr.on('data', (b) => { err += b; });
    p.on('error', (e) => reject(new Error(`ogr2ogr could not be run (${e.message}); install gdal-bin`)));
    // GDAL warns of each plugin driver GDAL_SKIP names that this build lacks: not the reason it failed.
    const why = () => err.split('\n').filter((l) => l && !/Unable to find driver .* GDAL_SKIP/.test(l)).join('\n').slice(-400);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ogr2ogr failed: ${why()}`))));
  });
}

export async function exportLayer(pool: pg.Pool, l: DataLayer, format: DownloadFormat): Promise<LayerFile> {
  const file = { contentType: CONTENT_TYPE[format], filename: `${l.id}.${format}` };
  switch (format) {
    case 'geojson': return { ...file, body: Readable.from(geojson(pool, l)) };
    case 'csv': return { ...file, body: Readable.from(csv(pool, l)) };
    case 'gpkg':
    case 'xlsx': return { ...file, body: await viaGdal(pool, l, format) };
  }
}
