// Contracts of the case routes (server/routes/cases.ts): the catalogue, lists, one case, reporting,
// workflow steps, KPIs and photos. The workflow's vocabulary is the domain's (server/domain/cases/).
import { Type, type Static } from 'typebox';
import { KPI_DEFINITIONS, type KpiKey, type KpiUnit } from '../../server/domain/cases/kpi.ts';
import { ACTIONS, ROLES as WORKFLOW_ROLES, STATUSES, type Action } from '../../server/domain/cases/workflow.ts';
import { BigId, Bilingual, Crs, Lat, LEVELS, Lon, NotJson, Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

export const CASE_SOURCES = ['inspector', 'citizen', 'video', 'iot', 'superior'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** The steps on an existing case ('report' creates one). */
export const STEP_ACTIONS = ACTIONS.filter((a): a is Exclude<Action, 'report'> => a !== 'report');
export type StepAction = (typeof STEP_ACTIONS)[number];

const Status = StringEnum(STATUSES);
const ItemCode = Type.String({ pattern: '^[CE][0-9]{4}$' });
const Photos = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20 });
const Instant = Type.String({ format: 'date-time' });

// ---- The catalogue ---------------------------------------------------------------------------------

export const CatalogueItem = Type.Object({
  code: Type.String(),
  subclass_code: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  urgency: StringEnum(['urgent', 'normal']),
  deadline_hours: Type.Number(),
  drainage: Type.Boolean(),
});
export type CatalogueItem = Static<typeof CatalogueItem>;

/** One row of the workflow table: who may take which step from where, and what it needs. */
export const WorkflowRule = Type.Object({
  action: StringEnum(ACTIONS),
  from: Type.Array(Status, { description: 'Statuses the step is possible from; none for report, which creates the case' }),
  to: StringEnum([...STATUSES, 'previous'], { description: 'previous: back to the status the case was suspended from' }),
  roles: Type.Array(StringEnum(WORKFLOW_ROLES)),
  requires: Type.Object({
    note: Type.Optional(Type.Boolean()),
    photos: Type.Optional(Type.Integer({ description: 'At least this many photos' })),
    reason: Type.Optional(Type.Boolean()),
    department: Type.Optional(Type.Boolean({ description: 'The department the case goes to (department_code)' })),
  }),
  label: Bilingual,
});
export type WorkflowRule = Static<typeof WorkflowRule>;

export const Catalogue = Type.Object({
  classes: Type.Array(Type.Object({ code: Type.String(), name_zh: Type.String(), name_en: Type.String() })),
  subclasses: Type.Array(Type.Object({ code: Type.String(), class_code: Type.String(), name_zh: Type.String(), name_en: Type.String() })),
  items: Type.Array(CatalogueItem),
  workflow: Type.Array(WorkflowRule),
});
export type Catalogue = Static<typeof Catalogue>;

// ---- Cases -----------------------------------------------------------------------------------------

/** A case as lists, reports and steps return it; photos are URLs (/api/media/{id}). */
export const CaseRow = Type.Object({
  id: Type.Integer(),
  case_no: Type.String(),
  class_code: Type.String(),
  item_code: Type.String(),
  source: StringEnum(CASE_SOURCES),
  status: Status,
  description: Nullable(Type.String()),
  address: Nullable(Type.String()),
  reported_at: Timestamp(),
  dispatched_at: Nullable(Timestamp()),
  deadline_at: Nullable(Timestamp()),
  closed_at: Nullable(Timestamp()),
  handled_at: Nullable(Timestamp()),
  rework_count: Type.Integer(),
  suspended_from: Nullable(Status),
  suspended_at: Nullable(Timestamp()),
  grid_code: Nullable(Type.String()),
  community_code: Nullable(Type.String()),
  street_code: Nullable(Type.String()),
  reporter: Nullable(Type.String()),
  photos: Type.Array(Type.String()),
  publish: Type.Boolean({ description: 'The reporter agreed that description, address and photo be public' }),
  camera_ids: Type.Array(Type.Integer()),
  client_id: Nullable(Type.String()),
  synthetic: Type.Boolean(),
  updated_at: Timestamp(),
  lon: Type.Number(),
  lat: Type.Number(),
  department_code: Nullable(Type.String({ description: 'The department it is (or was last) dispatched to' })),
  department_zh: Nullable(Type.String()),
  overdue: Type.Boolean(),
  closed_late: Type.Boolean(),
  hours_late: Nullable(Type.Number()),
  actions: Type.Array(StringEnum(STEP_ACTIONS), { description: 'The steps the asking account may take now' }),
  rejection_reason: Type.Optional(Nullable(Type.String({ description: 'In lists: why a rejected case was rejected' }))),
});
export type CaseRow = Static<typeof CaseRow>;

