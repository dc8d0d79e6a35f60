// Whether the design-checks panel is open and over what (the whole network, the view, one import): the
// top bar's button, an import's report and the panel share it.
import { useSyncExternalStore } from 'react';

export type ChecksScope = { kind: 'network' } | { kind: 'view' } | { kind: 'import'; id: number };

let state: { open: boolean; scope: ChecksScope } = { open: false, scope: { kind: 'network' } };
const listeners = new Set<() => void>();
const set = (next: Partial<typeof state>) => {
  state = { ...state, ...next };
  for (const l of listeners) l();
};

export const checksActions = {
  open: (scope: ChecksScope = state.scope) => set({ open: true, scope }),
  toggle: () => set({ open: !state.open }),
  close: () => set({ open: false }),
  scope: (scope: ChecksScope) => set({ scope }),
};

export function useChecksState() {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => state);
}
