// Shapes of the case, account and audit answers, as the route contracts declare them (common/api/cases.ts,
// auth.ts), under the names the case and admin panels use; the nearest query's is the feature query's
// (query.ts). `import type` only: the contracts' schemas never reach the bundle.
import type { AuditEntry, NewUserBody, Role, User, UserPatch, UserRow } from '../../common/api/auth.ts';
import type {
  CaseDetail, CasePage, CaseQuery, CaseRow, CaseTransition, Catalogue, CatalogueItem, Kpi, KpiAnswer, KpiLevel, KpiRow, NewCaseBody, StepAction, StepBody,
  WorkflowRule,
} from '../../common/api/cases.ts';
import type { Bilingual } from '../../common/api/common.ts';
import type { Status } from '../../server/domain/cases/workflow.ts';
import type { NearestHit } from '../../server/features/catalog.ts';

export type {
  AuditEntry, Bilingual, CaseDetail, CasePage, CaseQuery, CaseRow, CaseTransition, Catalogue, CatalogueItem, Kpi, KpiAnswer, KpiLevel, KpiRow, NearestHit,
  NewCaseBody, NewUserBody, Role, StepBody, UserPatch, UserRow, WorkflowRule,
};

/** A logged-in account as /api/auth/me gives it: grids bound a field worker's cases. */
export type SessionUser = User;

export type CaseStatus = Status;

/** The steps on an existing case ('report' creates one). */
export type CaseAction = StepAction;

export interface NearestAnswer {
  lon: number;
  lat: number;
  results: Record<string, NearestHit[]>;
}
