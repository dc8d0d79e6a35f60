// CJJ 181-2012 segment (管段) condition scoring: pure functions over the tables in tables.ts.
// Formulas and rules: CJJ 181-2012 §8.1–8.3. Full precision throughout; values are
// rounded to 3 decimals only when they are put into the result.
//
// Choices where the standard (or its implementations) leaves room — each has a unit test:
//  1. Position of a defect for spacing. A local defect ≤ 1 m long is a cross-section event at
//     distance_m (a joint, a crack ring, a root intrusion); its "1 m" is only its scoring length Li.
//     So its extent for spacing is the point distance_m, while continuous defects, and local ones
//     recorded longer than 1 m, span [distance_m, distance_m + length_m]. The net spacing between two
//     defects is the gap between the end of the earlier one and the start of the later one. (Measuring
//     from distance_m + 1 would turn the worked example's CK @12.0 / TJ @13.2, 1.2 m apart, into 0.2 m.)
//  2. Same-metre merge. Defects of one kind whose start lies within 1 m (≤ 1.0) of the FIRST defect of a
//     group join that group; the next defect beyond starts a new group. A group's score is the sum of its
//     members' scores capped at 10, its scoring length is its longest member's Li (1 m for local ones),
//     and it counts as one defect in n / m.
//  3. Spacing class: NEAREST neighbour. Each (merged) defect takes the smallest net gap to any other
//     defect of its kind; 1.0 < gap ≤ 1.5 → α = 1.1 (n2), otherwise α = 1 (n1). A gap ≤ 1.0 between
//     defects that were not merged (e.g. a defect just past the end of a long deformation) has no α:
//     the standard defines α only for 1.0–1.5 m, and with nearest-neighbour a defect that sits right next
//     to one neighbour is not boosted by a second, farther one. This reproduces the worked
//     example of test/unit/cjj181.test.ts (PL far from everything → n1; CK/TJ 1.2 m apart → n2). Functional defects never get α.
//  4. "F < 4 → K = E = 0" applies to RI. Without it location alone lifts a sound pipe into repair
//     planning: F = 0.5 under a CBD street with D > 1500 would give RI = 1.85 (grade Ⅱ, 应做修复计划).
//     With it RI follows the defects until they are serious (F ≥ 4), as in the worked example (F = 10,
//     K and E kept). T follows its own clause: "F = 0 → T = 0".
//  5. For MI the same clause is applied with G (G < 4 → K = E = 0), not with F as the Java
//     implementation does: MI is the functional (maintenance) index, and keying it on F would zero the
//     location weights of a silted-up arterial sewer just because its structure is sound.

import {
  ALPHA,
  ALPHA_SPACING_M,
  DEFECT_CODE_INDEX,
  DENSITY_BOUNDS,
  DENSITY_CLASSES,
  E_DEFAULT,
  E_DIAMETER,
  F_SCALE,
  G_SCALE,
  K_AREA,
  KE_MIN_INDEX,
  LOCAL_MIN_LENGTH_M,
  MAINTENANCE_ADVICE,
  MERGE_WINDOW_M,
  MERGED_SCORE_CAP,
  MI_SCALE,
  MI_WEIGHTS,
  REPAIR_ADVICE,
  RI_SCALE,
  RI_WEIGHTS,
  T_SOIL,
  type Advice,
  type AreaClass,
  type DefectCode,
  type DefectKind,
  type DensityClass,
  type Grade,
  type LocalizedText,
  type MaintenanceAdviceCode,
  type RepairAdviceCode,
  type SoilClass,
  type Thresholds,
} from './tables.ts';

// ---- Types ---------------------------------------------------------------------------------------

export interface DefectInput {
  code: string;
  grade: number;
  /** From the start manhole of the inspection (m). */
  distance_m: number;
  /** Longitudinal length as recorded (m). */
  length_m: number;
}

export interface SegmentInput {
  length_m: number;
  diameter_mm: number | null;
  area: AreaClass;
  soil: SoilClass;
  defects: readonly DefectInput[];
}

/** Bad input (unknown code, undefined grade, bad number): the importer / API answers 400. */
export class Cjj181InputError extends Error {
  override name = 'Cjj181InputError';
}

export type SpacingClass = 'isolated' | 'adjacent' | 'close' | 'far';

export interface MergedMember {
  code: string;
  grade: Grade;
  score: number;
  distance_m: number;
  length_m: number;
}

