// The department calls: the handling units (with KPIs for a period), a department's queue, and the
// departments that fit a case for dispatch.
import { getJson } from './client.ts';
import { query } from './cases.ts';
import type { DepartmentList, Queue, Suggestions } from '../../common/api/departments.ts';

export type { Department, DepartmentKpis, DepartmentList, Queue, Suggestion, Suggestions } from '../../common/api/departments.ts';

export const departmentsApi = {
  list: (period?: { from: string; to: string }, signal?: AbortSignal) => getJson<DepartmentList>(`/api/departments?${query({ ...period })}`, signal),
  queue: (code: string, signal?: AbortSignal) => getJson<Queue>(`/api/departments/${encodeURIComponent(code)}/queue`, signal),
  suggestions: (caseId: number, signal?: AbortSignal) => getJson<Suggestions>(`/api/cases/${caseId}/dispatch-suggestions`, signal),
};
