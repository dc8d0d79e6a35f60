// Contracts of what the command wall reads around the map (server/routes/wall.ts): one public summary
// (counts only, no personal data). The alarms are common/api/alarms.ts.
import { Type, type Static } from 'typebox';
import { Nullable, Timestamp } from './common.ts';

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
