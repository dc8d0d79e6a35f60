// Sending one queued item, exactly once in effect:
//  - photos first, each remembered once uploaded (a retry does not upload it again);
//  - a report carries its client_id, so a retry after a lost answer gets the same case back (200);
//  - a step that gets 409 on a retry is looked up: if the case's history shows this step done by me, it was
//    applied by the attempt whose answer was lost, and counts as done.
// Errors are sorted into "try again later" (no connection, server busy or down) and "the server refused it"
// (a 4xx the user has to see); a 401 waits for a new login.
import { casesApi, uploadPhoto } from '../api/cases.ts';
import type { CaseDetail } from '../api/caseTypes.ts';
import { ApiError } from '../api/client.ts';
import { open311 } from '../api/open311.ts';
import type { OutboxItem, QueuedPhoto, QueuedStep } from './types.ts';

export type SendResult =
  | { kind: 'done'; caseId: number | null; caseNo: string; duplicate: boolean }
  | { kind: 'retry'; message: string }
  | { kind: 'login'; message: string }
  | { kind: 'failed'; message: string };

/** Not the server's answer to this request: no connection, a timeout, a proxy or a busy server. */
export const isTransient = (e: unknown): boolean =>
  !(e instanceof ApiError) || e.status === 0 || e.status === 408 || e.status === 429 || e.status >= 500;

function classify(e: unknown): SendResult {
  const message = e instanceof Error ? e.message : String(e);
  if (isTransient(e)) return { kind: 'retry', message };
  if (e instanceof ApiError && e.status === 401) return { kind: 'login', message };
  return { kind: 'failed', message };
}

/**
 * The server removes a photo no case took a day after its upload: one uploaded longer ago than half that
 * (room for a phone's clock) is uploaded again rather than named by an id that may be gone. An upload
 * remembered without a time (queued by an older version) counts as expired.
 */
const PHOTO_REUSE_MS = 12 * 3600_000;
export const uploadExpired = (p: Pick<QueuedPhoto, 'uploadedAt'>, now = Date.now()): boolean =>
  !(p.uploadedAt !== undefined && now - p.uploadedAt < PHOTO_REUSE_MS);

/** A history entry showing this step taken by me after it was queued (clocks may differ a little). */
export function stepApplied(c: Pick<CaseDetail, 'status' | 'transitions'>, step: Pick<QueuedStep, 'from' | 'to' | 'user' | 'createdAt'>): boolean {
  const skewMs = 10 * 60_000;
  return c.transitions.some((t) => t.from_status === step.from && t.to_status === step.to && t.actor === step.user
    && new Date(t.at).getTime() >= step.createdAt - skewMs);
}

/**
 * Sends `item`. `save` persists progress (uploaded photo ids) so that it survives a reload mid-way.
 */
export async function sendItem(item: OutboxItem, save: (item: OutboxItem) => Promise<void>, signal?: AbortSignal): Promise<SendResult> {
  try {
    for (const p of item.photos) {
      if (p.uploadedId && !uploadExpired(p)) continue;
      const { id } = await uploadPhoto(new Blob([p.bytes], { type: p.type }), signal);
      p.uploadedId = id;
      p.uploadedAt = Date.now();
      await save(item);
    }
    const photos = item.photos.map((p) => p.uploadedId!).filter(Boolean);
    if (item.kind === 'citizen-report') {
      const r = await open311.report({
        service_code: item.service_code, long: item.lon, lat: item.lat, x_publish: item.publish, x_client_id: item.id, x_evaluation_token: item.token,
        ...(item.description ? { description: item.description } : {}), ...(item.address ? { address_string: item.address } : {}),
        ...(photos.length ? { x_media_ids: photos } : {}),
      }, signal);
      return { kind: 'done', caseId: null, caseNo: r.service_request_id, duplicate: false };
    }
    if (item.kind === 'supplement') {
      const r = await open311.supplement(item.requestId, {
        x_client_id: item.id, ...(item.description ? { description: item.description } : {}), ...(photos.length ? { x_media_ids: photos } : {}),
      }, signal);
      return { kind: 'done', caseId: null, caseNo: r.service_request_id, duplicate: r.x_duplicate };
    }
    if (item.kind === 'report') {
      const c = await casesApi.report({
        item_code: item.item_code, lon: item.lon, lat: item.lat, crs: 'wgs84', client_id: item.id,
        ...(item.description ? { description: item.description } : {}), ...(photos.length ? { photos } : {}),
      }, signal);
      return { kind: 'done', caseId: c.id, caseNo: c.case_no, duplicate: false };
    }
    try {
      const c = await casesApi.step(item.caseId, item.action, {
        ...(item.note ? { note: item.note } : {}), ...(item.reason ? { reason: item.reason } : {}), ...(photos.length ? { photos } : {}),
      }, signal);
      return { kind: 'done', caseId: c.id, caseNo: c.case_no, duplicate: false };
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e;
      // Not possible from the case's status: was it this very step, applied by an attempt whose answer was lost?
      const now = await casesApi.one(item.caseId, signal);
      if (stepApplied(now, item)) return { kind: 'done', caseId: now.id, caseNo: now.case_no, duplicate: true };
      return { kind: 'failed', message: e.message };
    }
  } catch (e) {
    if (signal?.aborted) return { kind: 'retry', message: 'aborted' };
    return classify(e);
  }
}

/** Wait before the next attempt: 2 s, 4 s, 8 s … up to 5 min, with jitter so phones do not retry in step. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(300_000, 2000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}
