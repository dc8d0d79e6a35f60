// A ledger file (CSV or Excel .xlsx) as rows of text, through the hardened import path: size limit, the
// workbook's zip checked before GDAL opens it, a CSV's encoding detected (or given) and decoded to UTF-8
// here because GDAL's CSV driver does not recode, then GDAL confined to a private folder, in the import
// worker (gdal-table.ts). Which layer the rows fill is the caller's business.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../../http/errors.ts';
import { privateTmpDir } from '../../tmp-dirs.ts';
import { gdalDrivers } from '../gdal-env.ts';
import { MAX_IMPORT_BYTES } from '../import.ts';
import { IMPORT_LIMITS, type ImportLimits } from '../limits.ts';
import { runInWorker } from '../run-in-worker.ts';
import { decodeText, detectTextEncoding, type EncodingGuess, type TextEncodingName } from '../shapes/encoding.ts';
import type { Table, TableFormat } from '../shapes/gdal-table.ts';
import { checkZipEntries } from '../zip-check.ts';

export interface TableFileOptions {
  filename: string;
  /** As given; told by the file name when not. */
  format?: TableFormat;
  /** A CSV's encoding as the person gave it; detected when not given. */
  encoding?: TextEncodingName;
  /** The workbook's sheet; the first with rows when not given. */
  sheet?: string;
  limits?: ImportLimits;
}

export interface TableFile extends Table {
  format: TableFormat;
  /** How a CSV was decoded (null for a workbook: its text is UTF-8 by definition). */
  encoding: EncodingGuess | null;
  readMs: number;
}

/** csv or xlsx from the file name; null for anything else. */
export function tableFormatOf(filename: string): TableFormat | null {
  const ext = path.extname(filename).toLowerCase();
  return ext === '.csv' || ext === '.txt' ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
}

/** Refuses what is not the format its name says, before anything is written to disk. */
function checkTableBytes(buf: Buffer, format: TableFormat, filename: string): void {
  const head = buf.subarray(0, 8).toString('latin1');
  if (head.startsWith('\xD0\xCF\x11\xE0')) {
    throw new BadRequestError(`${filename} is an old Excel 97–2003 workbook (.xls) or another OLE file: save it as .xlsx (Excel 工作簿) and import that`);
  }
  if (format === 'xlsx') {
    if (!head.startsWith('PK\x03\x04')) throw new BadRequestError('the file is not an Excel workbook (.xlsx is a zip archive); check the file');
    checkZipEntries(buf);
  } else if (head.startsWith('PK\x03\x04')) {
    throw new BadRequestError(`${filename} is a zip archive, not a CSV file: an Excel workbook must be named .xlsx`);
  }
}

export async function readTableFile(buf: Buffer, opts: TableFileOptions): Promise<TableFile> {
  const t0 = performance.now();
  if (buf.length > MAX_IMPORT_BYTES) throw new BadRequestError(`the file is ${(buf.length / 1024 ** 2).toFixed(1)} MB; at most ${MAX_IMPORT_BYTES / 1024 ** 2} MB`);
  if (!buf.length) throw new BadRequestError('the file is empty');
  const format = opts.format ?? tableFormatOf(opts.filename);
  if (!format) throw new BadRequestError(`cannot tell the format of ${JSON.stringify(opts.filename.slice(0, 80))}: a ledger must be .csv or .xlsx`);
  checkTableBytes(buf, format, opts.filename);
  const limits = opts.limits ?? IMPORT_LIMITS;
  let encoding: EncodingGuess | null = null;
  let content: Buffer | string = buf;
  if (format === 'csv') {
    encoding = detectTextEncoding(buf, { override: opts.encoding });
    content = decodeText(buf, encoding.encoding).replace(/^\uFEFF/, '');
  }
  // A fixed name in a private folder: the person's file name never reaches a path GDAL sees.
  const dir = await privateTmpDir('import');
  try {
    const file = path.join(dir, `upload.${format}`);
    await writeFile(file, content);
    const table = await runInWorker<Table>({
      kind: 'table', src: { path: file, format, dir, filename: opts.filename, sheet: opts.sheet }, limits, drivers: await gdalDrivers(),
    }, limits);
    return { ...table, format, encoding, readMs: performance.now() - t0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
