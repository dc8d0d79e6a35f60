// The network in depth for the map's 3D view, and the reaches of an area or a trace for the printable
// report (server/routes/network-view.ts, data in server/network/view3d.ts and report.ts).
import { Type, type Static } from 'typebox';
import { USAGES } from '../enums.ts';
import { NumberTuple, Nullable, StringEnum, WithDefaults } from './shapes.ts';

/** Reaches (and manholes) in one 3D answer: the largest diameters first. */
export const DEFAULT_3D_LIMIT = 4000;
export const MAX_3D_LIMIT = 10_000;
/** A printed table longer than this is no longer read; the totals still count every reach. */
export const MAX_REPORT_REACHES = 2000;

const NUM = '-?\\d+(\\.\\d+)?';
const Bbox = Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, maxLength: 120, description: 'west,south,east,north in degrees' });
const Level = (description: string) => Nullable(Type.Number({ description }));

export const Network3dQuery = WithDefaults({
  bbox: Bbox,
  limit: Type.Integer({ minimum: 1, maximum: MAX_3D_LIMIT, default: DEFAULT_3D_LIMIT, description: 'most reaches (and manholes) answered; the largest diameters first' }),
}, { additionalProperties: false });
export type Network3dQuery = Static<typeof Network3dQuery>;

export const Reach3d = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  usage: StringEnum(USAGES),
  diameter_mm: Nullable(Type.Integer()),
  grade: Nullable(Type.Integer({ description: 'worse of the CJJ 181 structural and functional grades (1–4); null: no defect graded' })),
  inspected: Type.Boolean({ description: 'whether a CCTV/QV inspection was scored for the reach' }),
  up_invert_m: Level('invert level at the upstream end (m)'),
  down_invert_m: Level('invert level at the downstream end (m)'),
  up_ground_m: Level('ground level of the upstream manhole (m)'),
  down_ground_m: Level('ground level of the downstream manhole (m)'),
  path: Type.Array(NumberTuple(2), { description: 'the reach in plan, [lon, lat] from upstream to downstream' }),
});
export type Reach3d = Static<typeof Reach3d>;

export const Manhole3d = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  ground_m: Level('ground level (m)'),
  depth_m: Level('from the ground to the invert (m): the recorded depth, else ground − invert'),
});
export type Manhole3d = Static<typeof Manhole3d>;

export const Network3d = Type.Object({
  reaches: Type.Array(Reach3d),
  manholes: Type.Array(Manhole3d),
  truncated: Type.Boolean({ description: 'more reaches or manholes lie in the box than the limit' }),
}, { description: 'Reaches and manholes in a box with their levels' });
export type Network3d = Static<typeof Network3d>;

export const ReportQuery = Type.Object({
  bbox: Type.Optional(Bbox),
  ids: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}(,[0-9]{1,9})*$', maxLength: 100_000, description: 'pipe ids (a trace), comma-separated' })),
}, { additionalProperties: false });
export type ReportQuery = Static<typeof ReportQuery>;

export const ReportReach = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  road_name: Nullable(Type.String()),
  usage: StringEnum(USAGES),
  diameter_mm: Nullable(Type.Integer()),
  material: Nullable(Type.String()),
  length_m: Type.Number(),
  sgrade: Nullable(Type.Integer()),
  fgrade: Nullable(Type.Integer()),
  inspected_at: Nullable(Type.String({ description: 'date of the scored inspection' })),
  defects: Type.Array(Type.String(), { description: 'defect codes with their grade, e.g. PL3' }),
});
export type ReportReach = Static<typeof ReportReach>;

export const NetworkReport = Type.Object({
  district: Nullable(Type.String({ description: 'the district the area lies in' })),
  bbox: Nullable(NumberTuple(4, { description: 'extent of the reported reaches' })),
  count: Type.Integer({ description: 'reaches in the area or trace' }),
  length_m: Type.Number(),
  by_grade: Type.Array(Type.Integer(), { description: 'reaches whose worse grade is Ⅰ, Ⅱ, Ⅲ, Ⅳ; then graded none, then not inspected' }),
  reaches: Type.Array(ReportReach, { description: `worst first; at most ${MAX_REPORT_REACHES}` }),
}, { description: 'The condition of the reaches of an area or a trace' });
export type NetworkReport = Static<typeof NetworkReport>;
