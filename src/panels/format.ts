// How feature attributes read in the UI: field names and coded values through the dictionaries, units
// attached, and a one-line title per layer for tooltips, details headers and tables.
import type { I18n } from '../i18n/index.tsx';

type Tr = Pick<I18n, 't' | 'tr' | 'num' | 'date'>;

const ROMAN = ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ'];
export const roman = (g: unknown): string => ROMAN[Number(g)] ?? String(g ?? '—');

/** Fields whose values are codes with a translation (`value.usage.rain`…). */
const CODED = new Set(['usage', 'network', 'status', 'kind', 'class', 'material', 'direction']);

export function fieldLabel(field: string, i: Tr): string {
  return i.tr(`field.${field}`, field);
}

export function formatValue(field: string, value: unknown, i: Tr): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'sgrade' || field === 'fgrade' || field === 'grade') return roman(value);
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

/** The one line that names a feature of a layer. */
export function featureTitle(layer: string, p: Record<string, unknown>, i: Tr): string {
  if (p.count !== undefined) return i.t('tooltip.cluster', { n: i.num(Number(p.count)) });
  switch (layer) {
    case 'pipes':
      return [p.code, p.usage && formatValue('usage', p.usage, i), p.diameter_mm && `DN${p.diameter_mm}`].filter(Boolean).join(' · ');
    case 'manholes':
      return [p.code, p.kind && formatValue('kind', p.kind, i)].filter(Boolean).join(' · ');
    case 'hazards':
      return [p.code, p.grade && `${roman(p.grade)}${i.t('unit.grade')}`, p.kind && formatValue('kind', p.kind, i)].filter(Boolean).join(' · ');
    case 'misconnections':
      return [formatValue('kind', p.kind, i), formatValue('status', p.status, i)].join(' · ');
    case 'grids':
      return String(p.code ?? '');
    case 'cases':
      return [p.case_no, formatValue('status', p.status, i)].filter(Boolean).join(' · ');
    case 'cameras':
    case 'sensors':
    case 'facilities':
      return [p.name ?? p.code, p.status && formatValue('status', p.status, i)].filter(Boolean).join(' · ');
    default:
      return String(p.name ?? p.label ?? p.code ?? p.id ?? '');
  }
}

/** A number of hours as the case list says it (`4 小时`, `4 h`). */
export function formatHours(n: number, i: Tr): string {
  return i.t('unit.hours', { n: i.num(n) });
}
