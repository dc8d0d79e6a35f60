// Reading an uploaded GIS file with GDAL, confined (gdal-env.ts): first `ogrinfo` with the declared format's
// driver alone must open it and say that driver opened it; then ogr2ogr turns it into GeoJSON lines in
// EPSG:4326, parsed as they stream, with a cap on bytes and features and a time limit. Runs in the import
// worker: parsing hundreds of MB of JSON would otherwise stall the server's event loop.
import { spawn } from 'node:child_process';
import { BadRequestError } from '../http/errors.ts';
import { gdalEnv, INPUT_DRIVER, OUTPUT_DRIVER, type GisFormat } from './gdal-env.ts';
import { gdalReason, publicGdalText } from './gdal-message.ts';
import type { ImportLimits } from './limits.ts';
import type { Feature } from 'geojson';

/** A refusal whose GDAL text (paths, hosts) is for the server log, not the job status. */
export class GdalReadError extends BadRequestError {
  constructor(message: string, readonly detail: string) {
    super(message);
  }
}

export interface GdalSource {
  /** What GDAL opens: a file of the private folder, or /vsizip/{…}/member.shp. */
  path: string;
  format: GisFormat;
  /** The private folder (cwd, HOME and temp folder of GDAL) and the upload's name, for messages. */
  dir: string;
  filename: string;
  /** Open options of the driver (-oo), set by the importer (never from a request): ENCODING=GB18030 for a DBF that does not say. */
  openOptions?: string[];
}

const WORDS: Record<GisFormat, string> = { geojson: 'GeoJSON', shapefile: 'a Shapefile', gpkg: 'a GeoPackage', kml: 'KML' };

/** Pids of GDAL processes running, for whoever must stop them (the worker's owner, when it ends the worker). */
export type OnSpawn = (pid: number, running: boolean) => void;

export interface RunResult { code: number | null; stderr: string; timedOut: boolean; stopped: string | null }

/**
 * Runs a GDAL tool in its own process group with `env`, `dir` as cwd; stdout goes line by line to `onLine`,
 * which may return a reason to stop (the process group is then killed). Killed too after `seconds`.
 */
export function runGdal(cmd: string, args: string[], env: NodeJS.ProcessEnv, dir: string, seconds: number,
  onLine: (line: string) => string | null, maxLine: number, onSpawn: OnSpawn): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stopped: string | null = null;
    let timedOut = false;
    const kill = () => { try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* already gone */ } };
    const stop = (why: string) => { stopped ??= why; kill(); };
    const timer = setTimeout(() => { timedOut = true; kill(); }, seconds * 1000);
    if (p.pid) onSpawn(p.pid, true);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    p.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      let start = 0;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, start)) {
        const line = Buffer.concat([...pending, chunk.subarray(start, i)]).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = i + 1;
        const why = onLine(line);
        if (why) return stop(why);
      }
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLine) stop(`the file is too large to import: one of its features is larger than ${Math.round(maxLine / 1024 ** 2)} MB as GeoJSON`);
    });
    // Only the start of stderr is kept: a broken file can make GDAL warn once per feature.
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => { if (stderr.length < 64 * 1024) stderr += b.toString('utf8'); });
    p.on('error', (e) => { clearTimeout(timer); reject(new Error(`${cmd} could not be run (${e.message}); install gdal-bin`)); });
    p.on('close', (code) => {
      clearTimeout(timer);
      if (p.pid) onSpawn(p.pid, false);
      if (!stopped && !timedOut && pending.length) {
        const why = onLine(Buffer.concat(pending).toString('utf8'));
        if (why) stopped = why;
      }
      // GDAL registers drivers twice in some tools and warns, the second time, of each one skipped already.
      resolve({ code, stderr: stderr.replace(/^Warning 1: Unable to find driver .* to unload from GDAL_SKIP.*\n/gm, ''), timedOut, stopped });
    });
  });
}

/** What ogrinfo is given to open a file with one driver, and how the file is named in messages. */
export interface DriverCheck { path: string; dir: string; filename: string; driver: string; words: string; openOptions?: string[] }

/**
 * ogrinfo with one driver alone: it must open the file, and say it did with that driver. Returns the
 * first `keep` lines it printed (the layers it found), or refuses in words fit for the client.
 */