/** One defect after the same-metre merge (a single input defect is a group of one). */
export interface MergedDefect {
  kind: DefectKind;
  members: MergedMember[];
  /** Start of the first member (m). */
  distance_m: number;
  /** End of its extent used for spacing (m); equals distance_m for point-like local defects. */
  end_m: number;
  /** Scoring length Li (m). */
  length_m: number;
  /** Σ member scores, capped at 10. */
  score: number;
  /** Smallest net gap to another defect of the same kind (m); null when it is the only one. */
  gap_m: number | null;
  spacing: SpacingClass;
  /** 1.1 for structural defects with spacing 'close', else 1. */
  alpha: number;
}

export interface UnscoredDefect {
  code: string;
  name_zh: string;
  name_en: string;
  kind: DefectKind;
  grade: Grade;
  distance_m: number;
  length_m: number;
}

export interface StructuralResult {
  n: number;
  n1: number;
  n2: number;
  S: number;
  Smax: number;
  F: number;
  SM: number;
  /** K, E, T as used in RI (after the F < 4 and F = 0 clauses). */
  K: number;
  E: number;
  T: number;
  RI: number;
  /** Structural defect grade from F. */
  grade: Grade;
  gradeText: LocalizedText;
  /** Repair grade from RI. */
  riGrade: Grade;
  riGradeText: LocalizedText;
  /** Density class of SM; null when there are no scored defects. */
  density: DensityClass | null;
  advice: Advice<RepairAdviceCode>;
}

export interface FunctionalResult {
  m: number;
  Y: number;
  Ymax: number;
  G: number;
  YM: number;
  /** K, E as used in MI (after the G < 4 clause). */
  K: number;
  E: number;
  MI: number;
  /** Functional defect grade from G. */
  grade: Grade;
  gradeText: LocalizedText;
  /** Maintenance grade from MI. */
  miGrade: Grade;
  miGradeText: LocalizedText;
  density: DensityClass | null;
  advice: Advice<MaintenanceAdviceCode>;
}

export interface SegmentScore {
  structural: StructuralResult;
  functional: FunctionalResult;
  /** K, E, T straight from the tables, before the conditional clauses. */
  weights: { K: number; E: number; T: number };
  /** Scored defects after the merge, structural first, each kind by position. */
  defects: MergedDefect[];
  /** Recorded but not scored (FZ, local extensions). */
  unscored: UnscoredDefect[];
}

// ---- Small helpers -------------------------------------------------------------------------------

/** Strips float noise (1.2000000000000002) before comparing with a bound; inputs are cm at best. */
function clean(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Grade 1–4 of a value against inclusive upper bounds of grades 1, 2, 3 (x ≤ t1 → 1, …, > t3 → 4). */
export function gradeOf(value: number, thresholds: Thresholds): Grade {
  const v = clean(value);
  if (v <= thresholds[0]) return 1;
  if (v <= thresholds[1]) return 2;
  if (v <= thresholds[2]) return 3;
  return 4;
}

/** E (pipe importance) from the diameter in mm; an unknown diameter gets the lowest class, 0. */
export function eFromDiameter(d: number | null): number {
  if (d === null) return E_DEFAULT;
  for (const c of E_DIAMETER) {
    if (c.inclusive ? d >= c.minMm : d > c.minMm) return c.value;
  }
  return E_DEFAULT;
}

function densityOf(value: number, hasDefects: boolean): DensityClass | null {
  if (!hasDefects) return null;
  const v = clean(value);
  if (v < DENSITY_BOUNDS.local) return DENSITY_CLASSES.local;
  if (v <= DENSITY_BOUNDS.overall) return DENSITY_CLASSES.partial;
  return DENSITY_CLASSES.overall;
}

// ---- Input --------------------------------------------------------------------------------------

interface Resolved {
  def: DefectCode;
  grade: Grade;
  score: number;
  distance_m: number;
  length_m: number;
}

function finite(v: unknown, what: string, min: number, minInclusive: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (minInclusive ? v < min : v <= min)) {
    throw new Cjj181InputError(`${what} must be a number ${minInclusive ? '≥' : '>'} ${min}, got ${String(v)}`);
  }
  return v;
}

function validateSegment(input: SegmentInput): void {
  finite(input.length_m, 'segment length_m', 0, false);
  if (input.diameter_mm !== null) finite(input.diameter_mm, 'diameter_mm', 0, false);
  if (!Object.hasOwn(K_AREA, input.area)) {
    throw new Cjj181InputError(`unknown area class "${String(input.area)}" (expected ${Object.keys(K_AREA).join(', ')})`);
  }
  if (!Object.hasOwn(T_SOIL, input.soil)) {
    throw new Cjj181InputError(`unknown soil class "${String(input.soil)}" (expected ${Object.keys(T_SOIL).join(', ')})`);
  }
  if (!Array.isArray(input.defects)) throw new Cjj181InputError('defects must be an array');
}

