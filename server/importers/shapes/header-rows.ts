// Where the header of a spreadsheet is. Ledgers exported from Excel put a title row (one cell, merged
// across the sheet) and notes (填报单位, 日期) above the header, and group columns under a merged cell
// (检测信息 over 检测日期 and 检测方向) with the ungrouped columns' names merged down through both rows.
// A reader (GDAL's XLSX and CSV drivers with HEADERS=NO) gives the merged value in its first cell and
// leaves the rest empty; from that this finds the header row, merges a two-row header into single names
// ("检测信息 / 检测日期", columns.ts matches the last part), and says where the data starts.
import { HEADER_JOIN } from './columns.ts';

export type Cell = string | number | null | undefined;

export interface HeaderLayout {
  /** Index of the (first) header row. */
  headerRow: number;
  headerRows: 1 | 2;
  /** A name per column: merged two-row names as "top / bottom", empty ones 列N, repeated ones numbered. */
  names: string[];
  /** Index of the first data row. */
  dataStart: number;
  /** The rows above the header (a title, notes), as text, for the report. */
  skipped: string[];
}

export interface HeaderOptions {
  /** Whether a name is one a layer knows (columns.ts); helps choose the header row and spot a second one. */
  known?: (name: string) => boolean;
  /** Rows looked at for the header. */
  scan?: number;
}

const text = (c: Cell) => (c === null || c === undefined ? '' : String(c).replace(/\s+/g, ' ').trim());
/** A value no header cell is: a number, a date, a time. */
const dataLike = (s: string) => /^[-+]?[\d,]*\.?\d+(e[-+]?\d+)?%?$/i.test(s) || /^\d{4}[-/.年]\d{1,2}月?([-/.]?\d{1,2}日?)?(\s.*)?$/.test(s) || /^\d{1,2}:\d{2}/.test(s);

function filled(row: readonly Cell[]): number[] {
  const out: number[] = [];
  row.forEach((c, j) => { if (text(c)) out.push(j); });
  return out;
}

/** A row that can be a header: most of the widest row's cells filled, with distinct text that is not data. */
function headerLike(row: readonly Cell[], widest: number): boolean {
  const cells = filled(row).map((j) => text(row[j]));
  if (cells.length < Math.max(2, Math.ceil(widest / 2))) return false;
  const textual = cells.filter((s) => !dataLike(s)).length;
  return textual / cells.length >= 0.8 && new Set(cells).size / cells.length >= 0.8;
}

/** A note above the header: "填报单位：…", "日期: …" (label, colon, value). */
const noteLike = (row: readonly Cell[]) => row.some((c) => /[:：]\s*\S/.test(text(c)));

/**
 * The header of the first rows of a sheet. A header row looks like one (headerLike), or is the top row of
 * a two-row header over one that does: at least two cells, none a note, and the row under it a second
 * header row (isSecondHeader). The first such row is the header; when `known` is given, the one whose
 * names a layer knows most of (ties: the first).
 */
export function findHeader(rows: readonly (readonly Cell[])[], opts: HeaderOptions = {}): HeaderLayout {
  const scan = rows.slice(0, opts.scan ?? 20);
  const widest = Math.max(0, ...scan.map((r) => filled(r).length));
  const layouts: HeaderLayout[] = [];
  scan.forEach((r, i) => {
    if (noteLike(r)) return;
    const next = rows[i + 1] ?? [];
    const width = Math.max(0, ...rows.slice(i, i + 50).map((x) => x.length));
    const two = isSecondHeader(r, next, width, opts.known);
    if (!headerLike(r, widest) && !(two && filled(r).length >= 2 && headerLike(next, widest))) return;
    const names = two ? mergedNames(r, next, width) : Array.from({ length: width }, (_, j) => text(r[j]));
    layouts.push({ headerRow: i, headerRows: two ? 2 : 1, names: uniqueNames(names), dataStart: i + (two ? 2 : 1), skipped: [] });
  });
  const score = (l: HeaderLayout) => (opts.known ? l.names.filter((n) => opts.known!(n)).length : 0);
  let best = layouts[0] ?? { headerRow: 0, headerRows: 1 as const, names: uniqueNames((rows[0] ?? []).map(text)), dataStart: 1, skipped: [] };
  for (const l of layouts) if (score(l) > score(best)) best = l;
  best.skipped = rows.slice(0, best.headerRow).map((r) => filled(r).map((j) => text(r[j])).join(' ')).filter(Boolean);
  return best;
}

function isSecondHeader(top: readonly Cell[], bottom: readonly Cell[], width: number, known?: (name: string) => boolean): boolean {
  const b = filled(bottom);
  if (!b.length || b.some((j) => dataLike(text(bottom[j])))) return false;
  const firstTop = filled(top)[0] ?? width;
  // Under a merged group cell: filled below, empty above, to the right of some header cell.
  const underGroup = b.some((j) => j > firstTop && !text(top[j]));
  if (!underGroup) return false;
  const mergedDown = filled(top).some((j) => !text(bottom[j]));
  if (mergedDown) return true;
  return known ? b.filter((j) => known(text(bottom[j]))).length * 2 >= b.length : true;
}

/**
 * Names of a two-row header. A top cell with a name under it is a group: it applies to the columns to its
 * right that are empty on top. A top cell with nothing under it was merged down: it is the name.
 */
function mergedNames(top: readonly Cell[], bottom: readonly Cell[], width: number): string[] {
  const names: string[] = [];
  let group = '';
  for (let j = 0; j < width; j++) {
    const t = text(top[j]);
    const b = text(bottom[j]);
    if (t) group = b ? t : '';
    names.push(b ? (group ? `${group}${HEADER_JOIN}${b}` : b) : t);
  }
  return names;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n, j) => {
    const name = n || `列${j + 1}`;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return k === 1 ? name : `${name} (${k})`;
  });
}

/** Total rows (合计, 总计, 小计) at the end of a ledger: not data. */
const TOTAL = /^(合计|总计|小计|total)[:：]?$/i;

export interface SheetRecords {
  records: Record<string, string>[];
  /** Sheet row index (0-based) of each record, for messages ("row 12: …", add 1). */
  rowIndex: number[];
  /** Rows left out: empty, repeating the header (page breaks of a printed export), totals. */
  skipped: { empty: number; header: number; total: number };
}

/** The data rows under a header as records {name: value}; empty, repeated-header and total rows left out. */
export function sheetRecords(rows: readonly (readonly Cell[])[], layout: HeaderLayout): SheetRecords {
  const out: SheetRecords = { records: [], rowIndex: [], skipped: { empty: 0, header: 0, total: 0 } };
  const line = (r: readonly Cell[]) => r.map(text).join('\u0001').replace(/\u0001+$/, '');
  const headers = new Set(rows.slice(layout.headerRow, layout.dataStart).map(line));
  for (let i = layout.dataStart; i < rows.length; i++) {
    const r = rows[i];
    const cells = filled(r);
    if (!cells.length) { out.skipped.empty++; continue; }
    if (headers.has(line(r))) { out.skipped.header++; continue; }
    if (TOTAL.test(text(r[cells[0]]).replace(/\s/g, ''))) { out.skipped.total++; continue; }
    // Values are only trimmed: spaces inside an address or a name are the ledger's.
    out.records.push(Object.fromEntries(layout.names.map((n, j) => [n, r[j] === null || r[j] === undefined ? '' : String(r[j]).trim()])));
    out.rowIndex.push(i);
  }
  return out;
}
