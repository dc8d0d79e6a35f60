// Contracts of the live routes (server/routes/live.ts): the event stream /api/live and its events' data
// (written by the database's triggers, migration 010), the newest events, and the ingest of readings,
// positions and camera status.
import { Type, type Static, type TSchema } from 'typebox';
import { ALARM_HANDLING, ALARM_UNIT_LEVELS, FACILITY_ALARM_CAUSES, FACILITY_GATE_STATUSES, FACILITY_KINDS, FACILITY_LEVEL_STATES, FACILITY_PUMP_STATUSES } from '../enums.ts';
import { IntId, Lat, Lon, Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

export const LIVE_KINDS = ['observation', 'position', 'camera', 'alarm', 'case', 'liveness', 'facility', 'staff_position', 'device_position'] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];

/** The most events /api/live/recent gives at once. */
export const MAX_RECENT = 200;
/** The most items one ingest request may carry. */
export const MAX_BATCH = 5000;

// ---- Event data (the `data:` of an event; its `event:` is the kind) ------------------------------------
// Times are PostgreSQL's JSON of timestamptz: RFC 3339 with the server's offset.

export const ObservationEvent = Type.Object({ datastream_id: Type.Integer(), station_id: Type.Integer(), quantity: Type.String(), t: Type.String(), value: Type.Number() });
export type ObservationEvent = Static<typeof ObservationEvent>;

/** A person's or device's position (a track point): staff ones only to those who see people, device ones only to accounts. */
export const TrackEvent = Type.Object({ id: Type.Integer({ description: 'The staff or device id' }), t: Type.String(), lon: Type.Number(), lat: Type.Number() });
export type TrackEvent = Static<typeof TrackEvent>;

export const PositionEvent = Type.Object({ vehicle_id: Type.Integer(), t: Type.String(), lon: Type.Number(), lat: Type.Number(), speed_kmh: Nullable(Type.Number()) });
export type PositionEvent = Static<typeof PositionEvent>;

export const CAMERA_STATUSES = ['online', 'offline', 'damaged'] as const;
export const CameraEvent = Type.Object({ camera_id: Type.Integer(), status: StringEnum(CAMERA_STATUSES), lon: Type.Number(), lat: Type.Number() });
export type CameraEvent = Static<typeof CameraEvent>;

export const ALARM_LEVELS = ['warning', 'alarm'] as const;
export type AlarmLevel = (typeof ALARM_LEVELS)[number];

export const AlarmEvent = Type.Object({
  id: Type.Integer(),
  station_id: Nullable(Type.Integer({ description: 'A sensor\'s alarm: its station' })),
  datastream_id: Nullable(Type.Integer()),
  facility_id: Nullable(Type.Integer({ description: 'A facility\'s alarm: the facility, and its cause' })),
  cause: Nullable(StringEnum(FACILITY_ALARM_CAUSES)),
  level: StringEnum(ALARM_LEVELS),
  state: StringEnum(['active', 'cleared']),
  raised_at: Type.String(),
  cleared_at: Nullable(Type.String()),
  value: Nullable(Type.Number({ description: 'The reading that cleared it, or else the one that raised it (none for a fault)' })),
  peak: Nullable(Type.Number()),
  case_id: Nullable(Type.Integer()),
  lon: Type.Number(),
  lat: Type.Number(),
  station: Type.String({ description: 'The station\'s or facility\'s name' }),
  kind: Type.String(),
  handling: StringEnum(ALARM_HANDLING),
  unit_level: StringEnum(ALARM_UNIT_LEVELS),
  unit_code: Nullable(Type.String()),
  unit_since: Type.String(),
  supervised: Type.Boolean(),
  grid_code: Nullable(Type.String()),
});
export type AlarmEvent = Static<typeof AlarmEvent>;

