// The rows of a CCTV/QV inspection sheet (CJJ 181-2012 results) read as values, each checked on its own:
// which reach (pipe code, or start and end manholes), when, how, and the defect the row records. No
// database here: which pipe a reach is, and whether a distance fits it, is inspection-reaches.ts's.
//
// Contractors' sheets name the reach once and list its defects below it, the reach's cells merged down
// (Excel keeps the value in the first cell only) or written 同上: a row that names no reach is taken to be
// of the reach above it, with that reach's date, method and direction where its own are empty. A row
// whose defect cells are empty, or say 无缺陷, records an inspection that found nothing.
import type { Grade } from '../../domain/cjj181/tables.ts';
import { matchValue, type TargetField } from '../shapes/columns.ts';
import { checkDefectGrade, parseClock, parseDefectCode, parseGrade } from '../shapes/codes.ts';
import { INSPECTIONS } from '../shapes/targets/inspections.ts';
import { parseCode, parseDate, parseNumber } from '../shapes/values.ts';

export type Method = 'CCTV' | 'QV' | 'sonar' | 'manual';
export type Direction = 'downstream' | 'upstream';

/** How the sheet names a reach. */
export interface ReachRef {
  pipe_code: string | null;
  from: string | null;
  to: string | null;
}

/** What the sheet says about the reach itself, compared with the network's (warnings only). */
export interface ReachFacts {
  diameter_mm: number | null;
  material: string | null;
  pipe_length_m: number | null;
}

export interface DefectRow {
  code: string;
  grade: Grade;
  distance_m: number;
  /** Null when the sheet does not say (the table's default, 1 m, is used). */
  length_m: number | null;
  clock_from: number | null;
  clock_to: number | null;
  note: string | null;
}

export interface SheetRow {
  /** The row as the spreadsheet numbers it (1 is the first). */
  row: number;
  reach: ReachRef;
  facts: ReachFacts;
  inspected_at: string;
  method: Method | null;
  direction: Direction | null;
  inspected_length_m: number | null;
  operator: string | null;
  /** Null: the reach was inspected and this row records no defect. */
  defect: DefectRow | null;
}

export interface RowRejection {
  row: number;
  reason: string;
}

