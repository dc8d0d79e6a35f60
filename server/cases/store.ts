// Cases in the database: reporting (with the grid, community and street of the position and the cameras
// that see it), one workflow step at a time (the rules are server/domain/cases/workflow.ts; this file
// reads the case, asks the rules, writes the result, its transition and the audit record in one
// transaction), a case with its history, and lists filtered by status, unit, period and deadline.
import type pg from 'pg';
import type { CaseCamera, CaseEvaluation, CaseItemRef, CaseSupplement, CaseSource, CaseTransition, StepAction } from '../../common/api/cases.ts';
import { audit, type Actor as AuditActor } from '../auth/audit.ts';
import { applyAction, actionsFor, availableActions, isOverdue, STATUSES, type Action, type Actor, type CaseState, type Status } from '../domain/cases/workflow.ts';
import { seesPoint } from '../domain/fov.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors.ts';
import type { EvaluationLevel } from '../../common/api/open311.ts';
import { caseNotFound, inGridsSql, mayReadCase, outsideGrids, readerDepartment, readerGrids } from './access.ts';
import { GRID_AT_SQL } from '../features/spatial.ts';
import { checkStorableText } from '../http/text.ts';
import { attachPhotos } from './media.ts';
import { inTransaction } from '../db/tx.ts';
import { advanceOnCaseClosed } from '../drainage/remediation-steps.ts';
import { readOnStandby } from '../db/replica.ts';

export interface NewCase {
  item_code: string;
  lon: number;
  lat: number;
  description?: string;
  address?: string;
  photos?: string[];
  /** The client's id for this submission: sent again after a lost connection, the case is made once. */
  client_id?: string;
  source: CaseSource;
  reporter: string;
  reporter_user_id?: number | null;
  reporter_contact?: Record<string, string> | null;
  reporter_secret_hash?: Buffer | null;
  /** The reporter agreed that the description and photo be public (Open311 x_publish). */
  publish?: boolean;
}

export const CASE_COLUMNS = `c.id, c.case_no, c.class_code, c.item_code, c.source, c.status, c.description, c.address, c.reported_at,
  c.dispatched_at, c.deadline_at, c.closed_at, c.handled_at, c.rework_count, c.suspended_from, c.suspended_at, c.grid_code, c.community_code,
  c.street_code, c.reporter, c.photos::text[] AS photos, c.publish, c.camera_ids, c.client_id, c.synthetic, c.updated_at,
  ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.department_code,
  (SELECT d.name_zh FROM departments d WHERE d.code = c.department_code) AS department_zh,
  array(SELECT t.actor FROM case_transitions t WHERE t.case_id = c.id AND t.to_status = 'handled') AS handled_by`;

export interface CaseRow {
  id: string; case_no: string; class_code: string; item_code: string; source: CaseSource; status: Status; description: string | null;
  address: string | null; reported_at: Date; dispatched_at: Date | null; deadline_at: Date | null; closed_at: Date | null;
  handled_at: Date | null; rework_count: number; suspended_from: Status | null; suspended_at: Date | null; grid_code: string | null;
  community_code: string | null; street_code: string | null; reporter: string | null; photos: string[]; publish: boolean; camera_ids: number[];
  client_id: string | null; synthetic: boolean; updated_at: Date; lon: number; lat: number;
  department_code: string | null; department_zh: string | null; handled_by: string[];
}

const stateOf = (r: CaseRow, deadlineHours: number | null): CaseState => ({
  status: r.status, grid_code: r.grid_code?.trim() ?? null, dispatched_at: r.dispatched_at, deadline_at: r.deadline_at,
  closed_at: r.closed_at, deadline_hours: deadlineHours, suspended_at: r.suspended_at, suspended_from: r.suspended_from,
  department_code: r.department_code, handled_by: r.handled_by,
});

/** A case as the API gives it: the row, plus overdue flags and what this actor may do next. */
export function caseView(r: CaseRow, actor: Actor | null, now = new Date()) {
  const state = stateOf(r, null);
  const late = isOverdue(state, now);
  // Who handled it is for the separation rule, not for the view.
  const { handled_by: _, ...row } = r;
  return {
    ...row,
    id: Number(r.id),
    grid_code: r.grid_code?.trim() ?? null,
    community_code: r.community_code?.trim() ?? null,
    street_code: r.street_code?.trim() ?? null,
    photos: r.photos.map((id) => `/api/media/${id}`),
    overdue: late.overdue,
    closed_late: late.closedLate,
    hours_late: late.hoursLate,
    // An existing case has a status, from which 'report' (which creates one) is never possible.
    actions: actor ? actionsFor(actor, state).filter((a): a is StepAction => a !== 'report') : [],
  };
}

