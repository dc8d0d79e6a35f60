// A KPI's value as people read it: counts as integers, ratios as percentages, hours with one decimal.
import type { Kpi } from '../../api/caseTypes.ts';
import type { I18n } from '../../i18n/index.tsx';

export function formatKpi(k: Pick<Kpi, 'unit' | 'value'>, num: I18n['num']): string {
  if (k.value === null || !Number.isFinite(k.value)) return '—';
  switch (k.unit) {
    case 'ratio': return `${num(k.value * 100, 1)}%`;
    case 'hours': return `${num(k.value, 1)} h`;
    default: return num(k.value);
  }
}

/** The bar's length: ratios against 100 %, everything else against the largest value shown. */
export function barScale(unit: Kpi['unit'], values: (number | null)[]): number {
  if (unit === 'ratio') return 1;
  return Math.max(1e-9, ...values.map((v) => v ?? 0));
}
