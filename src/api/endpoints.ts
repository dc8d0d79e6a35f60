// Every server call the app makes, typed, in one place.
import type { LoginAnswer, LoginBody, Me } from '../../common/api/auth.ts';
import type { ImportDeleted, ImportList, ImportStarted, LayerImportReport } from '../../common/api/imports.ts';
import { deleteJson, getJson, postJson, uploadFile } from './client.ts';
import type {
  DensityCells, Details, DrainageSummary, ExportFormat, FeatureCollection, FeatureWithLinks, GridAt, ImportFormat, ImportLayer,
  ImportJob, ItemsPage, ReachPage, ReachQuery, SearchResult, TraceDirection, TraceFrom, TraceResult, VehicleTracks, WithinRequest, WithinResult,
} from './types.ts';
import type { Counts } from '../../common/api/counts.ts';
import type { ChecksResult, Profile } from '../../common/api/network.ts';
import type { Network3d, NetworkReport } from '../../common/api/network3d.ts';
import type { DutyBody, MyDuty, MyPositionBody, PersonnelList } from '../../common/api/personnel.ts';
import type { RaisedCase, Remediation, RemediationLayer } from '../../common/api/remediation.ts';
import type { Series } from '../../common/api/history.ts';

const q = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();

export const api = {
  /** A hazard's or misconnection's status, history and the steps this account may take (401 when not logged in). */
  remediation: (layer: RemediationLayer, id: number, signal?: AbortSignal) => getJson<Remediation>(`/api/${layer}/${id}/remediation`, signal),
  remediationStep: (layer: RemediationLayer, id: number, action: string, note?: string) =>
    postJson<Remediation>(`/api/${layer}/${id}/actions/${encodeURIComponent(action)}`, note ? { note } : {}),
  raiseCase: (layer: RemediationLayer, id: number, body: { item_code?: string; description?: string }) => postJson<RaisedCase>(`/api/${layer}/${id}/case`, body),

  details: (layer: string, id: string | number, signal?: AbortSignal) =>
    getJson<Details>(`/api/details/${encodeURIComponent(layer)}/${encodeURIComponent(String(id))}`, signal),

  search: (text: string, limit: number, signal?: AbortSignal) =>
    getJson<{ results: SearchResult[] }>(`/api/search?${q({ q: text, limit })}`, signal),

  within: (body: WithinRequest, signal?: AbortSignal) => postJson<WithinResult>('/api/query/within', body, signal),

  gridAt: (lon: number, lat: number, signal?: AbortSignal) => getJson<GridAt>(`/api/grids/at?${q({ lon, lat })}`, signal),

  /** OGC API – Features items of a collection. */
  items: (collection: string, params: { bbox?: number[]; limit?: number } = {}, signal?: AbortSignal) =>
    getJson<ItemsPage>(
      `/api/collections/${encodeURIComponent(collection)}/items?${q({ bbox: params.bbox?.map((v) => v.toFixed(6)).join(','), limit: params.limit })}`,
      signal,
    ),

  /** One OGC API – Features item. */
  item: (collection: string, id: string | number, signal?: AbortSignal) =>
    getJson<FeatureWithLinks>(`/api/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(String(id))}`, signal),

  vehicleTracks: (minutes: number, signal?: AbortSignal) => getJson<VehicleTracks>(`/api/vehicles/tracks?${q({ minutes })}`, signal),

  /** A stream's readings over a period: raw for short periods, hourly or daily means for long ones. */
  series: (id: number, from: Date, to: Date, signal?: AbortSignal) =>
    getJson<Series>(`/api/datastreams/${id}/series?${q({ from: from.toISOString(), to: to.toISOString() })}`, signal),

  personnel: (signal?: AbortSignal) => getJson<PersonnelList>('/api/personnel', signal),
  myDuty: (signal?: AbortSignal) => getJson<MyDuty>('/api/personnel/me', signal),
  setDuty: (body: DutyBody, signal?: AbortSignal) => postJson<MyDuty>('/api/personnel/me/duty', body, signal),
  sendPosition: (body: MyPositionBody, signal?: AbortSignal) => postJson<{ stored: boolean }>('/api/personnel/me/position', body, signal),

  /** Exact features in view of the clustered layers. */
  counts: (bbox: number[], layers: readonly string[], signal?: AbortSignal) =>
    getJson<Counts>(`/api/counts?${q({ bbox: bbox.map((v) => v.toFixed(6)).join(','), layers: layers.join(',') })}`, signal),

  caseDensity: (bbox: number[], z: number, signal?: AbortSignal) =>
    getJson<DensityCells>(`/api/cases/density?${q({ bbox: bbox.map((v) => v.toFixed(5)).join(','), z: Math.round(z * 10) / 10 })}`, signal),

  /** The longitudinal profile from a manhole (or a pipe's upper manhole) down to `to`, or to the flow's end. */
  profile: (from: TraceFrom, to: number | undefined, signal?: AbortSignal) =>
    getJson<Profile>(`/api/network/profile?${q({ from, to: to === undefined ? undefined : `manhole:${to}` })}`, signal),

  /** The network design checks in an area, an import or the whole network. */
  checks: (params: { bbox?: string; import?: number }, signal?: AbortSignal) => getJson<ChecksResult>(`/api/network/checks?${q(params)}`, signal),
  /** Reaches and manholes in a box with their levels (the 3D view). */
  network3d: (bbox: number[], limit: number, signal?: AbortSignal) =>
    getJson<Network3d>(`/api/network/3d?${q({ bbox: bbox.map((v) => v.toFixed(6)).join(','), limit })}`, signal),

  /** The condition of an area's (bbox) or a trace's (pipe ids) reaches, for the printable report. */
  networkReport: (scope: { bbox: number[] } | { ids: number[] }, signal?: AbortSignal) =>
    getJson<NetworkReport>(`/api/network/report?${q('bbox' in scope ? { bbox: scope.bbox.map((v) => v.toFixed(6)).join(',') } : { ids: scope.ids.join(',') })}`, signal),

  trace: (from: TraceFrom, direction: TraceDirection, signal?: AbortSignal) =>
    getJson<TraceResult>(`/api/trace?${q({ from, direction })}`, signal),

  /** The traced reaches as GeoJSON (the export route, read rather than downloaded). */
  traceGeoJson: (from: TraceFrom, direction: TraceDirection, signal?: AbortSignal) =>
    getJson<FeatureCollection>(exportUrl('geojson', { from, direction }), signal),

  reaches: (query: ReachQuery, signal?: AbortSignal) =>
    getJson<ReachPage>(`/api/drainage/reaches?${q({ ...query })}`, signal),

  summary: (by: 'street' | 'community', street?: string, signal?: AbortSignal) =>
    getJson<DrainageSummary>(`/api/drainage/summary?${q({ by, street })}`, signal),

  startImport: (
    file: Blob,
    params: { filename: string; format: ImportFormat; crs?: string; tolerance_m: number },
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ) => uploadFile<ImportStarted>(`/api/imports?${q(params)}`, file, onProgress, signal),

  /** A registry layer or inspections: a dry run (200) or a commit (201), answered with the report; refused: ApiError 400 whose body holds it. */
  importLayer: (
    file: Blob,
    params: { filename: string; layer: ImportLayer; dry_run: boolean; crs?: string; encoding?: string; sheet?: string; mapping?: string },
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ) => uploadFile<LayerImportReport>(`/api/imports?${q({ ...params, dry_run: String(params.dry_run) })}`, file, onProgress, signal),

  importJob: (statusUrl: string, signal?: AbortSignal) => getJson<ImportJob>(statusUrl, signal),

  imports: (signal?: AbortSignal) => getJson<ImportList>('/api/imports', signal),

  /** The logged-in account; a 401 when nobody is. */
  me: (signal?: AbortSignal) => getJson<Me>('/api/auth/me', signal),

  /** Sets the session cookie the other calls then carry. */
  login: (username: string, password: string, signal?: AbortSignal) =>
    postJson<LoginAnswer>('/api/auth/login', { username, password } satisfies LoginBody, signal),

  deleteImport: (id: string | number, signal?: AbortSignal) => deleteJson<ImportDeleted>(`/api/imports/${encodeURIComponent(String(id))}`, signal),
};

/** A download of reaches: the result of a trace, or chosen ids. A plain URL, so it can be a link. */
export function exportUrl(
  format: ExportFormat,
  what: { from: TraceFrom; direction: TraceDirection } | { ids: readonly number[] },
): string {
  return 'ids' in what
    ? `/api/network/export?${q({ format, ids: what.ids.join(',') })}`
    : `/api/network/export?${q({ format, from: what.from, direction: what.direction })}`;
}
