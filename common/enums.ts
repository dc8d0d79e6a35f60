// The coded values of the layers' fields, as the tables' CHECK constraints allow them (migrations 002–005).
// Stated once for both sides: the server's layer definitions (tiles/) publish them as TileJSON field
// descriptions and OGC collection enums, and the map words, colours and counts them.

/** Drainage usage of a pipe or manhole: storm, foul or combined (雨/污/合). */
export const USAGES = ['rain', 'sewage', 'combined'] as const;
/** Municipal trunk network or a community's own pipes. */
export const NETWORKS = ['main', 'community'] as const;
export const MANHOLE_KINDS = ['manhole', 'outfall', 'junction', 'inlet', 'storage'] as const;

/**
 * The remediation flow of hazards and misconnections (found → confirmed → in_repair → fixed → verified, or
 * rejected as a false report), as both tables' status CHECK allows it; the steps are server/domain/remediation.ts.
 */
export const REMEDIATION_STATUSES = ['found', 'confirmed', 'in_repair', 'fixed', 'verified', 'rejected'] as const;
/** Repaired: the defect leaves its reach's CJJ 181 score (SQL remediation_is_repaired, held to this by a test). */
export const REPAIRED_STATUSES = ['fixed', 'verified'] as const satisfies readonly RemediationStatus[];
export const MISCONNECTION_KINDS = ['sanitary_to_storm', 'storm_to_sanitary', 'other'] as const;
export const FACILITY_KINDS = ['pumping_station', 'flood_gate', 'outfall', 'wwtp', 'waterlogging_point', 'lake', 'channel'] as const;
/** Facility kinds that are a point on the map: lakes and channels are outlines, loaded from files. */
export const POINT_FACILITY_KINDS = ['pumping_station', 'flood_gate', 'outfall', 'wwtp', 'waterlogging_point'] as const satisfies readonly (typeof FACILITY_KINDS)[number][];

export const CAMERA_KINDS = ['gun', 'dome', 'ptz', 'fisheye'] as const;
export const CAMERA_STATUSES = ['online', 'offline', 'damaged'] as const;
export const SENSOR_KINDS = [
  'manhole_level', 'ponding', 'rain', 'lake_level', 'river_level', 'flow', 'water_quality', 'pressure', 'toilet_nh3', 'lpg', 'fume',
] as const;
export const SENSOR_STATUSES = ['normal', 'warning', 'alarm', 'offline'] as const;
/** Handling of an alarm (server/domain/alarm-handling.ts), as the alarms.handling CHECK allows. */
export const ALARM_HANDLING = ['new', 'acknowledged', 'assigned', 'closed'] as const;
/** The unit that handles an alarm, lowest first: community → street → district (alarms.unit_level). */
export const ALARM_UNIT_LEVELS = ['community', 'street', 'district'] as const;
/** What a person does to an alarm (alarm_actions.action). */
export const ALARM_ACTIONS = ['acknowledge', 'assign', 'escalate', 'close'] as const;
export const VEHICLE_KINDS = ['sanitation', 'drainage', 'inspection', 'emergency'] as const;
export const VEHICLE_STATUSES = ['on_duty', 'idle', 'offline'] as const;

/** Exactly the statuses the cases.status CHECK allows, in workflow order. */
export const CASE_STATUSES = [
  'reported', 'accepted', 'rejected', 'verified', 'registered', 'dispatched',
  'in_progress', 'handled', 'checking', 'closed', 'reworked', 'suspended', 'returned',
] as const;
/** 部件 (a thing in the street) or 事件 (something that happened). */
export const CASE_CLASSES = ['component', 'event'] as const;
export const CASE_SOURCES = ['inspector', 'citizen', 'video', 'iot', 'superior'] as const;

export const ROAD_CLASSES = ['trunk', 'primary', 'secondary', 'residential'] as const;
export const WATER_KINDS = ['river', 'lake', 'channel'] as const;

export type Usage = (typeof USAGES)[number];
export type RoadClass = (typeof ROAD_CLASSES)[number];
export type WaterKind = (typeof WATER_KINDS)[number];
export type CameraStatus = (typeof CAMERA_STATUSES)[number];
export type SensorStatus = (typeof SENSOR_STATUSES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type AlarmHandling = (typeof ALARM_HANDLING)[number];
export type AlarmUnitLevel = (typeof ALARM_UNIT_LEVELS)[number];
export type AlarmAction = (typeof ALARM_ACTIONS)[number];
export type MisconnectionKind = (typeof MISCONNECTION_KINDS)[number];
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];
export type MisconnectionStatus = RemediationStatus;

/** The layers edited on the map (by their OGC collection ids): /api/edit/{layer}. */
export const EDIT_LAYERS = ['cameras', 'facilities', 'sensors', 'hazards', 'misconnections'] as const;
export type EditLayer = (typeof EDIT_LAYERS)[number];

/** A pumping station's pumps (facility_state.pump_status CHECK, migration facility_state). */
export const FACILITY_PUMP_STATUSES = ['running', 'stopped', 'fault'] as const;
/** Whether a flood gate works (facility_state.gate_status CHECK, migration ops_live). */
export const FACILITY_GATE_STATUSES = ['normal', 'fault'] as const;
/** Why a facility alarms (alarms.cause CHECK; the rule: server/domain/facility-alarms.ts). */
export const FACILITY_ALARM_CAUSES = ['level', 'pump_fault', 'gate_fault'] as const;
/** Where a water level stands: below 警戒水位, at or past it, at or past 保证水位 (facility_state.level_state). */
export const FACILITY_LEVEL_STATES = ['normal', 'warning', 'guarantee'] as const;
