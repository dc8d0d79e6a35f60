// Runs a trace: what it reaches (/api/trace) and the traced reaches' geometry for the map (the export
// route as GeoJSON). The geometry is drawn as soon as it arrives; the figures do not wait for it.
import { useEffect, useState } from 'react';
import type { Feature, FeatureCollection } from 'geojson';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { TraceResult } from '../../api/types.ts';
import type { TraceRequest } from './traceRequest.ts';

export type TraceLoad =
  | { state: 'loading' }
  | { state: 'ready'; result: TraceResult }
  | { state: 'error'; message: string; notFound: boolean };

export type GeometryLoad = { state: 'loading' } | { state: 'ready'; features: FeatureCollection } | { state: 'error'; message: string };

/** Without the export route the reaches are read one by one; past this many the map shows only the first. */
const ITEM_FALLBACK_MAX = 400;

async function reachesById(ids: readonly number[], signal: AbortSignal): Promise<Feature[]> {
  const out: Feature[] = [];
  const queue = ids.slice(0, ITEM_FALLBACK_MAX);
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) out.push(await api.item('pipes', id, signal));
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return out;
}

export function traceFeatures(reaches: readonly Feature[], start: [number, number] | null): FeatureCollection {
  const features: Feature[] = reaches
    .filter((f) => f.geometry && f.geometry.type !== 'Point')
    .map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { role: 'reach', id: f.id ?? (f.properties as { id?: unknown } | null)?.id ?? null } }));
  if (start) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: start }, properties: { role: 'start' } });
  return { type: 'FeatureCollection', features };
}

export function useTrace(request: TraceRequest): { load: TraceLoad; geometry: GeometryLoad } {
  const [load, setLoad] = useState<TraceLoad>({ state: 'loading' });
  const [geometry, setGeometry] = useState<GeometryLoad>({ state: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    setLoad({ state: 'loading' });
    setGeometry({ state: 'loading' });
    const result = api.trace(request.from, request.direction, signal);
    result.then((r) => setLoad({ state: 'ready', result: r })).catch((e: unknown) => {
      if (isAbort(e)) return;
      const err = e instanceof ApiError ? e : new ApiError((e as Error).message, 0);
      setLoad({ state: 'error', message: err.message, notFound: err.notFound });
    });
    api.traceGeoJson(request.from, request.direction, signal)
      .then((fc) => fc.features)
      .catch(async (e: unknown) => {
        if (isAbort(e)) throw e;
        // The export route is missing or failed: read the reaches the trace names, one by one.
        const r = await result;
        return reachesById(r.pipes.ids, signal);
      })
      .then((reaches) => setGeometry({ state: 'ready', features: traceFeatures(reaches, request.start) }))
      .catch((e: unknown) => {
        if (!isAbort(e)) setGeometry({ state: 'error', message: (e as Error).message });
      });
    return () => abort.abort();
  }, [request.from, request.direction]);

  return { load, geometry };
}
