// The inspections layer: a contractor's CCTV/QV results (CJJ 181-2012) from an .xlsx or CSV into the
// inspections and defects tables, each reach matched to its pipe, checked row by row, written in one
// transaction with the reaches rescored — or, as a dry run, the same transaction rolled back, so the
// report says exactly what a commit would do (the new scores too) and nothing stays.
//
//   importInspections(pool, buf, opts)       a file as uploaded: read (table-file.ts), then as below
//   importInspectionTable(pool, table, opts) rows already read (a generic layer path reads them itself)
//
// A sheet with a rejected row is refused whole (InspectionsRejected, a 400 carrying the report): the
// person fixes the file and imports it again, which is safe, since a reach's inspection on a date replaces
// the one already there.
import type pg from 'pg';
import { audit, type Actor } from '../../auth/audit.ts';
import { stopWhenClientGone } from '../../db/client-check.ts';
import { BadRequestError } from '../../http/errors.ts';
import type { ImportLimits } from '../limits.ts';
import { applyUserMapping, knownHeader, matchColumns, mappingTemplate, type ColumnMapping } from '../shapes/columns.ts';
import type { EncodingGuess, TextEncodingName } from '../shapes/encoding.ts';
import { garbledColumns } from '../shapes/garbled.ts';
import { findHeader, sheetRecords, type HeaderLayout, type SheetRecords } from '../shapes/header-rows.ts';
import { INSPECTIONS } from '../shapes/targets/inspections.ts';
import { planInspections, type PlannedInspection } from './inspection-plan.ts';
import { matchReaches, type MatchedBy } from './inspection-reaches.ts';
import { parseInspectionRows, type RowRejection } from './inspection-rows.ts';
import { writeInspections, type ConditionScores, type InspectionWrite } from './inspection-write.ts';
import { readTableFile } from './table-file.ts';

export interface InspectionImportOptions {
  /** The file's name as the person has it (format from its extension; shown in the report and audit log). */
  filename: string;
  /** csv or xlsx; from the file name when not given. */
  format?: 'csv' | 'xlsx';
  /** Check and report, write nothing. */
  dryRun?: boolean;
  /** A CSV's encoding; detected when not given. */
  encoding?: TextEncodingName;
  sheet?: string;
  /** The person's column mapping {field: column name | null} over the automatic one (columns.ts). */
  mapping?: unknown;
  /** Match reaches among the pipes of this network import only. */
  importId?: number | null;
  limits?: ImportLimits;
  actor?: Actor;
  ip?: string | null;
  /** The last day an inspection may be dated (YYYY-MM-DD, China time); today when not given. */
  today?: string;
}

/** What is known of the table before its rows are read as inspections. */
export interface TableInput {
  rows: readonly (readonly string[])[];
  sheet: string;
  format?: 'csv' | 'xlsx';
  encoding?: EncodingGuess | null;
  readMs?: number;
}

export type RowAction = 'defect' | 'no_defect' | 'rejected';

export interface InspectionImportReport {
  layer: 'inspections';
  filename: string;
  dry_run: boolean;
  committed: boolean;
  file: {
    format: 'csv' | 'xlsx' | null;
    sheet: string;
    encoding: { encoding: string; from: string; warnings: string[] } | null;
    /** 1-based row of the header, and how many rows it spans; the rows above it (title, notes). */
    header: { row: number; rows: number; above: string[] };
  };
  /** The mapping used; headers: the file's columns; template: every field with its column or null (--mapping's format). */
  columns: Pick<ColumnMapping, 'mapping' | 'matches' | 'unused'> & { headers: string[]; template: Record<string, string | null> };
  rows: { read: number; valid: number; rejected: number; with_defect: number; without_defect: number; skipped: SheetRecords['skipped'] };
  /** Every data row: what it does (the defect it adds, the inspection it belongs to) or why it is refused. */
  row_results: { row: number; action: RowAction; inspection?: number; reason?: string }[];
  rejected: RowRejection[];
  inspections: {
    pipe_id: number;
    pipe_code: string;
    matched_by: MatchedBy;
    reach: string;
    inspected_at: string;
    method: string;
    direction: string;
    direction_from: string;
    rows: number[];
    defects: number;
    action: 'insert' | 'replace';
    id: number | null;
    replaced: { ids: number[]; defects: number } | null;
    before: ConditionScores | null;
    after: ConditionScores | null;
  }[];
  matched_by: Record<MatchedBy, number>;
  written: Omit<InspectionWrite, 'each'> | null;
  warnings: string[];
  timing_ms: { read: number; check: number; write: number };
}

