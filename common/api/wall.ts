// Contracts of what the command wall reads around the map (server/routes/wall.ts): one public summary
// (counts only, no personal data) for the district or one street or community, and the unit itself (name,
// extent, parents, the units below it with their key figures). The alarms are common/api/alarms.ts.
import { Type, type Static } from 'typebox';
import { Geometry } from './geojson.ts';
import { Nullable, StringEnum, Timestamp } from './common.ts';
import { NumberTuple } from './shapes.ts';

const Count = Type.Integer({ minimum: 0 });

export const WallSummary = Type.Object({
  cases_today: Count,
  closed_today: Count,
  closed_on_time_today: Count,
  on_time_rate_today: Nullable(Type.Number({ description: '0–1; null when nothing was closed today' })),
  cases_open: Count,
  cases_overdue: Count,
  alarms: Type.Object({ warning: Type.Optional(Count), alarm: Type.Optional(Count) }, { description: 'Active alarms by level' }),
  sensors: Type.Object({ normal: Type.Optional(Count), warning: Type.Optional(Count), alarm: Type.Optional(Count), offline: Type.Optional(Count) }, { description: 'Stations by status' }),
  cameras: Type.Object({ total: Count, online: Count }),
  camera_online_rate: Nullable(Type.Number()),
  vehicles: Type.Object({ total: Count, on_duty: Count }),
  staff: Type.Object({ on_duty: Count, offline: Count }, { description: 'Staff on duty in the unit\'s grids: reporting, and silent past their interval (counts only: where they are is not public)' }),
  devices: Type.Object({ total: Count, online: Count }, { description: 'Body-worn recorders, vehicle and site cameras in the unit' }),
  trend: Type.Array(Type.Object({ hour: Type.String({ description: 'Local (UTC+8) hour, YYYY-MM-DDTHH' }), reported: Count }), { description: 'Hours of the last 24 with at least one report' }),
  at: Timestamp({ description: 'Server time of the figures' }),
});
export type WallSummary = Static<typeof WallSummary>;

const StreetCode = Type.String({ pattern: '^[0-9]{9}$', description: 'A street (街道): its 9-digit code; the district when absent' });
const CommunityCode = Type.String({ pattern: '^[0-9]{12}$', description: 'A community (社区): its 12-digit code' });
/** Which unit a wall shows: the district (neither), a street or a community (not both). */
const UnitParams = { street: Type.Optional(StreetCode), community: Type.Optional(CommunityCode) };

export const WallUnitQuery = Type.Object(UnitParams, { additionalProperties: false });
export type WallUnitQuery = Static<typeof WallUnitQuery>;

/** The levels a wall shows, and the grids below a community. */
export const UNIT_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

const Bbox = NumberTuple(4, { description: '[west, south, east, north], WGS84' });
const UnitRef = Type.Object({ level: StringEnum(UNIT_LEVELS), code: Type.String(), name: Type.String() });

/** A unit below the wall's unit, with its outline (simplified) and key figures. */
export const ChildUnit = Type.Object({
  level: StringEnum(UNIT_LEVELS),
  code: Type.String(),
  name: Type.String({ description: 'A grid has no name: its code' }),
  bbox: Bbox,
  geometry: Geometry,
  cases_open: Count,
  cases_overdue: Count,
  cases_today: Count,
  alarms: Count,
});
export type ChildUnit = Static<typeof ChildUnit>;

export const WallUnit = Type.Object({
  level: StringEnum(UNIT_LEVELS),
  code: Type.String(),
  name: Type.String(),
  bbox: Bbox,
  geometry: Geometry,
  parents: Type.Array(UnitRef, { description: 'From the district down to the unit above this one (breadcrumbs)' }),
  children: Type.Array(ChildUnit, { description: 'district → streets, street → communities, community → unit grids; by code' }),
});
export type WallUnit = Static<typeof WallUnit>;
