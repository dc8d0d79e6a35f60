// Contracts of editing on the map (server/routes/edit.ts): a planner or admin adds, moves, edits and
// deletes cameras, facilities, sensor stations, hazards and misconnections, one feature at a time. Paths
// are /api/edit/{layer} under the layers' OGC collection ids (tiles/*.ts). Only what a person edits is
// here: codes, names, kinds, a camera's field of view; statuses of hazards and misconnections follow
// their own workflow and are not edited here. A change answers with the feature's new version (ETag);
// PATCH and DELETE must send it back in If-Match, so two editors never overwrite each other silently.
import { Type, type Static, type TProperties } from 'typebox';
import {
  CAMERA_KINDS, CAMERA_STATUSES, EDIT_LAYERS, type EditLayer, FACILITY_KINDS, MISCONNECTION_KINDS, POINT_FACILITY_KINDS, SENSOR_KINDS,
} from '../enums.ts';
import { Crs, IntId, Lat, Lon, Nullable, StringEnum } from './common.ts';
import { OpenObject } from './shapes.ts';

export { EDIT_LAYERS, type EditLayer };

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Code = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const ObjectCode = (what: string) => Nullable(Type.String({ minLength: 1, maxLength: 64, description: `The ${what}'s code (null: none)` }));

const CameraFields = {
  name: Name,
  code: Type.String({ minLength: 1, maxLength: 40, description: 'GB/T 28181 device code: 20 digits, type 131 (camera) or 132 (network camera)' }),
  kind: StringEnum(CAMERA_KINDS),
  azimuth_deg: Type.Number({ minimum: 0, maximum: 360, description: 'Heading of the view, degrees clockwise from north (360 is 0)' }),
  hfov_deg: Type.Number({ exclusiveMinimum: 0, maximum: 360, description: 'Horizontal field of view, degrees (360: fisheye)' }),
  range_m: Type.Number({ exclusiveMinimum: 0, maximum: 5000, description: 'How far the camera sees, metres' }),
  status: StringEnum(CAMERA_STATUSES),
};
const FacilityFields = {
  code: Code('The facility code'),
  name: Name,
  kind: StringEnum(FACILITY_KINDS, { description: `Added on the map: ${POINT_FACILITY_KINDS.join(', ')} (lakes and channels are outlines, imported from files)` }),
};
const SensorFields = {
  code: Code('The station code'),
  name: Name,
  kind: StringEnum(SENSOR_KINDS),
};
const HazardFields = {
  code: Type.String({ minLength: 1, maxLength: 40, description: 'CJJ 181-2012 defect code (PL, 破裂…)' }),
  grade: Type.Integer({ minimum: 1, maximum: 4, description: 'Defect grade Ⅰ–Ⅳ, one the defect has' }),
  description: Nullable(Type.String({ maxLength: 2000 })),
  pipe_code: Type.String({ minLength: 1, maxLength: 64, description: 'The reach the hazard is on; when left out of a new hazard, the nearest reach within 30 m' }),
};
const MisconnectionFields = {
  kind: StringEnum(MISCONNECTION_KINDS),
  flow_m3d: Nullable(Type.Number({ minimum: 0, maximum: 1e6, description: 'Flow, m³/day' })),
  pipe_code: ObjectCode('reach'),
  manhole_code: ObjectCode('manhole'),
};

const Position = { lon: Lon, lat: Lat, crs: Type.Optional(Crs) };

/** A new feature: its position and fields; `required` must be given, the others have defaults. */
function NewBody<P extends TProperties>(fields: P, required: readonly (keyof P & string)[], description: string) {
  const props = Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, required.includes(k) ? s : Type.Optional(s)]));
  return Type.Object({ ...Position, ...props } as typeof Position & { [K in keyof P]: P[K] }, { additionalProperties: false, description });
}
/** A change: a new position (lon and lat together) and/or any fields. */
function PatchBody<P extends TProperties>(fields: P, description: string) {
  return Type.Partial(Type.Object({ ...Position, ...fields }), { additionalProperties: false, minProperties: 1, description });
}

export const NEW_BODIES = {
  cameras: NewBody(CameraFields, ['name', 'code'], 'A camera: defaults gun, heading 0°, 60° wide, 50 m, online'),
  facilities: NewBody(FacilityFields, ['code', 'name', 'kind'], 'A facility at a point'),
  sensors: NewBody(SensorFields, ['code', 'name', 'kind'], 'A monitoring station'),
  hazards: NewBody(HazardFields, ['code', 'grade'], 'A hazard found today, open'),
  misconnections: NewBody(MisconnectionFields, ['kind'], 'A misconnection found today'),
} as const;

export const PATCH_BODIES = {
  cameras: PatchBody(CameraFields, 'Move a camera, turn it, widen or narrow its view, rename it'),
  facilities: PatchBody(FacilityFields, 'Move a facility (points only) or change its fields'),
  sensors: PatchBody(SensorFields, 'Move a station or change its fields'),
  hazards: PatchBody(HazardFields, 'Move a hazard or change its defect, grade, description or reach'),
  misconnections: PatchBody(MisconnectionFields, 'Move a misconnection or change its kind, flow, reach or manhole'),
} as const;

export const EditParams = Type.Object({ id: IntId });
export const IfMatch = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 100, description: 'The version (ETag) the change was made against; required for PATCH and DELETE' })),
});

const GridCoverage = Type.Object({
  code: Type.String(),
  before_m2: Type.Number(),
  after_m2: Type.Number(),
  share_before: Type.Number(),
  share_after: Type.Number(),
});
export const CoverageChange = Type.Object({
  grids: Type.Array(GridCoverage, { description: 'The grids the camera\'s old or new field of view reaches: covered area by online cameras before and after' }),
}, { description: 'Camera coverage of the grids the change touched' });
export type CoverageChange = Static<typeof CoverageChange>;

export const EditedFeature = Type.Object({
  layer: StringEnum(EDIT_LAYERS),
  id: IntId,
  version: Type.String({ description: 'Send it back in If-Match to change or delete the feature' }),
  lon: Lon,
  lat: Lat,
  point: Type.Boolean({ description: 'Whether the feature is a point (only points are moved on the map)' }),
  properties: OpenObject({ description: 'The editable fields, and grid_code where the layer has one' }),
  coverage: Type.Optional(CoverageChange),
});
export type EditedFeature = Static<typeof EditedFeature>;

export const DeletedFeature = Type.Object({
  layer: StringEnum(EDIT_LAYERS),
  id: IntId,
  deleted: Type.Literal(true),
  coverage: Type.Optional(CoverageChange),
});
export type DeletedFeature = Static<typeof DeletedFeature>;
