// Reading a layer's file into records, in the import worker (worker-tasks.ts), with GDAL confined as for
// every import (gdal-env.ts). GIS files keep their geometries, transformed to WGS84 by GDAL from the file's
// CRS or the one given; a Shapefile's text encoding is found first (its .cpg, its DBF language id, its bytes:
// shapes/encoding.ts) and handed to GDAL, which otherwise reads GBK names as mojibake. A file without a CRS
// is read as it is and its coordinates judged afterwards (positions.ts). Ledgers (CSV, Excel) are read as
// rows of text, the CSV decoded to UTF-8 first (GDAL's CSV driver does not recode), their header found under
// title rows and two-row headers merged (shapes/header-rows.ts).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../../http/errors.ts';
import { knowDrivers } from '../gdal-env.ts';
import { GdalReadError, gdalFeatures, type OnSpawn } from '../gdal-read.ts';
import { checkGeoJsonCrs } from '../geojson-crs.ts';
import type { ImportLimits } from '../limits.ts';
import { knownHeader } from '../shapes/columns.ts';
import { decodeText, detectDbfEncoding, detectTextEncoding, gdalEncoding, type EncodingGuess, type TextEncodingName } from '../shapes/encoding.ts';
import { gdalTableRows } from '../shapes/gdal-table.ts';
import { findHeader, sheetRecords } from '../shapes/header-rows.ts';
import { TARGETS, type TargetLayer } from '../shapes/targets/index.ts';
import { shapefileText } from '../shapes/zip-member.ts';
import { checkZip } from '../zip-check.ts';
import { isTable, type LayerFormat } from './formats.ts';

export interface LayerReadTask {
  kind: 'layer';
  format: LayerFormat;
  /** The upload, written in the private folder `dir` under a fixed name. */
  file: string;
  dir: string;
  filename: string;
  /** Whose column names help find a ledger's header row. */
  layer: TargetLayer;
  /** The encoding given (--encoding), else found. */
  encoding: TextEncodingName | null;
  /** The source CRS to give GDAL (-s_srs) for GIS files, when given as an EPSG code. */
  epsg: number | null;
  sheet: string | null;
  /** Most rows a layer import takes. */
  maxRows: number;
  limits: ImportLimits;
  drivers: string[];
}

export interface LayerSource {
  headers: string[];
  records: Record<string, unknown>[];
  /** Each record's row as the person sees it: a sheet's row number, a GIS file's feature number (1-based). */
  rows: number[];
  /** The records' geometries in WGS84 (GIS files), or null (ledgers). */
  geometries: (GeoJSON.Geometry | null)[] | null;
  encoding: Pick<EncodingGuess, 'encoding' | 'from'> | null;
  sheet: string | null;
  header: { row: number; rows: number; skipped: string[] } | null;
  /** A GIS file without a coordinate system, read as its numbers are: positions.ts judges them. */
  rawCoordinates: boolean;
  warnings: string[];
  readMs: number;
}

export async function readLayerFile(task: LayerReadTask, onSpawn: OnSpawn): Promise<LayerSource> {
  knowDrivers(task.drivers);
  const t0 = performance.now();
  const out = isTable(task.format) ? await readTable(task, onSpawn) : await readGis(task, onSpawn);
  if (out.records.length > task.maxRows) throw new BadRequestError(`the file has ${out.records.length} rows; a layer import takes at most ${task.maxRows}`);
  if (!out.records.length) throw new BadRequestError('the file has no rows to import');
  return { ...out, readMs: performance.now() - t0 };
}

type Read = Omit<LayerSource, 'readMs'>;

async function readTable(task: LayerReadTask, onSpawn: OnSpawn): Promise<Read> {
  const warnings: string[] = [];
  let encoding: LayerSource['encoding'] = null;
  let file = task.file;
  if (task.format === 'csv') {
    const bytes = await readFile(task.file);
    const guess = detectTextEncoding(bytes, { override: task.encoding ?? undefined });
    warnings.push(...guess.warnings);
    encoding = { encoding: guess.encoding, from: guess.from };
    file = path.join(task.dir, 'decoded.csv');
    await writeFile(file, withSeparatorOnFirstLine(decodeText(bytes.subarray(guess.bom), guess.encoding)));
  }
  const table = await gdalTableRows({ path: file, format: task.format as 'csv' | 'xlsx', dir: task.dir, filename: task.filename, sheet: task.sheet ?? undefined }, task.limits, onSpawn);
  const layout = findHeader(table.rows, { known: knownHeader([TARGETS[task.layer]]) });
  const sheet = sheetRecords(table.rows, layout);
  const left = sheet.skipped;
  if (left.header || left.total) warnings.push(`left out: ${left.header} repeated header rows, ${left.total} total rows`);
  return {
    headers: layout.names, records: sheet.records, rows: sheet.rowIndex.map((i) => i + 1), geometries: null, encoding,
    sheet: task.format === 'xlsx' ? table.sheet : null,
    header: { row: layout.headerRow + 1, rows: layout.headerRows, skipped: layout.skipped },
    rawCoordinates: false, warnings,
  };
}

