// Raising a case (立案) from a hazard or misconnection: the case is reported at the item's position with the
// catalogue item that fits (server/domain/remediation.ts caseItemsFor) and a description of what and where,
// linked to the item (cases.hazard_id / misconnection_id); a confirmed item goes into repair with the step
// naming the case. One open case per item: asked here, and held by a unique index in case two race.
import type pg from 'pg';
import type { LinkedCase, RemediationLayer } from '../../common/api/remediation.ts';
import { audit, type Actor as AuditActor } from '../auth/audit.ts';
import { insertReport } from '../cases/store.ts';
import { inTransaction } from '../db/tx.ts';
import { applyStep, caseItemsFor, RAISE_ROLES, stepOnRaise, StepForbiddenError, type Actor } from '../domain/remediation.ts';
import { BadRequestError, ConflictError, show } from '../http/errors.ts';
import { remediationOf } from './remediation-read.ts';
import { LAYER_TABLES, lockItem, writeStep } from './remediation-steps.ts';

export interface RaiseInput { item_code?: string; description?: string }

export async function raiseCaseFrom(pool: pg.Pool, layer: RemediationLayer, id: number, actor: Actor, auditActor: AuditActor,
  input: RaiseInput, ip: string | null): Promise<LinkedCase> {
  if (!RAISE_ROLES.includes(actor.role)) throw new StepForbiddenError(`a ${actor.role} may not raise a case; that is for: ${RAISE_ROLES.join(', ')}`);
  const { table, column, entity, kind } = LAYER_TABLES[layer];
  try {
    return await inTransaction(pool, async (tx) => {
      const row = await lockItem(tx, layer, id);
      const step = stepOnRaise(row.status);
      const { rows: [open] } = await tx.query<{ case_no: string }>(
        `SELECT case_no FROM cases WHERE ${column} = $1 AND case_is_open(status)`, [id]);
      if (open) throw new ConflictError(`${entity} ${id} already has an open case, ${open.case_no}; one at a time`);
      const view = (await remediationOf(tx, layer, id, actor))!;
      const { rows: [where] } = await tx.query<{ lon: number; lat: number; defect: string | null }>(
        `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, ${layer === 'hazards' ? 'code' : 'NULL'} AS defect FROM ${table} WHERE id = $1`, [id]);
      const fits = caseItemsFor(kind, where.defect);
      const item = input.item_code ?? fits[0];
      if (!fits.includes(item)) throw new BadRequestError(`item ${show(item)} does not fit a ${entity}; choose one of ${fits.join(', ')}`);
      // Reported by the system on the account's behalf: the case workflow gives planners no report step, and
      // this is not a sighting but the owner's order to repair (the audit names the account).
      const { case: c } = await insertReport(tx, {
        item_code: item, lon: where.lon, lat: where.lat, description: input.description?.trim() || view.description,
        source: 'inspector', reporter: actor.id,
      }, { id: actor.id, role: 'system' }, auditActor, ip);
      await tx.query(`UPDATE cases SET ${column} = $2 WHERE id = $1`, [c.id, id]);
      if (step) await writeStep(tx, layer, id, applyStep(row.status, row.grid_code, step, actor, `立案 ${c.case_no}`), actor, { caseId: c.id });
      await audit(tx, auditActor, ip ? { ip } : null, {
        action: `${entity}.raise_case`, entity, entity_id: id, before: { status: row.status }, after: { case_id: c.id, case_no: c.case_no, item_code: item, status: step ? 'in_repair' : row.status },
      });
      return { id: c.id, case_no: c.case_no, status: c.status, item_code: item };
    });
  } catch (err) {
    if ((err as { constraint?: string }).constraint === `cases_open_${entity}`) throw new ConflictError(`${entity} ${id} already has an open case; one at a time`);
    throw err;
  }
}
