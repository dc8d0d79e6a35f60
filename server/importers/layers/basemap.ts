// The basemap layer: roads, water, buildings and place labels from an OpenStreetMap extract (.osm or .pbf,
// GDAL's OSM driver) or a surveying office's layers (zipped Shapefiles, GeoPackage, GeoJSON, KML), replacing
// the basemap in one transaction. A sibling of the registry layers' pipeline (pipeline/run.ts): its rows
// have no codes to match and no columns to map one by one — the whole basemap is the file — but it goes the
// same hardened way: bytes checked, GDAL confined in the import worker (basemap-read.ts), one layer import
// at a time, written all or nothing (basemap-write.ts), recorded in imports and the audit log, answered with
// a LayerImportReport (what each table got under `derived`).
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { audit, type Actor } from '../../auth/audit.ts';
import { stopWhenClientGone } from '../../db/client-check.ts';
import { ApiError, BadRequestError } from '../../http/errors.ts';
import { privateTmpDir } from '../../tmp-dirs.ts';
import { gdalDrivers } from '../gdal-env.ts';
import { MAX_IMPORT_BYTES } from '../import.ts';
import { IMPORT_LIMITS, type ImportLimits } from '../limits.ts';
import { basemapFormatFromName, BASEMAP_FORMATS, checkLayerMagic, checkOsmMagic, type BasemapFormat } from '../pipeline/formats.ts';
import { emptyCounts, LayerImportRefused, type LayerImportReport } from '../pipeline/report.ts';
import { inImportSlot } from '../pipeline/run.ts';
import { runInWorker } from '../run-in-worker.ts';
import { describeCrs, parseCrs } from '../shapes/crs.ts';
import { parseEncodingOverride } from '../shapes/encoding.ts';
import { checkZip } from '../zip-check.ts';
import type { BasemapSource } from './basemap-read.ts';
import { writeBasemap } from './basemap-write.ts';

export interface BasemapImportOptions {
  filename: string;
  format?: BasemapFormat;
  crs?: string;
  encoding?: string;
  dryRun: boolean;
  limits?: ImportLimits;
  via?: 'http' | 'cli';
}

export async function runBasemapImport(pool: pg.Pool, buf: Buffer, opts: BasemapImportOptions, actor: Actor = { name: 'cli', role: 'system' }, ip: string | null = null): Promise<LayerImportReport> {
  const flag = opts.via === 'cli' ? (o: string) => `--${o} ` : (o: string) => `${o}=`;
  if (buf.length > MAX_IMPORT_BYTES) throw new BadRequestError(`the file is ${(buf.length / 1024 ** 2).toFixed(1)} MB; a basemap import takes at most ${MAX_IMPORT_BYTES / 1024 ** 2} MB (cut the extract to the district, e.g. osmium extract --bbox)`);
  const format = opts.format ?? basemapFormatFromName(opts.filename);
  if (!format) throw new BadRequestError(`cannot tell the format from ${JSON.stringify(opts.filename.slice(0, 60))}; give ${flag('format')}${BASEMAP_FORMATS.join('|')}`);
  if (format === 'osm') checkOsmMagic(buf);
  else checkLayerMagic(buf, format);
  if (format === 'shapefile') checkZip(buf);
  const crs = opts.crs ? parseCrs(opts.crs) : null;
  if (crs && format === 'osm') throw new BadRequestError('an OpenStreetMap extract is always in WGS84: leave crs out');
  const encoding = opts.encoding ? parseEncodingOverride(opts.encoding) : null;
  const limits = opts.limits ?? IMPORT_LIMITS;

  const report: LayerImportReport = {
    layer: 'basemap', filename: opts.filename, format, dry_run: opts.dryRun, committed: false, import_id: null,
    encoding: null, sheet: null, header: null, crs: crs ? describeCrs(crs) : format === 'osm' ? 'EPSG:4326 (OpenStreetMap)' : 'from the file', landing: null,
    headers: [], mapping: {}, matches: [], missing: [], unused: [], template: {},
    counts: emptyCounts(), rejected: [], rows: [], rows_truncated: false, derived: {}, warnings: [], timing_ms: { read: 0, validate: 0, write: 0 },
  };
  return inImportSlot(async () => {
    try {
      const dir = await privateTmpDir('import');
      let source: BasemapSource;
      try {
        const file = path.join(dir, `upload.${format === 'osm' ? (checkPbf(buf) ? 'pbf' : 'osm') : { shapefile: 'zip', gpkg: 'gpkg', geojson: 'geojson', kml: 'kml' }[format]}`);
        await writeFile(file, buf);
        source = await runInWorker<BasemapSource>({ kind: 'basemap', format, file, dir, filename: opts.filename, encoding, crs, limits, drivers: await gdalDrivers() }, limits);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      report.encoding = source.encoding;
      report.warnings.push(...source.warnings);
      Object.assign(report.counts, { read: source.read, valid: source.features.length });
      report.timing_ms.read = Math.round(source.readMs);
      return await write(pool, source, opts, report, actor, ip);
    } catch (err) {
      if (err instanceof ApiError && !(err instanceof LayerImportRefused) && err.statusCode === 400) {
        throw Object.assign(new LayerImportRefused(err.message, report), { detail: (err as { detail?: string }).detail });
      }
      throw err;
    }
  });
}

const checkPbf = (buf: Buffer) => buf.subarray(4, 64).toString('latin1').includes('OSMHeader');

async function write(pool: pg.Pool, source: BasemapSource, opts: BasemapImportOptions, report: LayerImportReport, actor: Actor, ip: string | null): Promise<LayerImportReport> {
  const t0 = performance.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await stopWhenClientGone(client, true);
    await client.query(`SET LOCAL statement_timeout = '10min'`);
    const w = await writeBasemap(client, source.features);
    report.counts.insert = Object.values(w.written).reduce((a, b) => a + b, 0);
    report.counts.removed = Object.values(w.removed).reduce((a, b) => a + b, 0);
    report.derived = { written: w.written, removed: w.removed, outside_district: w.outside, skipped: source.skipped, sources: source.sources };
    if (w.outside) report.warnings.push(`${w.outside} features lie more than 2 km outside the district and were left out`);
    report.timing_ms.write = Math.round(performance.now() - t0);
    if (opts.dryRun) {
      await client.query('ROLLBACK');
      return report;
    }
    report.committed = true;
    const { rows: [imp] } = await client.query<{ id: number }>(
      `INSERT INTO imports (filename, format, layer, source_crs, options, report) VALUES ($1, $2, 'basemap', $3, $4, '{}') RETURNING id`,
      [opts.filename.slice(0, 200), report.format, report.crs, JSON.stringify({ crs: opts.crs ?? null, encoding: opts.encoding ?? null })]);
    report.import_id = imp.id;
    await client.query('UPDATE imports SET report = $2 WHERE id = $1', [imp.id, JSON.stringify(report)]);
    await audit(client, actor, ip === null ? null : { ip }, {
      action: 'import.create', entity: 'import', entity_id: imp.id,
      after: { filename: opts.filename, format: report.format, layer: 'basemap', written: w.written, removed: w.removed, ip },
    });
    await client.query('COMMIT');
    return report;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    report.committed = false;
    report.import_id = null;
    const code = (err as { code?: string }).code ?? '';
    if (/^(22|23|XX)/.test(code)) throw new BadRequestError(`the file's data could not be stored: ${(err as Error).message}`);
    throw err;
  } finally {
    client.release();
  }
}
