// City-management case KPIs (数字城管 综合评价): pure formulas over counts the SQL produces for a
// period and an area. The definitions are data (KPI_DEFINITIONS): each KPI is a count, or a numerator over a
// denominator, both fields of KpiCounts. A zero denominator gives null ("no cases to rate"), never 0 or NaN.
//
// Choices — each has a unit test:
//  1. Rates are fractions in [0, 1] at full precision; the UI formats them as percentages.
//  2. 应结案数 (cases due to close), the denominator of the published 结案率, 按期结案率 and 返工率 (e.g. a city's
//     weekly report: 返工 276 / 应结案 52 434 = 0.53 %), is taken as `registered` (立案数): every registered case
//     is due to end in 结案. Using the same denominator keeps the three comparable with such reports.
//  3. 按期处置率 is over `dispatched` (应处置数): a dispatched case never handled counts against the rate, where
//     dividing by `handled` would reward leaving late cases untouched.
//  4. 主动发现率 is over all reports: active sources (inspector, video, iot) ÷ all sources (also citizen,
//     superior), valid or not — it measures who finds problems first.
//  5. 平均处置时长 is the mean over handled cases of the hours from dispatch to 处置反馈 (the SQL leaves out
//     suspended time, as the deadline does).
//  6. Besides the eight KPIs asked for, 有效上报率 (valid/reported) and 立案率 (registered/valid) are given,
//     so that every count has a use; they are marked `extra`.

import type { Label } from './workflow.ts';

export interface KpiCounts {
  /** Reports received (上报数), all sources. */
  reported: number;
  /** Reports accepted (有效上报数 / 受理数): status reached 'accepted' or beyond. */
  valid: number;
  /** 立案数. */
  registered: number;
  /** 派遣数 (cases dispatched at least once). */
  dispatched: number;
  /** 处置数: cases reported as handled at least once. */
  handled: number;
  /** 按期处置数: handled (first time) no later than deadline_at. */
  handledOnTime: number;
  /** 结案数. */
  closed: number;
  /** 按期结案数: closed_at no later than deadline_at. */
  closedOnTime: number;
  /** Cases with at least one rework (返工). */
  reworked: number;
  /** Reports from inspector, video or iot (the rest: citizen, superior). */
  activeDiscovery: number;
  /** Σ hours from dispatch to 处置反馈 over the handled cases counted in disposalCount. */
  disposalHoursSum: number;
  disposalCount: number;
  /** Evaluations (综合评价 / citizen feedback) that were satisfied. */
  satisfied: number;
  evaluated: number;
}

export type KpiKey =
  | 'filings'
  | 'activeDiscoveryRate'
  | 'onTimeHandlingRate'
  | 'closingRate'
  | 'onTimeClosingRate'
  | 'avgDisposalHours'
  | 'reworkRate'
  | 'satisfactionRate'
  | 'validReportRate'
  | 'registrationRate';

export type KpiUnit = 'count' | 'ratio' | 'hours';

export interface KpiDefinition {
  key: KpiKey;
  label: Label;
  unit: KpiUnit;
  numerator: keyof KpiCounts;
  /** Absent for plain counts. */
  denominator?: keyof KpiCounts;
  definition: string;
  /** Not one of the eight KPIs of the evaluation brief (choice 6). */
  extra?: boolean;
}

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  { key: 'filings', label: { zh: '立案数', en: 'Cases registered' }, unit: 'count', numerator: 'registered',
    definition: 'Number of cases registered (立案) in the period.' },
  { key: 'activeDiscoveryRate', label: { zh: '主动发现率', en: 'Active discovery share' }, unit: 'ratio',
    numerator: 'activeDiscovery', denominator: 'reported',
    definition: 'Reports from inspectors, video and IoT ÷ all reports (also citizen and superior), valid or not.' },
  { key: 'onTimeHandlingRate', label: { zh: '按期处置率', en: 'On-time handling rate' }, unit: 'ratio',
    numerator: 'handledOnTime', denominator: 'dispatched',
    definition: 'Cases handled (处置反馈) by their deadline ÷ cases dispatched (应处置数).' },
  { key: 'closingRate', label: { zh: '结案率', en: 'Closing rate' }, unit: 'ratio', numerator: 'closed', denominator: 'registered',
    definition: 'Cases closed (结案) ÷ cases registered (应结案数 = 立案数).' },
  { key: 'onTimeClosingRate', label: { zh: '按期结案率', en: 'On-time closing rate' }, unit: 'ratio',
    numerator: 'closedOnTime', denominator: 'registered',
    definition: 'Cases closed by their deadline ÷ cases registered (应结案数 = 立案数).' },
  { key: 'avgDisposalHours', label: { zh: '平均处置时长', en: 'Average disposal time' }, unit: 'hours',
    numerator: 'disposalHoursSum', denominator: 'disposalCount',
    definition: 'Mean hours from dispatch to 处置反馈 over handled cases, suspended time excluded.' },
  { key: 'reworkRate', label: { zh: '返工率', en: 'Rework rate' }, unit: 'ratio', numerator: 'reworked', denominator: 'registered',
    definition: 'Cases sent back for rework at least once ÷ cases registered (应结案数 = 立案数).' },
  { key: 'satisfactionRate', label: { zh: '满意率', en: 'Satisfaction rate' }, unit: 'ratio', numerator: 'satisfied',
    denominator: 'evaluated', definition: 'Satisfied evaluations ÷ all evaluations.' },
  { key: 'validReportRate', label: { zh: '有效上报率', en: 'Valid report rate' }, unit: 'ratio', numerator: 'valid',
    denominator: 'reported', definition: 'Reports accepted (受理) ÷ all reports.', extra: true },
  { key: 'registrationRate', label: { zh: '立案率', en: 'Registration rate' }, unit: 'ratio', numerator: 'registered',
    denominator: 'valid', definition: 'Cases registered (立案) ÷ reports accepted (受理数).', extra: true },
];

