// Shapes of the case, account and audit answers (server/routes/cases.ts, auth.ts, query.ts). Kept apart
// from types.ts so the drainage and case work can grow without touching each other's declarations.
import type { Account } from './types.ts';

export type Role = Account['role'];

/** A logged-in account as /api/auth/me gives it: grids bound a field worker's cases. */
export interface SessionUser extends Account {
  grids: string[];
}

export type CaseStatus =
  | 'reported' | 'accepted' | 'rejected' | 'verified' | 'registered' | 'dispatched'
  | 'in_progress' | 'handled' | 'checking' | 'closed' | 'reworked' | 'suspended' | 'returned';

export type CaseAction =
  | 'accept' | 'reject' | 'verify' | 'register' | 'dispatch' | 'start' | 'handle' | 'check' | 'close' | 'rework'
  | 'suspend' | 'resume' | 'return' | 'redispatch';

export interface Bilingual {
  zh: string;
  en: string;
}

/** One row of the workflow table (GET /api/cases/catalogue `.workflow`): the UI reads its rules from here. */
export interface WorkflowRule {
  action: CaseAction | 'report';
  from: CaseStatus[];
  /** A status, or 'previous' (resume goes back to where the case was suspended from). */
  to: CaseStatus | 'previous';
  roles: string[];
  requires: { note?: boolean; reason?: boolean; photos?: number };
  label: Bilingual;
}

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

/** A case as the list and the steps return it. */
export interface CaseRow {
  id: number;
  case_no: string;
  class_code: 'component' | 'event';
  item_code: string;
  source: string;
  status: CaseStatus;
  description: string | null;
  address: string | null;
  reported_at: string;
  dispatched_at: string | null;
  deadline_at: string | null;
  closed_at: string | null;
  handled_at: string | null;
  rework_count: number;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  reporter: string | null;
  /** URLs (/api/media/{id}). */
  photos: string[];
  camera_ids: number[];
  client_id: string | null;
  synthetic: boolean;
  updated_at: string;
  lon: number;
  lat: number;
  overdue: boolean;
  closed_late: boolean;
  hours_late: number | null;
  /** The steps the logged-in account may take now. */
  actions: CaseAction[];
}

export interface CaseTransition {
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor: string | null;
  at: string;
  note: string | null;
  photos: string[];
}

export interface CaseDetail extends CaseRow {
  item: { code: string; name_zh: string; name_en: string; urgency: string; deadline_hours: number; subclass_code: string; subclass_zh: string; subclass_en: string } | null;
  transitions: CaseTransition[];
  evaluation: { satisfied: boolean; comment: string | null; at: string } | null;
  cameras: { id: number; code: string; name: string; status: string; stream_url: string | null; lon: number; lat: number }[];
}

export interface CasePage {
  items: CaseRow[];
  next_before_id: number | null;
}

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

export interface StepBody {
  note?: string;
  reason?: string;
  photos?: string[];
}

export type KpiLevel = 'district' | 'street' | 'community' | 'grid';

export interface Kpi {
  key: string;
  label: Bilingual;
  unit: 'count' | 'ratio' | 'hours';
  value: number | null;
  definition?: string;
  extra?: boolean;
}

export interface KpiRow {
  code: string;
  name: string;
  counts: Record<string, number>;
  kpis: Kpi[];
}

export interface KpiAnswer {
  level: KpiLevel;
  from: string;
  to: string;
  rows: KpiRow[];
}

/** One hit of GET /api/query/nearest. */
export interface NearestHit {
  id: number | string;
  code?: string;
  name?: string;
  distance_m: number;
  /** Degrees clockwise from north; null when the point is on the feature. */
  bearing_deg: number | null;
  lon: number;
  lat: number;
  properties: Record<string, unknown>;
}

export interface NearestAnswer {
  lon: number;
  lat: number;
  results: Record<string, NearestHit[]>;
}

export interface UserRow extends SessionUser {
  active: boolean;
  created_at: string;
}

export interface NewUserBody {
  username: string;
  display_name?: string;
  password: string;
  role: Role;
  grids?: string[];
}

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
