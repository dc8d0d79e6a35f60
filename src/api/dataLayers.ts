// Which data layers have rows and which still have synthetic ones (GET /api/data/layers), read once per page
// and shared by the synthetic badge, the layer tree and the wall; read again after an import or a removal.
import { useEffect, useState } from 'react';
import type { DataLayerId, LayerPresence } from '../../common/api/data.ts';
import { getJson } from './client.ts';

export type { DataLayerId, LayerPresence };

type Presence = ReadonlyMap<DataLayerId, LayerPresence>;

let current: Promise<Presence> | null = null;
const listeners = new Set<(p: Presence) => void>();

function load(): Promise<Presence> {
  current = getJson<{ layers: LayerPresence[] }>('/api/data/layers')
    .then((r) => new Map(r.layers.map((l) => [l.id, l])) as Presence)
    .catch((e: unknown) => {
      current = null;
      throw e;
    });
  void current.then((p) => listeners.forEach((f) => f(p)), () => {});
  return current;
}

/** Reads the layers again (after an import or a removal): every user of the hook gets the new answer. */
export function refreshDataLayers(): void {
  void load().catch(() => {});
}

/** The layers by id, or null while unknown (not read yet, or the server could not say). */
export function useDataLayers(): Presence | null {
  const [presence, setPresence] = useState<Presence | null>(null);
  useEffect(() => {
    let live = true;
    const set = (p: Presence) => live && setPresence(p);
    listeners.add(set);
    (current ?? load()).then(set, () => {});
    return () => {
      live = false;
      listeners.delete(set);
    };
  }, []);
  return presence;
}

/** Whether every one of `ids` is known to be empty (false while unknown: no hint before the answer). */
export function allEmpty(presence: Presence | null, ids: readonly DataLayerId[]): boolean {
  return !!presence && ids.length > 0 && ids.every((id) => presence.get(id)?.loaded === false);
}

/** Whether some layer still holds synthetic rows; null while unknown. */
export function useSynthetic(): boolean | null {
  const presence = useDataLayers();
  return presence && [...presence.values()].some((l) => l.synthetic);
}
