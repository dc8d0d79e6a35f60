// The citizen page's calls: Open311 GeoReport v2 (/open311/v2) and its extensions (nearby search, the
// reporter's timeline, the evaluation, supplements). Errors arrive in Open311's shape, [{code, description}],
// and are thrown as ApiError (status 0: the server could not be reached) so the outbox can sort them.
import type {
  Evaluated, EvaluationLevel, NewRequestBody, RequestCreated, Service, ServiceRequest, SupplementAdded, SupplementBody, Timeline,
} from '../../common/api/open311.ts';
import { ApiError } from './client.ts';

const BASE = '/open311/v2';

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method, headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('network', 0);
  }
  const json = await res.json().catch(() => null) as unknown;
  if (!res.ok) {
    const first = Array.isArray(json) ? (json[0] as { description?: string } | undefined) : undefined;
    throw new ApiError(first?.description ?? `HTTP ${res.status}`, res.status, json);
  }
  return json as T;
}

export const open311 = {
  services: (signal?: AbortSignal) => call<Service[]>('GET', '/services.json', undefined, signal),
  one: async (id: string, signal?: AbortSignal) => (await call<ServiceRequest[]>('GET', `/requests/${encodeURIComponent(id)}.json`, undefined, signal))[0],
  /** Public requests within `radius` metres of a point, reported in the last `days` days. */
  near: (lon: number, lat: number, radius: number, days: number, signal?: AbortSignal) => {
    const start = new Date(Date.now() - days * 86400_000).toISOString();
    return call<ServiceRequest[]>('GET', `/requests.json?lat=${lat}&long=${lon}&radius=${radius}&start_date=${start}`, undefined, signal);
  },
  report: async (body: NewRequestBody, signal?: AbortSignal) => (await call<RequestCreated[]>('POST', '/requests.json', body, signal))[0],
  supplement: async (id: string, body: SupplementBody, signal?: AbortSignal) =>
    (await call<SupplementAdded[]>('POST', `/requests/${encodeURIComponent(id)}/supplements.json`, body, signal))[0],
  timeline: async (id: string, token: string, signal?: AbortSignal) =>
    (await call<Timeline[]>('GET', `/requests/${encodeURIComponent(id)}/timeline.json?token=${encodeURIComponent(token)}`, undefined, signal))[0],
  evaluate: async (id: string, token: string, level: EvaluationLevel, comment: string) =>
    (await call<Evaluated[]>('POST', `/requests/${encodeURIComponent(id)}/evaluation.json`, {
      token, x_level: level, satisfied: level !== 'unsatisfied', ...(comment.trim() ? { comment: comment.trim() } : {}),
    }))[0],
};