/** A sheet with rows that cannot be imported: nothing was written; the report says which and why. */
export class InspectionsRejected extends BadRequestError {
  constructor(readonly report: InspectionImportReport) {
    const shown = report.rejected.slice(0, 10).map((r) => `row ${r.row}: ${r.reason}`).join('; ');
    const more = report.rejected.length > 10 ? `; and ${report.rejected.length - 10} more rows` : '';
    super(`${report.rejected.length} of ${report.rows.read} rows cannot be imported, nothing was written: ${shown}${more}`);
  }
}

/** A sheet that lacks columns: with what was matched, so a person can map the rest (layers/inspection-report.ts). */
export class InspectionColumnsMissing extends BadRequestError {
  constructor(message: string, readonly layout: HeaderLayout, readonly columns: ColumnMapping) {
    super(message);
  }
}

const MAX_WARNINGS = 50;

/** China's date now: an inspection dated tomorrow in Wuhan is not in the future at 23:00 UTC. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Header found, columns matched (the person's mapping over the automatic one), rows as records; 400 when columns are missing. */
export function readInspectionSheet(rows: TableInput['rows'], opts: { mapping?: unknown; decodedAs?: TextEncodingName } = {}): { layout: HeaderLayout; columns: ColumnMapping; sheet: SheetRecords } {
  if (!rows.some((r) => r.some((c) => String(c ?? '').trim()))) throw new BadRequestError('the sheet is empty');
  const layout = findHeader(rows, { known: knownHeader([INSPECTIONS]) });
  const auto = matchColumns(layout.names, INSPECTIONS);
  const columns = opts.mapping === undefined ? auto : applyUserMapping(auto, opts.mapping, layout.names, INSPECTIONS);
  const sheet = sheetRecords(rows, layout);
  const garbled = garbledColumns(sheet.records, { decodedAs: opts.decodedAs });
  if (garbled.length) throw new BadRequestError(garbled.map((g) => g.message).join('; '));
  if (!columns.ok) {
    throw new InspectionColumnsMissing(`the sheet (header on row ${layout.headerRow + 1}: ${layout.names.join(', ').slice(0, 300)}) lacks ${columns.missing.join('; ')}; `
      + `give a column mapping such as ${JSON.stringify(mappingTemplate(INSPECTIONS, columns))}`, layout, columns);
  }
  return { layout, columns, sheet };
}

export async function importInspections(pool: pg.Pool, buf: Buffer, opts: InspectionImportOptions): Promise<InspectionImportReport> {
  const table = await readTableFile(buf, { filename: opts.filename, format: opts.format, encoding: opts.encoding, sheet: opts.sheet, limits: opts.limits });
  return importInspectionTable(pool, table, opts);
}