const FIELD: ReadonlyMap<string, TargetField> = new Map(INSPECTIONS.fields.map((f) => [f.field, f]));
/** "Same as above" as ledgers write it. */
const SAME = /^(同上|〃|"|”|''|同前)$/;
/** A defect cell saying there is none. */
const NONE = /^(无|无缺陷|未见缺陷|未发现缺陷|未见异常|完好|正常|none|nodefects?|[-—－/／]+)$/i;
/** A code cell that carries the grade too: PL3, PL(3), PL-Ⅲ. */
const CODE_WITH_GRADE = /^([A-Za-z]{2})\s*[-(（]?\s*([1-4]|[ⅠⅡⅢⅣ]|I{1,3}|IV)\s*[)）]?$/;

/** Reach-level cells: taken from the row above when empty, for a row of the same reach. */
const REACH_FIELDS = ['method', 'direction', 'inspected_length_m', 'operator', 'diameter_mm', 'material', 'pipe_length_m'] as const;
const IDENTITY = ['pipe_code', 'from_manhole', 'to_manhole'] as const;

type Cells = Record<string, string>;

/** The cell of `field` in a record, trimmed; '' when the field has no column or the cell is empty. */
function cellsOf(record: Record<string, string>, mapping: Record<string, string>): Cells {
  const out: Cells = {};
  for (const f of INSPECTIONS.fields) {
    const col = mapping[f.field];
    out[f.field] = col === undefined ? '' : String(record[col] ?? '').trim();
  }
  return out;
}

/** Cells with the ones left to the row above filled in from `above` (the row above, already filled). */
function filledDown(own: Cells, above: Cells | null): Cells {
  const same = (f: string) => SAME.test(own[f]);
  const cells = { ...own };
  const blankIdentity = IDENTITY.every((f) => !own[f] || same(f));
  if (above && blankIdentity) for (const f of IDENTITY) cells[f] = above[f];
  for (const f of Object.keys(cells)) if (same(f)) cells[f] = above?.[f] ?? '';
  // A date merged down a column spans reaches too; the other reach cells belong to one reach.
  if (above && !cells.inspected_at) cells.inspected_at = above.inspected_at;
  if (above && blankIdentity) for (const f of REACH_FIELDS) if (!cells[f]) cells[f] = above[f];
  return cells;
}

const code = (s: string): string | null => {
  const p = parseCode(s);
  return p.ok ? p.value : null;
};

/** A number cell that may carry a unit or a diameter sign (DN600, Φ600, 600mm); null when it is none. */
function looseNumber(s: string): number | null {
  if (!s) return null;
  const p = parseNumber(s.replace(/^(dn|d|φ|Φ|ф)\s*/i, ''));
  return p.ok ? p.value : null;
}

function defectOf(c: Cells, reasons: string[]): DefectRow | null {
  const codeCell = c.code.normalize('NFKC');
  const nameCell = c.defect_name;
  const none = (s: string) => !s || NONE.test(s.replace(/\s+/g, ''));
  const anyValue = c.grade || c.distance_m || c.clock || c.length_m;
  if (none(codeCell) && none(nameCell)) {
    if (anyValue && !codeCell && !nameCell) reasons.push('a grade, distance or clock position is given but no defect code or name');
    return null;
  }
  const embedded = CODE_WITH_GRADE.exec(codeCell);
  const defect = parseDefectCode(codeCell && !none(codeCell) ? (embedded ? embedded[1] : codeCell) : nameCell);
  if (!defect.ok) {
    reasons.push(defect.reason);
    return null;
  }
  if (codeCell && !none(codeCell) && nameCell && !none(nameCell)) {
    // A name that is one of the standard's must agree with the code; free text (破裂（纵向）) is left alone.
    const byName = parseDefectCode(nameCell);
    if (byName.ok && byName.value.code !== defect.value.code) {
      reasons.push(`defect code ${defect.value.code} is ${defect.value.name_zh} but the name says ${byName.value.name_zh} (${byName.value.code})`);
    }
  }
  const fromCode = embedded ? parseGrade(embedded[2]) : null;
  const grade = parseGrade(c.grade || embedded?.[2] || '');
  if (!grade.ok) reasons.push(c.grade ? grade.reason : `defect ${defect.value.code} has no grade (缺陷等级 1–4)`);
  else if (c.grade && fromCode?.ok && fromCode.value !== grade.value) {
    reasons.push(`the code says grade ${fromCode.value} (${codeCell}) but the grade column says ${c.grade}`);
  } else {
    const undefinedGrade = checkDefectGrade(defect.value, grade.value);
    if (undefinedGrade) reasons.push(undefinedGrade);
  }
  let distance: number | null = null;
  if (!c.distance_m) reasons.push(`defect ${defect.value.code} has no distance from the start manhole (距离)`);
  else {
    const d = parseNumber(c.distance_m);
    if (!d.ok) reasons.push(`distance ${d.reason}`);
    else if (d.value < 0) reasons.push(`distance ${d.value} m is negative`);
    else distance = d.value;
  }
  let length: number | null = null;
  if (c.length_m) {
    const l = parseNumber(c.length_m);
    if (!l.ok || l.value < 0) reasons.push(`defect length ${l.ok ? `${l.value} m is negative` : l.reason}`);
    else length = l.value;
  }
  let clock: { from: number; to: number } | null = null;
  if (c.clock) {
    const k = parseClock(c.clock);
    if (!k.ok) reasons.push(k.reason);
    else clock = k.value;
  }
  const note = [c.note, c.photo && `照片 ${c.photo}`].filter(Boolean).join('；') || null;
  if (!grade.ok || distance === null) return null;
  return { code: defect.value.code, grade: grade.value, distance_m: distance, length_m: length, clock_from: clock?.from ?? null, clock_to: clock?.to ?? null, note };
}

function enumOf<T extends string>(field: string, raw: string, reasons: string[]): T | null {
  if (!raw) return null;
  const f = FIELD.get(field)!;
  const v = matchValue(f, raw);
  if (v === null) reasons.push(`${f.label.split(' ')[0]} ${JSON.stringify(raw.slice(0, 20))} is not one of ${Object.values(f.values ?? {}).map((w) => w[0]).join(', ')}`);
  return v as T | null;
}

/**
 * Each record (a data row under the header, `rowIndex` its 0-based row of the sheet) as a SheetRow, or
 * rejected with every reason found in it. `today` (YYYY-MM-DD) bounds the inspection date.
 */
export function parseInspectionRows(records: readonly Record<string, string>[], rowIndex: readonly number[], mapping: Record<string, string>, today: string): { rows: SheetRow[]; rejected: RowRejection[] } {
  const rows: SheetRow[] = [];
  const rejected: RowRejection[] = [];
  let above: Cells | null = null;
  records.forEach((record, i) => {
    const row = rowIndex[i] + 1;
    const c = filledDown(cellsOf(record, mapping), above);
    above = c;
    const reasons: string[] = [];
    const reach: ReachRef = { pipe_code: code(c.pipe_code), from: code(c.from_manhole), to: code(c.to_manhole) };
    if (!reach.pipe_code && !(reach.from && reach.to)) {
      reasons.push(reach.from || reach.to ? 'the reach needs both its start and end manhole (起点井号 and 终点井号), or its pipe code' : 'no reach: no pipe code (管段编号) nor start and end manholes, and no row above to take them from');
    }
    let inspected_at = '';
    if (!c.inspected_at) reasons.push('no inspection date (检测日期)');
    else {
      const d = parseDate(c.inspected_at);
      if (!d.ok) reasons.push(`inspection date ${d.reason}`);
      else if (d.value > today) reasons.push(`inspection date ${d.value} is in the future`);
      else inspected_at = d.value;
    }
    const method = enumOf<Method>('method', c.method, reasons);
    const direction = enumOf<Direction>('direction', c.direction, reasons);
    let inspected_length_m: number | null = null;
    if (c.inspected_length_m) {
      const l = parseNumber(c.inspected_length_m);
      if (!l.ok || l.value < 0) reasons.push(`inspected length ${l.ok ? `${l.value} m is negative` : l.reason}`);
      else inspected_length_m = l.value;
    }
    const defect = defectOf(c, reasons);
    if (reasons.length) {
      rejected.push({ row, reason: reasons.join('; ') });
      return;
    }
    rows.push({
      row, reach, inspected_at, method, direction, inspected_length_m, operator: c.operator || null, defect,
      facts: { diameter_mm: looseNumber(c.diameter_mm), material: c.material || null, pipe_length_m: looseNumber(c.pipe_length_m) },
    });
  });
  return { rows, rejected };
}