/** A KPI's value: the count, or numerator ÷ denominator; null when the denominator is 0. */
export function kpiValue(def: KpiDefinition, counts: KpiCounts): number | null {
  const num = checked(counts, def.numerator);
  if (!def.denominator) return num;
  const den = checked(counts, def.denominator);
  return den === 0 ? null : num / den;
}

export function computeKpis(counts: KpiCounts): Record<KpiKey, number | null> {
  return Object.fromEntries(KPI_DEFINITIONS.map((d) => [d.key, kpiValue(d, counts)])) as Record<KpiKey, number | null>;
}

export interface KpiResult extends KpiDefinition {
  value: number | null;
}

/** The definitions with their values, in definition order (for tables and the API). */
export function describeKpis(counts: KpiCounts): KpiResult[] {
  return KPI_DEFINITIONS.map((d) => ({ ...d, value: kpiValue(d, counts) }));
}

// pg returns count(*) as a string: a string here would concatenate or compare wrongly, so it is refused.
function checked(counts: KpiCounts, key: keyof KpiCounts): number {
  const v = counts[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`KPI count ${key} must be a finite number ≥ 0, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The KPIs the table shows, in its order: the eight of the brief (the extras are in the JSON only). */
export const tableKpis = <K extends Pick<KpiDefinition, 'extra'>>(kpis: readonly K[]): K[] => kpis.filter((k) => !k.extra);

/** The words the KPI table heads its first columns with (src/i18n field.name, kpi.reported), for its CSV. */
const SHEET_HEADS: Record<'code' | 'name' | 'reported', Label> = {
  code: { zh: '编码', en: 'Code' }, name: { zh: '名称', en: 'Name' }, reported: { zh: '上报数', en: 'Reports' },
};

/** A KPI value as the table reads it: ratios as percentages, hours with one decimal, counts as they are. */
export function kpiCell(unit: KpiUnit, value: number | null): number | string | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (unit === 'ratio') return `${Math.round(value * 1000) / 10}%`;
  if (unit === 'hours') return Math.round(value * 10) / 10;
  return value;
}

/**
 * The KPI table as records for the CSV writer: the unit's code (to join a spreadsheet on), then the table's
 * columns with its headers in `lang` and its values as it shows them.
 */
export function kpiSheet(
  rows: readonly { code: string | null; name: string | null; counts: Pick<KpiCounts, 'reported'>; kpis: readonly KpiResult[] }[],
  lang: 'zh' | 'en',
): (string | number | null)[][] {
  const columns = tableKpis(rows[0]?.kpis ?? KPI_DEFINITIONS.map((d) => ({ ...d, value: null })));
  return [
    [SHEET_HEADS.code[lang], SHEET_HEADS.name[lang], SHEET_HEADS.reported[lang], ...columns.map((k) => k.label[lang])],
    ...rows.map((r) => [r.code, r.name, r.counts.reported, ...columns.map((c) => {
      const k = r.kpis.find((x) => x.key === c.key);
      return k ? kpiCell(k.unit, k.value) : null;
    })]),
  ];
}