/** A case as the API gives it (dates are Date objects here; the JSON carries them as ISO strings). */
export type CaseView = ReturnType<typeof caseView>;

export type Tx = pg.PoolClient;



/** The cameras whose field of view covers a point: candidates within the longest range, then the sector test. */
async function camerasSeeing(tx: Tx, lon: number, lat: number): Promise<number[]> {
  const { rows } = await tx.query<{ id: number; lon: number; lat: number; azimuth_deg: number; hfov_deg: number; range_m: number }>(
    `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, azimuth_deg, hfov_deg, range_m FROM cameras
     WHERE status <> 'damaged' AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, range_m)
       AND geom && ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.003)`, [lon, lat]);
  return rows.filter((c) => seesPoint(c, lon, lat)).map((c) => c.id);
}

/**
 * The case an earlier send of this submission made (same client_id). Only the same reporter gets it back:
 * someone else's client_id answers as a bad request, never with their case (another grid's, perhaps).
 */
async function earlierSubmission(db: Pick<Tx, 'query'>, input: NewCase): Promise<CaseRow | null> {
  const { rows: [existing] } = await db.query<CaseRow & { reporter_user_id: number | null; secret: Buffer | null }>(
    `SELECT ${CASE_COLUMNS}, c.reporter_user_id, c.reporter_secret_hash AS secret FROM cases c WHERE c.client_id = $1`, [input.client_id]);
  if (!existing) return null;
  // Citizens have no account: their token (its hash) is what makes the earlier report theirs.
  const sameSecret = !existing.secret || (input.reporter_secret_hash?.equals(existing.secret) ?? false);
  if (existing.reporter_user_id !== (input.reporter_user_id ?? null) || !sameSecret) {
    throw new BadRequestError('client_id is already taken by another report; send a new one (a fresh UUID per submission)');
  }
  const { secret: _secret, ...row } = existing;
  return row;
}

export async function reportCase(pool: pg.Pool, input: NewCase, actor: Actor, auditActor: AuditActor, ip: string | null): Promise<{ case: ReturnType<typeof caseView>; created: boolean }> {
  try {
    return await inTransaction(pool, (tx) => insertReport(tx, input, actor, auditActor, ip));
  } catch (err) {
    // The same queued report sent twice at once: the other request made the case; this one returns it.
    if ((err as { constraint?: string }).constraint === 'cases_client_id_key' && input.client_id) {
      const existing = await earlierSubmission(pool, input);
      if (existing) return { case: caseView(existing, actor), created: false };
    }
    throw err;
  }
}

/** A report inside the caller's transaction (an alarm that opens a case commits with the alarm). */
export async function insertReport(tx: Tx, input: NewCase, actor: Actor, auditActor: AuditActor, ip: string | null): Promise<{ case: ReturnType<typeof caseView>; created: boolean }> {
  {
    checkStorableText({ description: input.description, address: input.address, reporter: input.reporter, contact: input.reporter_contact });
    if (input.client_id) {
      // Same client id again (a retried offline submission): the case it already made.
      const existing = await earlierSubmission(tx, input);
      if (existing) return { case: caseView(existing, actor), created: false };
    }
    const { rows: [item] } = await tx.query<{ class_code: string }>(
      'SELECT s.class_code FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code WHERE i.code = $1', [input.item_code]);
    if (!item) throw new BadRequestError(`unknown case item ${JSON.stringify(input.item_code.slice(0, 20))}; see GET /api/cases/catalogue`);
    const { rows: [grid] } = await tx.query<{ code: string; community_code: string; street_code: string }>({ name: 'grid_at', text: GRID_AT_SQL, values: [input.lon, input.lat] });
    if (!grid) throw new BadRequestError(`the position ${input.lon.toFixed(6)}, ${input.lat.toFixed(6)} is not in any unit grid of the district`);
    const now = new Date();
    const result = applyAction({ status: null, grid_code: grid.code, dispatched_at: null, deadline_at: null }, 'report', actor, { at: now, photos: input.photos ?? [] });
    const cameraIds = await camerasSeeing(tx, input.lon, input.lat);
    // One statement: the case and its first transition.
    const t = result.transition;
    const { rows: [row] } = await tx.query<CaseRow>(
      `WITH n AS (SELECT nextval(pg_get_serial_sequence('cases', 'id')) AS id),
       c AS (
       INSERT INTO cases AS c (id, case_no, class_code, item_code, source, status, description, address, reported_at, grid_code, community_code,
                          street_code, reporter, reporter_user_id, reporter_contact, reporter_secret_hash, photos, client_id, camera_ids, updated_at, geom, publish)
       SELECT n.id, 'WC' || to_char($7::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(n.id::text, 7, '0'), $1, $2, $3, $4, $5, $6, $7,
              $8, $9, $10, $11, $12, $13, $14, $15::uuid[], $16, $17, $7, ST_SetSRID(ST_MakePoint($18, $19), 4326), $26
       FROM n RETURNING ${CASE_COLUMNS}),
       tr AS (INSERT INTO case_transitions (case_id, from_status, to_status, actor, at, note, photos) SELECT c.id, $20, $21, $22, $23, $24, $25 FROM c)
       SELECT * FROM c`,
      [item.class_code, input.item_code, input.source, result.status, input.description ?? null, input.address ?? null, now,
        grid.code, grid.community_code, grid.street_code, input.reporter, input.reporter_user_id ?? null,
        input.reporter_contact ? JSON.stringify(input.reporter_contact) : null, input.reporter_secret_hash ?? null,
        input.photos ?? [], input.client_id ?? null, cameraIds, input.lon, input.lat,
        t.from_status, t.to_status, t.actor, t.at, t.note, t.photos, input.publish ?? false]);
    // A citizen's report takes only anonymous uploads: no account's photo can be made public through one.
    await attachPhotos(tx, row.id, input.photos ?? [], { anonymousOnly: input.source === 'citizen' });
    await audit(tx, auditActor, null, { action: 'case.report', entity: 'case', entity_id: row.id, after: { ...caseView(row, null), ip } });
    return { case: caseView(row, actor), created: true };
  }
}

