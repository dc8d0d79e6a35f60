// CJJ 181-2012 《城镇排水管道检测与评估技术规程》: the data the scoring engine is driven by.
// Source: CJJ 181-2012 table 8.2.3, the functional defects table of §8.3 and the grade tables of §8.1–8.3 (grade texts verbatim). The defect-code rows must stay identical to the
// `defect_codes` INSERT in server/db/migrations/003_drainage.sql (a unit test compares them).
// Nothing here computes anything; score.ts reads these tables.

export type DefectKind = 'structural' | 'functional';
export type Grade = 1 | 2 | 3 | 4;

export interface LocalizedText {
  zh: string;
  en: string;
}

export interface DefectCode {
  code: string;
  name_zh: string;
  name_en: string;
  kind: DefectKind;
  /** scores[g - 1] is the score of grade g; null where the standard defines no such grade. */
  scores: readonly [number | null, number | null, number | null, number | null];
  /** false: recorded and carried through, never scored (FZ 浮渣, local non-standard extensions). */
  scored: boolean;
  /** true: uses its actual length; false (local): a defect ≤ 1 m long counts as 1 m. */
  continuous: boolean;
}

// 表 8.2.3 (structural) and the §8.3 functional table.
export const DEFECT_CODES: readonly DefectCode[] = [
  { code: 'PL', name_zh: '破裂', name_en: 'Fracture', kind: 'structural', scores: [0.5, 2, 5, 10], scored: true, continuous: false },
  { code: 'BX', name_zh: '变形', name_en: 'Deformation', kind: 'structural', scores: [1, 2, 5, 10], scored: true, continuous: true },
  { code: 'FS', name_zh: '腐蚀', name_en: 'Corrosion', kind: 'structural', scores: [0.5, 2, 5, null], scored: true, continuous: true },
  { code: 'CK', name_zh: '错口', name_en: 'Offset joint', kind: 'structural', scores: [0.5, 2, 5, 10], scored: true, continuous: false },
  { code: 'QF', name_zh: '起伏', name_en: 'Sag', kind: 'structural', scores: [0.5, 2, 5, 10], scored: true, continuous: true },
  { code: 'TJ', name_zh: '脱节', name_en: 'Open joint', kind: 'structural', scores: [1, 3, 5, 10], scored: true, continuous: false },
  { code: 'TL', name_zh: '接口材料脱落', name_en: 'Joint material intrusion', kind: 'structural', scores: [1, 3, null, null], scored: true, continuous: false },
  { code: 'AJ', name_zh: '支管暗接', name_en: 'Illegal lateral connection', kind: 'structural', scores: [0.5, 2, 5, null], scored: true, continuous: false },
  { code: 'CR', name_zh: '异物穿入', name_en: 'Intruding object', kind: 'structural', scores: [0.5, 2, 5, null], scored: true, continuous: false },
  { code: 'SL', name_zh: '渗漏', name_en: 'Infiltration', kind: 'structural', scores: [0.5, 2, 5, 10], scored: true, continuous: false },
  { code: 'CJ', name_zh: '沉积', name_en: 'Deposits', kind: 'functional', scores: [0.5, 2, 5, 10], scored: true, continuous: true },
  { code: 'JG', name_zh: '结垢', name_en: 'Scale', kind: 'functional', scores: [0.5, 2, 5, 10], scored: true, continuous: true },
  { code: 'ZW', name_zh: '障碍物', name_en: 'Obstacle', kind: 'functional', scores: [0.1, 2, 5, 10], scored: true, continuous: false },
  { code: 'CQ', name_zh: '残墙、坝根', name_en: 'Residual wall / dam', kind: 'functional', scores: [1, 3, 5, 10], scored: true, continuous: false },
  { code: 'SG', name_zh: '树根', name_en: 'Roots', kind: 'functional', scores: [0.5, 2, 5, 10], scored: true, continuous: false },
  // 浮渣 is "测记录表，不参与计算": recorded on the sheet, not part of the computation.
  { code: 'FZ', name_zh: '浮渣', name_en: 'Floating debris', kind: 'functional', scores: [0, 0, 0, null], scored: false, continuous: false },
];

export const DEFECT_CODE_INDEX: ReadonlyMap<string, DefectCode> = new Map(DEFECT_CODES.map((d) => [d.code, d]));

// ---- Segment rules (§8.1–8.3) -------------------------------------------------------------------