export async function openWithDriver(c: DriverCheck, limits: ImportLimits, onSpawn: OnSpawn, keep = 50): Promise<string[]> {
  const out: string[] = [];
  const r = await runGdal('ogrinfo', ['-ro', '-so', ...openOptionArgs(c), c.path], await gdalEnv([c.driver], c.dir), c.dir, limits.gdalSeconds,
    (line) => { if (out.length < keep) out.push(line); return null; }, 1024 ** 2, onSpawn);
  const detail = `ogrinfo ${c.path}: exit ${r.code}\n${r.stderr}\n${out.join('\n')}`;
  if (r.timedOut) throw new GdalReadError(`GDAL took more than ${limits.gdalSeconds} s to open the file as ${c.words}; refused`, detail);
  const used = /using driver `([^']+)' successful/.exec(out.join('\n'))?.[1];
  if (r.code !== 0 || used !== c.driver) {
    const reason = gdalReason(r.stderr);
    const why = reason && !/^Unable to open datasource/.test(reason) ? `: ${publicGdalText(reason, c.dir, c.filename)}` : '';
    throw new GdalReadError(`GDAL could not read the file as ${c.words}${why}`, detail);
  }
  return out;
}


/** How one reader words what it streams, and what it does with each line ogr2ogr writes. */
export interface RecordStream {
  /** After "more than N MB" when the output is too large. */
  tooManyBytes: string;
  /** "features", "rows": what there are too many of. */
  noun: string;
  /** The refusal when a line is not JSON. */
  notJson: string;
  count(): number;
  /** Takes one line of JSON (throws when it is not). */
  add(line: string): void;
  /** A refusal of its own for GDAL's failure reason, or null for the common one. */
  failure?(reason: string): string | null;
}

/**
 * Runs ogr2ogr writing one JSON object per line to stdout, within the import's limits (bytes, records,
 * time), handing each line to the reader; GDAL's failures become refusals in words fit for the client.
 */
export async function streamRecords(args: string[], drivers: string[], src: { dir: string; filename: string; words: string }, limits: ImportLimits, onSpawn: OnSpawn, rs: RecordStream): Promise<void> {
  let bytes = 0;
  const r = await runGdal('ogr2ogr', args, await gdalEnv(drivers, src.dir), src.dir, limits.gdalSeconds, (line) => {
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > limits.outputBytes) return `the file is too large to import: it reads as more than ${Math.round(limits.outputBytes / 1024 ** 2)} MB${rs.tooManyBytes}`;
    if (!line.trim()) return null;
    if (rs.count() >= limits.features) return `the file is too large to import: it has more than ${limits.features} ${rs.noun}`;
    try {
      rs.add(line);
    } catch {
      return rs.notJson;
    }
    return null;
  }, limits.featureBytes, onSpawn);
  const detail = `ogr2ogr ${args.join(' ')}: exit ${r.code}\n${r.stderr}`;
  if (r.timedOut) throw new GdalReadError(`GDAL took more than ${limits.gdalSeconds} s to read the file; refused`, detail);
  if (r.stopped) throw new GdalReadError(r.stopped, detail);
  if (r.code !== 0) {
    const reason = publicGdalText(gdalReason(r.stderr), src.dir, src.filename);
    throw new GdalReadError(rs.failure?.(reason) ?? `GDAL could not read the file as ${src.words}${reason ? `: ${reason}` : ''}`, detail);
  }
}

/** The file's features as GeoJSON in EPSG:4326 (the file's CRS, or `srcEpsg` when given). */
export async function gdalFeatures(src: GdalSource, srcEpsg: number | null, limits: ImportLimits, onSpawn: OnSpawn = () => {}): Promise<Feature[]> {
  await openWithDriver({ ...src, driver: INPUT_DRIVER[src.format], words: WORDS[src.format] }, limits, onSpawn);
  const args = ['-f', OUTPUT_DRIVER, '/vsistdout/', src.path, '-t_srs', 'EPSG:4326', '-lco', 'RS=NO', ...openOptionArgs(src)];
  if (srcEpsg) args.push('-s_srs', `EPSG:${srcEpsg}`);
  // GeoJSONSeq is there to write; it opens only text starting with { or RS, which a Shapefile or GeoPackage
  // the check above opened cannot be, and GeoJSON's driver is tried before it (ogrinfo --formats order).
  const features: Feature[] = [];
  await streamRecords(args, [INPUT_DRIVER[src.format], OUTPUT_DRIVER], { ...src, words: WORDS[src.format] }, limits, onSpawn, {
    tooManyBytes: ' of GeoJSON', noun: 'features', notJson: 'GDAL could not turn one of its features into GeoJSON',
    count: () => features.length,
    add: (line) => features.push(JSON.parse(line) as Feature),
    failure: (reason) => /coordinate system|transform/i.test(reason) ? `the file has no coordinate system GDAL can read (${reason}); give crs=EPSG:<code>` : null,
  });
  const bad = features.findIndex((f) => !finiteCoords((f.geometry as { coordinates?: unknown } | null)?.coordinates));
  if (bad >= 0) throw new BadRequestError(`feature ${bad + 1} has a broken geometry (coordinates that are not finite numbers)`);
  return features;
}

export function openOptionArgs(src: { openOptions?: string[] }): string[] {
  return (src.openOptions ?? []).flatMap((o) => ['-oo', o]);
}

function finiteCoords(c: unknown): boolean {
  if (c === undefined) return true;
  if (Array.isArray(c)) return c.length > 0 && c.every((x) => (typeof x === 'number' ? Number.isFinite(x) : finiteCoords(x)));
  return false;
}
