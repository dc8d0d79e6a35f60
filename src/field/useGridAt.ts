// "Which grid am I in": asked again only when the position has moved by more than a few metres, so a
// phone standing still (whose fixes jitter) does not ask every second.
import { useEffect, useRef, useState } from 'react';
import { casesApi } from '../api/cases.ts';
import { ApiError } from '../api/client.ts';
import type { GridAt } from '../api/types.ts';
import { distanceM } from './geo.ts';

export type GridState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'inside'; at: GridAt }
  /** The server's message says where the point is (outside the district, or in no grid). */
  | { state: 'outside'; message: string }
  | { state: 'error'; message: string };

const MOVE_M = 15;

/** `online`: a failed question is asked again when the connection returns. */
export function useGridAt(pos: { lon: number; lat: number } | null, online: boolean): GridState {
  const [grid, setGrid] = useState<GridState>({ state: 'idle' });
  const asked = useRef<[number, number] | null>(null);

  useEffect(() => {
    if (!pos) return;
    const here: [number, number] = [pos.lon, pos.lat];
    if (asked.current && distanceM(asked.current, here) < MOVE_M) return;
    asked.current = here;
    const ctrl = new AbortController();
    setGrid((g) => (g.state === 'inside' ? g : { state: 'loading' }));
    casesApi.gridAt(pos.lon, pos.lat, ctrl.signal).then(
      (at) => setGrid(at.grid ? { state: 'inside', at } : { state: 'outside', message: '' }),
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) setGrid({ state: 'outside', message: e.message });
        else {
          asked.current = null; // ask again with the next fix
          setGrid({ state: 'error', message: (e as Error).message });
        }
      },
    );
    return () => ctrl.abort();
  }, [pos?.lon, pos?.lat, online]);

  return grid;
}