/** A local defect of at most this length counts as exactly this length (m). */
export const LOCAL_MIN_LENGTH_M = 1;
/** Defects of one kind whose start lies within this distance of a group's first defect are one defect (m). */
export const MERGE_WINDOW_M = 1;
/** The summed score of a merged group is capped here. */
export const MERGED_SCORE_CAP = 10;
/** Structural spacing factor α, applied when the net spacing s satisfies min < s ≤ max (m). */
export const ALPHA = 1.1;
export const ALPHA_SPACING_M = { min: 1.0, max: 1.5 } as const;

// ---- Grades --------------------------------------------------------------------------------------

/** Upper bounds of grades Ⅰ, Ⅱ, Ⅲ (inclusive); above the last is Ⅳ. */
export type Thresholds = readonly [number, number, number];

export interface GradeScale {
  thresholds: Thresholds;
  texts: Readonly<Record<Grade, LocalizedText>>;
}

export const F_SCALE: GradeScale = {
  thresholds: [1, 3, 6],
  texts: {
    1: { zh: '无或有轻微缺陷，结构状况基本不受影响，但具有潜在变坏的可能', en: 'No or minor defects; structure essentially unaffected but may deteriorate' },
    2: { zh: '缺陷明显超过一级，具有变坏的趋势', en: 'Defects clearly beyond grade I; tending to deteriorate' },
    3: { zh: '缺陷严重，结构状况受到影响', en: 'Serious defects; structural condition affected' },
    4: { zh: '存在重大缺陷，损坏严重或即将导致破坏', en: 'Major defects; badly damaged or about to fail' },
  },
};

export const G_SCALE: GradeScale = {
  thresholds: [1, 3, 6],
  texts: {
    1: { zh: '无或有轻微影响，运行基本不受影响', en: 'No or minor effect; operation essentially unaffected' },
    2: { zh: '过流有一定受阻，运行受影响不大', en: 'Flow somewhat obstructed; operation little affected' },
    3: { zh: '过流受阻比较严重，运行受到明显影响', en: 'Flow seriously obstructed; operation clearly affected' },
    4: { zh: '过流受阻很严重，即将或已导致运行瘫痪', en: 'Flow very seriously obstructed; operation failing or failed' },
  },
};

export const RI_SCALE: GradeScale = {
  thresholds: [1, 4, 7],
  texts: {
    1: { zh: '结构条件基本完好，不修复', en: 'Structure essentially sound; no repair' },
    2: { zh: '短期内不会发生破坏，但应做修复计划', en: 'No failure expected in the short term; plan a repair' },
    3: { zh: '短期内可能发生破坏，应尽快修复', en: 'May fail in the short term; repair soon' },
    4: { zh: '已经或即将发生破坏，应立即修复', en: 'Failed or about to fail; repair immediately' },
  },
};

export const MI_SCALE: GradeScale = {
  thresholds: [1, 4, 7],
  texts: {
    1: { zh: '没有明显需要处理的缺陷', en: 'No defects that clearly need treatment' },
    2: { zh: '没有立即处理必要，但宜安排处理计划', en: 'No need for immediate treatment; schedule it' },
    3: { zh: '应尽快处理', en: 'Treat soon' },
    4: { zh: '输水功能受到严重影响，应立即处理', en: 'Conveyance seriously affected; treat immediately' },
  },
};

// ---- Defect density (SM, YM) ---------------------------------------------------------------------

export type DensityCode = 'local' | 'partial' | 'overall';
export interface DensityClass extends LocalizedText {
  code: DensityCode;
}
/** SM/YM < local → 局部; local ≤ v ≤ overall → 部分或整体; > overall → 整体. */
export const DENSITY_BOUNDS = { local: 0.1, overall: 0.5 } as const;
export const DENSITY_CLASSES: Readonly<Record<DensityCode, DensityClass>> = {
  local: { code: 'local', zh: '局部缺陷', en: 'local defects' },
  partial: { code: 'partial', zh: '部分或整体缺陷', en: 'partial or overall defects' },
  overall: { code: 'overall', zh: '整体缺陷', en: 'overall defects' },
};

// ---- Weights K (area), E (pipe importance), T (soil) ---------------------------------------------

