// One import, all or nothing: read the file, build the network (topology.ts), write the imports row, its
// manholes and its pipes in one transaction. A failure anywhere — or the process being killed — leaves
// nothing behind. Written rows reach tiles and traces through the change feed like any other change.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { endJobDone } from './job-rows.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { stopWhenClientGone } from '../db/client-check.ts';
import { BadRequestError } from '../features/errors.ts';
import { checkMagic, readGis, readSwmm, type ImportFormat, type SourceCrs, type SourceData } from './read.ts';
import { buildNetwork, type TopologyReport, type Usage } from './topology.ts';
import { checkZip } from './zip-check.ts';
import { privateTmpDir } from '../tmp-dirs.ts';

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
}

export interface ImportReport extends TopologyReport {
  format: ImportFormat;
  crs: string;
  bbox: [number, number, number, number] | null;
  warnings: string[];
  timing_ms: { read: number; topology: number; write: number };
}

export type Progress = (stage: 'reading' | 'topology' | 'writing' | 'done', fraction: number) => void;

/** Largest upload accepted (API) and file read (CLI). */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
export const MAX_LINKS = 500_000;

export function formatFromName(name: string): ImportFormat | null {
  const ext = path.extname(name).toLowerCase();
  return ({ '.geojson': 'geojson', '.json': 'geojson', '.zip': 'shapefile', '.gpkg': 'gpkg', '.inp': 'swmm' } as Record<string, ImportFormat>)[ext] ?? null;
}

async function read(buf: Buffer, opts: ImportOptions, db: pg.ClientBase): Promise<SourceData> {
  checkMagic(buf, opts.format);
  if (opts.format === 'swmm') return readSwmm(buf.toString('utf8'), opts.crs, db);
  if (opts.format === 'shapefile') checkZip(buf);
  // GDAL reads from a file; a private temporary folder with a fixed name keeps the user's filename out of paths.
  const dir = await privateTmpDir('import');
  try {
    const file = path.join(dir, { geojson: 'upload.geojson', shapefile: 'upload.zip', gpkg: 'upload.gpkg' }[opts.format]);
    await writeFile(file, buf);
    return await readGis(file, opts.format, opts.crs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runImport(pool: pg.Pool, buf: Buffer, opts: ImportOptions, progress: Progress = () => {}, actor: Actor = { name: 'cli', role: 'system' }, ip: string | null = null): Promise<{ id: number; report: ImportReport }> {
  if (buf.length > MAX_IMPORT_BYTES) throw new BadRequestError(`the file is ${(buf.length / 1024 ** 2).toFixed(1)} MB; at most ${MAX_IMPORT_BYTES / 1024 ** 2} MB`);
  if (!(opts.tolerance_m >= 0 && opts.tolerance_m <= 50)) throw new BadRequestError('tolerance_m must be between 0 and 50 metres');
  const client = await pool.connect();
  try {
    const t0 = performance.now();
    progress('reading', 0.05);
    const source = await read(buf, opts, client);
    if (source.links.length > MAX_LINKS) throw new BadRequestError(`the file has ${source.links.length} pipes; at most ${MAX_LINKS} per import`);
    if (!source.links.length) throw new BadRequestError('the file has no line features (pipes) to import');
    const t1 = performance.now();
    progress('topology', 0.35);
    const net = buildNetwork(source.nodes, source.links, { tolerance_m: opts.tolerance_m, defaultUsage: opts.usage });
    if (!net.links.length) throw new BadRequestError('no pipe could be imported (see the reasons: every one was skipped)');
    const t2 = performance.now();
    progress('writing', 0.55);
    const lons = net.nodes.map((n) => n.lon);
    const lats = net.nodes.map((n) => n.lat);
    const bbox: ImportReport['bbox'] = net.nodes.length ? [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] : null;
    const report: ImportReport = { ...net.report, format: opts.format, crs: source.crs, bbox, warnings: source.warnings, timing_ms: { read: 0, topology: 0, write: 0 } };

    await client.query('BEGIN');
    try {
      // Killed in the middle of a statement, the import's process leaves no backend working on for nothing.
      await stopWhenClientGone(client, true);
      // The pool's 30 s per statement is for map requests; writing 100 MB of pipes may take longer.
      await client.query(`SET LOCAL statement_timeout = '10min'`);
      const { rows: [imp] } = await client.query<{ id: number }>(
        `INSERT INTO imports (filename, format, source_crs, options, report) VALUES ($1, $2, $3, $4, '{}') RETURNING id`,
        [opts.filename.slice(0, 200), opts.format, source.crs, JSON.stringify({ tolerance_m: opts.tolerance_m, usage: opts.usage })]);
      // A manhole's usage is that of the pipes it joins (the majority), else the default.
      const usageOf = new Map<string, Record<string, number>>();
      for (const l of net.links) for (const c of [l.from, l.to]) {
        const u = usageOf.get(c) ?? {};
        const k = l.usage ?? opts.usage;
        u[k] = (u[k] ?? 0) + 1;
        usageOf.set(c, u);
      }
      const major = (c: string) => Object.entries(usageOf.get(c) ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0] ?? opts.usage;
      const { rows: ids } = await client.query<{ id: number; code: string }>(
        `INSERT INTO manholes (code, kind, usage, network, ground_elev_m, invert_elev_m, depth_m, import_id, geom)
         SELECT code, kind, usage, 'main', g, inv, g - inv, $1, ST_SetSRID(ST_MakePoint(x, y), 4326)
         FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[]) AS u(code, kind, usage, g, inv, x, y)
         RETURNING id, code`,
        [imp.id, net.nodes.map((n) => n.code), net.nodes.map((n) => n.kind), net.nodes.map((n) => major(n.code)),
          net.nodes.map((n) => n.ground_m), net.nodes.map((n) => n.invert_m), lons, lats]);
      const idOf = new Map(ids.map((r) => [r.code, r.id]));
      progress('writing', 0.75);
      await client.query(
        `INSERT INTO pipes (code, from_node, to_node, usage, network, diameter_mm, material, length_m, up_invert_m, down_invert_m, import_id, geom)
         SELECT code, f, t, usage, 'main', d, mat, coalesce(len, ST_Length(g::geography)), up, down, $1, g
         FROM (SELECT u.*, ST_SetSRID(ST_GeomFromGeoJSON(json), 4326) AS g
               FROM unnest($2::text[], $3::int[], $4::int[], $5::text[], $6::int[], $7::text[], $8::float8[], $9::float8[], $10::float8[], $11::text[])
                    AS u(code, f, t, usage, d, mat, len, up, down, json)) s`,
        [imp.id, net.links.map((l) => l.code), net.links.map((l) => idOf.get(l.from)), net.links.map((l) => idOf.get(l.to)),
          net.links.map((l) => l.usage ?? opts.usage), net.links.map((l) => l.diameter_mm), net.links.map((l) => l.material),
          net.links.map((l) => l.length_m), net.links.map((l) => l.up_invert_m), net.links.map((l) => l.down_invert_m),
          net.links.map((l) => JSON.stringify({ type: 'LineString', coordinates: l.coords }))]);
      const t3 = performance.now();
      report.timing_ms = { read: round(t1 - t0), topology: round(t2 - t1), write: round(t3 - t2) };
      await client.query('UPDATE imports SET report = $2 WHERE id = $1', [imp.id, JSON.stringify(report)]);
      await audit(client, actor, null, { action: 'import.create', entity: 'import', entity_id: imp.id, after: { filename: opts.filename, format: opts.format, written: report.written, ip } });
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
