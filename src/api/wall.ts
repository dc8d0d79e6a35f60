// What the command wall reads from the server for the unit it shows (district, street or community): its
// summary, the unit with its outline and the units below it, the active alarms, camera online rates and
// coverage one level down (server/routes/wall.ts).
import type { CoverageSummary, OnlineRates, UnitOnline } from '../../common/api/cameras.ts';
import type { AlarmLevel } from '../../common/api/live.ts';
import type { AlarmList, AlarmRow } from '../../common/api/alarms.ts';
import type { ChildUnit, WallSummary, WallUnit } from '../../common/api/wall.ts';
import { getJson } from './client.ts';

export type { AlarmLevel, AlarmRow, ChildUnit, WallSummary, WallUnit };

/** The unit a wall shows: the district (both null), a street or a community. */
export interface WallPlace {
  street: string | null;
  community: string | null;
}

/** `street=…` or `community=…` (empty for the district), for the wall's requests and its URL. */
export function placeParams(p: WallPlace): string {
  return p.community ? `community=${p.community}` : p.street ? `street=${p.street}` : '';
}

/** The camera figures one level below the unit, inside it: streets of the district, communities of a street, grids of a community. */
function cameraScope(p: WallPlace): string {
  if (p.community) return `level=grid&within=${p.community}`;
  if (p.street) return `level=community&within=${p.street}`;
  return 'level=street';
}

/** One street's camera online rates: per day, and now. */
export type StreetOnline = UnitOnline;
export type CameraOnline = OnlineRates;
export type CameraCoverage = CoverageSummary;

export const wallApi = {
  summary: (p: WallPlace, signal?: AbortSignal) => getJson<WallSummary>(`/api/wall/summary?${placeParams(p)}`, signal),
  unit: (p: WallPlace, signal?: AbortSignal) => getJson<WallUnit>(`/api/wall/unit?${placeParams(p)}`, signal),
  alarms: (p: WallPlace, signal?: AbortSignal) => getJson<AlarmList>(`/api/alarms?state=active&limit=500${p.community ?? p.street ? `&unit=${p.community ?? p.street}` : ''}`, signal),
  camerasOnline: (p: WallPlace, signal?: AbortSignal) => getJson<CameraOnline>(`/api/cameras/online?${cameraScope(p)}&days=7`, signal),
  coverage: (p: WallPlace, signal?: AbortSignal) => getJson<CameraCoverage>(`/api/cameras/coverage?${cameraScope(p)}`, signal),
};
