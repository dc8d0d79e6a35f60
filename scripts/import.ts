// `npm run import -- FILE [--format geojson|shapefile|gpkg|swmm] [--crs EPSG:xxxx|gcj02] [--tolerance 0.5] [--usage sewage]`:
// imports a survey network into the database (the embedded one, or DATABASE_URL), all or nothing, with
// a progress bar, and prints the validation report; the same network imported again replaces its earlier
// import. `--layer inspections` imports CCTV results instead (import-inspections.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, ensureServer, DB_NAME } from './db.ts';
import { migrate } from '../server/db/migrate.ts';
import { ApiError } from '../server/features/errors.ts';
import { formatFromName, runImport, type Progress } from '../server/importers/import.ts';
import { IMPORT_FORMATS, parseSourceCrs, type ImportFormat } from '../server/importers/read.ts';
import type { Usage } from '../server/importers/topology.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Flags that take no value. */
const SWITCHES = ['--dry-run'];
const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--') && !SWITCHES.includes(all[i - 1])));
if (!file) {
  console.error('usage: npm run import -- FILE [--format geojson|shapefile|gpkg|swmm] [--crs EPSG:xxxx|gcj02] [--tolerance 0.5] [--usage rain|sewage|combined]');
  console.error('       npm run import -- FILE.xlsx|FILE.csv --layer inspections [--dry-run] [--encoding gbk] [--sheet NAME] [--mapping FILE] [--import-id N] [--report FILE]');
  process.exit(2);
}
if (arg('layer') === 'inspections') {
  const { inspectionsCli } = await import('./import-inspections.ts');
  process.exit(await inspectionsCli(file, arg));
}
const format = (arg('format') ?? formatFromName(file)) as ImportFormat | null;
if (!format || !IMPORT_FORMATS.includes(format)) {
  console.error(`cannot tell the format of ${file}; give --format ${IMPORT_FORMATS.join('|')}`);
  process.exit(2);
}

const bar: Progress = (stage, f) => {
  const width = 30;
  const done = Math.round(f * width);
  process.stderr.write(`\r[import] [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(Math.round(f * 100)).padStart(3)}% ${stage.padEnd(10)}`);
  if (stage === 'done') process.stderr.write('\n');
};

const url = process.env.DATABASE_URL ?? adminUrl((await ensureServer()).url, DB_NAME);
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  const db = await pool.connect();
  await migrate(db);
  db.release();
  const t = performance.now();
  const { id, report } = await runImport(pool, await readFile(file), {
    filename: path.basename(file), format, crs: parseSourceCrs(arg('crs')),
    tolerance_m: Number(arg('tolerance') ?? 0.5), usage: (arg('usage') ?? 'sewage') as Usage,
  }, bar);
  console.log(`[import] import ${id}: ${report.written.pipes} pipes and ${report.written.manholes} manholes written in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  if (report.replaced) console.log(`[import] ${report.replaced.summary}`);
  console.log(JSON.stringify(report, null, 2));
} catch (err) {
  process.stderr.write('\n');
  console.error(`[import] failed, nothing was written: ${err instanceof ApiError ? err.message : (err as Error).stack}`);
  // What GDAL said in its own words (paths, hosts): for whoever runs the import here, never for a job status.
  const detail = (err as { detail?: unknown }).detail;
  if (typeof detail === 'string') console.error(`[import] GDAL: ${detail.trim()}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
