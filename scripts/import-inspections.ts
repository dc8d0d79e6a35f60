// `npm run import -- FILE --layer inspections [--dry-run] [--encoding gbk] [--sheet NAME] [--mapping FILE]
// [--import-id N] [--report FILE]`: a contractor's CCTV results (.xlsx or .csv) into inspections and
// defects, reaches rescored (server/importers/layers/inspections.ts). Prints what was matched and written,
// every rejected row with its reason; --report writes the full report (every row) as JSON.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, ensureServer, DB_NAME } from './db.ts';
import { migrate } from '../server/db/migrate.ts';
import { ApiError } from '../server/http/errors.ts';
import { importInspections, InspectionsRejected, type InspectionImportReport } from '../server/importers/layers/inspections.ts';
import { parseEncodingOverride } from '../server/importers/shapes/encoding.ts';

function summary(r: InspectionImportReport): string[] {
  const lines = [
    `[import] ${r.filename}: sheet ${JSON.stringify(r.file.sheet)}, header on row ${r.file.header.row}${r.file.header.rows === 2 ? ' (two rows)' : ''}`
      + `${r.file.encoding ? `, ${r.file.encoding.encoding} (${r.file.encoding.from})` : ''}`,
    `[import] columns: ${Object.entries(r.columns.mapping).map(([f, c]) => `${f} ← ${c}`).join(', ')}`,
    `[import] rows: ${r.rows.read} read, ${r.rows.valid} valid (${r.rows.with_defect} defects, ${r.rows.without_defect} without), ${r.rows.rejected} rejected`,
    `[import] reaches: ${r.inspections.length} (by pipe code ${r.matched_by.pipe_code}, by manholes ${r.matched_by.manholes}, by manholes reversed ${r.matched_by.manholes_reversed})`,
  ];
  if (r.written) {
    const w = r.written;
    lines.push(`[import] ${r.committed ? 'written' : 'would write'}: ${w.inspections.inserted} inspections (${w.inspections.replaced} replaced), ${w.defects.inserted} defects (${w.defects.removed} removed), `
      + `hazards re-attached ${w.hazards.reattached}, detached ${w.hazards.detached}, verified ${w.hazards.verified}, reopened ${w.hazards.reopened}; ${w.reaches_rescored} reaches rescored`);
  }
  const changed = r.inspections.filter((i) => i.before?.sgrade !== i.after?.sgrade || i.before?.fgrade !== i.after?.fgrade);
  for (const i of changed.slice(0, 20)) {
    lines.push(`[import]   ${i.pipe_code} ${i.inspected_at}: structural ${i.before?.sgrade ?? '–'} → ${i.after?.sgrade ?? '–'}, functional ${i.before?.fgrade ?? '–'} → ${i.after?.fgrade ?? '–'}`);
  }
  if (changed.length > 20) lines.push(`[import]   and ${changed.length - 20} more reaches whose grade changed`);
  for (const w of r.warnings) lines.push(`[import] warning: ${w}`);
  for (const x of r.rejected.slice(0, 50)) lines.push(`[import] row ${x.row}: ${x.reason}`);
  if (r.rejected.length > 50) lines.push(`[import] and ${r.rejected.length - 50} more rejected rows (--report FILE lists them all)`);
  return lines;
}

/** Runs the import; the exit code. `arg` reads a --flag's value. */
export async function inspectionsCli(file: string, arg: (name: string) => string | undefined): Promise<number> {
  const url = process.env.DATABASE_URL ?? adminUrl((await ensureServer()).url, DB_NAME);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const dryRun = process.argv.includes('--dry-run');
  let report: InspectionImportReport | null = null;
  try {
    const db = await pool.connect();
    await migrate(db);
    db.release();
    const mappingFile = arg('mapping');
    const t = performance.now();
    report = await importInspections(pool, await readFile(file), {
      filename: path.basename(file), dryRun, sheet: arg('sheet'),
      encoding: arg('encoding') ? parseEncodingOverride(arg('encoding')!) : undefined,
      mapping: mappingFile ? JSON.parse(await readFile(mappingFile, 'utf8')) : undefined,
      importId: arg('import-id') ? Number(arg('import-id')) : undefined,
    });
    for (const l of summary(report)) console.log(l);
    console.log(`[import] ${dryRun ? 'dry run: nothing written' : 'committed'} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    return 0;
  } catch (err) {
    if (err instanceof InspectionsRejected) {
      report = err.report;
      for (const l of summary(report)) console.error(l);
    }
    console.error(`[import] failed, nothing was written: ${err instanceof ApiError ? err.message.slice(0, 2000) : (err as Error).stack}`);
    const detail = (err as { detail?: unknown }).detail;
    if (typeof detail === 'string') console.error(`[import] GDAL: ${detail.trim()}`);
    return 1;
  } finally {
    const out = arg('report');
    if (out && report) await writeFile(out, JSON.stringify(report, null, 2));
    await pool.end();
  }
}
