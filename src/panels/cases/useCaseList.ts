// The case list for a set of filters, newest first, one page at a time (keyset paging with the server's
// next_before_id, so page 100 costs what page 1 does).
import { useCallback, useEffect, useRef, useState } from 'react';
import { casesApi } from '../../api/cases.ts';
import type { Catalogue, CaseQuery, CaseRow } from '../../api/caseTypes.ts';
import { isAbort } from '../../api/client.ts';
import type { CaseFilterValue } from './CaseFilters.tsx';
import { STATUS_ORDER } from './CaseFilters.tsx';
import { endOf, startOf } from './period.ts';
import { actionableStatuses } from './useCatalogue.ts';

const PAGE = 50;
const FINAL = ['closed', 'rejected'];

export function toQuery(f: CaseFilterValue, catalogue: Catalogue | null, role: string): CaseQuery {
  const q: CaseQuery = { class: f.class, street: f.street, community: f.community, grid: f.grid, overdue: f.overdue || undefined, limit: PAGE };
  if (f.from) q.from = startOf(f.from);
  if (f.to) q.to = endOf(f.to);
  if (f.status === 'open') q.status = STATUS_ORDER.filter((s) => !FINAL.includes(s)).join(',');
  else if (f.status === 'mine') {
    q.mine = true;
    // The server drops cases without a step for me after cutting the page: asking only for the statuses
    // this role acts from keeps a page of closed cases from hiding the to-do list.
    if (catalogue) q.status = actionableStatuses(catalogue, role).join(',');
  } else if (f.status) q.status = f.status;
  return q;
}

export type ListState = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string };

export function useCaseList(filters: CaseFilterValue, catalogue: Catalogue | null, role: string) {
  const [items, setItems] = useState<CaseRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [state, setState] = useState<ListState>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const ctrlRef = useRef<AbortController | null>(null);
  const query = toQuery(filters, catalogue, role);
  const key = JSON.stringify(query);
  // The filters the shown rows are for: until the new list arrives it is loading, not ready (the effect
  // that sets 'loading' runs only after the render with the new filters).
  const [loadedKey, setLoadedKey] = useState<string | null>(null);

  useEffect(() => {
    if (filters.status === 'mine' && !catalogue) return;
    const ctrl = new AbortController();
    ctrlRef.current?.abort();
    ctrlRef.current = ctrl;
    setState({ state: 'loading' });
    casesApi.list(JSON.parse(key) as CaseQuery, ctrl.signal).then((page) => {
      setItems(page.items);
      setNext(page.next_before_id);
      setLoadedKey(key);
      setState({ state: 'ready' });
    }, (e: unknown) => !isAbort(e) && !ctrl.signal.aborted && setState({ state: 'error', message: (e as Error).message }));
    return () => ctrl.abort();
  }, [key, attempt]);

  const more = useCallback(() => {
    if (next === null) return;
    const ctrl = new AbortController();
    ctrlRef.current = ctrl;
    setState({ state: 'loading' });
    casesApi.list({ ...(JSON.parse(key) as CaseQuery), before_id: next }, ctrl.signal).then((page) => {
      setItems((prev) => [...prev, ...page.items]);
      setNext(page.next_before_id);
      setState({ state: 'ready' });
    }, (e: unknown) => !isAbort(e) && setState({ state: 'error', message: (e as Error).message }));
  }, [key, next]);

  /** A case changed (a step was taken): show its new state in the list. */
  const replace = useCallback((c: CaseRow) => setItems((prev) => prev.map((x) => (x.id === c.id ? { ...x, ...c } : x))), []);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const shown: ListState = state.state === 'ready' && loadedKey !== key ? { state: 'loading' } : state;
  return { items, hasMore: next !== null, state: shown, more, replace, reload };
}
