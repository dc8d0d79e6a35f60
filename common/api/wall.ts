// Contracts of what the command wall reads around the map (server/routes/wall.ts): one public summary
// (counts only, no personal data) and the alarms.
import { Type, type Static } from 'typebox';
import { ALARM_LEVELS } from './live.ts';
import { Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

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
  trend: Type.Array(Type.Object({ hour: Type.String({ description: 'Local (UTC+8) hour, YYYY-MM-DDTHH' }), reported: Count }), { description: 'Hours of the last 24 with at least one report' }),
  at: Timestamp({ description: 'Server time of the figures' }),
});
export type WallSummary = Static<typeof WallSummary>;

export const AlarmsQuery = Type.Object({
  state: WithDefault(StringEnum(['active', 'all'], { default: 'active' })),
  limit: WithDefault(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
}, { additionalProperties: false });
export type AlarmsQuery = Static<typeof AlarmsQuery>;

/** An alarm with its datastream and station. Ids of alarms and cases are bigints: strings in the JSON. */
export const AlarmRow = Type.Object({
  id: Type.String(),
  level: StringEnum(ALARM_LEVELS),
  state: StringEnum(['active', 'cleared']),
  raised_at: Timestamp(),
  cleared_at: Nullable(Timestamp()),
  raised_value: Type.Number(),
  peak_value: Type.Number(),
  case_id: Nullable(Type.String()),
  datastream_id: Type.Integer(),
  quantity: Type.String(),
  unit: Type.String(),
  alarm_level: Nullable(Type.Number()),
  warn_level: Nullable(Type.Number()),
  last_value: Nullable(Type.Number()),
  station_id: Type.Integer(),
  station_code: Type.String(),
  station: Type.String(),
  kind: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type AlarmRow = Static<typeof AlarmRow>;

export const AlarmList = Type.Object({ items: Type.Array(AlarmRow) });
export type AlarmList = Static<typeof AlarmList>;
