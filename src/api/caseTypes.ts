// Shapes of the case, account and audit answers (server/routes/cases.ts, auth.ts, query.ts). Kept apart
// from types.ts so the drainage and case work can grow without touching each other's declarations.
// Types the server declares are imported from it (`import type`, erased from the bundle).
import type { listUsers, createUser, Role, User } from '../../server/auth/users.ts';
import type { KpiLevel, KpiRow } from '../../server/cases/kpi-sql.ts';
import type { CaseList, CaseView, StepInput } from '../../server/cases/store.ts';
import type { KpiResult } from '../../server/domain/cases/kpi.ts';
import type { Action, Label, Requires, Status, TransitionRecord, TransitionRule } from '../../server/domain/cases/workflow.ts';
import type { NearestHit } from '../../server/features/catalog.ts';
import type { Json } from './types.ts';

export type { KpiLevel, KpiRow, NearestHit, Role };

/** A logged-in account as /api/auth/me gives it: grids bound a field worker's cases. */
export type SessionUser = User;

export type CaseStatus = Status;

/** The steps on an existing case ('report' creates one). */
export type CaseAction = Exclude<Action, 'report'>;

export type Bilingual = Label;

// One row of the workflow table (GET /api/cases/catalogue `.workflow`): the route leaves out `effect` and sends `requires` as {} when absent.
export type WorkflowRule = Omit<TransitionRule, 'effect' | 'requires'> & { requires: Requires };

export interface CatalogueItem {
  code: string;
  subclass_code: string;
  name_zh: string;
  name_en: string;
  urgency: string;
  deadline_hours: number;
  drainage: boolean;
}

export interface Catalogue {
  classes: { code: string; name_zh: string; name_en: string }[];
  subclasses: { code: string; class_code: string; name_zh: string; name_en: string }[];
  items: CatalogueItem[];
  workflow: WorkflowRule[];
}

// A case as the list and the steps return it (photos are URLs, /api/media/{id}). Json<>: the server's Dates arrive as ISO
// strings; `actions` never holds 'report' for an existing case, which the server's Action[] cannot say.
export type CaseRow = Omit<Json<CaseView>, 'actions'> & { actions: CaseAction[]; /** In lists: why a rejected case was rejected. */ rejection_reason?: string | null };

// A case_transitions row; its `at` is a Date on the server, an ISO string in the JSON.
export type CaseTransition = Json<TransitionRecord>;

// The server reads item, evaluation and cameras as untyped rows (pg), so their shapes are written out here.
export type CaseDetail = CaseRow & {
  item: { code: string; name_zh: string; name_en: string; urgency: string; deadline_hours: number; subclass_code: string; subclass_zh: string; subclass_en: string } | null;
  transitions: CaseTransition[];
  evaluation: { satisfied: boolean; comment: string | null; at: string } | null;
  cameras: { id: number; code: string; name: string; status: string; stream_url: string | null; lon: number; lat: number }[];
};

export type CasePage = Omit<CaseList, 'items'> & { items: CaseRow[] };

export interface CaseQuery {
  status?: string;
  class?: string;
  item?: string;
  street?: string;
  community?: string;
  grid?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  mine?: boolean;
  reported_by_me?: boolean;
  limit?: number;
  before_id?: number;
}

export interface NewCaseBody {
  item_code: string;
  lon: number;
  lat: number;
  crs?: 'wgs84';
  description?: string;
  photos?: string[];
  client_id: string;
}

export type StepBody = StepInput;

export type Kpi = KpiResult;

export interface KpiAnswer {
  level: KpiLevel;
  from: string;
  to: string;
  rows: KpiRow[];
}

export interface NearestAnswer {
  lon: number;
  lat: number;
  results: Record<string, NearestHit[]>;
}

export type UserRow = Awaited<ReturnType<typeof listUsers>>[number];

export type NewUserBody = Parameters<typeof createUser>[1];

export type UserPatch = Partial<{ display_name: string; role: Role; grids: string[]; active: boolean; password: string }>;

export interface AuditEntry {
  id: number;
  at: string;
  user_id: number | null;
  actor: string;
  role: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}