/** A dispatch goes to a department that exists and is active (the domain has checked that one is named). */
async function checkDispatchTarget(tx: Tx, code: string): Promise<void> {
  const { rows: [d] } = await tx.query<{ active: boolean }>('SELECT active FROM departments WHERE code = $1', [code]);
  if (!d) throw new BadRequestError(`unknown department ${JSON.stringify(code.slice(0, 40))}; see GET /api/departments`);
  if (!d.active) throw new BadRequestError(`department ${code} is inactive; dispatch to another (GET /api/cases/{id}/dispatch-suggestions)`);
}

/** The dispatch history 准确派遣率 reads: a row per (re)dispatch; a return (回退) marks the department's row. */
async function recordDispatch(tx: Tx, caseId: number, action: Action, actor: string, at: Date, department: string | undefined): Promise<void> {
  if (department) {
    await tx.query('INSERT INTO case_dispatches (case_id, department_code, at, actor) VALUES ($1, $2, $3, $4)', [caseId, department, at, actor]);
  } else if (action === 'return') {
    await tx.query(`UPDATE case_dispatches SET returned_at = $2 WHERE id = (SELECT max(id) FROM case_dispatches WHERE case_id = $1)`, [caseId, at]);
  }
}

async function insertTransition(tx: Tx, caseId: number, t: { from_status: Status | null; to_status: Status; actor: string; at: Date; note: string | null; photos: string[] }) {
  await tx.query('INSERT INTO case_transitions (case_id, from_status, to_status, actor, at, note, photos) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [caseId, t.from_status, t.to_status, t.actor, t.at, t.note, t.photos]);
}

export interface StepInput { note?: string; reason?: string; photos?: string[]; department_code?: string }

export async function actOnCase(pool: pg.Pool, id: number, action: Action, actor: Actor, auditActor: AuditActor, input: StepInput, ip: string | null) {
  checkStorableText({ note: input.note, reason: input.reason });
  return inTransaction(pool, async (tx) => {
    const { rows: [row] } = await tx.query<CaseRow & { deadline_hours: number }>(
      `SELECT ${CASE_COLUMNS}, i.deadline_hours FROM cases c JOIN case_items i ON i.code = c.item_code WHERE c.id = $1 FOR UPDATE OF c`, [id]);
    // Before the role and status checks: a case outside a field worker's grids is not there for them.
    if (!row || !mayReadCase(actor, row.grid_code, row.department_code)) throw caseNotFound(id);
    await attachPhotos(tx, id, input.photos ?? []);
    const { department_code: department, ...stepInput } = input;
    const result = applyAction(stateOf(row, row.deadline_hours), action, actor, { ...stepInput, department, at: new Date() });
    const p = result.patch;
    if (p.department_code) await checkDispatchTarget(tx, p.department_code);
    const { rows: [after] } = await tx.query<CaseRow>(
      `UPDATE cases c SET status = $2, updated_at = $3,
              dispatched_at = coalesce($4, dispatched_at), deadline_at = coalesce($5, deadline_at), closed_at = coalesce($6, closed_at),
              suspended_from = CASE WHEN $2 = 'suspended' THEN $7 WHEN $8 = 'resume' THEN NULL ELSE suspended_from END,
              suspended_at = CASE WHEN $2 = 'suspended' THEN $3 WHEN $8 = 'resume' THEN NULL ELSE suspended_at END,
              handled_at = CASE WHEN $2 = 'handled' THEN coalesce(handled_at, $3) ELSE handled_at END,
              rework_count = rework_count + CASE WHEN $8 = 'rework' THEN 1 ELSE 0 END,
              department_code = coalesce($9, department_code)
       WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
      [id, result.status, p.updated_at, p.dispatched_at ?? null, p.deadline_at ?? null, p.closed_at ?? null, row.status, action, p.department_code ?? null]);
    await insertTransition(tx, id, result.transition);
    await recordDispatch(tx, id, action, result.transition.actor, result.transition.at, p.department_code);
    // A case raised from a hazard or misconnection fixes it when closed (same transaction).
    if (result.status === 'closed') await advanceOnCaseClosed(tx, Number(id), actor.id, auditActor);
    const { deadline_hours: _, ...before } = row;
    await audit(tx, auditActor, null, { action: `case.${action}`, entity: 'case', entity_id: id, before: caseView(before, null), after: { ...caseView(after, null), ip } });
    return caseView(after, actor);
  });
}

/** A timestamp in JSON as the API writes Dates (toISOString: UTC, milliseconds). */
const isoUtc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A case with its item, history, evaluation and the cameras that see it; null when absent or not the actor's
 * to see. One statement: under load a detail used to wait for a pooled connection twice (the case, then four
 * queries at once holding four connections); now it waits once and holds one.
 */
export async function getCase(pool: pg.Pool, id: number, actor: Actor | null) {
  return readOnStandby(pool, async () => {
    // The JSON built in SQL arrives parsed: timestamps as the ISO strings isoUtc writes.
    const { rows: [row] } = await pool.query<CaseRow & { item: CaseItemRef | null; transitions: CaseTransition[]; evaluation: CaseEvaluation | null; cameras: CaseCamera[]; supplements: CaseSupplement[] }>(
      `SELECT ${CASE_COLUMNS},
         (SELECT json_build_object('code', i.code, 'name_zh', i.name_zh, 'name_en', i.name_en, 'urgency', i.urgency, 'deadline_hours', i.deadline_hours,
                                   'subclass_code', s.code, 'subclass_zh', s.name_zh, 'subclass_en', s.name_en)
            FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code WHERE i.code = c.item_code) AS item,
         coalesce((SELECT json_agg(json_build_object('from_status', t.from_status, 'to_status', t.to_status, 'actor', t.actor, 'at', ${isoUtc('t.at')},
                                                     'note', t.note, 'photos', array(SELECT '/api/media/' || p FROM unnest(t.photos) p)) ORDER BY t.at, t.id)
                     FROM case_transitions t WHERE t.case_id = c.id), '[]') AS transitions,
         (SELECT json_build_object('satisfied', e.satisfied, 'comment', e.comment, 'at', ${isoUtc('e.at')}, 'level', e.level) FROM case_evaluations e WHERE e.case_id = c.id) AS evaluation,
         coalesce((SELECT json_agg(json_build_object('description', u.description, 'photos', array(SELECT '/api/media/' || p FROM unnest(u.photos) p), 'at', ${isoUtc('u.at')}) ORDER BY u.at, u.id)
                     FROM case_supplements u WHERE u.case_id = c.id), '[]') AS supplements,
         coalesce((SELECT json_agg(json_build_object('id', k.id, 'code', k.code, 'name', k.name, 'status', k.status, 'stream_url', k.stream_url,
                                                     'lon', ST_X(k.geom), 'lat', ST_Y(k.geom)) ORDER BY k.id)
                     FROM cameras k WHERE k.id = ANY(c.camera_ids)), '[]') AS cameras
       FROM cases c WHERE c.id = $1`, [id]);
    if (!row || outsideGrids(actor, row.grid_code, row.department_code)) return null;
    const { item, transitions, evaluation, cameras, supplements, ...caseRow } = row;
    return { ...caseView(caseRow, actor), item, transitions, evaluation, cameras, supplements };
  });
}

export interface CaseFilter {
  status?: Status[];
  class_code?: string;
  item_code?: string;
  source?: CaseSource;
  street?: string;
  community?: string;
  grid?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  /** Only cases the actor can act on now (a field worker's to-do list). */
  mine?: boolean;
  /** Only cases this account reported (its own reports, whatever their status; still only those it may read). */
  reporter_user_id?: number;
  limit: number;
  /** Keyset: cases with id below this. */
  before_id?: number;
}

/** Why a rejected case was rejected (workflow choice 11: the reason is the reject step's note), so a list shows it. */
const REJECTION_REASON = `CASE WHEN c.status = 'rejected' THEN (SELECT t.note FROM case_transitions t
  WHERE t.case_id = c.id AND t.to_status = 'rejected' ORDER BY t.id DESC LIMIT 1) END AS rejection_reason`;

/**
 * Newest first, by id (keyset paging stays fast at any depth). Every filter is a bound parameter over an
 * indexed column; a field worker's list is cut to their grids whatever the filter says.
 */
export async function listCases(pool: pg.Pool, f: CaseFilter, actor: Actor | null) {
  return readOnStandby(pool, async () => {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, v: unknown) => { values.push(v); where.push(sql.replaceAll('?', `$${values.length}`)); };
    if (f.status?.length) add('c.status = ANY(?::text[])', f.status);
    if (f.class_code) add('c.class_code = ?', f.class_code);
    if (f.item_code) add('c.item_code = ?', f.item_code);
    if (f.source) add('c.source = ?', f.source);
    if (f.street) add('c.street_code = ?', f.street);
    if (f.community) add('c.community_code = ?', f.community);
    if (f.grid) add('c.grid_code = ?', f.grid);
    if (f.from) add('c.reported_at >= ?::timestamptz', f.from);
    if (f.to) add('c.reported_at < ?::timestamptz', f.to);
    if (f.overdue) where.push('case_is_overdue(c.status, c.deadline_at, c.suspended_at, now())');
    if (f.before_id) add('c.id < ?', f.before_id);
    if (f.reporter_user_id !== undefined) add('c.reporter_user_id = ?', f.reporter_user_id);
    const department = readerDepartment(actor);
    if (department !== undefined) add('c.department_code = ?', department);
    else {
      const grids = readerGrids(actor);
      if (grids) add(inGridsSql('c.grid_code', '?'), grids);
    }
    // "Mine": the statuses this role can act from, in SQL so that paging counts only those.
    if (f.mine && actor) add('c.status = ANY(?::text[])', STATUSES.filter((st) => availableActions(actor.role, st).length > 0));
    values.push(f.limit + 1);
    const { rows } = await pool.query<CaseRow & { rejection_reason: string | null }>(
      `SELECT ${CASE_COLUMNS}, ${REJECTION_REASON} FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC LIMIT $${values.length}`, values);
    const items = rows.slice(0, f.limit).map((r) => ({ ...caseView(r, actor), rejection_reason: r.rejection_reason }));
    const more = rows.length > f.limit;
    return { items, next_before_id: more ? items.at(-1)?.id ?? null : null };
  });
}

/** A page of the case list, newest first. */
export type CaseList = Awaited<ReturnType<typeof listCases>>;

/** The reporter's verdict on a closed case (once). */
export async function evaluateCase(pool: pg.Pool, id: number, e: { satisfied: boolean; comment?: string; level?: EvaluationLevel }, auditActor: AuditActor) {
  checkStorableText({ comment: e.comment });
  return inTransaction(pool, async (tx) => {
    const { rows: [row] } = await tx.query<{ status: Status }>('SELECT status FROM cases WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new NotFoundError(`no case ${id}`);
    if (row.status !== 'closed') throw new ConflictError(`case ${id} is ${row.status}; it can be evaluated once it is closed`);
    if (e.level && e.satisfied !== (e.level !== 'unsatisfied')) throw new BadRequestError(`satisfied=${e.satisfied} does not agree with level "${e.level}" (basic counts as satisfied)`);
    const { rowCount } = await tx.query('INSERT INTO case_evaluations (case_id, satisfied, comment, level) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [id, e.satisfied, e.comment ?? null, e.level ?? null]);
    if (!rowCount) throw new ConflictError(`case ${id} has been evaluated already`);
    await audit(tx, auditActor, null, { action: 'case.evaluate', entity: 'case', entity_id: id, after: e });
    return { case_id: id, ...e };
  });
}
