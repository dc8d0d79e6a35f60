// `npm run bench -- import [--layers]`: how long real-sized imports take end to end (read, topology, one
// transaction), against the 10 s target for a town network of ~3,400 pipes: 3,400 seed reaches as a SWMM
// model (UTM) and as a zipped GBK shapefile in CGCS2000 Gauss-Krüger, and 3,400 and 20,000 seed pipes
// exported as bare lines (no node ids: topology rebuilt from coincident ends); every other layer against
// the 10 s target for 10,000 rows (import-layers.ts: a camera registry; import-ledgers.ts: facilities,
// stations, hazards, misconnections, vehicles, and the area layers as dry runs); and 10,000 rows of CCTV
// results (inspections layer) as .xlsx and as a GBK CSV: the first run inserts, the next two replace; the
// inspections are removed and their reaches rescored afterwards. Each import is removed afterwards.
// --layers runs the layer imports alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, DB_NAME, ensureServer, repoRoot } from '../scripts/db.ts';
import { recomputeAll } from '../server/drainage/condition.ts';
import { inTransaction } from '../server/db/tx.ts';
import { migrate } from '../server/db/migrate.ts';
import { runImport, type ImportOptions } from '../server/importers/import.ts';
import { benchLayerImports, type LayerBenchRow } from './import-layers.ts';
import { benchAreas, benchLedgers } from './import-ledgers.ts';
import { importInspections } from '../server/importers/layers/inspections.ts';
import { inspectionFiles } from './inspection-file.ts';
import { seedNetworkFile, seedNetworkGeoJson } from './network-file.ts';

export async function run(args: string[] = []) {
  const { url } = await ensureServer();
  const pool = new pg.Pool({ connectionString: adminUrl(url, DB_NAME), max: 4 });
  const c = await pool.connect();
  await migrate(c);
  c.release();
  const seedLines = (n: number) => seedNetworkGeoJson(pool, n);
  const base: Omit<ImportOptions, 'filename' | 'format'> = { crs: null, tolerance_m: 0.5, usage: 'sewage' };
  const cases: { name: string; buf: Buffer; opts: ImportOptions }[] = [
    { name: '3,400 seed reaches as a SWMM model (UTM zone 50N)', buf: await seedNetworkFile(pool, 3400, 'inp'), opts: { ...base, filename: 'm.inp', format: 'swmm' } },
    { name: '3,400 seed reaches as a zipped GBK shapefile (CGCS2000 GK, EPSG:4547)', buf: await seedNetworkFile(pool, 3400, 'shapefile'), opts: { ...base, filename: 's.zip', format: 'shapefile', tolerance_m: 0.05 } },
    { name: '3,400 seed pipes as bare lines (GeoJSON)', buf: await seedLines(3400), opts: { ...base, filename: 's.geojson', format: 'geojson', tolerance_m: 0.05 } },
    { name: '20,000 seed pipes as bare lines (GeoJSON)', buf: await seedLines(20000), opts: { ...base, filename: 's.geojson', format: 'geojson', tolerance_m: 0.05 } },
  ];
  const rows: { name: string; mb: number; pipes: number; manholes: number; seconds: number[]; median: number; read: number; topology: number; write: number }[] = [];
  for (const k of args.includes('--layers') ? [] : cases) {
    const seconds: number[] = [];
    let last: Awaited<ReturnType<typeof runImport>> | null = null;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      last = await runImport(pool, k.buf, k.opts);
      seconds.push((performance.now() - t) / 1000);
      await pool.query('DELETE FROM imports WHERE id = $1', [last.id]);
    }
    const median = [...seconds].sort((a, b) => a - b)[1];
    const r = last!.report;
    rows.push({ name: k.name, mb: Math.round((k.buf.length / 1024 ** 2) * 100) / 100, pipes: r.written.pipes, manholes: r.written.manholes, seconds: seconds.map((s) => Math.round(s * 100) / 100), median: Math.round(median * 100) / 100, ...r.timing_ms });
    console.log(`[bench] ${k.name}: ${r.written.pipes} pipes, ${r.written.manholes} manholes, median ${median.toFixed(2)} s (read ${r.timing_ms.read} ms, topology ${r.timing_ms.topology} ms, write ${r.timing_ms.write} ms)`);
  }
  const layers: LayerBenchRow[] = [...await benchLayerImports(pool), ...await benchLedgers(pool), ...await benchAreas(pool)];
  const inspections = args.includes('--layers') ? [] : await benchInspections(pool);
  await pool.end();
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB`;
  writeFileSync(path.join(dir, `import-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), machine, loadavg: os.loadavg(), rows, layers, inspections }, null, 2));
  writeFileSync(path.join(dir, `import-${stamp}.md`), `# Import benchmark ${stamp}\n\n${machine}. Whole imports (read with GDAL or the SWMM parser, topology, one transaction), 3 runs each, median; each import deleted after. Target: a town network of ~3,400 pipes in under 10 s.\n\n| file | MB | pipes | manholes | runs (s) | median s | read ms | topology ms | write ms |\n|---|---|---|---|---|---|---|---|---|\n` +
    rows.map((r) => `| ${r.name} | ${r.mb} | ${r.pipes} | ${r.manholes} | ${r.seconds.join(', ')} | **${r.median}** | ${r.read} | ${r.topology} | ${r.write} |`).join('\n') + '\n'
    + `\nLayer imports (the whole path: read and decoded in the worker, rows checked, staged and classified, written with grid codes and coverage, one transaction). Target: 10,000 rows in under 10 s.\n\n| file | rows | MB | runs (s) | median s | read ms | validate ms | write ms | outcome |\n|---|---|---|---|---|---|---|---|---|\n`
    + layers.map((r) => `| ${r.name} | ${r.rows} | ${r.mb} | ${r.seconds.join(', ')} | **${r.median}** | ${r.read} | ${r.validate} | ${r.write} | ${r.outcome} |`).join('\n') + '\n'
    + `\n## Inspections layer\n\nCCTV results, one row per defect, 4 defects per reach; run 1 inserts, runs 2–3 replace (same reaches and date). Read = GDAL in the import worker; check = header, columns, rows, reach matching; write = one transaction with the reaches rescored. Target: 10,000 rows in under 10 s.\n\n`
    + `| file | MB | rows | reaches | defects | runs (s) | median s | read ms | check ms | write ms |\n|---|---|---|---|---|---|---|---|---|---|\n`
    + inspections.map((r) => `| ${r.name} | ${r.mb} | ${r.rows} | ${r.reaches} | ${r.defects} | ${r.seconds.join(', ')} | **${r.median}** | ${r.read} | ${r.check} | ${r.write} |`).join('\n') + '\n');
  console.log(`[bench] written to bench/results/import-${stamp}.{json,md}`);
}

