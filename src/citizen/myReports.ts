// The citizen's own reports on this phone (localStorage): the number and the token of each, so the tracking
// link is never lost even if the page was closed before the report went out. The token is the only key to
// a report's history and evaluation, and it never leaves the phone but in that link.
import type { CitizenItem } from '../outbox/types.ts';

const KEY = 'onemap.citizen.reports';
const MAX = 50;

export interface MyReport {
  no: string;
  /** Absent for a supplement to someone else's report (its history is not ours to read). */
  token?: string;
  label: string;
  at: number;
}

export function myReports(): MyReport[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as MyReport[]) : [];
  } catch {
    return [];
  }
}

export function rememberSent(item: CitizenItem, no: string): MyReport {
  const r: MyReport = item.kind === 'citizen-report'
    ? { no, token: item.token, label: item.label, at: item.createdAt }
    : { no, label: item.description, at: item.createdAt };
  try {
    localStorage.setItem(KEY, JSON.stringify([r, ...myReports().filter((x) => x.no !== no)].slice(0, MAX)));
  } catch {
    // storage blocked: the link shown now is the only copy
  }
  return r;
}

export const trackUrl = (r: Pick<MyReport, 'no' | 'token'>) =>
  `/citizen/track/${encodeURIComponent(r.no)}${r.token ? `?token=${encodeURIComponent(r.token)}` : ''}`;
