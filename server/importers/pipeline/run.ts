// One layer import, all or nothing: the file read in the import worker (read-layer.ts), its text checked
// for garbling, its columns matched to the layer's fields (or the mapping given), its positions converted
// and checked to land in the district (positions.ts), every row checked (rows.ts), then in one transaction
// the rows staged, resolved and classified (stage.ts) by the layer's module (layers/*.ts). A dry run, or a
// file with any refused row, rolls the transaction back: nothing is written. Otherwise the module writes
// and derives, the import is recorded in the imports table and the audit log, and the transaction commits.
// Imports run one at a time in a process: they take the cores the map needs while they read and check.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { audit, type Actor } from '../../auth/audit.ts';
import { stopWhenClientGone } from '../../db/client-check.ts';
import { ApiError, BadRequestError } from '../../http/errors.ts';
import { Semaphore } from '../../limits/semaphore.ts';
import { privateTmpDir } from '../../tmp-dirs.ts';
import { gdalDrivers } from '../gdal-env.ts';
import { LAYER_MODULES } from '../layers/index.ts';
import type { LayerName } from '../layers/names.ts';
import type { LayerModule, RowContext, StageContext } from '../layers/types.ts';
import { IMPORT_LIMITS, type ImportLimits } from '../limits.ts';
import { runInWorker } from '../run-in-worker.ts';
import { applyUserMapping, mappingTemplate, matchColumns, type ColumnMapping } from '../shapes/columns.ts';
import { fieldsOf } from './fields.ts';
import type { Bbox, LonLat } from '../shapes/crs-check.ts';
import { parseCrs, type Crs } from '../shapes/crs.ts';
import { parseEncodingOverride, type TextEncodingName } from '../shapes/encoding.ts';
import { garbledColumns } from '../shapes/garbled.ts';
import { checkZip, checkZipEntries } from '../zip-check.ts';
import { checkLayerMagic, layerFormatFromName, LAYER_FORMATS, type LayerFormat } from './formats.ts';
import { positionsOf } from './positions.ts';
import type { LayerSource } from './read-layer.ts';
import { emptyCounts, LayerImportRefused, LISTED_ROWS, rowsRefusedMessage, type LayerImportReport, type RowOutcome } from './report.ts';
import { checkRows } from './rows.ts';
import { checkStaged, classifyStaged, stageRows } from './stage.ts';

/** A layer's file is a registry or a ledger: smaller than a network, and answered while the client waits. */
export const LAYER_LIMITS = { bytes: 50 * 1024 ** 2, rows: 200_000, waitMs: 120_000 };

export interface LayerImportOptions {
  layer: LayerName;
  filename: string;
  format?: LayerFormat;
  crs?: string;
  encoding?: string;
  /** The person's mapping {field: column | null}, parsed from JSON. */
  mapping?: unknown;
  sheet?: string;
  dryRun: boolean;
  replace?: boolean;
  limits?: ImportLimits;
  /** How messages tell the person to give an option: over HTTP (crs=) or on the command line (--crs ). */
  via?: 'http' | 'cli';
}

/** One layer import at a time in a process (inImportSlot). */
const layerImportSlot = new Semaphore(1);

export async function runLayerImport(pool: pg.Pool, buf: Buffer, opts: LayerImportOptions, actor: Actor = { name: 'cli', role: 'system' }, ip: string | null = null): Promise<LayerImportReport> {
  const module = LAYER_MODULES[opts.layer];
  if (!module) throw new BadRequestError(`there is no layer ${JSON.stringify(String(opts.layer).slice(0, 30))}`);
  if (buf.length > LAYER_LIMITS.bytes) throw new BadRequestError(`the file is ${(buf.length / 1024 ** 2).toFixed(1)} MB; a layer import takes at most ${LAYER_LIMITS.bytes / 1024 ** 2} MB`);
  const format = opts.format ?? layerFormatFromName(opts.filename);
  const flag = opts.via === 'cli' ? (o: string) => `--${o} ` : (o: string) => `${o}=`;
  if (!format) throw new BadRequestError(`cannot tell the format from ${JSON.stringify(opts.filename.slice(0, 60))}; give ${flag('format')}${LAYER_FORMATS.join('|')}`);
  checkLayerMagic(buf, format);
  if (format === 'shapefile') checkZip(buf);
  if (format === 'xlsx') checkZipEntries(buf);
  if (opts.replace && !module.replaceable) throw new BadRequestError(`${opts.layer} cannot be replaced as a whole; replace is for grids, streets and communities`);
  const crs = opts.crs ? parseCrs(opts.crs) : null;
  const encoding = opts.encoding ? parseEncodingOverride(opts.encoding) : null;

  return inImportSlot(() => run(pool, buf, { ...opts, format }, module, crs, encoding, flag, actor, ip));
}

/** Runs `fn` when no other layer import (inspections and the basemap too) is running in this process. */
export async function inImportSlot<T>(fn: () => Promise<T>): Promise<T> {
  const slot = layerImportSlot.acquire(LAYER_LIMITS.waitMs);
  if (!(await slot.granted)) throw new ApiError(503, 'busy', 'this import waited two minutes for the layer imports before it (one runs at a time); try again when they are done');
  try {
    return await fn();
  } finally {
    layerImportSlot.release();
  }
}

