// How feature attributes read in the UI: field names and coded values through the dictionaries, units
// attached, and a one-line title per layer for tooltips, details headers and tables.
import type { SearchPart } from '../api/types.ts';
import type { I18n } from '../i18n/index.tsx';

type Tr = Pick<I18n, 't' | 'tr' | 'num' | 'date'>;

const ROMAN = ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ'];
export const roman = (g: unknown): string => ROMAN[Number(g)] ?? String(g ?? '—');

// Dates read the same in both languages, ISO 8601 ("2026-12-07 14:05"): "07/12/2026" means July to one
// reader and December to another. Beijing time wherever the browser's clock is set (as on the wall).
const ISO_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** The one date rule: "2026-12-07 14:05", or "2026-12-07" without the time; the input as text when it is no date. */
export function isoDate(d: Date | string | number, withTime = true): string {
  const v = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(v.getTime())) return String(d);
  const p = Object.fromEntries(ISO_PARTS.formatToParts(v).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  return withTime ? `${day} ${p.hour}:${p.minute}` : day;
}

/** A typed day as "YYYY-MM-DD" when it is one (2026-02-30 is not), else null. */
export function isoDay(text: string): string | null {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The one form of a CJJ 181 grade 1–4 in words: "Ⅳ级" / "grade Ⅳ". */
export function gradeLabel(g: unknown, i: Pick<I18n, 't'>): string {
  return g === null || g === undefined || g === '' ? '—' : i.t('fmt.grade', { g: roman(g) });
}

/** The one form of a defect: name, code and grade, "渗漏 SL · Ⅳ级" / "Infiltration SL · grade Ⅳ". */
export function defectLabel(code: string, grade: unknown, i: Pick<I18n, 't' | 'tr'>): string {
  const name = i.tr(`defect.${code}`, '');
  return `${name ? `${name} ` : ''}${code}${grade === null || grade === undefined ? '' : ` · ${gradeLabel(grade, i)}`}`;
}

/** Fields whose values are codes with a translation (`value.usage.rain`…). */
const CODED = new Set(['usage', 'network', 'status', 'kind', 'class', 'material', 'direction']);

export function fieldLabel(field: string, i: Tr): string {
  return i.tr(`field.${field}`, field);
}

export function formatValue(field: string, value: unknown, i: Tr): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'sgrade' || field === 'fgrade' || field === 'grade') return gradeLabel(value, i);
  if (CODED.has(field) && typeof value === 'string') return i.tr(`value.${field}.${value}`, i.tr(`value.${value}`, value));
  if (field.endsWith('_m') && typeof value === 'number') return `${i.num(value, 2)} m`;
  if (field.endsWith('_mm') && typeof value === 'number') return `${i.num(value)} mm`;
  if (field.endsWith('_m2') && typeof value === 'number') return `${i.num(value)} m²`;
  if ((field === 'azimuth' || field === 'hfov' || field.endsWith('_deg')) && typeof value === 'number') return `${i.num(value, 1)}°`;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return i.date(value);
  if (typeof value === 'number') return i.num(value, 3);
  if (typeof value === 'boolean') return i.t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A search result's line under its label: coded values through the dictionaries, names in the UI's language. */
export function searchLine(parts: readonly SearchPart[], i: Tr & Pick<I18n, 'lang'>): string {
  return parts.map((p) => (p.field ? formatValue(p.field, p.value, i) : i.lang === 'en' && p.en ? p.en : String(p.value))).join(' · ');
}

/** A station's or a device's line: its name (or code) and its status. */
export function nameAndStatus(p: Record<string, unknown>, i: Tr): string {
  return [p.name ?? p.code, p.status && formatValue('status', p.status, i)].filter(Boolean).join(' · ');
}

/** A number of hours as the case list says it (`4 小时`, `4 h`). */
export function formatHours(n: number, i: Tr): string {
  return i.t('unit.hours', { n: i.num(n) });
}

/** A hazard's or misconnection's remediation status (its own words: "verified" is 已验收 here, not a case's 核实). */
export function remediationStatus(s: unknown, i: Pick<I18n, 'tr'>): string {
  return i.tr(`remediation.status.${String(s)}`, String(s ?? '—'));
}

/** A facility's line: its name and, where it reports, its state ("东湖闸 · 开度 60%", "沙湖 · 19.40 m · 超警戒水位"). */
export function facilityTitle(p: Record<string, unknown>, i: Tr): string {
  return [p.name ?? p.code, ...facilityStateWords(p, i)].filter(Boolean).join(' · ');
}

/** A facility's state in words: the gate's opening or that it is shut, the pumps, the level and its band. */
export function facilityStateWords(p: Record<string, unknown>, i: Tr): string[] {
  const out: string[] = [];
  if (typeof p.open_pct === 'number') out.push(p.open_pct > 0 ? i.t('facilityState.gate', { pct: i.num(p.open_pct) }) : i.t('facilityState.closed'));
  if (p.pump_status === 'running') out.push(`${i.t('facilityState.running')} ${i.t('facilityState.flow', { flow: i.num(Number(p.flow_m3s ?? 0), 1), units: i.num(Number(p.units_running ?? 0)) })}`);
  else if (p.pump_status === 'stopped') out.push(i.t('facilityState.stopped'));
  else if (p.pump_status === 'fault') out.push(i.t('facilityState.pumpFault'));
  if (p.gate_status === 'fault') out.push(i.t('facilityState.gateFault'));
  // Levels always with centimetres (20.00 m, not 20 m), as gauges read.
  if (typeof p.water_level_m === 'number') out.push(`${p.water_level_m.toFixed(2)} m`);
  if (p.level_state === 'warning' || p.level_state === 'guarantee') out.push(i.t(`facilityState.level.${p.level_state}`));
  return out;
}
