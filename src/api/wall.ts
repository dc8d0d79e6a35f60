// What the command wall reads from the server: its summary, the active alarms, camera online rates and
// coverage by street, and the streets' outlines for the playlist of views (server/routes/wall.ts).
import type { FeatureCollection, Geometry } from 'geojson';
import { getJson } from './client.ts';

export type AlarmLevel = 'warning' | 'alarm';

export interface WallSummary {
  cases_today: number;
  closed_today: number;
  closed_on_time_today: number;
  /** 0–1, or null when nothing was closed today. */
  on_time_rate_today: number | null;
  cases_open: number;
  cases_overdue: number;
  alarms: Partial<Record<AlarmLevel, number>>;
  sensors: Partial<Record<'normal' | 'warning' | 'alarm' | 'offline', number>>;
  cameras: { total: number; online: number };
  camera_online_rate: number | null;
  vehicles: { total: number; on_duty: number };
  /** Hours with at least one report; `hour` is local (UTC+8) 'YYYY-MM-DDTHH'. */
  trend: { hour: string; reported: number }[];
  /** Server time of the figures (ISO). */
  at: string;
}

/** A row of GET /api/alarms. Ids are bigints, which the JSON carries as strings. */
export interface AlarmRow {
  id: string | number;
  level: AlarmLevel;
  state: 'active' | 'cleared';
  raised_at: string;
  cleared_at: string | null;
  raised_value: number;
  peak_value: number;
  case_id: string | number | null;
  datastream_id: number;
  quantity: string;
  unit: string;
  alarm_level: number | null;
  warn_level: number | null;
  last_value: number | null;
  station_id: number;
  station_code?: string;
  station: string;
  kind: string;
  lon: number;
  lat: number;
}

export interface StreetOnline {
  code: string;
  history: { day: string; online_rate: number; cameras: number }[];
  now: { cameras: number; online: number; offline: number; damaged: number; online_rate: number | null };
}

export interface CameraOnline {
  level: string;
  days: number;
  units: StreetOnline[];
}

export interface CameraCoverage {
  level: string;
  blind_below: number;
  units: { code: string; share: number; grids?: number; blind_grids?: number }[];
  blind_grids: { code: string; share: number; cameras?: number }[];
}

export interface StreetFeature {
  code: string;
  name: string;
  geometry: Geometry;
}

export const wallApi = {
  summary: (signal?: AbortSignal) => getJson<WallSummary>('/api/wall/summary', signal),
  alarms: (signal?: AbortSignal) => getJson<{ items: AlarmRow[] }>('/api/alarms?state=active&limit=500', signal),
  camerasOnline: (signal?: AbortSignal) => getJson<CameraOnline>('/api/cameras/online?level=street&days=7', signal),
  coverage: (signal?: AbortSignal) => getJson<CameraCoverage>('/api/cameras/coverage?level=street', signal),
  streets: async (signal?: AbortSignal): Promise<StreetFeature[]> => {
    const fc = await getJson<FeatureCollection>('/api/collections/streets/items?limit=100', signal);
    return fc.features
      .filter((f) => f.geometry)
      .map((f) => ({
        code: String(f.properties?.code ?? f.id),
        name: String(f.properties?.name ?? f.id),
        geometry: f.geometry,
      }))
      .sort((a, b) => a.code.localeCompare(b.code));
  },
};
