// Contracts of the alarm routes (server/routes/alarms.ts): the list (what walls and maps start from), one
// alarm with its handling history, and the handling actions (server/domain/alarm-handling.ts).
import { Type, type Static } from 'typebox';
import { ALARM_ACTIONS, ALARM_HANDLING, ALARM_UNIT_LEVELS, FACILITY_ALARM_CAUSES } from '../enums.ts';
import { ALARM_LEVELS } from './live.ts';
import { BigId, IntId, Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

const UnitCode = Type.String({ pattern: '^[0-9]{6,15}$', description: 'A district (6 digits), street (9), community (12) or grid (15) code' });

export const AlarmsQuery = Type.Object({
  state: WithDefault(StringEnum(['active', 'all'], { default: 'active', description: 'active: readings still past a threshold; all: cleared ones too' })),
  handling: Type.Optional(StringEnum([...ALARM_HANDLING, 'open'], { description: 'By handling state; open = not closed' })),
  unit: Type.Optional(UnitCode),
  station: Type.Optional(IntId),
  facility: Type.Optional(IntId),
  supervised: Type.Optional(Type.Boolean({ description: 'Only the supervised (督办) ones, or only the others' })),
  limit: WithDefault(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
}, { additionalProperties: false });
export type AlarmsQuery = Static<typeof AlarmsQuery>;

/** An alarm with its source (a datastream and station, or a facility and cause) and handling. Ids of alarms and cases are bigints: strings in the JSON. No names of people: the list is public. */
export const AlarmRow = Type.Object({
  id: Type.String(),
  level: StringEnum(ALARM_LEVELS),
  state: StringEnum(['active', 'cleared']),
  raised_at: Timestamp(),
  cleared_at: Nullable(Timestamp()),
  raised_value: Nullable(Type.Number({ description: 'None for a fault' })),
  peak_value: Nullable(Type.Number()),
  case_id: Nullable(Type.String()),
  datastream_id: Nullable(Type.Integer()),
  facility_id: Nullable(Type.Integer({ description: 'A facility\'s alarm: the facility' })),
  cause: Nullable(StringEnum(FACILITY_ALARM_CAUSES, { description: 'A facility\'s alarm: a level past 警戒/保证水位, or a pump or gate fault' })),
  quantity: Type.String({ description: 'What was measured (a facility\'s level: water_level; a fault: its cause)' }),
  unit: Type.String(),
  alarm_level: Nullable(Type.Number()),
  warn_level: Nullable(Type.Number()),
  last_value: Nullable(Type.Number()),
  station_id: Nullable(Type.Integer()),
  station_code: Type.String({ description: 'The station\'s or facility\'s code' }),
  station: Type.String({ description: 'The station\'s or facility\'s name' }),
  kind: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  handling: StringEnum(ALARM_HANDLING),
  unit_level: StringEnum(ALARM_UNIT_LEVELS, { description: 'The unit handling it now' }),
  unit_code: Nullable(Type.String()),
  unit_name: Nullable(Type.String()),
  grid_code: Nullable(Type.String({ description: 'The grid the station lies in' })),
  supervised: Type.Boolean({ description: '督办: it went unacknowledged past its level\'s time' }),
  ack_due_at: Nullable(Timestamp({ description: 'When it goes up by itself if nobody acknowledges it (new and active only)' })),
});
export type AlarmRow = Static<typeof AlarmRow>;

export const AlarmList = Type.Object({ items: Type.Array(AlarmRow) });
export type AlarmList = Static<typeof AlarmList>;

export const AlarmActionRow = Type.Object({
  id: Type.String(),
  action: StringEnum(ALARM_ACTIONS),
  auto: Type.Boolean({ description: 'Taken by the server (escalation past the acknowledge time)' }),
  actor: Type.String(),
  role: Type.String(),
  note: Nullable(Type.String()),
  assignee: Nullable(Type.String()),
  from_state: StringEnum(ALARM_HANDLING),
  to_state: StringEnum(ALARM_HANDLING),
  from_level: StringEnum(ALARM_UNIT_LEVELS),
  to_level: StringEnum(ALARM_UNIT_LEVELS),
  at: Timestamp(),
});
export type AlarmActionRow = Static<typeof AlarmActionRow>;

/** One alarm for staff: its row, who acknowledged, assigned and closed it, its history, and what the asker may do now. */
export const AlarmDetails = Type.Object({
  alarm: AlarmRow,
  assignee: Nullable(Type.String()),
  acknowledged_at: Nullable(Timestamp()),
  acknowledged_by: Nullable(Type.String()),
  closed_at: Nullable(Timestamp()),
  closed_by: Nullable(Type.String()),
  actions: Type.Array(AlarmActionRow, { description: 'Oldest first' }),
  available: Type.Array(StringEnum(ALARM_ACTIONS), { description: 'What the asking account may do now' }),
});
export type AlarmDetails = Static<typeof AlarmDetails>;

export const AlarmIdParams = Type.Object({ id: BigId }, { additionalProperties: false });
export const AlarmActionParams = Type.Object({ id: BigId, action: StringEnum(ALARM_ACTIONS) }, { additionalProperties: false });
export type AlarmActionParams = Static<typeof AlarmActionParams>;

export const AlarmActionBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'Why (escalate and close need one)' })),
  assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Who goes (assign needs one)' })),
}, { additionalProperties: false });
export type AlarmActionBody = Static<typeof AlarmActionBody>;
