// A ledger cell read as a field's type (columns.ts FieldType): numbers with thousands separators, full-width
// digits and units ("1,234.5", "１２", "300mm"), dates in the forms Chinese offices write them (2024/5/6,
// 2024年5月6日, 2024.05.06, 20240506, an Excel day serial), codes as text (a number cell's ".0" dropped).
import type { FieldType } from './columns.ts';
import type { Parsed } from './codes.ts';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

const clean = (v: unknown) => String(v ?? '').normalize('NFKC').trim();

/** A number, allowing thousands separators and a unit after it (管径 "300mm", 距离 "12.5 m", "2 m³/s": NFKC makes ³ a 3). */
export function parseNumber(v: unknown): Parsed<number> {
  if (typeof v === 'number') return Number.isFinite(v) ? ok(v) : fail(`${v} is not a number`);
  const s = clean(v);
  if (!s) return fail('empty');
  const m = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:e[-+]?\d+)?)\s*(?:[a-z°%/\u4e00-\u9fff][a-z0-9°%/\u4e00-\u9fff]*)?$/i.exec(s);
  const n = m && m[1] && /\d/.test(m[1]) ? Number(m[1].replace(/,/g, '')) : NaN;
  return Number.isFinite(n) ? ok(n) : fail(`${JSON.stringify(s.slice(0, 30))} is not a number`);
}

export function parseInteger(v: unknown): Parsed<number> {
  const n = parseNumber(v);
  if (!n.ok) return n;
  return Number.isInteger(n.value) ? n : fail(`${n.value} is not a whole number`);
}

/** Excel's day 1 is 1900-01-01, counting its phantom 1900-02-29: serial 25569 is 1970-01-01. */
const EXCEL_EPOCH_SERIAL = 25569;

/**
 * A date as YYYY-MM-DD: ISO and its slash, dot and 年月日 forms (a time after it dropped), 8 digits, or an
 * Excel day serial (a date cell read as a number: 45418 is 2024-05-06). Checked to be a real day.
 */
export function parseDate(v: unknown): Parsed<string> {
  const s = clean(v);
  if (!s) return fail('empty');
  let y: number;
  let mo: number;
  let d: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{5})(?:\.\d+)?$/.exec(s)) && Number(m[1]) > 20_000 && Number(m[1]) < 80_000) {
    const day = new Date((Number(m[1]) - EXCEL_EPOCH_SERIAL) * 86_400_000);
    return ok(day.toISOString().slice(0, 10));
  } else return fail(`${JSON.stringify(s.slice(0, 30))} is not a date (write 2024-05-06)`);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return fail(`${JSON.stringify(s)} is not a day of the calendar`);
  return ok(date.toISOString().slice(0, 10));
}

/** A code as text: trimmed, full-width to ASCII, a number cell's ".0" dropped (a rounded one is codes.ts's to name). */
export function parseCode(v: unknown): Parsed<string> {
  const s = clean(v).replace(/^(\d+)\.0+$/, '$1');
  return s ? ok(s) : fail('empty');
}

/** A cell as a field of `type`; empty cells are null (whether that is allowed is the field's `required`). */
export function coerce(v: unknown, type: FieldType): Parsed<string | number | null> {
  if (v === null || v === undefined || clean(v) === '') return ok(null);
  switch (type) {
    case 'number': return parseNumber(v);
    case 'integer': return parseInteger(v);
    case 'date': return parseDate(v);
    case 'code': return parseCode(v);
    case 'string': return ok(String(v).trim());
  }
}
