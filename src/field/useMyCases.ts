// My to-do list (the cases I can act on now: the server's mine=true) and my own reports whatever their
// status (reported_by_me=true: waiting to be accepted, rejected and why, in hand…), kept on the device so
// that they still show, marked as of when, without a connection. A handler's list is their department's
// queue (its open cases, the earliest deadline first); a handler reports nothing, so has no reports.
import { useEffect, useState } from 'react';
import { casesApi } from '../api/cases.ts';
import { departmentsApi } from '../api/departments.ts';
import type { Catalogue, CaseRow } from '../api/caseTypes.ts';
import { actionableStatuses } from '../panels/cases/useCatalogue.ts';
import { useQueueLive } from './useQueueLive.ts';

export type MyCases =
  | { state: 'loading' }
  | { state: 'ready'; items: CaseRow[]; reports: CaseRow[]; at: number; stale: boolean; department?: { zh: string; en: string } }
  | { state: 'error'; message: string };

const key = (user: string) => `onemap.field.cases.${user}`;

/** My latest reports shown: enough for a shift's work; older ones are in the desktop's case list. */
const REPORTS_SHOWN = 50;

/** Asked again on `reloadKey` (a sent step, "refresh"), when the connection returns, and for a handler when a case of the department changes. */
export function useMyCases(user: string, role: string, catalogue: Catalogue | null, reloadKey: number, online: boolean, department?: string | null): MyCases {
  const [cases, setCases] = useState<MyCases>(() => {
    try {
      const raw = localStorage.getItem(key(user));
      if (raw) {
        const { items, reports, at, department } = JSON.parse(raw) as { items: CaseRow[]; reports?: CaseRow[]; at: number; department?: { zh: string; en: string } };
        return { state: 'ready', items, reports: reports ?? [], at, stale: true, department };
      }
    } catch {
      /* nothing stored */
    }
    return { state: 'loading' };
  });

  const queueVersion = useQueueLive(role === 'handler' ? department : null);

  useEffect(() => {
    if (!catalogue) return;
    const ctrl = new AbortController();
    // mine=true filters after the page is cut, so a grid with many closed cases could hide the open ones:
    // asking only for the statuses this role can act from keeps the page to the to-do list.
    const status = actionableStatuses(catalogue, role).join(',');
    const load = role === 'handler' && department
      ? departmentsApi.queue(department, ctrl.signal).then((q) => ({
        items: q.items.filter((c) => c.status !== 'closed' && c.status !== 'rejected'), reports: [] as CaseRow[],
        department: { zh: q.department.name_zh, en: q.department.name_en },
      }))
      : Promise.all([
        casesApi.list({ mine: true, status, limit: 200 }, ctrl.signal),
        casesApi.list({ reported_by_me: true, limit: REPORTS_SHOWN }, ctrl.signal),
      ]).then(([todo, mine]) => ({ items: todo.items, reports: mine.items, department: undefined }));
    load.then(
      ({ items, reports, department: dept }) => {
        const at = Date.now();
        try {
          localStorage.setItem(key(user), JSON.stringify({ items, reports, at, department: dept }));
        } catch {
          /* not kept: fine while online */
        }
        setCases({ state: 'ready', items, reports, at, stale: false, department: dept });
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setCases((c) => (c.state === 'ready' ? { ...c, stale: true } : { state: 'error', message: (e as Error).message }));
      },
    );
    return () => ctrl.abort();
  }, [user, role, department, catalogue, reloadKey, online, queueVersion]);

  return cases;
}
