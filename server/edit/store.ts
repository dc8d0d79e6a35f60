// Editing one feature of a layer on the map, each change one transaction: the row locked and its version
// compared with the one the editor saw (the row's xmin, which every write to the row changes, whoever makes
// it: an import, a status feed, another editor), the position checked to lie in the district, the fields
// checked by the layer (layers.ts), the write, the unit grid derived, the audit row with the feature before
// and after, and for a camera the coverage of the grids its old and new field of view reach, measured as
// the coverage analysis measures it (server/cameras/analytics.ts). After the commit the layer's cached
// tiles over the feature are dropped at once, not when the change feed gets round to it, so the map that
// asks again right after the answer sees the change.
import type pg from 'pg';
import type { CoverageChange, EditLayer, EditedFeature, DeletedFeature } from '../../common/api/edit.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { coverageOf, type GridCoverage } from '../cameras/analytics.ts';
import { inTransaction } from '../db/tx.ts';
import { ApiError, BadRequestError, ConflictError, NotFoundError } from '../http/errors.ts';
import { gridAt } from '../importers/layers/grid-codes.ts';
import { OUTSIDE_MARGIN_M } from '../importers/pipeline/stage.ts';
import { EDIT_SPECS, type EditLayerSpec, type Tx } from './layers.ts';

type Values = Record<string, unknown>;
type Bbox = [number, number, number, number];

/** What the store tells when a change is committed: the table and the area it touched. */
export type OnChanged = (table: string, bbox: Bbox | null) => void;

export interface Editor {
  actor: Actor;
  ip: string;
}

/** 428: a change must say which version it was made against. */
export class PreconditionRequiredError extends ApiError {
  constructor(message: string) {
    super(428, 'precondition required', message);
  }
}

interface Row extends Values {
  id: number;
  version: string;
  lon: number;
  lat: number;
  point: boolean;
}

/** A point from the parameters $n (longitude) and $n+1 (latitude). */
const pointAt = (n = 1) => `ST_SetSRID(ST_MakePoint($${n}, $${n + 1}), 4326)`;
const POINT = pointAt(1);

function readSql(spec: EditLayerSpec, lock: boolean): string {
  const fields = Object.entries(spec.read).map(([k, sql]) => `${sql} AS ${k}`).join(', ');
  return `SELECT t.id, t.xmin::text AS version, ST_X(q.p) AS lon, ST_Y(q.p) AS lat, GeometryType(t.geom) = 'POINT' AS point, ${fields}
          FROM ${spec.table} t CROSS JOIN LATERAL (SELECT ST_PointOnSurface(t.geom) AS p) q WHERE t.id = $1 ${lock ? 'FOR UPDATE OF t' : ''}`;
}

async function readRow(tx: Tx, spec: EditLayerSpec, id: number, lock = false): Promise<Row | null> {
  const { rows } = await tx.query<Row>(readSql(spec, lock), [id]);
  return rows[0] ?? null;
}

function feature(spec: EditLayerSpec, r: Row, coverage?: CoverageChange): EditedFeature {
  const { id, version, lon, lat, point, ...properties } = r;
  return { layer: spec.layer, id, version, lon, lat, point, properties, ...(coverage ? { coverage } : {}) };
}

/** The record of the audit log: the fields and where the feature is. */
const auditView = (r: Row) => { const { version: _v, ...rest } = r; return rest; };

async function extent(tx: Tx, spec: EditLayerSpec, id: number): Promise<Bbox | null> {
  const { rows: [e] } = await tx.query<{ w: number | null; s: number; e: number; n: number }>(
    `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(${spec.extent}) AS x FROM ${spec.table} t WHERE t.id = $1) b`, [id]);
  return e.w === null ? null : [e.w, e.s, e.e, e.n];
}

