// The planner's reports (server/routes/drainage.ts): reaches ranked by CJJ 181 repair index RI or
// maintenance index MI, and summaries per street or community.
import { Type, type Static } from 'typebox';
import { DEFECT_CODES } from '../../server/domain/cjj181/tables.ts';
import { Bbox } from './geojson.ts';
import { Dict, Nullable, NumberTuple, StringEnum, WithDefaults } from './shapes.ts';

const grade = (description: string) => Type.Integer({ minimum: 1, maximum: 4, description });

export const ReachesQuery = WithDefaults({
  sort: StringEnum(['ri', 'mi'], { default: 'ri' }),
  street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'Street (街道) code, 9 digits' })),
  community: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'Community (社区) code, 12 digits' })),
  sgrade: Type.Optional(grade('Structural grade 1–4 (Ⅰ–Ⅳ)')),
  fgrade: Type.Optional(grade('Functional grade 1–4 (Ⅰ–Ⅳ)')),
  code: Type.Optional(StringEnum(DEFECT_CODES.map((c) => c.code), { description: 'Reaches with this CJJ 181 defect code' })),
  diameter_min: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  diameter_max: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
}, { additionalProperties: false });
export type ReachesQuery = Static<typeof ReachesQuery>;

/** Advice or density class of a CJJ 181 rule: its code and its text in both languages. */
export const Advice = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });
export type Advice = Static<typeof Advice>;

/** A defect of the latest inspection whose hazard is fixed: listed with the scores, not scored. */
export const RepairedDefect = Type.Object({ code: Type.String(), grade: Type.Integer(), at_m: Type.Number(), hazard_id: Type.Integer() });
export type RepairedDefect = Static<typeof RepairedDefect>;

/** A scored defect (or a group of defects scored together, e.g. a continuous run). */
export const ScoredDefect = Type.Object({
  kind: StringEnum(['structural', 'functional']),
  codes: Type.Array(Type.String(), { description: 'Code and grade of each member, e.g. PL3' }),
  at_m: Type.Number(),
  length_m: Type.Number(),
  score: Type.Number(),
  alpha: Type.Number(),
});

const NamedUnit = Type.Object({ code: Type.String(), name: Type.String() });
const score = () => Nullable(Type.Number());
const gradeOrNull = () => Nullable(Type.Integer());
const adviceOrNull = () => Nullable(Advice);

/** One reach of the ranking: the pipe, where it lies, and the CJJ 181 figures of its latest inspection. */
export const ReachRow = Type.Object({
  pipe_id: Type.Integer(),
  code: Type.String(),
  street: Nullable(NamedUnit),
  community: Nullable(NamedUnit),
  grid_code: Nullable(Type.String()),
  usage: Type.String(),
  network: Type.String(),
  diameter_mm: Nullable(Type.Integer()),
  material: Nullable(Type.String()),
  length_m: Type.Number(),
  road_name: Nullable(Type.String()),
  inspected_at: Nullable(Type.String({ description: 'Date of the inspection scored, YYYY-MM-DD' })),
  s: score(), smax: score(), f: score(), sm: score(), ri: score(),
  sgrade: gradeOrNull(), ri_grade: gradeOrNull(), sadvice: adviceOrNull(), sdensity: adviceOrNull(),
  y: score(), ymax: score(), g: score(), ym: score(), mi: score(),
  fgrade: gradeOrNull(), mi_grade: gradeOrNull(), fadvice: adviceOrNull(), fdensity: adviceOrNull(),
  codes: Type.Array(Type.String(), { description: 'Defect codes found, each once' }),
  defects: Type.Array(ScoredDefect),
  repaired: Type.Array(RepairedDefect),
  hazards_open: Type.Integer(),
  center: NumberTuple(2, { description: 'Middle of the reach, [lon, lat]' }),
  bbox: Bbox(),
});
export type ReachRow = Static<typeof ReachRow>;

export const ReachPage = Type.Object({
  total: Type.Integer({ description: 'Reaches that match' }),
  items: Type.Array(ReachRow),
}, { description: 'A page of the ranking, and how many reaches match' });
export type ReachPage = Static<typeof ReachPage>;

export const SummaryQuery = WithDefaults({
  by: StringEnum(['street', 'community'], { default: 'street' }),
  street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'Only the communities of this street (by=community)' })),
}, { additionalProperties: false });

/** km of pipe per grade: '1'–'4' and 'none' (never inspected). */
export const KmByGrade = Type.Object({ 1: Type.Number(), 2: Type.Number(), 3: Type.Number(), 4: Type.Number(), none: Type.Number() });
export type KmByGrade = Static<typeof KmByGrade>;

const figures = {
  km: Type.Object({ total: Type.Number(), main: Type.Number(), community: Type.Number() }),
  km_by_sgrade: KmByGrade,
  km_by_fgrade: KmByGrade,
  hazards: Type.Object({ total: Type.Integer(), open: Type.Integer() }),
  misconnections: Type.Object({ total: Type.Integer(), by_kind: Dict(Type.Number()), by_status: Dict(Type.Number()) }),
};

/** The figures of one street or community, and of all of them together (`total`). */
export const SummaryFigures = Type.Object(figures);
export type SummaryFigures = Static<typeof SummaryFigures>;

export const SummaryRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  street: Type.Optional(NamedUnit),
  ...figures,
});
export type SummaryRow = Static<typeof SummaryRow>;

export const DrainageSummary = Type.Object({ rows: Type.Array(SummaryRow), total: SummaryFigures }, { description: 'One row per street or community, and their total' });
export type DrainageSummary = Static<typeof DrainageSummary>;