/** Looks the code up and checks the grade exists for it; throws Cjj181InputError otherwise. */
function resolveDefect(d: DefectInput, i: number, codes: ReadonlyMap<string, DefectCode>): Resolved {
  const where = `defects[${i}]`;
  if (typeof d !== 'object' || d === null) throw new Cjj181InputError(`${where} must be an object`);
  const def = codes.get(d.code);
  if (!def) throw new Cjj181InputError(`${where}: unknown defect code "${String(d.code)}"`);
  if (!Number.isInteger(d.grade) || d.grade < 1 || d.grade > 4) {
    throw new Cjj181InputError(`${where}: grade must be an integer 1–4, got ${String(d.grade)}`);
  }
  const grade = d.grade as Grade;
  const score = def.scores[grade - 1];
  if (score === null) {
    const defined = def.scores.flatMap((s, g) => (s === null ? [] : [g + 1])).join(', ');
    throw new Cjj181InputError(`${where}: grade ${grade} is not defined for ${def.code} (${def.name_zh}); defined grades: ${defined}`);
  }
  return {
    def,
    grade,
    score,
    distance_m: finite(d.distance_m, `${where}.distance_m`, 0, true),
    length_m: finite(d.length_m, `${where}.length_m`, 0, true),
  };
}

// ---- Lengths, merge, spacing ---------------------------------------------------------------------

/** Li: local defects no longer than 1 m count as 1 m; everything else uses its actual length. */
function scoringLength(r: Resolved): number {
  return r.def.continuous ? r.length_m : Math.max(r.length_m, LOCAL_MIN_LENGTH_M);
}

/** End of the extent used for spacing: a local defect ≤ 1 m is a point (choice 1 above). */
function extentEnd(r: Resolved): number {
  const pointLike = !r.def.continuous && r.length_m <= LOCAL_MIN_LENGTH_M;
  return pointLike ? r.distance_m : r.distance_m + r.length_m;
}

/** Groups defects of one kind (sorted by position) whose start is within 1 m of the group's first. */
function mergeSameMetre(sorted: readonly Resolved[]): Resolved[][] {
  const groups: Resolved[][] = [];
  for (const r of sorted) {
    const group = groups.at(-1);
    if (group && clean(r.distance_m - group[0].distance_m) <= MERGE_WINDOW_M) group.push(r);
    else groups.push([r]);
  }
  return groups;
}

function toMerged(group: readonly Resolved[]): MergedDefect {
  return {
    kind: group[0].def.kind,
    members: group.map((r) => ({ code: r.def.code, grade: r.grade, score: r.score, distance_m: r.distance_m, length_m: r.length_m })),
    distance_m: group[0].distance_m,
    end_m: Math.max(...group.map(extentEnd)),
    length_m: Math.max(...group.map(scoringLength)),
    score: Math.min(MERGED_SCORE_CAP, sum(group.map((r) => r.score))),
    gap_m: null,
    spacing: 'isolated',
    alpha: 1,
  };
}

/** Net gap from the earlier defect's end to the later one's start; negative when they overlap. */
function netGap(a: MergedDefect, b: MergedDefect): number {
  const [first, second] = a.distance_m <= b.distance_m ? [a, b] : [b, a];
  return clean(second.distance_m - first.end_m);
}

function spacingClass(gap: number | null): SpacingClass {
  if (gap === null) return 'isolated';
  if (gap <= ALPHA_SPACING_M.min) return 'adjacent';
  if (gap <= ALPHA_SPACING_M.max) return 'close';
  return 'far';
}

/** Nearest-neighbour spacing (choice 3 above); α only for structural defects. */
function withSpacing(defects: readonly MergedDefect[]): MergedDefect[] {
  return defects.map((d, i) => {
    const gaps = defects.flatMap((o, j) => (j === i ? [] : [netGap(d, o)]));
    const gap_m = gaps.length ? Math.min(...gaps) : null;
    const spacing = spacingClass(gap_m);
    const alpha = d.kind === 'structural' && spacing === 'close' ? ALPHA : 1;
    return { ...d, gap_m, spacing, alpha };
  });
}

function mergedOfKind(resolved: readonly Resolved[], kind: DefectKind): MergedDefect[] {
  const sorted = resolved.filter((r) => r.def.kind === kind).sort((a, b) => a.distance_m - b.distance_m);
  return withSpacing(mergeSameMetre(sorted).map(toMerged));
}

// ---- Indices -------------------------------------------------------------------------------------

interface Weights {
  K: number;
  E: number;
  T: number;
}

/** S/Y, the max score, F/G and SM/YM over merged defects; α is 1 for functional ones. */
function defectIndices(defects: readonly MergedDefect[], L: number) {
  const n = defects.length;
  if (n === 0) return { mean: 0, max: 0, index: 0, density: 0 };
  const mean = sum(defects.map((d) => d.alpha * d.score)) / n;
  const max = Math.max(...defects.map((d) => d.score));
  const weightedLength = sum(defects.map((d) => d.alpha * d.score * d.length_m));
  return { mean, max, index: Math.max(max, mean), density: mean > 0 ? weightedLength / (mean * L) : 0 };
}

