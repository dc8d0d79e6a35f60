// `npm run import -- FILE [--layer pipes|district|streets|communities|grids|facilities|cameras|sensors|hazards|misconnections|vehicles|basemap]
//   [--format …] [--crs EPSG:xxxx|wgs84|cgcs2000|gcj02|bd09] [--encoding utf-8|gbk] [--mapping FILE.json] [--sheet NAME]
//   [--dry-run] [--replace] [--save-mapping FILE.json] [--tolerance 0.5] [--usage sewage]`:
// imports a file into the database (the embedded one, or DATABASE_URL), all or nothing. The network (the
// default layer, pipes) with a progress bar and its validation report; any other layer with the report of
// every row (--dry-run: what would be inserted, updated or left unchanged, nothing written). --save-mapping
// writes the column mapping used as a template to edit and give back with --mapping. The same network
// imported again replaces its earlier import; `--layer inspections` imports CCTV results (import-inspections.ts);
// `--layer basemap` replaces the basemap from an OSM extract (.osm/.pbf) or surveying layers (layers/basemap.ts).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, ensureServer, DB_NAME } from './db.ts';
import { migrate } from '../server/db/migrate.ts';
import { ApiError } from '../server/http/errors.ts';
import { formatFromName, runImport, type Progress } from '../server/importers/import.ts';
import { IMPORT_LAYERS, type LayerName } from '../server/importers/layers/names.ts';
import { runBasemapImport } from '../server/importers/layers/basemap.ts';
import { BASEMAP_FORMATS, LAYER_FORMATS, type BasemapFormat, type LayerFormat } from '../server/importers/pipeline/formats.ts';
import { LayerImportRefused, type LayerImportReport } from '../server/importers/pipeline/report.ts';
import { runLayerImport } from '../server/importers/pipeline/run.ts';
import { IMPORT_FORMATS, parseSourceCrs, type ImportFormat } from '../server/importers/read.ts';
import type { Usage } from '../server/importers/topology.ts';

const VALUED = ['layer', 'format', 'crs', 'encoding', 'mapping', 'sheet', 'save-mapping', 'tolerance', 'usage', 'import-id', 'report'];
const SWITCHES = ['dry-run', 'replace'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const has = (name: string) => process.argv.includes(`--${name}`);

const args = process.argv.slice(2);
const unknown = args.filter((a) => a.startsWith('--') && !VALUED.includes(a.slice(2)) && !SWITCHES.includes(a.slice(2)));
const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && VALUED.includes(args[i - 1].slice(2))));
const layer = arg('layer') ?? 'pipes';
const LAYERS: readonly string[] = IMPORT_LAYERS;
if (!file || unknown.length || !LAYERS.includes(layer)) {
  if (unknown.length) console.error(`unknown option ${unknown.join(', ')}`);
  if (!LAYERS.includes(layer)) console.error(`unknown layer ${layer}; layers: ${LAYERS.join(', ')}`);
  console.error(`usage: npm run import -- FILE [--layer ${LAYERS.join('|')}] [--format …] [--crs EPSG:xxxx|wgs84|cgcs2000|gcj02|bd09]
  [--encoding utf-8|gbk] [--mapping FILE.json] [--sheet NAME] [--dry-run] [--replace] [--save-mapping FILE.json]   (layers)
  [--tolerance 0.5] [--usage rain|sewage|combined]                                                                  (pipes)
  [--import-id N] [--report FILE.json]                                                                   (inspections)`);
  process.exit(2);
}
if (layer === 'inspections') {
  const { inspectionsCli } = await import('./import-inspections.ts');
  process.exit(await inspectionsCli(file, arg));
}