export const CasePage = Type.Object({
  items: Type.Array(CaseRow),
  next_before_id: Nullable(Type.Integer({ description: 'Pass as before_id for the next (older) page; null on the last' })),
});
export type CasePage = Static<typeof CasePage>;

export const CaseTransition = Type.Object({
  from_status: Nullable(Status),
  to_status: Status,
  actor: Type.String(),
  at: Timestamp(),
  note: Nullable(Type.String()),
  photos: Type.Array(Type.String()),
});
export type CaseTransition = Static<typeof CaseTransition>;

export const CaseItemRef = Type.Object({
  code: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  urgency: Type.String(),
  deadline_hours: Type.Number(),
  subclass_code: Type.String(),
  subclass_zh: Type.String(),
  subclass_en: Type.String(),
});
export type CaseItemRef = Static<typeof CaseItemRef>;

export const CaseEvaluation = Type.Object({
  satisfied: Type.Boolean(), comment: Nullable(Type.String()), at: Timestamp(),
  level: Nullable(StringEnum(['satisfied', 'basic', 'unsatisfied'], { description: '满意 / 基本满意 / 不满意 (basic counts as satisfied); null: given as satisfied or not only' })),
});
export type CaseEvaluation = Static<typeof CaseEvaluation>;

export const CaseCamera = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  status: Type.String(),
  stream_url: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type CaseCamera = Static<typeof CaseCamera>;

/** A citizen's addition to a public report: kept apart from it, read by staff. */
export const CaseSupplement = Type.Object({ description: Nullable(Type.String()), photos: Type.Array(Type.String()), at: Timestamp() });
export type CaseSupplement = Static<typeof CaseSupplement>;

/** One case with its item, history, the reporter's evaluation and the cameras that see it. */
export const CaseDetail = Type.Object({
  ...CaseRow.properties,
  item: Nullable(CaseItemRef),
  transitions: Type.Array(CaseTransition),
  evaluation: Nullable(CaseEvaluation),
  cameras: Type.Array(CaseCamera),
  supplements: Type.Array(CaseSupplement, { description: 'What citizens added to this report (补充), oldest first' }),
});
export type CaseDetail = Static<typeof CaseDetail>;

export const CaseQuery = Type.Object({
  status: Type.Optional(Type.String({ pattern: `^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`, description: 'Comma-separated statuses' })),
  class: Type.Optional(StringEnum(['component', 'event'])),
  item: Type.Optional(ItemCode),
  source: Type.Optional(StringEnum(CASE_SOURCES)),
  street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  community: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  grid: Type.Optional(Type.String({ pattern: '^[0-9]{15}$' })),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  overdue: Type.Optional(Type.Boolean()),
  mine: Type.Optional(Type.Boolean({ description: 'Only cases I can act on now' })),
  reported_by_me: Type.Optional(Type.Boolean({ description: 'Only cases I reported, whatever their status (a field worker: still only those of their grids)' })),
  limit: WithDefault(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before_id: Type.Optional(BigId),
}, { additionalProperties: false });
export type CaseQuery = Static<typeof CaseQuery>;

export const CaseIdParams = Type.Object({ id: BigId });

export const NewCaseBody = Type.Object({
  item_code: ItemCode,
  lon: Lon,
  lat: Lat,
  crs: Type.Optional(Crs),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  photos: Type.Optional(Photos),
  client_id: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });
export type NewCaseBody = Static<typeof NewCaseBody>;

export const StepParams = Type.Object({ id: BigId, action: StringEnum(STEP_ACTIONS) });

export const StepBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  photos: Type.Optional(Photos),
  department_code: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,39}$', description: 'dispatch, redispatch: the department (GET /api/cases/{id}/dispatch-suggestions)' })),
}, { additionalProperties: false });
export type StepBody = Static<typeof StepBody>;