/** 10,000 rows of CCTV results as .xlsx and as GBK CSV, three runs each, cleaned up after each file. */
async function benchInspections(pool: pg.Pool) {
  const files = await inspectionFiles(pool, 2500);
  const cases = [
    { name: `${files.rows.toLocaleString('en')} inspection rows, .xlsx (title, two-row header, merged cells; by pipe code)`, buf: files.xlsx, filename: 'bench-cctv.xlsx' },
    { name: `${files.rows.toLocaleString('en')} inspection rows, GBK CSV (by start/end manholes)`, buf: files.csv, filename: 'bench-cctv.csv' },
  ];
  const out: { name: string; mb: number; rows: number; reaches: number; defects: number; seconds: number[]; median: number; read: number; check: number; write: number }[] = [];
  for (const k of cases) {
    const seconds: number[] = [];
    let last: Awaited<ReturnType<typeof importInspections>> | null = null;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      last = await importInspections(pool, k.buf, { filename: k.filename });
      seconds.push((performance.now() - t) / 1000);
    }
    await inTransaction(pool, async (tx) => {
      await tx.query('DELETE FROM inspections WHERE pipe_id = ANY($1::int[])', [files.pipeIds]);
      await recomputeAll(tx);
    });
    const median = [...seconds].sort((a, b) => a - b)[1];
    const r = last!;
    out.push({ name: k.name, mb: Math.round((k.buf.length / 1024 ** 2) * 100) / 100, rows: r.rows.read, reaches: r.inspections.length, defects: r.written?.defects.inserted ?? 0,
      seconds: seconds.map((s) => Math.round(s * 100) / 100), median: Math.round(median * 100) / 100, ...r.timing_ms });
    console.log(`[bench] ${k.name}: ${r.inspections.length} reaches, median ${median.toFixed(2)} s (runs ${seconds.map((s) => s.toFixed(2)).join(', ')}; read ${r.timing_ms.read} ms, check ${r.timing_ms.check} ms, write ${r.timing_ms.write} ms)`);
  }
  return out;
}
