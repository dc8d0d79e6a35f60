// The case, account and field-query calls (cases, catalogue, photos, KPIs, users, audit, nearest).
// Apart from endpoints.ts so the case work adds calls without editing the drainage ones.
import { ApiError, getJson, patchJson, postJson } from './client.ts';
import type { AuditPage, AuditQuery, LogoutAnswer, Me, UserList } from '../../common/api/auth.ts';
import type { PhotoSaved } from '../../common/api/cases.ts';
import type {
  AuditEntry, CaseAction, CaseDetail, CasePage, CaseQuery, CaseRow, Catalogue, KpiAnswer, KpiLevel, NearestAnswer, NewCaseBody,
  NewUserBody, StepBody, UserPatch, UserRow,
} from './caseTypes.ts';
import type { FeatureCollection, GridAt } from './types.ts';

type Params = Record<string, string | number | boolean | undefined>;
export const query = (params: Params) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '' && v !== false).map(([k, v]) => [k, String(v)])).toString();

/** Photos larger than this are refused by the server (8 MB). */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export const casesApi = {
  me: (signal?: AbortSignal) => getJson<Me>('/api/auth/me', signal),
  logout: () => postJson<LogoutAnswer>('/api/auth/logout', {}),

  catalogue: (signal?: AbortSignal) => getJson<Catalogue>('/api/cases/catalogue', signal),
  list: (q: Partial<CaseQuery>, signal?: AbortSignal) => getJson<CasePage>(`/api/cases?${query({ ...q })}`, signal),
  one: (id: number, signal?: AbortSignal) => getJson<CaseDetail>(`/api/cases/${id}`, signal),
  /** 201 for a new case, 200 when the server already has this client_id (a retried submission). */
  report: (body: NewCaseBody, signal?: AbortSignal) => postJson<CaseRow>('/api/cases', body, signal),
  step: (id: number, action: CaseAction, body: StepBody, signal?: AbortSignal) =>
    postJson<CaseRow>(`/api/cases/${id}/actions/${action}`, body, signal),

  kpi: (p: { level: KpiLevel; within?: string; from: string; to: string }, signal?: AbortSignal) =>
    getJson<KpiAnswer>(`/api/cases/kpi?${query(p)}`, signal),

  nearest: (lon: number, lat: number, layers: readonly string[], k: number, signal?: AbortSignal) =>
    getJson<NearestAnswer>(`/api/query/nearest?${query({ lon, lat, layers: layers.join(','), k, crs: 'wgs84' })}`, signal),
  gridAt: (lon: number, lat: number, signal?: AbortSignal) => getJson<GridAt>(`/api/grids/at?${query({ lon, lat, crs: 'wgs84' })}`, signal),
  /** The unit grids of a community (codes only matter here). */
  gridsOf: (community: string, signal?: AbortSignal) =>
    getJson<FeatureCollection>(`/api/collections/grids/items?${query({ community_code: community, limit: 500 })}`, signal),

  users: (signal?: AbortSignal) => getJson<UserList>('/api/users', signal),
  createUser: (body: NewUserBody) => postJson<UserRow>('/api/users', body),
  updateUser: (id: number, patch: UserPatch) => patchJson<UserRow>(`/api/users/${id}`, patch),
  /** before_id: the id of the last entry read (ids are bigints, strings in the JSON). */
  audit: (q: Partial<Omit<AuditQuery, 'before_id'>> & { before_id?: AuditEntry['id'] }, signal?: AbortSignal) =>
    getJson<AuditPage>(`/api/audit?${query(q)}`, signal),
};

/** The KPI table as CSV: the same query with format=csv, as a link the browser downloads. */
export const kpiCsvUrl = (p: { level: KpiLevel; within?: string; from: string; to: string; lang: 'zh' | 'en' }) => `/api/cases/kpi?${query({ ...p, format: 'csv' })}`;

/**
 * A photo as the raw request body with its own content type → its id. fetch rather than the JSON helpers:
 * the body is the image itself.
 */
export async function uploadPhoto(photo: Blob, signal?: AbortSignal): Promise<Pick<PhotoSaved, 'id' | 'url'>> {
  let res: Response;
  try {
    res = await fetch('/api/media', {
      method: 'POST',
      body: photo,
      headers: { 'content-type': photo.type || 'application/octet-stream', accept: 'application/json' },
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(60_000)]) : AbortSignal.timeout(60_000),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('network', 0);
  }
  const body = (await res.json().catch(() => null)) as (Partial<PhotoSaved> & { message?: string }) | null;
  if (!res.ok || !body?.id) throw new ApiError(body?.message ?? res.statusText, res.status);
  return { id: body.id, url: body.url ?? `/api/media/${body.id}` };
}
