// The case catalogue (classes → subclasses → items, and the workflow table), read once per page and
// kept on the device: a field worker without a connection can still pick a category for a report.
import { useEffect, useState } from 'react';
import { casesApi } from '../../api/cases.ts';
import type { Catalogue, CaseAction, CaseStatus, WorkflowRule } from '../../api/caseTypes.ts';

const KEY = 'onemap.catalogue';
let shared: Promise<Catalogue> | null = null;

function stored(): Catalogue | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Catalogue) : null;
  } catch {
    return null;
  }
}

function load(): Promise<Catalogue> {
  shared ??= casesApi.catalogue().then((c) => {
    try {
      localStorage.setItem(KEY, JSON.stringify(c));
    } catch {
      /* full or blocked: the next page asks the server again */
    }
    return c;
  }).catch((e: unknown) => {
    shared = null;
    const old = stored();
    if (old) return old;
    throw e;
  });
  return shared;
}

export function useCatalogue(): { catalogue: Catalogue | null; error: string | null; retry(): void } {
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((c) => live && setCatalogue(c), (e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [attempt]);
  return { catalogue, error, retry: () => setAttempt((n) => n + 1) };
}

export const ruleOf = (c: Catalogue | null, action: CaseAction): WorkflowRule | undefined => c?.workflow.find((r) => r.action === action);

/** Where a step leads from a status ('previous' — resume — cannot be known here). */
export function targetOf(c: Catalogue | null, action: CaseAction): CaseStatus | null {
  const to = ruleOf(c, action)?.to;
  return to && to !== 'previous' ? to : null;
}

/** The statuses from which a role has any step: a role's to-do list asks for these. */
export function actionableStatuses(c: Catalogue, role: string): CaseStatus[] {
  return [...new Set(c.workflow.filter((r) => (r.roles as readonly string[]).includes(role)).flatMap((r) => r.from))];
}
