// CCTV inspection results over HTTP, answered like every other layer: the same LayerImportReport (rows read,
// valid, rejected with their reason, what each row's inspection would insert or replace, the columns and
// the mapping), with what is particular to inspections — the reaches matched and rescored — under derived.
// A refusal (bad rows on commit, missing columns, an unreadable file) is a LayerImportRefused carrying the
// report as far as it got, so a person can see the file's columns and map them.
import type pg from 'pg';
import type { Actor } from '../../auth/audit.ts';
import { ApiError, BadRequestError } from '../../http/errors.ts';
import { fieldsOf } from '../pipeline/fields.ts';
import { emptyCounts, LayerImportRefused, LISTED_ROWS, rowsRefusedMessage, type LayerImportReport, type RowOutcome } from '../pipeline/report.ts';
import { inImportSlot, LAYER_LIMITS } from '../pipeline/run.ts';
import { mappingTemplate } from '../shapes/columns.ts';
import { parseEncodingOverride } from '../shapes/encoding.ts';
import { INSPECTIONS } from '../shapes/targets/inspections.ts';
import type { ImportLimits } from '../limits.ts';
import { importInspections, InspectionColumnsMissing, InspectionsRejected, type InspectionImportReport } from './inspections.ts';
import { tableFormatOf } from './table-file.ts';

export interface InspectionHttpOptions {
  filename: string;
  format?: string;
  encoding?: string;
  mapping?: unknown;
  sheet?: string;
  dryRun: boolean;
  limits?: ImportLimits;
}

function emptyReport(opts: InspectionHttpOptions, format: 'csv' | 'xlsx'): LayerImportReport {
  return {
    layer: 'inspections', filename: opts.filename, format, dry_run: opts.dryRun, committed: false, import_id: null,
    encoding: null, sheet: opts.sheet ?? null, header: null, crs: 'no positions', crs_source: null, landing: null, fields: fieldsOf(INSPECTIONS),
    headers: [], mapping: {}, matches: [], missing: [], unused: [], template: {},
    counts: emptyCounts(), rejected: [], rows: [], rows_truncated: false, derived: {}, warnings: [], timing_ms: { read: 0, validate: 0, write: 0 },
  };
}

/** The inspections report as a layer report: each row's outcome is its inspection's (a new one, or one replacing that reach and date). */
export function asLayerReport(r: InspectionImportReport, format: 'csv' | 'xlsx'): LayerImportReport {
  const outcomes: RowOutcome[] = r.row_results.map((x) => {
    if (x.action === 'rejected') return { row: x.row, key: null, outcome: 'rejected', reason: x.reason };
    const insp = x.inspection === undefined ? undefined : r.inspections[x.inspection];
    return { row: x.row, key: insp ? `${insp.pipe_code} ${insp.inspected_at}` : null, outcome: insp?.action === 'replace' ? 'update' : 'insert' };
  });
  const counts = emptyCounts();
  counts.read = r.rows.read;
  counts.valid = r.rows.valid;
  for (const o of outcomes) if (o.outcome === 'rejected') counts.rejected++; else if (o.outcome !== 'unchanged') counts[o.outcome]++;
  return {
    ...emptyReport({ filename: r.filename, dryRun: r.dry_run, sheet: r.file.sheet }, format),
    committed: r.committed,
    encoding: r.file.encoding && { encoding: r.file.encoding.encoding, from: r.file.encoding.from },
    sheet: r.file.sheet,
    header: { row: r.file.header.row, rows: r.file.header.rows, skipped: r.file.header.above },
    headers: r.columns.headers,
    mapping: r.columns.mapping,
    matches: r.columns.matches,
    unused: r.columns.unused,
    template: r.columns.template,
    counts,
    rejected: outcomes.filter((o) => o.outcome === 'rejected').slice(0, LISTED_ROWS),
    rows: outcomes.slice(0, LISTED_ROWS),
    rows_truncated: outcomes.length > LISTED_ROWS,
    derived: {
      ...(r.written ? { written: r.written } : {}),
      matched_by: r.matched_by,
      reaches: r.inspections.slice(0, LISTED_ROWS).map((i) => ({
        pipe_code: i.pipe_code, reach: i.reach, inspected_at: i.inspected_at, defects: i.defects, action: i.action,
        before: i.before && { sgrade: i.before.sgrade, fgrade: i.before.fgrade }, after: i.after && { sgrade: i.after.sgrade, fgrade: i.after.fgrade },
      })),
    },
    warnings: r.warnings,
    timing_ms: { read: r.timing_ms.read, validate: r.timing_ms.check, write: r.timing_ms.write },
  };
}

/** `POST /api/imports?layer=inspections`: a dry run (200, rows refused listed), a commit (201), or a 400 with the report. */
export async function importInspectionsOverHttp(pool: pg.Pool, buf: Buffer, opts: InspectionHttpOptions, actor: Actor, ip: string | null): Promise<LayerImportReport> {
  if (buf.length > LAYER_LIMITS.bytes) throw new BadRequestError(`the file is ${(buf.length / 1024 ** 2).toFixed(1)} MB; a layer import takes at most ${LAYER_LIMITS.bytes / 1024 ** 2} MB`);
  if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'xlsx') throw new BadRequestError(`inspections are read from csv or xlsx, not ${opts.format}`);
  const format = (opts.format as 'csv' | 'xlsx' | undefined) ?? tableFormatOf(opts.filename);
  if (!format) throw new BadRequestError(`cannot tell the format of ${JSON.stringify(opts.filename.slice(0, 60))}: inspections are read from .csv or .xlsx (or give format=csv|xlsx)`);
  const encoding = opts.encoding ? parseEncodingOverride(opts.encoding) : undefined;
  return inImportSlot(async () => {
    try {
      const r = await importInspections(pool, buf, {
        filename: opts.filename, format, encoding, sheet: opts.sheet, mapping: opts.mapping,
        dryRun: opts.dryRun, limits: opts.limits, actor, ip,
      });
      return asLayerReport(r, format);
    } catch (err) {
      if (err instanceof InspectionsRejected) {
        const report = asLayerReport(err.report, format);
        throw new LayerImportRefused(rowsRefusedMessage(report.rejected, report.counts.read), report);
      }
      if (err instanceof InspectionColumnsMissing) {
        const report: Partial<LayerImportReport> = {
          ...emptyReport(opts, format), headers: [...err.layout.names], mapping: err.columns.mapping, matches: err.columns.matches,
          missing: err.columns.missing, unused: err.columns.unused, template: mappingTemplate(INSPECTIONS, err.columns),
          header: { row: err.layout.headerRow + 1, rows: err.layout.headerRows, skipped: err.layout.skipped },
        };
        throw new LayerImportRefused(err.message, report);
      }
      if (err instanceof ApiError && err.statusCode === 400 && !(err instanceof LayerImportRefused)) {
        throw Object.assign(new LayerImportRefused(err.message, emptyReport(opts, format)), { detail: (err as { detail?: string }).detail });
      }
      throw err;
    }
  });
}
