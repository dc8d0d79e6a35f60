// One import, all or nothing: read the file and build the network (topology.ts) in a worker thread, GDAL
// confined to the uploaded file (gdal-env.ts), then write the imports row, its manholes and its pipes in one
// transaction (network-write.ts), over the earlier import of the same network when there is one. A failure
// anywhere — or the process being killed — leaves nothing behind.
// Written rows reach tiles and traces through the change feed like any other change.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { endJobDone } from './job-rows.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { stopWhenClientGone } from '../db/client-check.ts';
import { BadRequestError } from '../http/errors.ts';
import { gdalDrivers } from './gdal-env.ts';
import { IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import { checkMagic, swmmSource, type ImportFormat, type SourceCrs } from './read.ts';
import { fileHash, importToReplace, writeNetwork, type ReplaceChoice, type ReplacedImport } from './network-write.ts';
import { runInWorker } from './run-in-worker.ts';
import type { SwmmModel } from './swmm.ts';
import type { BuiltNetwork, TopologyReport, Usage } from './topology.ts';
import { checkSource, type GisResult } from './worker-tasks.ts';
import { checkZip, shapefileMembers } from './zip-check.ts';
import { privateTmpDir } from '../tmp-dirs.ts';
import { runChecks } from '../network/checks.ts';
import type { CheckCode } from '../domain/network/checks.ts';

export interface ImportOptions {
  filename: string;
  format: ImportFormat;
  crs: SourceCrs;
  /** Pipe ends closer than this to a node are joined to it. */
  tolerance_m: number;
  /** Usage of pipes whose attributes do not say. */
  usage: Usage;
  /** The import job (importers/jobs.ts) that ends "done" in the import's transaction. */
  jobId?: string;
  /** Time, memory and size limits of reading the file (limits.ts); the defaults when not given. */
  limits?: ImportLimits;
  /** Which earlier import of the same network this one replaces (network-write.ts); `auto` when not given. */
  replace?: ReplaceChoice;
}

export interface ImportReport extends TopologyReport {
  format: ImportFormat;
  crs: string;
  /** crs as values, for a client's own words. */
  crs_source: GisResult['crsSource'];
  bbox: [number, number, number, number] | null;
  warnings: string[];
  timing_ms: { read: number; topology: number; write: number };
  /** The earlier import of the same network this one replaced, and how its rows fared; null when none. */
  replaced?: ReplacedImport | null;
  /** The network design checks over the imported reaches and manholes (server/network/checks.ts). */
  checks?: { total: number; counts: Partial<Record<CheckCode, number>>; timing_ms: number };
}

export type Progress = (stage: 'reading' | 'topology' | 'writing' | 'done', fraction: number) => void;

/** Largest upload accepted (API) and file read (CLI). */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
export { MAX_LINKS } from './worker-tasks.ts';

export function formatFromName(name: string): ImportFormat | null {
  const ext = path.extname(name).toLowerCase();
  return ({ '.geojson': 'geojson', '.json': 'geojson', '.zip': 'shapefile', '.gpkg': 'gpkg', '.inp': 'swmm' } as Record<string, ImportFormat>)[ext] ?? null;
}

interface ReadNetwork { crs: string; crsSource: GisResult['crsSource']; warnings: string[]; net: BuiltNetwork; readMs: number; topologyMs: number }

/** The file read and its topology built, in the import worker (run-in-worker.ts). */
async function readNetwork(buf: Buffer, opts: ImportOptions, db: pg.ClientBase, limits: ImportLimits, progress: Progress): Promise<ReadNetwork> {
  checkMagic(buf, opts.format);
  const build = { tolerance_m: opts.tolerance_m, defaultUsage: opts.usage };
  if (opts.format === 'swmm') {
    const t0 = performance.now();
    const model = await runInWorker<SwmmModel>({ kind: 'swmm', text: buf.toString('utf8') }, limits);
    const source = await swmmSource(model, opts.crs, db);
    checkSource(source);
    const t1 = performance.now();
    progress('topology', 0.35);
    const net = await runInWorker<BuiltNetwork>({ kind: 'topology', source, build }, limits);
    return { crs: source.crs, crsSource: source.crsSource, warnings: source.warnings, net, readMs: t1 - t0, topologyMs: performance.now() - t1 };
  }
  const paths = opts.format === 'shapefile' ? shapefileMembers(checkZip(buf)) : null;
  // GDAL reads from a file; a private temporary folder with a fixed name keeps the user's filename out of paths.
  const dir = await privateTmpDir('import');
  try {
    const file = path.join(dir, { geojson: 'upload.geojson', shapefile: 'upload.zip', gpkg: 'upload.gpkg' }[opts.format]);
    await writeFile(file, buf);
    const t0 = performance.now();
    const r = await runInWorker<GisResult>({
      kind: 'gis', format: opts.format, file, dir, filename: opts.filename, crs: opts.crs, build, limits, drivers: await gdalDrivers(),
      // Each Shapefile of the archive by name: the archive itself is never opened as a dataset.
      paths: paths ? paths.map((m) => `/vsizip/{${file}}/${m}`) : [file],
    }, limits, () => progress('topology', 0.35));
    return { crs: r.crs, crsSource: r.crsSource, warnings: r.warnings, net: r.net, readMs: r.readMs, topologyMs: performance.now() - t0 - r.readMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runImport(pool: pg.Pool, buf: Buffer, opts: ImportOptions, progress: Progress = () => {}, actor: Actor = { name: 'cli', role: 'system' }, ip: string | null = null): Promise<{ id: number; report: ImportReport }> {
  if (buf.length > MAX_IMPORT_BYTES) throw new BadRequestError(`the file is ${(buf.length / 1024 ** 2).toFixed(1)} MB; at most ${MAX_IMPORT_BYTES / 1024 ** 2} MB`);
  if (!(opts.tolerance_m >= 0 && opts.tolerance_m <= 50)) throw new BadRequestError('tolerance_m must be between 0 and 50 metres');
  const client = await pool.connect();
  try {
    progress('reading', 0.05);
    const { net, ...source } = await readNetwork(buf, opts, client, opts.limits ?? IMPORT_LIMITS, progress);
    const t2 = performance.now();
    progress('writing', 0.55);
    const lons = net.nodes.map((n) => n.lon);
    const lats = net.nodes.map((n) => n.lat);
    // Not Math.min(...lons): 500,000 arguments overflow the stack.
    const bbox: ImportReport['bbox'] = net.nodes.length
      ? [lons.reduce((a, b) => Math.min(a, b)), lats.reduce((a, b) => Math.min(a, b)), lons.reduce((a, b) => Math.max(a, b)), lats.reduce((a, b) => Math.max(a, b))]
      : null;
    const report: ImportReport = { ...net.report, format: opts.format, crs: source.crs, crs_source: source.crsSource, bbox, warnings: source.warnings, timing_ms: { read: 0, topology: 0, write: 0 } };

    await client.query('BEGIN');
    try {
      // Killed in the middle of a statement, the import's process leaves no backend working on for nothing.
      await stopWhenClientGone(client, true);
      // The pool's 30 s per statement is for map requests; writing 100 MB of pipes may take longer.
      await client.query(`SET LOCAL statement_timeout = '10min'`);
      // Network imports one at a time: two sending the same survey at once would each miss the other's.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['onemap.network.import']);
      const sha256 = fileHash(buf);
      const over = await importToReplace(client, opts.replace ?? 'auto', sha256, opts.filename, net.links.map((l) => l.code));
      const { rows: [imp] } = await client.query<{ id: number }>(
        `INSERT INTO imports (filename, format, source_crs, options, report) VALUES ($1, $2, $3, $4, '{}') RETURNING id`,
        [opts.filename.slice(0, 200), opts.format, source.crs, JSON.stringify({ tolerance_m: opts.tolerance_m, usage: opts.usage, sha256 })]);
      report.replaced = await writeNetwork(client, imp.id, net, opts.usage, over, () => progress('writing', 0.75));
      if (report.replaced) {
        const { summary, ...counts } = report.replaced;
        await audit(client, actor, null, { action: 'import.replace', entity: 'import', entity_id: over!.id, before: { filename: over!.filename }, after: { replaced_by: imp.id, summary, ...counts, ip } });
      }
      const t3 = performance.now();
      // Checked inside the transaction: the report says what is wrong with exactly what was written.
      const { total, counts, timing_ms } = await runChecks(client, { import_id: imp.id }, { limit: 0 });
      report.checks = { total, counts, timing_ms };
      report.timing_ms = { read: round(source.readMs), topology: round(source.topologyMs), write: round(t3 - t2) };
      await client.query('UPDATE imports SET report = $2 WHERE id = $1', [imp.id, JSON.stringify(report)]);
      await audit(client, actor, null, { action: 'import.create', entity: 'import', entity_id: imp.id, after: { filename: opts.filename, format: opts.format, written: report.written, replaced: report.replaced?.import_id ?? null, ip } });
      if (opts.jobId) await endJobDone(client, opts.jobId, imp.id);
      await client.query('COMMIT');
      progress('done', 1);
      return { id: imp.id, report };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      // Data the database refuses (a geometry PostGIS cannot parse, a value out of range) is the file's fault.
      const code = (err as { code?: string }).code ?? '';
      if (/^(22|23|XX)/.test(code)) throw new BadRequestError(`the file's data could not be stored: ${(err as Error).message}`);
      throw err;
    }
  } finally {
    client.release();
  }
}

const round = (v: number) => Math.round(v);
