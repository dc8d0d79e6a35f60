// What differs from layer to layer when a person edits a feature on the map: the table, the fields as
// they are read back, and how the fields a person gives become column values — the codes checked as a
// ledger's are on import (server/importers/shapes/codes.ts), the codes of other layers found (the reach a
// hazard is on), and what follows from the fields (when a camera's status changed). The transaction, the
// position, the version and the audit are the store's (store.ts), the same for every layer.
import type pg from 'pg';
import { POINT_FACILITY_KINDS, type EditLayer } from '../../common/enums.ts';
import { DEFECT_CODE_INDEX, type Grade } from '../domain/cjj181/tables.ts';
import { BadRequestError, ConflictError, show } from '../http/errors.ts';
import { checkDefectGrade, parseDefectCode, parseDeviceCode } from '../importers/shapes/codes.ts';

export type Tx = Pick<pg.ClientBase, 'query'>;
type Values = Record<string, unknown>;

export interface EditContext {
  /** The feature's fields as they are (a change), or null (a new feature). */
  current: (Values & { point: boolean }) | null;
  /** Where the feature will be (WGS84), when the request gives a position. */
  at: [number, number] | null;
}

export interface EditLayerSpec {
  layer: EditLayer;
  table: string;
  /** The audit log's name for one feature (camera, hazard…). */
  entity: string;
  /** The fields as read back: name → SQL over the table's row `t`. */
  read: Readonly<Record<string, string>>;
  /** Table columns a change may write, with their SQL types. */
  columns: Readonly<Record<string, string>>;
  /** Column values of a new row that the request may leave out (SQL). */
  insertDefaults: Readonly<Record<string, string>>;
  /** The unit grid is derived from the position by the store (cameras); hazards and misconnections have a trigger. */
  gridCode?: boolean;
  /** The area the feature shows on the map (SQL over `t`), for the tiles to drop. */
  extent: string;
  /** The fields a person gave, checked, as column values; throws a BadRequestError naming the field. */
  columnsOf(tx: Tx, fields: Values, ctx: EditContext): Promise<Values>;
  /** Refuses a deletion that would lose what the feature carries (a station's readings). */
  beforeDelete?(tx: Tx, id: number): Promise<void>;
}

const given = (v: Values, k: string) => v[k] !== undefined;

/** The id of the pipe or manhole of this code: the newest import's (codes are unique within one import). */
async function idOf(tx: Tx, table: 'pipes' | 'manholes', code: string, what: string): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(`SELECT id FROM ${table} WHERE code = $1 ORDER BY import_id DESC NULLS LAST LIMIT 1`, [code]);
  if (!rows.length) throw new BadRequestError(`${what} code ${show(code)} is not in the database`);
  return rows[0].id;
}

/** Copies the fields that are plain column values. */
function plain(fields: Values, names: readonly string[]): Values {
  return Object.fromEntries(names.filter((n) => given(fields, n)).map((n) => [n, fields[n]]));
}

const cameras: EditLayerSpec = {
  layer: 'cameras',
  table: 'cameras',
  entity: 'camera',
  read: {
    name: 't.name', code: 'trim(t.code)', kind: 't.kind', azimuth_deg: 't.azimuth_deg', hfov_deg: 't.hfov_deg', range_m: 't.range_m',
    status: 't.status', grid_code: 'trim(t.grid_code)',
  },
  columns: {
    name: 'text', code: 'text', kind: 'text', azimuth_deg: 'real', hfov_deg: 'real', range_m: 'real', status: 'text', status_since: 'timestamptz', grid_code: 'text',
  },
  insertDefaults: { kind: `'gun'`, azimuth_deg: '0', hfov_deg: '60', range_m: '50', status: `'online'` },
  gridCode: true,
  extent: 'ST_Collect(t.geom, t.fov)',
  async columnsOf(_tx, f, { current }) {
    const out = plain(f, ['name', 'kind', 'hfov_deg', 'range_m', 'status']);
    if (given(f, 'code')) {
      const code = parseDeviceCode(f.code, { expect: 'camera' });
      if (!code.ok) throw new BadRequestError(`code: ${code.reason}`);
      out.code = code.value.code;
    }
    if (given(f, 'azimuth_deg')) out.azimuth_deg = Number(f.azimuth_deg) % 360;
    // The online-rate figures count a status from when it began.
    if (given(f, 'status') && current && f.status !== current.status) out.status_since = new Date();
    return out;
  },
};

