// Contracts of camera operations (server/routes/cameras.ts): online rates with history, the inspection
// list, coverage and blind spots, and the cameras that see a point.
import { Type, type Static } from 'typebox';
import { CAMERA_STATUSES } from './live.ts';
import { Crs, Lat, LEVELS, Lon, Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

const Level = WithDefault(StringEnum(LEVELS, { default: 'street' }));
const Within = Type.String({ pattern: '^[0-9]{6,12}$', description: 'Only inside this district, street or community code' });
const Count = Type.Integer({ minimum: 0 });

export const OnlineQuery = Type.Object({
  level: Level,
  within: Type.Optional(Within),
  days: WithDefault(Type.Integer({ minimum: 1, maximum: 90, default: 30 })),
}, { additionalProperties: false });
export type OnlineQuery = Static<typeof OnlineQuery>;

export const UnitOnline = Type.Object({
  code: Type.String(),
  history: Type.Array(Type.Object({ day: Type.String({ description: 'YYYY-MM-DD' }), online_rate: Type.Number(), cameras: Count })),
  now: Type.Optional(Type.Object({ cameras: Count, online: Count, offline: Count, damaged: Count, online_rate: Nullable(Type.Number()) })),
});
export type UnitOnline = Static<typeof UnitOnline>;

export const OnlineRates = Type.Object({ level: StringEnum(LEVELS), days: Type.Integer(), units: Type.Array(UnitOnline) });
export type OnlineRates = Static<typeof OnlineRates>;

export const InspectionQuery = Type.Object({ within: Type.Optional(Within) }, { additionalProperties: false });
export type InspectionQuery = Static<typeof InspectionQuery>;

export const CameraDown = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  status: StringEnum(CAMERA_STATUSES),
  status_since: Timestamp(),
  owner: Nullable(Type.String()),
  grid_code: Nullable(Type.String()),
  street: Nullable(Type.String()),
  community: Nullable(Type.String()),
  days_down: Type.Number(),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type CameraDown = Static<typeof CameraDown>;

export const InspectionList = Type.Object({ date: Type.String({ description: 'Today, YYYY-MM-DD (UTC)' }), count: Count, items: Type.Array(CameraDown) });
export type InspectionList = Static<typeof InspectionList>;

export const CoverageQuery = Type.Object({
  level: Level,
  within: Type.Optional(Within),
  blind_below: WithDefault(Type.Number({ minimum: 0, maximum: 1, default: 0.1 })),
}, { additionalProperties: false });
export type CoverageQuery = Static<typeof CoverageQuery>;

export const CoverageSummary = Type.Object({
  level: StringEnum(LEVELS),
  blind_below: Type.Number(),
  units: Type.Array(Type.Object({ code: Type.String(), area_m2: Type.Number(), covered_m2: Type.Number(), grids: Count, blind_grids: Count, share: Type.Number() })),
  blind_grids: Type.Array(Type.Object({ code: Type.String(), share: Type.Number(), cameras: Count })),
});
export type CoverageSummary = Static<typeof CoverageSummary>;

export const SeeingQuery = Type.Object({ lon: Lon, lat: Lat, crs: Type.Optional(Crs) }, { additionalProperties: false });
export type SeeingQuery = Static<typeof SeeingQuery>;

export const CameraSeeing = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  status: StringEnum(CAMERA_STATUSES),
  stream_url: Type.Optional(Nullable(Type.String({ description: 'For logged-in staff only' }))),
  azimuth_deg: Type.Number(),
  hfov_deg: Type.Number(),
  range_m: Type.Number(),
  lon: Type.Number(),
  lat: Type.Number(),
  distance_m: Type.Number(),
});
export type CameraSeeing = Static<typeof CameraSeeing>;

export const Seeing = Type.Object({ lon: Type.Number(), lat: Type.Number(), cameras: Type.Array(CameraSeeing, { description: 'Nearest first' }) });
export type Seeing = Static<typeof Seeing>;
