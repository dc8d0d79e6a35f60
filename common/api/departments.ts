// Contracts of the department routes (server/routes/departments.ts): the handling units (处置单位) with what
// and where they handle, their KPIs, a department's queue, and the departments that fit a case.
import { Type, type Static } from 'typebox';
import { CaseRow } from './cases.ts';
import { BigId, Nullable, StringEnum, WithDefault } from './common.ts';

export const DEPARTMENT_KINDS = ['street', 'bureau', 'company'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const DepartmentCode = Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,39}$', description: 'A department\'s code' });

const Instant = Type.String({ format: 'date-time' });

/** A department's figures for dispatches in a period (server/cases/departments.ts says what each counts). */
export const DepartmentKpis = Type.Object({
  dispatches: Type.Integer({ description: 'Dispatches (派遣 and 改派) to it in the period' }),
  returned: Type.Integer({ description: 'Of those, returned (回退) as not its job' }),
  accurate_rate: Nullable(Type.Number({ description: '准确派遣率: dispatches not returned ÷ dispatches' })),
  cases: Type.Integer({ description: 'Cases now with it that were dispatched in the period (应处置数)' }),
  handled: Type.Integer(),
  handled_on_time: Type.Integer({ description: 'Reported handled no later than the deadline' }),
  on_time_rate: Nullable(Type.Number({ description: '按期处置率: handled on time ÷ cases (a case never handled counts against it)' })),
  open: Type.Integer(),
  overdue: Type.Integer({ description: 'Open and past the deadline now (case_is_overdue)' }),
  reworked: Type.Integer({ description: 'Cases sent back after a failed check (返工) at least once' }),
  rework_rate: Nullable(Type.Number({ description: '返工率: reworked ÷ handled' })),
});
export type DepartmentKpis = Static<typeof DepartmentKpis>;

export const Department = Type.Object({
  code: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  kind: StringEnum(DEPARTMENT_KINDS),
  parent_code: Nullable(Type.String()),
  active: Type.Boolean(),
  synthetic: Type.Boolean(),
  items: Type.Array(Type.String(), { description: 'Catalogue subclasses (C07) or items (C0711) it handles' }),
  grids: Type.Array(Type.String(), { description: 'District, street, community or grid codes it works in (prefixes)' }),
  kpis: Type.Optional(DepartmentKpis),
});
export type Department = Static<typeof Department>;

export const DepartmentQuery = Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
}, { additionalProperties: false, description: 'from and to (both) add each department\'s KPIs for dispatches in [from, to)' });
export type DepartmentQuery = Static<typeof DepartmentQuery>;

export const DepartmentList = Type.Object({ items: Type.Array(Department) });
export type DepartmentList = Static<typeof DepartmentList>;

export const DepartmentParams = Type.Object({ code: DepartmentCode });

export const QueueQuery = Type.Object({
  limit: WithDefault(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
}, { additionalProperties: false });

export const Queue = Type.Object({
  department: Type.Object({ code: Type.String(), name_zh: Type.String(), name_en: Type.String() }),
  items: Type.Array(CaseRow, { description: 'Cases dispatched to it: open ones first (the most urgent deadline first), then the rest, newest first' }),
});
export type Queue = Static<typeof Queue>;

export const Suggestion = Type.Object({
  code: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  kind: StringEnum(DEPARTMENT_KINDS),
  item_match: StringEnum(['item', 'subclass'], { description: 'Why: it handles this item, or its whole subclass' }),
  area_match: StringEnum(['district', 'street', 'community', 'grid'], { description: 'Why: the area of its that covers the case' }),
  item_scope: Type.String(),
  area_scope: Type.String(),
});
export type Suggestion = Static<typeof Suggestion>;

export const SuggestionParams = Type.Object({ id: BigId });

export const Suggestions = Type.Object({
  case_id: Type.Integer(),
  item_code: Type.String(),
  grid_code: Nullable(Type.String()),
  items: Type.Array(Suggestion, { description: 'The departments that fit, best first' }),
});
export type Suggestions = Static<typeof Suggestions>;
