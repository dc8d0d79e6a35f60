// My to-do list (the cases I can act on now: the server's mine=true) and my own reports whatever their
// status (reported_by_me=true: waiting to be accepted, rejected and why, in hand…), kept on the device so
// that they still show, marked as of when, without a connection.
import { useEffect, useState } from 'react';
import { casesApi } from '../api/cases.ts';
import type { Catalogue, CaseRow } from '../api/caseTypes.ts';
import { actionableStatuses } from '../panels/cases/useCatalogue.ts';

export type MyCases =
  | { state: 'loading' }
  | { state: 'ready'; items: CaseRow[]; reports: CaseRow[]; at: number; stale: boolean }
  | { state: 'error'; message: string };

const key = (user: string) => `onemap.field.cases.${user}`;

/** My latest reports shown: enough for a shift's work; older ones are in the desktop's case list. */
const REPORTS_SHOWN = 50;

/** Asked again on `reloadKey` (a sent step, "refresh") and when the connection returns. */
export function useMyCases(user: string, role: string, catalogue: Catalogue | null, reloadKey: number, online: boolean): MyCases {
  const [cases, setCases] = useState<MyCases>(() => {
    try {
      const raw = localStorage.getItem(key(user));
      if (raw) {
        const { items, reports, at } = JSON.parse(raw) as { items: CaseRow[]; reports?: CaseRow[]; at: number };
        return { state: 'ready', items, reports: reports ?? [], at, stale: true };
      }
    } catch {
      /* nothing stored */
    }
    return { state: 'loading' };
  });

  useEffect(() => {
    if (!catalogue) return;
    const ctrl = new AbortController();
    // mine=true filters after the page is cut, so a grid with many closed cases could hide the open ones:
    // asking only for the statuses this role can act from keeps the page to the to-do list.
    const status = actionableStatuses(catalogue, role).join(',');
    Promise.all([
      casesApi.list({ mine: true, status, limit: 200 }, ctrl.signal),
      casesApi.list({ reported_by_me: true, limit: REPORTS_SHOWN }, ctrl.signal),
    ]).then(
      ([todo, mine]) => {
        const at = Date.now();
        try {
          localStorage.setItem(key(user), JSON.stringify({ items: todo.items, reports: mine.items, at }));
        } catch {
          /* not kept: fine while online */
        }
        setCases({ state: 'ready', items: todo.items, reports: mine.items, at, stale: false });
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setCases((c) => (c.state === 'ready' ? { ...c, stale: true } : { state: 'error', message: (e as Error).message }));
      },
    );
    return () => ctrl.abort();
  }, [user, role, catalogue, reloadKey, online]);

  return cases;
}