const union = (a: Bbox | null, b: Bbox | null): Bbox | null =>
  (!a ? b : !b ? a : [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);

/**
 * The position must lie in the district (when one is loaded), or as little outside it as an imported
 * feature may (networks and ledgers reach a little past the outline; the editor moves what was imported).
 */
async function checkInDistrict(tx: Tx, [lon, lat]: [number, number]): Promise<void> {
  const { rows } = await tx.query<{ m: number }>(
    `WITH d AS (SELECT ST_Union(geom) AS g FROM districts HAVING count(*) > 0)
     SELECT round(ST_Distance(${POINT}::geography, d.g::geography))::float8 AS m FROM d
     WHERE NOT ST_Intersects(d.g, ${POINT}) AND NOT ST_DWithin(${POINT}::geography, d.g::geography, $3)`, [lon, lat, OUTSIDE_MARGIN_M]);
  if (rows.length) throw new BadRequestError(`position ${lon}, ${lat} is outside the district: ${rows[0].m} m from its boundary (at most ${OUTSIDE_MARGIN_M} m)`);
}

/** Grids a new camera's field of view will reach: its view from the values given, the table's defaults for the others. */
async function gridsToBeSeen(tx: Tx, spec: EditLayerSpec, at: [number, number], cols: Values): Promise<string[]> {
  const view = ['azimuth_deg', 'hfov_deg', 'range_m'].map((k, i) => `coalesce($${i + 3}::real, ${spec.insertDefaults[k]})`);
  const { rows } = await tx.query<{ code: string }>(
    `SELECT g.code::text AS code FROM grids g, (SELECT onemap_fov(${POINT}, ${view.join(', ')}) AS f) x WHERE g.geom && x.f AND ST_Intersects(g.geom, x.f)`,
    [...at, cols.azimuth_deg ?? null, cols.hfov_deg ?? null, cols.range_m ?? null]);
  return rows.map((r) => r.code);
}

/** Grids a camera's field of view reaches now. */
async function gridsSeen(tx: Tx, id: number): Promise<string[]> {
  const { rows } = await tx.query<{ code: string }>(
    `SELECT g.code::text AS code FROM cameras c JOIN grids g ON g.geom && c.fov AND ST_Intersects(g.geom, c.fov) WHERE c.id = $1`, [id]);
  return rows.map((r) => r.code);
}

function coverageChange(before: GridCoverage[], after: GridCoverage[]): CoverageChange {
  const was = new Map(before.map((g) => [g.code, g]));
  return {
    grids: after.map((g) => ({
      code: g.code, before_m2: was.get(g.code)?.covered_m2 ?? 0, after_m2: g.covered_m2, share_before: was.get(g.code)?.share ?? 0, share_after: g.share,
    })),
  };
}

/** A code another feature of the layer already has: a 409 that names it. */
function uniqueViolation(err: unknown, spec: EditLayerSpec, fields: Values): never {
  if ((err as { code?: string }).code === '23505') throw new ConflictError(`another ${spec.entity} already has the code ${JSON.stringify(fields.code ?? '')}`);
  throw err;
}

/** The version an If-Match header names: "123", W/"123" or 123. */
function versionOf(ifMatch: string | undefined): string {
  const v = ifMatch?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!v) throw new PreconditionRequiredError('send the feature\'s version in If-Match (its ETag, from reading or the last change), so that another editor\'s change is not overwritten');
  return v;
}

function columnsSql(spec: EditLayerSpec, cols: Values, first: number): { names: string[]; params: string[]; values: unknown[] } {
  const names = Object.keys(cols).filter((k) => spec.columns[k]);
  return { names, params: names.map((k, i) => `$${first + i}::${spec.columns[k]}`), values: names.map((k) => cols[k]) };
}

export class FeatureEditor {
  constructor(private readonly pool: pg.Pool, private readonly onChanged: OnChanged) {}

  async get(layer: EditLayer, id: number): Promise<EditedFeature> {
    const spec = EDIT_SPECS[layer];
    const r = await readRow(this.pool, spec, id);
    if (!r) throw notFound(spec, id);
    return feature(spec, r);
  }

  async create(layer: EditLayer, at: [number, number], fields: Values, by: Editor): Promise<EditedFeature> {
    const spec = EDIT_SPECS[layer];
    const out = await inTransaction(this.pool, async (tx) => {
      await checkInDistrict(tx, at);
      const cols = await spec.columnsOf(tx, fields, { current: null, at });
      if (spec.gridCode) cols.grid_code = await gridCodeAt(tx, at);
      const coverageBefore = layer === 'cameras' ? await coverageOf(tx, await gridsToBeSeen(tx, spec, at, cols)) : [];
      const c = columnsSql(spec, cols, 3);
      const defaults = Object.entries(spec.insertDefaults).filter(([k]) => !(k in cols));
      const id = await tx.query<{ id: number }>(
        `INSERT INTO ${spec.table} (${[...c.names, ...defaults.map(([k]) => k), 'synthetic', 'geom'].join(', ')})
         VALUES (${[...c.params, ...defaults.map(([, v]) => v), 'false', POINT].join(', ')}) RETURNING id`, [...at, ...c.values],
      ).then((r) => r.rows[0].id, (err) => uniqueViolation(err, spec, fields));
      const after = (await readRow(tx, spec, id))!;
      const coverage = layer === 'cameras' ? coverageChange(coverageBefore, await coverageOf(tx, await gridsSeen(tx, id))) : undefined;
      await audit(tx, by.actor, by, { action: `${spec.entity}.create`, entity: spec.entity, entity_id: id, after: auditView(after) });
      return { feature: feature(spec, after, coverage), bbox: await extent(tx, spec, id) };
    });
    this.onChanged(spec.table, out.bbox);
    return out.feature;
  }