// ---- KPIs ------------------------------------------------------------------------------------------

export type KpiLevel = (typeof LEVELS)[number];

export const KpiQuery = Type.Object({
  level: WithDefault(StringEnum(LEVELS, { default: 'street' })),
  within: Type.Optional(Type.String({ pattern: '^[0-9]{9}([0-9]{3})?$', description: 'Only the units inside this street or community' })),
  from: Instant,
  to: Instant,
  format: WithDefault(StringEnum(['json', 'csv'], { default: 'json' })),
  lang: WithDefault(StringEnum(['zh', 'en'], { default: 'zh', description: 'The language of the CSV\'s headers (those of the KPI table)' })),
}, { additionalProperties: false });
export type KpiQuery = Static<typeof KpiQuery>;

/** The counts behind the KPIs of one unit (server/domain/cases/kpi.ts says what each counts). */
export const KpiCounts = Type.Object({
  reported: Type.Integer(),
  valid: Type.Integer(),
  registered: Type.Integer(),
  dispatched: Type.Integer(),
  handled: Type.Integer(),
  handledOnTime: Type.Integer(),
  closed: Type.Integer(),
  closedOnTime: Type.Integer(),
  reworked: Type.Integer(),
  activeDiscovery: Type.Integer(),
  disposalHoursSum: Type.Number(),
  disposalCount: Type.Integer(),
  satisfied: Type.Integer(),
  evaluated: Type.Integer(),
});
export type KpiCounts = Static<typeof KpiCounts>;

const CountName = Type.Unsafe<keyof KpiCounts>({ type: 'string', enum: Object.keys(KpiCounts.properties) });

/** A KPI's definition and its value: a count, or numerator ÷ denominator (null when the denominator is 0). */
export const Kpi = Type.Object({
  key: Type.Unsafe<KpiKey>({ type: 'string', enum: KPI_DEFINITIONS.map((d) => d.key) }),
  label: Bilingual,
  unit: Type.Unsafe<KpiUnit>({ type: 'string', enum: ['count', 'ratio', 'hours'] }),
  numerator: CountName,
  denominator: Type.Optional(CountName),
  definition: Type.String(),
  extra: Type.Optional(Type.Boolean({ description: 'Not one of the eight KPIs of the evaluation' })),
  value: Nullable(Type.Number()),
});
export type Kpi = Static<typeof Kpi>;

/** One unit's counts and KPIs; code is null for cases with no unit at this level, name when the unit has no row. */
export const KpiRow = Type.Object({ code: Nullable(Type.String()), name: Nullable(Type.String()), counts: KpiCounts, kpis: Type.Array(Kpi) });
export type KpiRow = Static<typeof KpiRow>;

export const KpiAnswer = Type.Object({ level: StringEnum(LEVELS), from: Type.String(), to: Type.String(), rows: Type.Array(KpiRow) });
export type KpiAnswer = Static<typeof KpiAnswer>;

/** The KPI table as JSON, or as CSV (format=csv) with the table's columns. */
export const KpiResponse = {
  description: 'The KPI table: JSON, or CSV with format=csv',
  content: { 'application/json': { schema: KpiAnswer }, 'text/csv': { schema: Type.String({ description: 'The KPI table as CSV, headers in lang' }) } },
};

// ---- Photos ----------------------------------------------------------------------------------------

export const PhotoSaved = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  content_type: StringEnum(['image/jpeg', 'image/png', 'image/webp']),
  size: Type.Integer({ description: 'Bytes, as re-encoded' }),
});
export type PhotoSaved = Static<typeof PhotoSaved>;

export const PhotoParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PhotoFile = NotJson('The photo, as uploaded and re-encoded', 'image/jpeg', 'image/png', 'image/webp');