export const CaseEvent = Type.Object({
  id: Type.Integer(),
  case_no: Type.String(),
  status: Type.String(),
  item_code: Type.String(),
  source: Type.String(),
  grid_code: Nullable(Type.String()),
  deadline_at: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  department_code: Nullable(Type.String({ description: 'The handling department it is dispatched to' })),
  department_before: Nullable(Type.String({ description: 'The department it was just taken from' })),
});
export type CaseEvent = Static<typeof CaseEvent>;

/** A thing stopped reporting (swept offline) or reported again (server/live/liveness.ts and its migration). */
export const LivenessEvent = Type.Object({
  thing: Type.String({ description: 'station, vehicle, camera, …' }),
  id: Type.Integer(),
  status: Type.String({ description: 'Its status now' }),
  online: Type.Boolean({ description: 'false: offline or damaged' }),
  at: Type.String(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
});
export type LivenessEvent = Static<typeof LivenessEvent>;

/** A facility's operating state changed (the trigger of facility_state, migration facility_state). */
export const FacilityEvent = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: StringEnum(FACILITY_KINDS),
  open_pct: Nullable(Type.Number({ description: 'A gate\'s opening, 0 = closed' })),
  gate_status: Nullable(StringEnum(FACILITY_GATE_STATUSES)),
  pump_status: Nullable(StringEnum(FACILITY_PUMP_STATUSES)),
  flow_m3s: Nullable(Type.Number()),
  units_running: Nullable(Type.Integer()),
  water_level_m: Nullable(Type.Number()),
  warning_level_m: Nullable(Type.Number({ description: '警戒水位' })),
  guarantee_level_m: Nullable(Type.Number({ description: '保证水位' })),
  level_state: Nullable(StringEnum(FACILITY_LEVEL_STATES)),
  level_before: Nullable(StringEnum(FACILITY_LEVEL_STATES)),
  at: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
});
export type FacilityEvent = Static<typeof FacilityEvent>;

export interface LivePayloads {
  observation: ObservationEvent;
  position: PositionEvent;
  camera: CameraEvent;
  alarm: AlarmEvent;
  case: CaseEvent;
  liveness: LivenessEvent;
  facility: FacilityEvent;
  staff_position: TrackEvent;
  device_position: TrackEvent;
}

// ---- Requests and answers ----------------------------------------------------------------------------

const Kinds = Type.String({ pattern: `^(${LIVE_KINDS.join('|')})(,(${LIVE_KINDS.join('|')}))*$`, description: 'Comma-separated kinds; all when absent' });

export const LiveQuery = Type.Object({
  kinds: Type.Optional(Kinds),
  last_event_id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
}, { additionalProperties: false });
export type LiveQuery = Static<typeof LiveQuery>;

export const RecentQuery = Type.Object({
  kinds: Type.Optional(Kinds),
  limit: WithDefault(Type.Integer({ minimum: 1, maximum: MAX_RECENT, default: 30 })),
}, { additionalProperties: false });
export type RecentQuery = Static<typeof RecentQuery>;

/** An event of the log with its time; data is that of its kind (LivePayloads). */
export const RecentEvent = Type.Object({
  id: Type.String(),
  kind: StringEnum(LIVE_KINDS),
  at: Timestamp(),
  data: Type.Unknown({ description: 'The event\'s data, as the stream sends it for its kind' }),
});
export type RecentEvent = Static<typeof RecentEvent>;

export const RecentAnswer = Type.Object({
  events: Type.Array(RecentEvent, { description: 'Oldest first' }),
  last_id: Type.String({ description: 'The log\'s last id: open /api/live from it (Last-Event-ID) to miss nothing' }),
});
export type RecentAnswer = Static<typeof RecentAnswer>;

/** One item or a batch of up to MAX_BATCH (oneOf, as the API has always said). */
const OneOrBatch = <T extends TSchema>(item: T) =>
  Type.Unsafe<Static<T> | Static<T>[]>({ oneOf: [item, Type.Array(item, { minItems: 1, maxItems: MAX_BATCH })] });