const url = process.env.DATABASE_URL ?? adminUrl((await ensureServer()).url, DB_NAME);
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  const db = await pool.connect();
  await migrate(db);
  db.release();
  const buf = await readFile(file);
  if (layer === 'pipes') await importNetwork(buf, file);
  else if (layer === 'basemap') await importBasemap(buf, file);
  else await importLayer(buf, file, layer as LayerName);
} catch (err) {
  process.stderr.write('\n');
  console.error(`[import] failed, nothing was written: ${err instanceof ApiError ? err.message : (err as Error).stack}`);
  if (err instanceof LayerImportRefused && err.report.counts) console.log(JSON.stringify(err.report, null, 2));
  // What GDAL said in its own words (paths, hosts): for whoever runs the import here, never for a job status.
  const detail = (err as { detail?: unknown }).detail;
  if (typeof detail === 'string') console.error(`[import] GDAL: ${detail.trim()}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

async function importNetwork(buf: Buffer, file: string) {
  const format = (arg('format') ?? formatFromName(file)) as ImportFormat | null;
  if (!format || !IMPORT_FORMATS.includes(format)) throw new ApiError(400, 'bad request', `cannot tell the format of ${file}; give --format ${IMPORT_FORMATS.join('|')}`);
  const bar: Progress = (stage, f) => {
    const width = 30;
    const done = Math.round(f * width);
    process.stderr.write(`\r[import] [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(Math.round(f * 100)).padStart(3)}% ${stage.padEnd(10)}`);
    if (stage === 'done') process.stderr.write('\n');
  };
  const t = performance.now();
  const { id, report } = await runImport(pool, buf, {
    filename: path.basename(file), format, crs: parseSourceCrs(arg('crs')),
    tolerance_m: Number(arg('tolerance') ?? 0.5), usage: (arg('usage') ?? 'sewage') as Usage,
  }, bar);
  console.log(`[import] import ${id}: ${report.written.pipes} pipes and ${report.written.manholes} manholes written in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  console.log(JSON.stringify(report, null, 2));
}

async function importLayer(buf: Buffer, file: string, layerName: LayerName) {
  const format = arg('format') as LayerFormat | undefined;
  if (format && !LAYER_FORMATS.includes(format)) throw new ApiError(400, 'bad request', `format ${format} is not one a layer is imported from: ${LAYER_FORMATS.join(', ')}`);
  const mappingFile = arg('mapping');
  let mapping: unknown;
  if (mappingFile) {
    try {
      mapping = JSON.parse(await readFile(mappingFile, 'utf8'));
    } catch (err) {
      throw new ApiError(400, 'bad request', `the mapping file ${mappingFile} is not JSON {"field": "column"}: ${(err as Error).message}`);
    }
  }
  const t = performance.now();
  const save = arg('save-mapping');
  let report: LayerImportReport;
  try {
    report = await runLayerImport(pool, buf, {
      layer: layerName, filename: path.basename(file), format, crs: arg('crs'), encoding: arg('encoding'), mapping, sheet: arg('sheet'),
      dryRun: has('dry-run'), replace: has('replace'), via: 'cli',
    });
  } catch (err) {
    // The template is most wanted when the import was refused for a column the mapping must name.
    if (save && err instanceof LayerImportRefused && err.report.template && Object.keys(err.report.template).length) await saveTemplate(save, err.report.template);
    throw err;
  }
  if (save) await saveTemplate(save, report.template);
  const c = report.counts;
  const would = (done: string, planned: string) => (report.dry_run ? planned : done);
  console.log(`[import] ${layerName}: ${c.read} rows read, ${c.rejected} refused; ${would('inserted', 'would insert')} ${c.insert}, ${would('updated', 'would update')} ${c.update}, `
    + `${c.unchanged} unchanged${c.removed ? `, ${would('removed', 'would remove')} ${c.removed}` : ''} in ${((performance.now() - t) / 1000).toFixed(2)} s${report.import_id ? ` (import ${report.import_id})` : ''}`);
  console.log(JSON.stringify(report, null, 2));
  if (c.rejected) process.exitCode = 1;
}

async function importBasemap(buf: Buffer, file: string) {
  const format = arg('format') as BasemapFormat | undefined;
  if (format && !BASEMAP_FORMATS.includes(format)) throw new ApiError(400, 'bad request', `format ${format}: a basemap is imported from ${BASEMAP_FORMATS.join(', ')}`);
  const t = performance.now();
  const report = await runBasemapImport(pool, buf, { filename: path.basename(file), format, crs: arg('crs'), encoding: arg('encoding'), dryRun: has('dry-run'), via: 'cli' });
  const w = report.derived.written as Record<string, number>;
  console.log(`[import] basemap: ${report.counts.read} features read; ${report.dry_run ? 'would write' : 'wrote'} ${w.roads} roads, ${w.water} water bodies, `
    + `${w.buildings} buildings, ${w.labels} labels, replacing ${report.counts.removed} rows in ${((performance.now() - t) / 1000).toFixed(2)} s${report.import_id ? ` (import ${report.import_id})` : ''}`);
  console.log(JSON.stringify(report, null, 2));
}

/** Writes a column mapping as a template (every field, its column or null) to edit and give back with --mapping. */
async function saveTemplate(to: string, template: Record<string, string | null>) {
  await writeFile(to, `${JSON.stringify(template, null, 2)}\n`);
  console.error(`[import] the column mapping saved to ${to}: edit it and give it back with --mapping ${to}`);
}