const facilities: EditLayerSpec = {
  layer: 'facilities',
  table: 'facilities',
  entity: 'facility',
  read: { code: 't.code', name: 't.name', kind: 't.kind' },
  columns: { code: 'text', name: 'text', kind: 'text' },
  insertDefaults: {},
  extent: 't.geom',
  async columnsOf(_tx, f, { current }) {
    const point = current ? current.point : true;
    if (given(f, 'kind')) {
      const pointKind = (POINT_FACILITY_KINDS as readonly unknown[]).includes(f.kind);
      if (point && !pointKind) throw new BadRequestError(`kind: a ${String(f.kind)} is an outline, not a point: import it from a file (lakes and channels)`);
      if (!point && pointKind) throw new BadRequestError(`kind: this facility is an outline (${String(current?.kind)}); a ${String(f.kind)} is a point`);
    }
    return plain(f, ['code', 'name', 'kind']);
  },
};

const sensors: EditLayerSpec = {
  layer: 'sensors',
  table: 'sensor_stations',
  entity: 'sensor_station',
  read: { code: 't.code', name: 't.name', kind: 't.kind' },
  columns: { code: 'text', name: 'text', kind: 'text' },
  insertDefaults: {},
  extent: 't.geom',
  async columnsOf(_tx, f) {
    return plain(f, ['code', 'name', 'kind']);
  },
  async beforeDelete(tx, id) {
    const { rows: [r] } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM datastreams d WHERE d.station_id = $1 AND EXISTS (SELECT 1 FROM observations o WHERE o.datastream_id = d.id)`, [id]);
    if (r.n) throw new ConflictError(`station ${id} has readings (${r.n} quantities measured): deleting it would delete them; it stays`);
  },
};

const hazards: EditLayerSpec = {
  layer: 'hazards',
  table: 'hazards',
  entity: 'hazard',
  read: {
    code: 't.code', grade: 't.grade', description: 't.description',
    pipe_code: '(SELECT p.code FROM pipes p WHERE p.id = t.pipe_id)', grid_code: 'trim(t.grid_code)',
  },
  columns: { code: 'text', grade: 'smallint', description: 'text', pipe_id: 'integer' },
  insertDefaults: { found_at: `(now() AT TIME ZONE 'Asia/Shanghai')::date` },
  extent: 't.geom',
  async columnsOf(tx, f, { current, at }) {
    const out = plain(f, ['description']);
    const defect = given(f, 'code') ? parseDefectCode(f.code) : null;
    if (defect && !defect.ok) throw new BadRequestError(`code: ${defect.reason}`);
    if (defect?.ok) out.code = defect.value.code;
    if (given(f, 'grade')) out.grade = f.grade;
    // A grade the defect has, whichever of the two changes.
    const d = defect?.ok ? defect.value : DEFECT_CODE_INDEX.get(String(current?.code));
    const grade = (out.grade ?? current?.grade) as Grade | undefined;
    const mismatch = d && grade ? checkDefectGrade(d, grade) : null;
    if (mismatch) throw new BadRequestError(`grade: ${mismatch}`);
    if (given(f, 'pipe_code')) out.pipe_id = await idOf(tx, 'pipes', String(f.pipe_code), 'pipe_code: pipe');
    else if (!current && at) {
      // The same nearest reach as a ledger import gives (nearest_pipe in the database).
      const { rows: [near] } = await tx.query<{ id: number | null; m: number }>(
        'SELECT nearest_pipe(ST_SetSRID(ST_MakePoint($1, $2), 4326)) AS id, hazard_near_m() AS m', [at[0], at[1]]);
      if (near.id === null) throw new BadRequestError(`pipe_code: no pipe within ${near.m} m of the hazard; give its pipe code (管段编号)`);
      out.pipe_id = near.id;
    }
    return out;
  },
};

const misconnections: EditLayerSpec = {
  layer: 'misconnections',
  table: 'misconnections',
  entity: 'misconnection',
  read: {
    kind: 't.kind', flow_m3d: 't.flow_m3d', pipe_code: '(SELECT p.code FROM pipes p WHERE p.id = t.pipe_id)',
    manhole_code: '(SELECT m.code FROM manholes m WHERE m.id = t.manhole_id)', grid_code: 'trim(t.grid_code)',
  },
  columns: { kind: 'text', flow_m3d: 'real', pipe_id: 'integer', manhole_id: 'integer' },
  insertDefaults: { found_at: `(now() AT TIME ZONE 'Asia/Shanghai')::date` },
  extent: 't.geom',
  async columnsOf(tx, f) {
    const out = plain(f, ['kind', 'flow_m3d']);
    if (given(f, 'pipe_code')) out.pipe_id = f.pipe_code === null ? null : await idOf(tx, 'pipes', String(f.pipe_code), 'pipe_code: pipe');
    if (given(f, 'manhole_code')) out.manhole_id = f.manhole_code === null ? null : await idOf(tx, 'manholes', String(f.manhole_code), 'manhole_code: manhole');
    return out;
  },
};

export const EDIT_SPECS: Readonly<Record<EditLayer, EditLayerSpec>> = { cameras, facilities, sensors, hazards, misconnections };