export async function importInspectionTable(pool: pg.Pool, table: TableInput, opts: InspectionImportOptions): Promise<InspectionImportReport> {
  const t0 = performance.now();
  const { layout, columns, sheet } = readInspectionSheet(table.rows, { mapping: opts.mapping, decodedAs: table.encoding?.encoding });
  const parsed = parseInspectionRows(sheet.records, sheet.rowIndex, columns.mapping, opts.today ?? chinaToday());
  if (!parsed.rows.length && !parsed.rejected.length) throw new BadRequestError(`the sheet has no data rows under its header (row ${layout.headerRow + 1})`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await stopWhenClientGone(client, true);
      await client.query(`SET LOCAL statement_timeout = '10min'`);
      const reaches = await matchReaches(client, parsed.rows.map((r) => r.reach), { importId: opts.importId });
      const plan = planInspections(parsed.rows, reaches);
      const rejected = [...parsed.rejected, ...plan.rejected].sort((a, b) => a.row - b.row);
      const t1 = performance.now();
      const report = reportOf(table, opts, layout, columns, sheet, plan.inspections, rejected, [...(table.encoding?.warnings ?? []), ...plan.warnings]);
      report.timing_ms = { read: Math.round(table.readMs ?? 0), check: Math.round(t1 - t0), write: 0 };
      if (rejected.length && !opts.dryRun) throw new InspectionsRejected(report);
      const written = plan.inspections.length ? await writeInspections(client, plan.inspections) : null;
      if (written) {
        const { each, ...totals } = written;
        report.written = totals;
        report.inspections.forEach((r, i) => Object.assign(r, { id: each[i].id, replaced: each[i].replaced, action: each[i].replaced ? 'replace' : 'insert', before: each[i].before, after: each[i].after }));
      }
      if (opts.dryRun) {
        // The ids and scores are what the commit would make; none of it stays.
        await client.query('ROLLBACK');
      } else {
        await audit(client, opts.actor ?? { name: 'cli', role: 'system' }, opts.ip ? { ip: opts.ip } : null, {
          action: 'inspections.import', entity: 'inspection', entity_id: null,
          after: { filename: opts.filename, inspections: report.written?.inspections, defects: report.written?.defects, reaches: report.inspections.length },
        });
        await client.query('COMMIT');
        report.committed = true;
      }
      report.timing_ms.write = Math.round(performance.now() - t1);
      return report;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (err as { code?: string }).code ?? '';
      if (/^(22|23)/.test(code)) throw new BadRequestError(`the sheet's data could not be stored: ${(err as Error).message}`);
      throw err;
    }
  } finally {
    client.release();
  }
}

function reportOf(table: TableInput, opts: InspectionImportOptions, layout: HeaderLayout, columns: ColumnMapping, sheet: SheetRecords,
  plan: PlannedInspection[], rejected: RowRejection[], warnings: string[]): InspectionImportReport {
  const inspectionOfRow = new Map<number, number>();
  plan.forEach((p, i) => p.rows.forEach((r) => inspectionOfRow.set(r, i)));
  const withDefect = new Set(plan.flatMap((p) => p.defects.map((d) => d.row)));
  const reasonOf = new Map(rejected.map((r) => [r.row, r.reason]));
  const row_results = sheet.rowIndex.map((i): InspectionImportReport['row_results'][number] => {
    const row = i + 1;
    const reason = reasonOf.get(row);
    if (reason !== undefined) return { row, action: 'rejected', reason };
    return { row, action: withDefect.has(row) ? 'defect' : 'no_defect', inspection: inspectionOfRow.get(row) };
  });
  const matched_by: Record<MatchedBy, number> = { pipe_code: 0, manholes: 0, manholes_reversed: 0 };
  for (const p of plan) matched_by[p.matched_by]++;
  return {
    layer: 'inspections',
    filename: opts.filename,
    dry_run: Boolean(opts.dryRun),
    committed: false,
    file: {
      format: table.format ?? null,
      sheet: table.sheet,
      encoding: table.encoding ? { encoding: table.encoding.encoding, from: table.encoding.from, warnings: table.encoding.warnings } : null,
      header: { row: layout.headerRow + 1, rows: layout.headerRows, above: layout.skipped },
    },
    columns: { mapping: columns.mapping, matches: columns.matches, unused: columns.unused, headers: [...layout.names], template: mappingTemplate(INSPECTIONS, columns) },
    rows: {
      read: sheet.records.length, valid: sheet.records.length - rejected.length, rejected: rejected.length,
      with_defect: withDefect.size, without_defect: sheet.records.length - rejected.length - withDefect.size, skipped: sheet.skipped,
    },
    row_results,
    rejected,
    inspections: plan.map((p) => ({
      pipe_id: p.pipe_id, pipe_code: p.pipe_code, matched_by: p.matched_by, reach: `${p.from_code} → ${p.to_code}`,
      inspected_at: p.inspected_at, method: p.method, direction: p.direction, direction_from: p.direction_from,
      rows: p.rows, defects: p.defects.length, action: 'insert', id: null, replaced: null, before: null, after: null,
    })),
    matched_by,
    written: null,
    warnings: warnings.length > MAX_WARNINGS ? [...warnings.slice(0, MAX_WARNINGS), `and ${warnings.length - MAX_WARNINGS} more warnings`] : warnings,
    timing_ms: { read: 0, check: 0, write: 0 },
  };
}