  async update(layer: EditLayer, id: number, ifMatch: string | undefined, at: [number, number] | null, fields: Values, by: Editor): Promise<EditedFeature> {
    const spec = EDIT_SPECS[layer];
    const version = versionOf(ifMatch);
    const out = await inTransaction(this.pool, async (tx) => {
      const before = await lockedAt(tx, spec, id, version);
      if (at && !before.point) throw new BadRequestError(`${spec.entity} ${id} is an outline, not a point: move it by importing its file again`);
      if (at) await checkInDistrict(tx, at);
      const cols = await spec.columnsOf(tx, fields, { current: before, at });
      if (spec.gridCode && at) cols.grid_code = await gridCodeAt(tx, at);
      const bboxBefore = await extent(tx, spec, id);
      const seenBefore = layer === 'cameras' ? await gridsSeen(tx, id) : [];
      const coverageBefore = layer === 'cameras' ? await coverageOf(tx, seenBefore) : [];
      const head: unknown[] = [id, ...(at ?? [])];
      const c = columnsSql(spec, cols, head.length + 1);
      const sets = [...c.names.map((k, i) => `${k} = ${c.params[i]}`), 'synthetic = false', ...(at ? [`geom = ${pointAt(2)}`] : [])];
      await tx.query(`UPDATE ${spec.table} SET ${sets.join(', ')} WHERE id = $1`, [...head, ...c.values])
        .catch((err) => uniqueViolation(err, spec, fields));
      const after = (await readRow(tx, spec, id))!;
      let coverage: CoverageChange | undefined;
      if (layer === 'cameras') {
        const grids = [...new Set([...seenBefore, ...await gridsSeen(tx, id)])];
        coverage = coverageChange(coverageBefore, await coverageOf(tx, grids));
      }
      await audit(tx, by.actor, by, { action: `${spec.entity}.update`, entity: spec.entity, entity_id: id, before: auditView(before), after: auditView(after) });
      return { feature: feature(spec, after, coverage), bbox: union(bboxBefore, await extent(tx, spec, id)) };
    });
    this.onChanged(spec.table, out.bbox);
    return out.feature;
  }

  async remove(layer: EditLayer, id: number, ifMatch: string | undefined, by: Editor): Promise<DeletedFeature> {
    const spec = EDIT_SPECS[layer];
    const version = versionOf(ifMatch);
    const out = await inTransaction(this.pool, async (tx) => {
      const before = await lockedAt(tx, spec, id, version);
      await spec.beforeDelete?.(tx, id);
      const bbox = await extent(tx, spec, id);
      const seen = layer === 'cameras' ? await gridsSeen(tx, id) : [];
      const coverageBefore = layer === 'cameras' ? await coverageOf(tx, seen) : [];
      await tx.query(`DELETE FROM ${spec.table} WHERE id = $1`, [id]);
      const coverage = layer === 'cameras' ? coverageChange(coverageBefore, await coverageOf(tx, seen)) : undefined;
      await audit(tx, by.actor, by, { action: `${spec.entity}.delete`, entity: spec.entity, entity_id: id, before: auditView(before) });
      return { deleted: { layer, id, deleted: true as const, ...(coverage ? { coverage } : {}) }, bbox };
    });
    this.onChanged(spec.table, out.bbox);
    return out.deleted;
  }
}

const notFound = (spec: EditLayerSpec, id: number) => new NotFoundError(`no ${spec.entity} ${id}`);

/** The row, locked for the change, if it is still at the version the editor saw; 409 if someone changed it meanwhile. */
async function lockedAt(tx: Tx, spec: EditLayerSpec, id: number, version: string): Promise<Row> {
  const r = await readRow(tx, spec, id, true);
  if (!r) throw notFound(spec, id);
  if (r.version !== version) {
    throw new ConflictError(`${spec.entity} ${id} was changed since version ${version} (it is at version ${r.version} now): read it again and make the change on what it is now`);
  }
  return r;
}

async function gridCodeAt(tx: Tx, [lon, lat]: [number, number]): Promise<string | null> {
  const { rows: [r] } = await tx.query<{ code: string | null }>(`SELECT ${gridAt(POINT)}::text AS code`, [lon, lat]);
  return r.code;
}
