// Which basemap the map draws — the embedded one (内置底图) or an external one the server offers
// (GET /api/basemaps) — and whether the embedded labels are drawn over an external one; remembered per
// browser, like the theme. A remembered basemap the server no longer offers falls back to the embedded one.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StyleSpecification } from 'maplibre-gl';
import type { ExternalBasemap } from '../../common/api/basemaps.ts';
import { getJson } from '../api/client.ts';

const KEY = 'onemap.basemap';
export const EMBEDDED = 'embedded';

export interface BasemapChoice {
  id: string;
  /** Draw the embedded basemap's labels over an external one. */
  labels: boolean;
}

/** What the style draws: the external basemap chosen (and its loaded style, for type style), or none. */
export interface ActiveBasemap {
  basemap: ExternalBasemap;
  style: StyleSpecification | null;
  labels: boolean;
}

function stored(): BasemapChoice {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<BasemapChoice> | null;
    if (v && typeof v.id === 'string') return { id: v.id, labels: v.labels !== false };
  } catch {
    /* storage blocked or not JSON */
  }
  return { id: EMBEDDED, labels: true };
}

export function useBasemap(): { list: ExternalBasemap[]; choice: BasemapChoice; choose(c: BasemapChoice): void; active: ActiveBasemap | null } {
  const [list, setList] = useState<ExternalBasemap[]>([]);
  const [choice, setChoice] = useState<BasemapChoice>(stored);
  const [styles, setStyles] = useState<Record<string, StyleSpecification>>({});
  useEffect(() => {
    getJson<{ items: ExternalBasemap[] }>('/api/basemaps').then((r) => setList(r.items), () => setList([]));
  }, []);
  const chosen = list.find((b) => b.id === choice.id) ?? null;
  // A style basemap's JSON is fetched from its own host (the content security policy allows it).
  useEffect(() => {
    if (chosen?.type !== 'style' || !chosen.style || styles[chosen.id]) return;
    fetch(chosen.style).then((r) => r.json() as Promise<StyleSpecification>).then((s) => setStyles((m) => ({ ...m, [chosen.id]: s })), () => {});
  }, [chosen, styles]);
  const choose = useCallback((c: BasemapChoice) => {
    setChoice(c);
    try {
      localStorage.setItem(KEY, JSON.stringify(c));
    } catch {
      /* not persisted */
    }
  }, []);
  const style = chosen ? styles[chosen.id] ?? null : null;
  const active = useMemo(() => (chosen && (chosen.type !== 'style' || style) ? { basemap: chosen, style, labels: choice.labels } : null), [chosen, style, choice.labels]);
  return { list, choice: chosen ? choice : { ...choice, id: EMBEDDED }, choose, active };
}