export const Reading = Type.Object({ datastream_id: IntId, t: Type.String({ format: 'date-time' }), value: Type.Number() }, { additionalProperties: false });
export type Reading = Static<typeof Reading>;
export const ReadingsBody = OneOrBatch(Reading);

export const Position = Type.Object({
  vehicle_id: IntId,
  t: Type.String({ format: 'date-time' }),
  lon: Lon,
  lat: Lat,
  speed_kmh: Type.Optional(Type.Number({ minimum: 0, maximum: 300 })),
  heading_deg: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
}, { additionalProperties: false });
export type Position = Static<typeof Position>;
export const PositionsBody = OneOrBatch(Position);

export const CameraStatus = Type.Object({ camera_id: IntId, status: StringEnum(CAMERA_STATUSES) }, { additionalProperties: false });
export type CameraStatus = Static<typeof CameraStatus>;
export const CameraStatusBody = OneOrBatch(CameraStatus);

/** Water levels a feed may report, in metres above the datum (Wuhan's lakes stand near 19–21 m on 吴淞). */
const Metres = Type.Number({ minimum: -50, maximum: 200 });
/** One facility's state: only what it gives changes; the rest stays as last reported. */
export const FacilityStateItem = Type.Object({
  facility_id: IntId,
  t: Type.Optional(Type.String({ format: 'date-time', description: 'When it was so; now when absent' })),
  open_pct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Flood gates: the opening, 0 = closed' })),
  gate_status: Type.Optional(StringEnum(FACILITY_GATE_STATUSES, { description: 'Flood gates: fault raises an alarm until normal is reported' })),
  pump_status: Type.Optional(StringEnum(FACILITY_PUMP_STATUSES)),
  flow_m3s: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'Pumping stations: the flow pumped, m³/s' })),
  units_running: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  water_level_m: Type.Optional(Metres),
  warning_level_m: Type.Optional(Metres),
  guarantee_level_m: Type.Optional(Metres),
}, { additionalProperties: false });
export type FacilityStateItem = Static<typeof FacilityStateItem>;
export const FacilityStateBody = OneOrBatch(FacilityStateItem);

export const FacilitiesIngested = Type.Object({
  received: Type.Integer(),
  changed: Type.Integer({ description: 'Facilities whose state changed' }),
  level_changes: Type.Array(Type.Object({ facility_id: Type.Integer(), from: Nullable(StringEnum(FACILITY_LEVEL_STATES)), to: StringEnum(FACILITY_LEVEL_STATES) }), {
    description: 'Levels that moved between normal, 警戒 (warning) and 保证 (guarantee)',
  }),
  alarms: Type.Object({ raised: Type.Integer(), updated: Type.Integer(), cleared: Type.Integer(), cases: Type.Integer({ description: 'Cases opened by alarms (not warnings)' }) }, {
    description: 'Facility alarms (a level past 警戒/保证水位, a pump or gate fault) raised, changed and cleared, and the cases they opened',
  }),
});
export type FacilitiesIngested = Static<typeof FacilitiesIngested>;

export const ReadingsIngested = Type.Object({
  received: Type.Integer(),
  stored: Type.Integer(),
  duplicates: Type.Integer({ description: 'Readings already stored (same datastream and time)' }),
  alarms: Type.Object({ raised: Type.Integer(), cleared: Type.Integer() }),
  cases_opened: Type.Integer(),
});
export type ReadingsIngested = Static<typeof ReadingsIngested>;

export const PositionsIngested = Type.Object({ received: Type.Integer(), stored: Type.Integer() });
export type PositionsIngested = Static<typeof PositionsIngested>;

export const CameraStatusIngested = Type.Object({ received: Type.Integer(), changed: Type.Integer({ description: 'Cameras whose status changed' }) });
export type CameraStatusIngested = Static<typeof CameraStatusIngested>;
