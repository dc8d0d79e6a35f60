// Remediation steps in the database: lock a hazard or misconnection, ask the rules (server/domain/remediation.ts),
// write its status, the step (remediation_steps: who, role, when, from, to, note, case or inspection) and the
// audit record in one transaction. Also the step a case's closure takes on the item it was raised from.
import type pg from 'pg';
import type { RemediationLayer } from '../../common/api/remediation.ts';
import { audit, type Actor as AuditActor } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { applyStep, stepOnCaseClosed, type Action, type Actor, type Status, type StepResult } from '../domain/remediation.ts';
import { NotFoundError } from '../http/errors.ts';
import { checkStorableText } from '../http/text.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Each layer's table, its column in cases and remediation_steps, and its audit entity. Fixed names, never input. */
export const LAYER_TABLES = {
  hazards: { table: 'hazards', column: 'hazard_id', entity: 'hazard', kind: 'hazard' },
  misconnections: { table: 'misconnections', column: 'misconnection_id', entity: 'misconnection', kind: 'misconnection' },
} as const;

export interface ItemRow { id: number; status: Status; grid_code: string | null }

export async function lockItem(tx: Queryable, layer: RemediationLayer, id: number): Promise<ItemRow> {
  const { rows: [row] } = await tx.query<ItemRow>(
    `SELECT id, status, trim(grid_code) AS grid_code FROM ${LAYER_TABLES[layer].table} WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw new NotFoundError(`no ${LAYER_TABLES[layer].entity} ${id}`);
  return row;
}

export interface StepCause { caseId?: number | null; inspectionId?: number | null }

/** The status change and its history row (no checks: the caller asked the rules). */
export async function writeStep(tx: Queryable, layer: RemediationLayer, id: number, step: StepResult, actor: Pick<Actor, 'id' | 'role'>, cause: StepCause = {}) {
  const { table, column } = LAYER_TABLES[layer];
  await tx.query(`UPDATE ${table} SET status = $2, status_at = now() WHERE id = $1`, [id, step.to]);
  await tx.query(
    `INSERT INTO remediation_steps (${column}, action, from_status, to_status, actor, role, note, case_id, inspection_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [id, step.action, step.from, step.to, actor.id, actor.role, step.note, cause.caseId ?? null, cause.inspectionId ?? null]);
}

/** One step asked for by an account: checked, written, audited. */
export async function takeStep(pool: pg.Pool, layer: RemediationLayer, id: number, action: Action, actor: Actor,
  auditActor: AuditActor, note: string | undefined, ip: string | null): Promise<void> {
  checkStorableText({ note });
  await inTransaction(pool, async (tx) => {
    const row = await lockItem(tx, layer, id);
    const step = applyStep(row.status, row.grid_code, action, actor, note);
    await writeStep(tx, layer, id, step, actor);
    const { entity } = LAYER_TABLES[layer];
    await audit(tx, auditActor, ip ? { ip } : null, {
      action: `${entity}.${action}`, entity, entity_id: id, before: { status: row.status }, after: { status: step.to, note: step.note },
    });
  });
}

/**
 * A case was closed (核查通过结案): the hazard or misconnection it was raised from is fixed, if still in
 * repair; the step names the case. In the closing transaction, so both commit or neither.
 */
export async function advanceOnCaseClosed(tx: Queryable, caseId: number, closer: string, auditActor: AuditActor): Promise<void> {
  const { rows: [link] } = await tx.query<{ case_no: string; hazard_id: number | null; misconnection_id: number | null }>(
    'SELECT case_no, hazard_id, misconnection_id FROM cases WHERE id = $1', [caseId]);
  const layer: RemediationLayer | null = link?.hazard_id ? 'hazards' : link?.misconnection_id ? 'misconnections' : null;
  if (!link || !layer) return;
  const id = (link.hazard_id ?? link.misconnection_id)!;
  const row = await lockItem(tx, layer, id);
  const action = stepOnCaseClosed(row.status);
  if (!action) return;
  const actor: Actor = { id: closer, role: 'system' };
  const step = applyStep(row.status, row.grid_code, action, actor, `案件 ${link.case_no} 结案 (case closed)`);
  await writeStep(tx, layer, id, step, actor, { caseId });
  const { entity } = LAYER_TABLES[layer];
  await audit(tx, auditActor, null, { action: `${entity}.${action}`, entity, entity_id: id, before: { status: row.status }, after: { status: step.to, case_id: caseId } });
}
