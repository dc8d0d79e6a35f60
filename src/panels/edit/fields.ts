// The edit form of each layer: the fields a person edits, in the order the form shows them, with the
// coded values the server accepts (common/enums.ts). Statuses of hazards and misconnections are not here:
// they follow their own workflow.
import {
  CAMERA_KINDS, CAMERA_STATUSES, MISCONNECTION_KINDS, POINT_FACILITY_KINDS, SENSOR_KINDS, type EditLayer,
} from '../../../common/enums.ts';
import { FUNCTIONAL_DEFECTS, STRUCTURAL_DEFECTS } from '../analysis/defects.ts';

export interface FieldSpec {
  name: string;
  type: 'text' | 'number' | 'select';
  /** The coded values of a select. */
  options?: readonly (string | number)[];
  required?: boolean;
  /** Empty text is sent as null (a reach or manhole cleared) instead of left out. */
  nullable?: boolean;
  min?: number;
  max?: number;
  step?: number;
}

export const EDIT_FIELDS: Readonly<Record<EditLayer, readonly FieldSpec[]>> = {
  cameras: [
    { name: 'name', type: 'text', required: true },
    { name: 'code', type: 'text', required: true },
    { name: 'kind', type: 'select', options: CAMERA_KINDS },
    { name: 'azimuth_deg', type: 'number', min: 0, max: 359.9, step: 1 },
    { name: 'hfov_deg', type: 'number', min: 1, max: 360, step: 1 },
    { name: 'range_m', type: 'number', min: 1, max: 5000, step: 1 },
    { name: 'status', type: 'select', options: CAMERA_STATUSES },
  ],
  facilities: [
    { name: 'code', type: 'text', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'kind', type: 'select', options: POINT_FACILITY_KINDS, required: true },
  ],
  sensors: [
    { name: 'code', type: 'text', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'kind', type: 'select', options: SENSOR_KINDS, required: true },
  ],
  hazards: [
    { name: 'code', type: 'select', options: [...STRUCTURAL_DEFECTS, ...FUNCTIONAL_DEFECTS], required: true },
    { name: 'grade', type: 'select', options: [1, 2, 3, 4], required: true },
    { name: 'description', type: 'text', nullable: true },
    { name: 'pipe_code', type: 'text' },
  ],
  misconnections: [
    { name: 'kind', type: 'select', options: MISCONNECTION_KINDS, required: true },
    { name: 'flow_m3d', type: 'number', min: 0, max: 1e6, step: 0.1, nullable: true },
    { name: 'pipe_code', type: 'text', nullable: true },
    { name: 'manhole_code', type: 'text', nullable: true },
  ],
};

/** What a new feature's form starts with. */
export const NEW_VALUES: Readonly<Record<EditLayer, Record<string, string | number>>> = {
  cameras: { name: '', code: '', kind: 'gun', azimuth_deg: 0, hfov_deg: 60, range_m: 50, status: 'online' },
  facilities: { code: '', name: '', kind: 'pumping_station' },
  sensors: { code: '', name: '', kind: 'ponding' },
  hazards: { code: 'PL', grade: 2, description: '', pipe_code: '' },
  misconnections: { kind: 'sanitary_to_storm', flow_m3d: '', pipe_code: '', manhole_code: '' },
};

export type FormValues = Record<string, string | number | null>;

/**
 * The request body's fields from the form: numbers as numbers, empty text left out (a new feature's
 * default, an unchanged field) or sent as null where the field may be cleared; for a change, only the
 * fields that differ from the feature's.
 */
export function bodyFields(layer: EditLayer, form: FormValues, was: FormValues | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of EDIT_FIELDS[layer]) {
    const raw = form[f.name];
    const empty = raw === null || raw === undefined || String(raw).trim() === '';
    let v: unknown;
    if (empty) {
      if (!f.nullable || !was) continue;
      v = null;
    } else v = f.type === 'number' || typeof f.options?.[0] === 'number' ? Number(raw) : String(raw).trim();
    const before = was?.[f.name];
    if (was && (v === before || (v === null && (before === null || before === undefined || before === '')))) continue;
    out[f.name] = v;
  }
  return out;
}
