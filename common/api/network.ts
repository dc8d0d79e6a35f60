// Planners' network tools (server/routes/network.ts): the longitudinal profile of a path along the flow
// and the network design checks.
import { Type, type Static } from 'typebox';
import { CHECK_CODES, SEVERITIES } from '../../server/domain/network/checks.ts';
import { Dict, Nullable, StringEnum } from './shapes.ts';

/** Findings listed in one answer; counts are always complete. */
export const MAX_FINDINGS = 2000;
/** Longest path a profile draws (reaches); a chart of more is unreadable and the query unbounded. */
export const MAX_PROFILE_REACHES = 1000;

export { CHECK_CODES, SEVERITIES };
export type { CheckCode, Severity } from '../../server/domain/network/checks.ts';

export const ProfileQuery = Type.Object({
  from: Type.String({ pattern: '^(manhole|pipe):[0-9]{1,9}$', description: 'Where the path starts: manhole:<id>, or pipe:<id> (its upstream manhole)' }),
  to: Type.Optional(Type.String({ pattern: '^manhole:[0-9]{1,9}$', description: 'Where it ends, downstream of from; without it, the flow is followed to its end' })),
}, { additionalProperties: false });
export type ProfileQuery = Static<typeof ProfileQuery>;

const Level = (description: string) => Nullable(Type.Number({ description }));
const Ref = Type.Object({ id: Type.Integer(), code: Type.String() });

export const ProfileStation = Type.Object({
  manhole: Type.Object({ id: Type.Integer(), code: Type.String(), kind: Type.String() }),
  chainage_m: Type.Number({ description: 'Metres along the path from its first manhole' }),
  ground_m: Level('Ground (cover) level, m'),
  invert_m: Level('The manhole\'s bottom: surveyed invert, or ground − depth'),
  crown_m: Level('Highest crown of the path\'s reaches at this manhole'),
  depth_m: Level('Manhole depth, m'),
  water_m: Level('Water surface a level sensor in the manhole reports (invert + water depth)'),
  diameter_mm: Nullable(Type.Integer({ description: 'Diameter of the reach leaving the station (null at the last)' })),
  slope: Nullable(Type.Number({ description: 'Slope of the reach leaving the station, fall per metre (0.003 = 3‰; negative: 倒坡)' })),
});
export type ProfileStation = Static<typeof ProfileStation>;

export const ProfileReach = Type.Object({
  id: Type.Integer(), code: Type.String(), usage: Type.String(), length_m: Type.Number(), diameter_mm: Nullable(Type.Integer()),
  from_chainage_m: Type.Number(), to_chainage_m: Type.Number(),
  up_invert_m: Level('Invert at the upstream end'), down_invert_m: Level('Invert at the downstream end'),
  up_crown_m: Level('Crown (invert + diameter) upstream'), down_crown_m: Level('Crown downstream'),
  slope: Nullable(Type.Number()),
  sgrade: Nullable(Type.Integer({ description: 'CJJ 181 structural grade 1–4' })), fgrade: Nullable(Type.Integer({ description: 'CJJ 181 functional grade 1–4' })),
});
export type ProfileReach = Static<typeof ProfileReach>;

export const ProfileMark = Type.Object({
  kind: StringEnum(['defect', 'hazard']), id: Type.Integer(), pipe_id: Type.Integer(), code: Type.String({ description: 'CJJ 181 defect code' }),
  grade: Type.Integer(), chainage_m: Type.Number(), status: Nullable(Type.String({ description: 'A hazard\'s remediation status' })),
});
export type ProfileMark = Static<typeof ProfileMark>;

export const Profile = Type.Object({
  from: Ref, to: Ref,
  length_m: Type.Number(),
  splits: Type.Integer({ description: 'Splits where the path followed the first branch (without to)' }),
  stations: Type.Array(ProfileStation, { description: 'The path\'s manholes in the order of flow' }),
  reaches: Type.Array(ProfileReach, { description: 'reaches[i] runs from stations[i] to stations[i + 1]' }),
  marks: Type.Array(ProfileMark, { description: 'Defects (latest inspection) and hazards at their chainage' }),
  timing_ms: Type.Object({ path: Type.Number(), read: Type.Number() }),
}, { description: `A longitudinal profile (纵断面) of at most ${MAX_PROFILE_REACHES} reaches` });
export type Profile = Static<typeof Profile>;

const NUM = '-?\\d+(\\.\\d+)?';
const list = (values: readonly string[]) => `^(${values.join('|')})(,(${values.join('|')}))*$`;

export const ChecksQuery = Type.Object({
  bbox: Type.Optional(Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, maxLength: 120, description: 'An area: west,south,east,north in degrees' })),
  import: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The reaches and manholes of one network import' })),
  codes: Type.Optional(Type.String({ pattern: list(CHECK_CODES), maxLength: 400, description: `Only these checks: ${CHECK_CODES.join(', ')}` })),
  severity: Type.Optional(Type.String({ pattern: list(SEVERITIES), maxLength: 40, description: 'Only these severities' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FINDINGS, description: `Findings listed (default and most ${MAX_FINDINGS})` })),
}, { additionalProperties: false });
export type ChecksQuery = Static<typeof ChecksQuery>;

export const Finding = Type.Object({
  code: StringEnum(CHECK_CODES),
  severity: StringEnum(SEVERITIES),
  pipe: Nullable(Type.Object({ id: Type.Integer(), code: Type.String() })),
  manhole: Nullable(Type.Object({ id: Type.Integer(), code: Type.String() })),
  values: Dict(Type.Unsafe<number | string | null>({ type: ['number', 'string', 'null'] }), { description: 'The figures of the reason (levels m, diameters mm, the other reach\'s code)' }),
  lon: Type.Number(), lat: Type.Number(),
});
export type Finding = Static<typeof Finding>;

export const CheckCounts = Dict(Type.Integer(), { description: 'Findings per check code in scope (before the codes/severity filter)' });

export const ChecksResult = Type.Object({
  total: Type.Integer({ description: 'All findings in scope' }),
  counts: CheckCounts,
  findings: Type.Array(Finding, { description: 'Errors first; the filter applied' }),
  truncated: Type.Boolean(),
  timing_ms: Type.Number(),
}, { description: 'What the design checks found' });
export type ChecksResult = Static<typeof ChecksResult>;
