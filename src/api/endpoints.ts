// Every server call the app makes, typed, in one place.
import type { Polygon } from 'geojson';
import { getJson, postJson } from './client.ts';
import type { DensityCells, Details, Feature, FeatureCollection, GridAt, SearchResult, VehicleTracks, WithinResult } from './types.ts';

const q = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();

export const api = {
  details: (layer: string, id: string | number, signal?: AbortSignal) =>
    getJson<Details>(`/api/details/${encodeURIComponent(layer)}/${encodeURIComponent(String(id))}`, signal),

  search: (text: string, limit: number, signal?: AbortSignal) =>
    getJson<{ results: SearchResult[] }>(`/api/search?${q({ q: text, limit })}`, signal),

  within: (
    body: { layers: string[]; geometry?: Polygon; circle?: { lon: number; lat: number; radius_m: number }; limit?: number },
    signal?: AbortSignal,
  ) => postJson<WithinResult>('/api/query/within', body, signal),

  gridAt: (lon: number, lat: number, signal?: AbortSignal) => getJson<GridAt>(`/api/grids/at?${q({ lon, lat })}`, signal),

  /** OGC API – Features items of a collection. */
  items: (collection: string, params: { bbox?: number[]; limit?: number } = {}, signal?: AbortSignal) =>
    getJson<FeatureCollection>(
      `/api/collections/${encodeURIComponent(collection)}/items?${q({ bbox: params.bbox?.map((v) => v.toFixed(6)).join(','), limit: params.limit })}`,
      signal,
    ),

  /** One OGC API – Features item. */
  item: (collection: string, id: string | number, signal?: AbortSignal) =>
    getJson<Feature>(`/api/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(String(id))}`, signal),

  vehicleTracks: (minutes: number, signal?: AbortSignal) => getJson<VehicleTracks>(`/api/vehicles/tracks?${q({ minutes })}`, signal),

  caseDensity: (bbox: number[], z: number, signal?: AbortSignal) =>
    getJson<DensityCells>(`/api/cases/density?${q({ bbox: bbox.map((v) => v.toFixed(5)).join(','), z: Math.round(z * 10) / 10 })}`, signal),
};