interface Resolved extends LayerImportOptions { format: LayerFormat }

async function run(pool: pg.Pool, buf: Buffer, opts: Resolved, module: LayerModule, crs: Crs | null, encoding: TextEncodingName | null,
  flag: (o: string) => string, actor: Actor, ip: string | null): Promise<LayerImportReport> {
  const limits = opts.limits ?? IMPORT_LIMITS;
  const report: LayerImportReport = {
    layer: opts.layer, filename: opts.filename, format: opts.format, dry_run: opts.dryRun, committed: false, import_id: null,
    encoding: null, sheet: null, header: null, crs: '', crs_source: null, landing: null, fields: fieldsOf(module.target), headers: [], mapping: {}, matches: [], missing: [], unused: [], template: {},
    counts: emptyCounts(), rejected: [], rows: [], rows_truncated: false, derived: {}, warnings: [], timing_ms: { read: 0, validate: 0, write: 0 },
  };
  // Any refusal carries the report as far as it got.
  const refused = (err: unknown) => (err instanceof ApiError && !(err instanceof LayerImportRefused) && err.statusCode === 400
    ? Object.assign(new LayerImportRefused(err.message, report), { detail: (err as { detail?: string }).detail }) : err);
  try {
    const source = await readSource(buf, opts, encoding, crs, limits);
    Object.assign(report, { encoding: source.encoding, sheet: source.sheet, header: source.header, headers: source.headers });
    report.warnings.push(...source.warnings);
    report.counts.read = source.records.length;
    report.timing_ms.read = Math.round(source.readMs);
    const t0 = performance.now();

    const garbled = garbledColumns(source.records, { decodedAs: source.encoding?.encoding as TextEncodingName | undefined, flag: flag('encoding') });
    if (garbled.length) throw new BadRequestError(garbled.map((g) => g.message).join('; '));
    const mapping = columnMapping(module, source, opts.mapping);
    Object.assign(report, { mapping: mapping.mapping, matches: mapping.matches, missing: mapping.missing, unused: mapping.unused, template: mappingTemplate(module.target, mapping) });
    if (!mapping.ok) {
      throw new BadRequestError(`the file lacks ${mapping.missing.join('; ')}: map them with ${flag('mapping')}{"field": "column"}. The file's columns: ${source.headers.map((h) => JSON.stringify(h)).join(', ')}`);
    }

    const client = await pool.connect();
    try {
      const district = await districtOf(client, module);
      const pos = await positionsOf(client, {
        records: source.records, geometries: source.geometries, rawCoordinates: source.rawCoordinates, mapping: mapping.mapping,
        given: crs, area: district.area, flag: flag('crs'),
      });
      Object.assign(report, { crs: pos.crs, crs_source: pos.crsSource, landing: pos.landing });
      report.warnings.push(...pos.warnings);
      const ctx: RowContext = { districts: district.codes, mapped: new Set(Object.keys(mapping.mapping)), today: today() };
      const checked = checkRows(module, source.records, source.rows, pos.geometries, mapping, ctx);
      report.timing_ms.validate = Math.round(performance.now() - t0);
      return await stageAndWrite(client, module, checked, opts, report, ctx, actor, ip);
    } finally {
      client.release();
    }
  } catch (err) {
    throw refused(err);
  }
}

