// The nearest features around me (manholes, facilities, cameras, sensors, hazards), asked again after
// the phone has moved on; between answers the list's distances follow the position on the phone.
import { useCallback, useEffect, useRef, useState } from 'react';
import { casesApi } from '../api/cases.ts';
import type { NearestAnswer } from '../api/caseTypes.ts';
import { distanceM } from './geo.ts';

export const NEARBY_LAYERS = ['manholes', 'facilities', 'cameras', 'sensors', 'hazards'] as const;
const MOVE_M = 25;
const K = 5;

export type NearbyState = { state: 'idle' | 'loading' } | { state: 'ready'; answer: NearestAnswer } | { state: 'error'; message: string };

/** `online`: a failed question is asked again when the connection returns. */
export function useNearby(pos: { lon: number; lat: number } | null, enabled: boolean, online: boolean): { nearby: NearbyState; reload(): void } {
  const [nearby, setNearby] = useState<NearbyState>({ state: 'idle' });
  const asked = useRef<[number, number] | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!pos || !enabled) return;
    const here: [number, number] = [pos.lon, pos.lat];
    if (asked.current && distanceM(asked.current, here) < MOVE_M) return;
    asked.current = here;
    const ctrl = new AbortController();
    setNearby((n) => (n.state === 'ready' ? n : { state: 'loading' }));
    casesApi.nearest(pos.lon, pos.lat, NEARBY_LAYERS, K, ctrl.signal).then(
      (answer) => setNearby({ state: 'ready', answer }),
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        asked.current = null;
        setNearby({ state: 'error', message: (e as Error).message });
      },
    );
    return () => ctrl.abort();
  }, [pos?.lon, pos?.lat, enabled, attempt, online]);

  const reload = useCallback(() => {
    asked.current = null;
    setAttempt((n) => n + 1);
  }, []);
  return { nearby, reload };
}
