// Which profile is open and which manhole was picked as its start: the trace panel, a manhole's details
// and the profile dock under the map share it without threading callbacks through the app.
import { useSyncExternalStore } from 'react';

export interface ProfileRequest {
  from: `${'manhole' | 'pipe'}:${number}`;
  /** The downstream manhole; without it the flow is followed to its end. */
  to?: number;
  /** How the start reads in the panel's title (a manhole's code). */
  label: string;
}

interface State { request: ProfileRequest | null; start: { id: number; code: string } | null }

let state: State = { request: null, start: null };
const listeners = new Set<() => void>();
const set = (next: Partial<State>) => {
  state = { ...state, ...next };
  for (const l of listeners) l();
};

export const profileActions = {
  open: (request: ProfileRequest) => set({ request, start: null }),
  close: () => set({ request: null }),
  /** First of two clicked manholes. */
  pickStart: (id: number, code: string) => set({ start: { id, code } }),
  /** Second of two clicked manholes: the profile from the first down to it. */
  pickEnd: (id: number, code: string) => {
    if (state.start) set({ request: { from: `manhole:${state.start.id}`, to: id, label: `${state.start.code} → ${code}` }, start: null });
  },
};

export function useProfileState(): State {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => state);
}