async function readSource(buf: Buffer, opts: Resolved, encoding: TextEncodingName | null, crs: Crs | null, limits: ImportLimits): Promise<LayerSource> {
  // GDAL reads from a file; a private folder with a fixed name keeps the person's file name out of paths.
  const dir = await privateTmpDir('import');
  try {
    const file = path.join(dir, `upload.${{ shapefile: 'zip', gpkg: 'gpkg', geojson: 'geojson', kml: 'kml', csv: 'csv', xlsx: 'xlsx' }[opts.format]}`);
    await writeFile(file, buf);
    return await runInWorker<LayerSource>({
      kind: 'layer', format: opts.format, file, dir, filename: opts.filename, layer: opts.layer, encoding,
      epsg: crs?.kind === 'epsg' ? crs.epsg : null, sheet: opts.sheet ?? null, maxRows: LAYER_LIMITS.rows, limits, drivers: await gdalDrivers(),
    }, limits);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function columnMapping(module: LayerModule, source: LayerSource, user: unknown): ColumnMapping {
  const hasGeometry = source.geometries !== null;
  const auto = matchColumns(source.headers, module.target, { hasGeometry });
  return user === undefined ? auto : applyUserMapping(auto, user, source.headers, module.target, { hasGeometry });
}

/** China, for the district's own outline: the only area it must land in. */
const CHINA: Bbox = [73, 18, 135, 54];

async function districtOf(db: pg.ClientBase, module: LayerModule) {
  const { rows: [d] } = await db.query<{ codes: string[] | null; w: number | null; s: number; e: number; n: number }>(
    `SELECT (SELECT array_agg(code::text ORDER BY code) FROM districts) AS codes, ST_XMin(ext) AS w, ST_YMin(ext) AS s, ST_XMax(ext) AS e, ST_YMax(ext) AS n
     FROM (SELECT ST_Extent(geom) AS ext FROM districts) x`);
  const codes = d.codes ?? [];
  if (module.layer === 'district') return { codes, area: { bbox: CHINA, centre: [104, 35] as LonLat, margin_km: 0, what: 'China' } };
  if (d.w === null) return { codes, area: null };
  return { codes, area: { bbox: [d.w, d.s, d.e, d.n] as Bbox, centre: [(d.w + d.e) / 2, (d.s + d.n) / 2] as LonLat, margin_km: 5, what: 'the district' } };
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

function count(report: LayerImportReport, outcomes: readonly RowOutcome[]) {
  for (const o of outcomes) {
    if (o.outcome === 'rejected') report.counts.rejected++;
    else report.counts[o.outcome]++;
  }
  report.counts.valid = report.counts.read - report.counts.rejected;
  report.rejected = outcomes.filter((o) => o.outcome === 'rejected').slice(0, LISTED_ROWS);
  report.rows = outcomes.slice(0, LISTED_ROWS);
  report.rows_truncated = outcomes.length > LISTED_ROWS;
}

async function stageAndWrite(client: pg.ClientBase, module: LayerModule, checked: ReturnType<typeof checkRows>, opts: Resolved,
  report: LayerImportReport, rowCtx: RowContext, actor: Actor, ip: string | null): Promise<LayerImportReport> {
  const t0 = performance.now();
  const ctx: StageContext = { table: 'import_rows', mapped: rowCtx.mapped, replace: !!opts.replace, notes: new Map() };
  await client.query('BEGIN');
  try {
    // Killed in the middle of a statement, the import's process leaves no backend working on for nothing.
    await stopWhenClientGone(client, true);
    await client.query(`SET LOCAL statement_timeout = '10min'`);
    await stageRows(client, module, checked.staged);
    report.warnings.push(...await checkStaged(client, module));
    const staged = await classifyStaged(client, module, ctx);
    const outcomes = [...staged, ...checked.rejected].sort((a, b) => a.row - b.row);
    count(report, outcomes);
    if (ctx.replace) report.counts.removed = await module.replaceable!.count(client);
    if (report.counts.rejected) {
      await client.query('ROLLBACK');
      if (opts.dryRun) return finish(report, t0);
      throw new LayerImportRefused(rowsRefusedMessage(report.rejected, report.counts.read), report);
    }
    if (opts.dryRun) {
      await client.query('ROLLBACK');
      return finish(report, t0);
    }
    await module.write(client, ctx);
    if (ctx.replace) report.counts.removed = await module.replaceable!.remove(client);
    report.derived = (await module.derive?.(client, ctx)) ?? {};
    finish(report, t0);
    report.committed = true;
    const { rows: [imp] } = await client.query<{ id: number }>(
      `INSERT INTO imports (filename, format, layer, source_crs, options, report) VALUES ($1, $2, $3, $4, $5, '{}') RETURNING id`,
      [opts.filename.slice(0, 200), opts.format, opts.layer, report.crs,
        JSON.stringify({ crs: opts.crs ?? null, encoding: opts.encoding ?? null, mapping: opts.mapping ?? null, sheet: opts.sheet ?? null, replace: !!opts.replace })]);
    report.import_id = imp.id;
    await client.query('UPDATE imports SET report = $2 WHERE id = $1', [imp.id, JSON.stringify(report)]);
    await recordKeys(client, module, imp.id);
    await audit(client, actor, ip === null ? null : { ip }, {
      action: 'import.create', entity: 'import', entity_id: imp.id,
      after: { filename: opts.filename, format: opts.format, layer: opts.layer, counts: report.counts, ip },
    });
    await client.query('COMMIT');
    return report;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    report.committed = false;
    report.import_id = null;
    // Data the database refuses (a value out of its range, a row other rows still need) is the file's fault.
    const code = (err as { code?: string }).code ?? '';
    if (code === '23503') throw new BadRequestError(`rows the file does not have are still used by other rows, so they cannot be removed (${(err as Error).message}); import those first, or leave replace off`);
    if (/^(22|23|XX)/.test(code)) throw new BadRequestError(`the file's data could not be stored: ${(err as Error).message}`);
    throw err;
  }
}

/** The keys the import inserted or updated (import_keys), for removing it later (server/importers/layer-import-delete.ts). */
async function recordKeys(client: pg.ClientBase, module: LayerModule, id: number): Promise<void> {
  const staged = module.owns.staged ?? 'key';
  await client.query(
    `INSERT INTO import_keys (import_id, key, inserted)
     SELECT $1, ${staged}, bool_or(action = 'insert') FROM import_rows WHERE action IN ('insert', 'update') AND ${staged} IS NOT NULL GROUP BY ${staged}`, [id]);
}

function finish(report: LayerImportReport, t0: number): LayerImportReport {
  report.timing_ms.write = Math.round(performance.now() - t0);
  return report;
}
