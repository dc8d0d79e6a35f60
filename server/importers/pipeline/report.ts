// The report of a layer import (its contract: common/api/imports.ts LayerImportReport), built as the import
// goes, and the refusal that carries it: a 400 whose body says what was wrong and holds the report as far as
// it got — the file's columns and the mapping for a missing column, every refused row with its reason.
import type { LayerImportReport } from '../../../common/api/imports.ts';
import { ApiError } from '../../http/errors.ts';

export type { LayerImportReport };
export type RowOutcome = LayerImportReport['rows'][number];

/** Rows listed in a report at most (the counts are always complete). */
export const LISTED_ROWS = 1000;

export class LayerImportRefused extends ApiError {
  constructor(message: string, readonly report: Partial<LayerImportReport>) {
    super(400, 'bad request', message);
  }
}

/** The refusal of a file with rows that cannot be imported: the first few reasons, by row. */
export function rowsRefusedMessage(rejected: readonly RowOutcome[], read: number): string {
  const first = rejected.slice(0, 5).map((r) => `row ${r.row}: ${r.reason}`).join('; ');
  const more = rejected.length > 5 ? `; and ${rejected.length - 5} more (see report.rejected)` : '';
  return `${rejected.length} of ${read} rows cannot be imported, so nothing was written: ${first}${more}`;
}

export function emptyCounts(): LayerImportReport['counts'] {
  return { read: 0, valid: 0, rejected: 0, insert: 0, update: 0, unchanged: 0, removed: 0 };
}
