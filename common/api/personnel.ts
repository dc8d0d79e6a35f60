// Contract of /api/personnel (server/routes/personnel.ts): on-duty staff (网格员, 执法队员) who share their
// position, devices (执法记录仪, vehicle and site cameras) with position and status, their tracks, and a
// field worker's own duty (上岗/下岗, 共享位置). People's positions are personal data: only dispatchers,
// commanders and admins see them.
import { Type, type Static } from 'typebox';
import { IntId, Lat, Lon, Nullable, StringEnum, Timestamp } from './common.ts';

export const STAFF_KINDS = ['grid_worker', 'enforcer'] as const;
export const STAFF_STATUSES = ['off_duty', 'on_duty', 'offline'] as const;
export const DEVICE_KINDS = ['body_camera', 'vehicle_camera', 'site_camera'] as const;
export const DEVICE_STATUSES = ['online', 'offline', 'damaged'] as const;
/** The roles that may see where people are. */
export const SEES_PEOPLE = ['dispatcher', 'commander', 'admin'] as const;

export const StaffItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role_kind: StringEnum(STAFF_KINDS),
  grid_code: Nullable(Type.String()),
  status: StringEnum(STAFF_STATUSES),
  duty_since: Nullable(Timestamp()),
  updated_at: Nullable(Timestamp()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
});
export type StaffItem = Static<typeof StaffItem>;

export const DeviceItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  kind: StringEnum(DEVICE_KINDS),
  status: StringEnum(DEVICE_STATUSES),
  staff_id: Nullable(Type.Integer()),
  updated_at: Nullable(Timestamp()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
});
export type DeviceItem = Static<typeof DeviceItem>;

export const PersonnelList = Type.Object({
  staff_visible: Type.Boolean({ description: 'false: this account may not see people (staff is empty)' }),
  staff: Type.Array(StaffItem, { description: 'On-duty staff sharing their position' }),
  devices: Type.Array(DeviceItem),
});
export type PersonnelList = Static<typeof PersonnelList>;

export const DutyBody = Type.Object({
  on_duty: Type.Boolean({ description: '上岗 (true) or 下岗 (false)' }),
  sharing: Type.Boolean({ description: '共享位置: opt-in; ignored (false) off duty' }),
  role_kind: Type.Optional(StringEnum(STAFF_KINDS, { description: 'Given the first time; 网格员 by default' })),
}, { additionalProperties: false });
export type DutyBody = Static<typeof DutyBody>;

export const MyDuty = Type.Object({
  on_duty: Type.Boolean(),
  sharing: Type.Boolean(),
  status: StringEnum(STAFF_STATUSES),
  duty_since: Nullable(Timestamp()),
});
export type MyDuty = Static<typeof MyDuty>;

export const MyPositionBody = Type.Object({
  lon: Lon,
  lat: Lat,
  t: Type.Optional(Timestamp({ description: 'When the fix was taken; now by default' })),
}, { additionalProperties: false });
export type MyPositionBody = Static<typeof MyPositionBody>;

export const PositionStored = Type.Object({ stored: Type.Boolean({ description: 'false: a fix at that time was already stored' }) });

export const DeviceReport = Type.Object({
  device_id: IntId,
  t: Timestamp(),
  lon: Type.Optional(Lon),
  lat: Type.Optional(Lat),
  status: Type.Optional(StringEnum(DEVICE_STATUSES)),
}, { additionalProperties: false });
export type DeviceReport = Static<typeof DeviceReport>;
export const DeviceReportsBody = Type.Union([DeviceReport, Type.Array(DeviceReport, { minItems: 1 })]);
export const DevicesIngested = Type.Object({ received: Type.Integer(), positions: Type.Integer() });
export type DevicesIngested = Static<typeof DevicesIngested>;

export const TrackQuery = Type.Object({
  thing: StringEnum(['staff', 'device'] as const),
  id: IntId,
  from: Timestamp(),
  to: Timestamp(),
}, { additionalProperties: false });
export type TrackQuery = Static<typeof TrackQuery>;

/** [lon, lat, epoch seconds]. */
const PathPoint = Type.Unsafe<[number, number, number]>(Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }));
export const Track = Type.Object({
  thing: Type.String(),
  id: Type.Integer(),
  path: Type.Array(PathPoint, { description: 'Oldest first, within [from, to]' }),
});
export type Track = Static<typeof Track>;

export const EnforcementFile = Type.Object({
  id: Type.Integer(),
  file_no: Type.String(),
  case_id: Type.String(),
  staff_id: Nullable(Type.Integer()),
  title: Type.String(),
  status: StringEnum(['open', 'closed'] as const),
  opened_at: Timestamp(),
});
export const EnforcementFileBody = Type.Object({
  case_id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });
export type EnforcementFileBody = Static<typeof EnforcementFileBody>;
export const EnforcementFiles = Type.Object({ items: Type.Array(EnforcementFile) });
export const CaseIdQuery = Type.Object({ case_id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }, { additionalProperties: false });