/**
 * GDAL's CSV driver opens a file only when its first line has a separator, and reads as many columns as
 * that line has (HEADERS=NO): a ledger's title line alone on its row ("武昌区视频监控点位台账"), unless
 * Excel padded it with commas, would hide every column but the first. The first line is padded with the
 * separator the lines below use to the widest of them, which adds empty cells to the title row only.
 */
export function withSeparatorOnFirstLine(text: string): string {
  const lines = text.slice(0, 256 * 1024).split(/\r?\n/).slice(0, 200);
  const first = lines[0] ?? '';
  if (first.includes('"')) return text;
  const separator = [',', ';', '\t', '|'].map((c) => ({ c, n: lines.reduce((a, l) => a + l.split(c).length - 1, 0) })).sort((a, b) => b.n - a.n)[0];
  if (!separator.n) return text;
  const width = Math.max(...lines.map((l) => l.split(separator.c).length));
  const missing = width - first.split(separator.c).length;
  return missing > 0 ? `${first}${separator.c.repeat(missing)}${text.slice(first.length)}` : text;
}

const NO_CRS = /no coordinate system GDAL can read/;

/**
 * Each Shapefile of a zip archive as GDAL opens it, with the text encoding its .cpg, DBF language id or bytes
 * say (or the one given), and its name without the extension; the first one's encoding stands for the file.
 */
export async function zippedShapefiles(file: string, override: TextEncodingName | null): Promise<{
  layers: { path: string; openOptions: string[]; name: string }[]; encoding: LayerSource['encoding']; warnings: string[];
}> {
  const buf = await readFile(file);
  const entries = checkZip(buf);
  const out: Awaited<ReturnType<typeof zippedShapefiles>> = { layers: [], encoding: null, warnings: [] };
  for (const shp of entries.filter((e) => /\.shp$/i.test(e.name) && !e.name.endsWith('/'))) {
    const text = shapefileText(buf, entries, shp.name);
    const guess = detectDbfEncoding(text.dbf, { override: override ?? undefined, cpg: text.cpg });
    out.warnings.push(...guess.warnings);
    out.encoding ??= { encoding: guess.encoding, from: guess.from };
    out.layers.push({ path: `/vsizip/{${file}}/${shp.gdalName}`, openOptions: [`ENCODING=${gdalEncoding(guess.encoding)}`], name: path.basename(shp.name, path.extname(shp.name)) });
  }
  return out;
}

async function readGis(task: LayerReadTask, onSpawn: OnSpawn): Promise<Read> {
  const warnings: string[] = [];
  let encoding: LayerSource['encoding'] = null;
  const sources: { path: string; openOptions?: string[] }[] = [];
  if (task.format === 'shapefile') {
    const zipped = await zippedShapefiles(task.file, task.encoding);
    warnings.push(...zipped.warnings);
    encoding = zipped.encoding;
    sources.push(...zipped.layers);
  } else if (task.format === 'geojson') {
    const bytes = await readFile(task.file);
    checkGeoJsonCrs(bytes);
    // GeoJSON is UTF-8 by definition; one saved in GBK is decoded here rather than read as mojibake.
    const guess = detectTextEncoding(bytes, { override: task.encoding ?? undefined });
    encoding = { encoding: guess.encoding, from: guess.from };
    if (guess.encoding !== 'utf-8') await writeFile(task.file, decodeText(bytes.subarray(guess.bom), guess.encoding));
    sources.push({ path: task.file });
  } else sources.push({ path: task.file });

  const gisFormat = task.format as 'shapefile' | 'gpkg' | 'geojson' | 'kml';
  const read = async (epsg: number | null) => {
    const features: GeoJSON.Feature[] = [];
    for (const s of sources) {
      const left = { ...task.limits, features: task.limits.features - features.length };
      for (const f of await gdalFeatures({ ...s, format: gisFormat, dir: task.dir, filename: task.filename }, epsg, left, onSpawn)) features.push(f);
    }
    return features;
  };
  let rawCoordinates = false;
  let features: GeoJSON.Feature[];
  try {
    features = await read(task.epsg);
  } catch (err) {
    if (!(err instanceof GdalReadError) || task.epsg !== null || !NO_CRS.test(err.message)) throw err;
    // Source and target both EPSG:4326: GDAL hands the numbers on untouched, for positions.ts to judge.
    features = await read(4326);
    rawCoordinates = true;
  }
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) if (!seen.has(k)) { seen.add(k); headers.push(k); }
  return {
    headers, records: features.map((f) => f.properties ?? {}), rows: features.map((_, i) => i + 1), geometries: features.map((f) => f.geometry ?? null),
    encoding, sheet: null, header: null, rawCoordinates, warnings,
  };
}