function repairAdvice(riGrade: Grade, density: DensityClass | null): Advice<RepairAdviceCode> {
  if (riGrade === 1) return REPAIR_ADVICE.none;
  return density?.code === 'local' ? REPAIR_ADVICE.local : REPAIR_ADVICE.full;
}

function structural(defects: readonly MergedDefect[], L: number, w: Weights): StructuralResult {
  const { mean: S, max: Smax, index: F, density: SM } = defectIndices(defects, L);
  const keepKE = clean(F) >= KE_MIN_INDEX; // choice 4
  const K = keepKE ? w.K : 0;
  const E = keepKE ? w.E : 0;
  const T = clean(F) === 0 ? 0 : w.T;
  const RI = RI_WEIGHTS.F * F + RI_WEIGHTS.K * K + RI_WEIGHTS.E * E + RI_WEIGHTS.T * T;
  const grade = gradeOf(F, F_SCALE.thresholds);
  const riGrade = gradeOf(RI, RI_SCALE.thresholds);
  const density = densityOf(SM, defects.length > 0);
  const n2 = defects.filter((d) => d.alpha !== 1).length;
  return {
    n: defects.length,
    n1: defects.length - n2,
    n2,
    S: round3(S),
    Smax: round3(Smax),
    F: round3(F),
    SM: round3(SM),
    K,
    E,
    T,
    RI: round3(RI),
    grade,
    gradeText: F_SCALE.texts[grade],
    riGrade,
    riGradeText: RI_SCALE.texts[riGrade],
    density,
    advice: repairAdvice(riGrade, density),
  };
}

function functional(defects: readonly MergedDefect[], L: number, w: Weights): FunctionalResult {
  const { mean: Y, max: Ymax, index: G, density: YM } = defectIndices(defects, L);
  const keepKE = clean(G) >= KE_MIN_INDEX; // choice 5
  const K = keepKE ? w.K : 0;
  const E = keepKE ? w.E : 0;
  const MI = MI_WEIGHTS.G * G + MI_WEIGHTS.K * K + MI_WEIGHTS.E * E;
  const grade = gradeOf(G, G_SCALE.thresholds);
  const miGrade = gradeOf(MI, MI_SCALE.thresholds);
  return {
    m: defects.length,
    Y: round3(Y),
    Ymax: round3(Ymax),
    G: round3(G),
    YM: round3(YM),
    K,
    E,
    MI: round3(MI),
    grade,
    gradeText: G_SCALE.texts[grade],
    miGrade,
    miGradeText: MI_SCALE.texts[miGrade],
    density: densityOf(YM, defects.length > 0),
    advice: MAINTENANCE_ADVICE[miGrade],
  };
}

function rounded(d: MergedDefect): MergedDefect {
  return {
    ...d,
    end_m: round3(d.end_m),
    length_m: round3(d.length_m),
    score: round3(d.score),
    gap_m: d.gap_m === null ? null : round3(d.gap_m),
  };
}

// ---- Entry point ---------------------------------------------------------------------------------

/**
 * Scores one segment (管段). Throws Cjj181InputError for an unknown code, a grade the code does not
 * define, or a bad number. `codes` defaults to the standard table; pass an extended map to accept
 * local extension codes (flag them scored: false to carry them without scoring).
 */
export function scoreSegment(input: SegmentInput, codes: ReadonlyMap<string, DefectCode> = DEFECT_CODE_INDEX): SegmentScore {
  validateSegment(input);
  const resolved = input.defects.map((d, i) => resolveDefect(d, i, codes));
  const scored = resolved.filter((r) => r.def.scored);
  const weights: Weights = { K: K_AREA[input.area].value, E: eFromDiameter(input.diameter_mm), T: T_SOIL[input.soil].value };
  const structuralDefects = mergedOfKind(scored, 'structural');
  const functionalDefects = mergedOfKind(scored, 'functional');
  return {
    structural: structural(structuralDefects, input.length_m, weights),
    functional: functional(functionalDefects, input.length_m, weights),
    weights,
    defects: [...structuralDefects, ...functionalDefects].map(rounded),
    unscored: resolved
      .filter((r) => !r.def.scored)
      .map((r) => ({
        code: r.def.code,
        name_zh: r.def.name_zh,
        name_en: r.def.name_en,
        kind: r.def.kind,
        grade: r.grade,
        distance_m: r.distance_m,
        length_m: r.length_m,
      })),
  };
}