export type AreaClass = 'cbd' | 'arterial' | 'road' | 'other';
export interface WeightClass extends LocalizedText {
  value: number;
}
export const K_AREA: Readonly<Record<AreaClass, WeightClass>> = {
  cbd: { value: 10, zh: '中心商业区、附近有甲类民用建筑工程', en: 'central business district / class-A civil buildings nearby' },
  arterial: { value: 6, zh: '交通干道、附近有乙类民用建筑工程', en: 'arterial road / class-B civil buildings nearby' },
  road: { value: 3, zh: '其他行车道路、附近有丙类民用建筑工程', en: 'other carriageway / class-C civil buildings nearby' },
  other: { value: 0, zh: '所有其他区域', en: 'all other areas' },
};

/** E by diameter, first match wins: D > 1500 → 10, 1000 < D ≤ 1500 → 6, 600 ≤ D ≤ 1000 → 3, else 0. */
export const E_DIAMETER: readonly { minMm: number; inclusive: boolean; value: number }[] = [
  { minMm: 1500, inclusive: false, value: 10 },
  { minMm: 1000, inclusive: false, value: 6 },
  { minMm: 600, inclusive: true, value: 3 },
];
export const E_DEFAULT = 0;

export type SoilClass =
  | 'general'
  | 'silt_sand'
  | 'loess_iv'
  | 'loess_iii'
  | 'loess_i_ii'
  | 'expansive_strong'
  | 'expansive_medium'
  | 'expansive_weak'
  | 'muck'
  | 'mucky_soil'
  | 'red_clay';
// 淤泥质土 and 红黏土 = 8 follow the recollected table and the Django implementation (Java says 10).
export const T_SOIL: Readonly<Record<SoilClass, WeightClass>> = {
  general: { value: 0, zh: '一般土层', en: 'general soil' },
  silt_sand: { value: 10, zh: '粉砂层', en: 'silty sand' },
  loess_iv: { value: 10, zh: '湿陷性黄土 Ⅳ级', en: 'collapsible loess, grade IV' },
  loess_iii: { value: 8, zh: '湿陷性黄土 Ⅲ级', en: 'collapsible loess, grade III' },
  loess_i_ii: { value: 6, zh: '湿陷性黄土 Ⅰ、Ⅱ级', en: 'collapsible loess, grade I–II' },
  expansive_strong: { value: 10, zh: '膨胀土 强', en: 'expansive soil, strong' },
  expansive_medium: { value: 8, zh: '膨胀土 中', en: 'expansive soil, medium' },
  expansive_weak: { value: 6, zh: '膨胀土 弱', en: 'expansive soil, weak' },
  muck: { value: 10, zh: '淤泥', en: 'muck' },
  mucky_soil: { value: 8, zh: '淤泥质土', en: 'mucky soil' },
  red_clay: { value: 8, zh: '红黏土', en: 'red clay' },
};

/** Below this F (for RI) or G (for MI) the K and E weights are taken as 0 (see score.ts for why). */
export const KE_MIN_INDEX = 4;

// ---- Index formulas ------------------------------------------------------------------------------

/** RI = 0.7·F + 0.1·K + 0.05·E + 0.15·T */
export const RI_WEIGHTS = { F: 0.7, K: 0.1, E: 0.05, T: 0.15 } as const;
/** MI = 0.8·G + 0.15·K + 0.05·E */
export const MI_WEIGHTS = { G: 0.8, K: 0.15, E: 0.05 } as const;

// ---- Advice --------------------------------------------------------------------------------------

export type RepairAdviceCode = 'none' | 'local' | 'full';
export interface Advice<C extends string> extends LocalizedText {
  code: C;
}
/** Repair: RI ≤ 1 → none; else SM < 0.1 (局部缺陷) → local repair; else full repair. */
export const REPAIR_ADVICE: Readonly<Record<RepairAdviceCode, Advice<RepairAdviceCode>>> = {
  none: { code: 'none', zh: '不修复', en: 'no repair' },
  local: { code: 'local', zh: '局部修复', en: 'local repair' },
  full: { code: 'full', zh: '整体修复', en: 'full repair' },
};

export type MaintenanceAdviceCode = 'none' | 'plan' | 'soon' | 'immediate';
/** Maintenance advice by MI grade (MI ≤ 1, ≤ 4, ≤ 7, > 7). */
export const MAINTENANCE_ADVICE: Readonly<Record<Grade, Advice<MaintenanceAdviceCode>>> = {
  1: { code: 'none', zh: '不养护', en: 'no maintenance' },
  2: { code: 'plan', zh: '宜安排养护计划', en: 'schedule maintenance' },
  3: { code: 'soon', zh: '尽快养护', en: 'maintain soon' },
  4: { code: 'immediate', zh: '立即养护', en: 'maintain immediately' },
};
