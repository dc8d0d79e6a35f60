// What the command wall reads from the server: its summary, the active alarms, camera online rates and
// coverage by street, and the streets' outlines for the playlist of views (server/routes/wall.ts).
import type { FeatureCollection, Geometry } from 'geojson';
import type { CoverageSummary, OnlineRates, UnitOnline } from '../../common/api/cameras.ts';
import type { AlarmLevel } from '../../common/api/live.ts';
import type { AlarmList, AlarmRow } from '../../common/api/alarms.ts';
import type { WallSummary } from '../../common/api/wall.ts';
import { getJson } from './client.ts';

export type { AlarmLevel, AlarmRow, WallSummary };

/** One street's camera online rates: per day, and now. */
export type StreetOnline = UnitOnline;
export type CameraOnline = OnlineRates;
export type CameraCoverage = CoverageSummary;

export interface StreetFeature {
  code: string;
  name: string;
  geometry: Geometry;
}

export const wallApi = {
  summary: (signal?: AbortSignal) => getJson<WallSummary>('/api/wall/summary', signal),
  alarms: (signal?: AbortSignal) => getJson<AlarmList>('/api/alarms?state=active&limit=500', signal),
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
