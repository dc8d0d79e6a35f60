// Reading a ledger (CSV, Excel .xlsx) with GDAL, as rows of text: no header assumed and no
// type guessed, so header-rows.ts can find the header under title rows and merge a two-row one, and
// columns.ts and codes.ts can read the values (a GB/T 28181 code guessed as a number would lose digits).
// The same confinement as every import (gdal-env.ts): the declared driver alone, no network, the private
// folder; ogrinfo must open the file with that driver and say so before ogr2ogr reads it.
// A CSV must be UTF-8 when GDAL reads it (its driver does not recode): encoding.ts decodes GBK first.
import { OUTPUT_DRIVER } from '../gdal-env.ts';
import { GdalReadError, openOptionArgs, openWithDriver, streamRecords, type OnSpawn } from '../gdal-read.ts';
import type { ImportLimits } from '../limits.ts';

export const TABLE_DRIVER = { csv: 'CSV', xlsx: 'XLSX' } as const;
export type TableFormat = keyof typeof TABLE_DRIVER;

const WORDS: Record<TableFormat, string> = { csv: 'a CSV file', xlsx: 'an Excel workbook (.xlsx)' };
/** Every value as text, the first row as data. */
const OPEN_OPTIONS: Record<TableFormat, string[]> = {
  csv: ['HEADERS=NO', 'AUTODETECT_TYPE=NO', 'EMPTY_STRING_AS_NULL=NO'],
  xlsx: [],
};
/**
 * The same for the XLSX driver, which takes them as configuration options: given HEADERS=NO as an open
 * option it warns and guesses, and a sheet whose first row is all text above numbers loses that row — the
 * header of the commonest ledger of all — to field names.
 */
const READ_ARGS: Record<TableFormat, string[]> = {
  csv: openOptionArgs({ openOptions: OPEN_OPTIONS.csv }),
  xlsx: ['--config', 'OGR_XLSX_HEADERS', 'DISABLE', '--config', 'OGR_XLSX_FIELD_TYPES', 'STRING'],
};

export interface TableSource {
  /** A file of the private folder, named .csv or .xlsx (the drivers go by the extension). */
  path: string;
  format: TableFormat;
  dir: string;
  filename: string;
  /** The sheet of a workbook to read; the first one that has rows when not given. */
  sheet?: string;
}

export interface Table {
  /** The sheet read (a CSV's is its file name) and every sheet of the file. */
  sheet: string;
  sheets: string[];
  /** The rows as the file has them (an empty row of a workbook too; a CSV's empty lines are skipped). */
  rows: string[][];
}

/** The layers (sheets) ogrinfo lists once the driver has opened the file, or a refusal. */
async function openTable(src: TableSource, limits: ImportLimits, onSpawn: OnSpawn): Promise<string[]> {
  const out = await openWithDriver(
    { ...src, driver: TABLE_DRIVER[src.format], words: WORDS[src.format], openOptions: OPEN_OPTIONS[src.format] }, limits, onSpawn, 1000);
  // "1: Sheet1 (None)": tables have no geometry type but None.
  return out.flatMap((l) => { const m = /^\d+: (.*?)(?: \(None\))?$/.exec(l); return m ? [m[1]] : []; });
}

/** Reads the sheet's rows as text; runs in the import worker like gdalFeatures. */
export async function gdalTableRows(src: TableSource, limits: ImportLimits, onSpawn: OnSpawn = () => {}): Promise<Table> {
  const sheets = await openTable(src, limits, onSpawn);
  if (!sheets.length) throw new GdalReadError(`the file has no sheet GDAL can read as ${WORDS[src.format]}`, `ogrinfo ${src.path}: no layers`);
  if (src.sheet !== undefined && !sheets.includes(src.sheet)) {
    throw new GdalReadError(`the workbook has no sheet ${JSON.stringify(src.sheet.slice(0, 40))} (sheets: ${sheets.map((s) => JSON.stringify(s)).join(', ')})`, '');
  }
  const order = src.sheet !== undefined ? [src.sheet] : sheets;
  for (const sheet of order) {
    const rows = await readSheet(src, sheet, limits, onSpawn);
    if (rows.some((r) => r.some((c) => c.trim())) || src.sheet !== undefined) return { sheet, sheets, rows };
  }
  return { sheet: sheets[0], sheets, rows: [] };
}

async function readSheet(src: TableSource, sheet: string, limits: ImportLimits, onSpawn: OnSpawn): Promise<string[][]> {
  const args = ['-f', OUTPUT_DRIVER, '/vsistdout/', src.path, sheet, '-lco', 'RS=NO', ...READ_ARGS[src.format]];
  const rows: string[][] = [];
  await streamRecords(args, [TABLE_DRIVER[src.format], OUTPUT_DRIVER], { ...src, words: WORDS[src.format] }, limits, onSpawn, {
    tooManyBytes: '', noun: 'rows', notJson: 'GDAL could not turn one of the rows into JSON',
    count: () => rows.length,
    add: (line) => rows.push(rowOf((JSON.parse(line) as { properties?: Record<string, unknown> }).properties ?? {})),
  });
  return rows;
}

/** Field1…FieldN (XLSX) or field_1…field_n (CSV) as an array by column; cells GDAL left out are empty. */
function rowOf(props: Record<string, unknown>): string[] {
  const row: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    const m = /^field_?(\d+)$/i.exec(k);
    if (!m) continue;
    const j = Number(m[1]) - 1;
    while (row.length < j) row.push('');
    row[j] = v === null || v === undefined ? '' : String(v);
  }
  return row;
}
