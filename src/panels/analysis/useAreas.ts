// Streets and communities (code, name, extent) for the drainage filters and for flying to an area. Read
// once per page from the OGC collections and shared by every panel that asks.
import { useEffect, useState } from 'react';
import type { Feature } from 'geojson';
import { api } from '../../api/endpoints.ts';
import { geometryBbox, type Bbox } from '../../map/geom.ts';

export interface Area {
  code: string;
  name: string;
  bbox: Bbox;
}

export interface Areas {
  streets: Area[];
  communities: Area[];
}

function toAreas(features: Feature[]): Area[] {
  const out: Area[] = [];
  for (const f of features) {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const bbox = f.geometry && geometryBbox(f.geometry);
    if (!bbox) continue;
    out.push({ code: String(p.code ?? f.id ?? ''), name: String(p.name ?? p.code ?? f.id ?? ''), bbox });
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

let shared: Promise<Areas> | null = null;

/** Streets and communities, fetched once per page (again only after a failure). */
export function loadAreas(): Promise<Areas> {
  shared ??= Promise.all([api.items('streets', { limit: 100 }), api.items('communities', { limit: 1000 })])
    .then(([s, c]) => ({ streets: toAreas(s.features), communities: toAreas(c.features) }))
    .catch((e: unknown) => {
      shared = null; // the next panel to ask tries again
      throw e;
    });
  return shared;
}

/** Communities of a street: their 12-digit code starts with the street's 9. */
export const communitiesOf = (areas: Areas | null, street: string | undefined): Area[] =>
  !areas || !street ? [] : areas.communities.filter((c) => c.code.startsWith(street));

export function useAreas(): { areas: Areas | null; failed: boolean; retry(): void } {
  const [areas, setAreas] = useState<Areas | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setFailed(false);
    loadAreas().then((a) => live && setAreas(a)).catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  return { areas, failed, retry: () => setAttempt((n) => n + 1) };
}
