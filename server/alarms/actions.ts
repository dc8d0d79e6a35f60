// Handling an alarm: one action in one transaction — the row locked, the rules of
// server/domain/alarm-handling.ts asked, the row changed, the action and the audit entry written. The
// alarm's live event (its trigger) tells every wall and map.
import type pg from 'pg';
import type { AlarmActionBody } from '../../common/api/alarms.ts';
import type { AlarmAction } from '../../common/enums.ts';
import { audit } from '../auth/audit.ts';
import type { User } from '../auth/users.ts';
import { applyAlarmAction, availableAlarmActions, type AckMinutes, type AlarmActor, type AlarmPatch } from '../domain/alarm-handling.ts';
import { inTransaction } from '../db/tx.ts';
import { NotFoundError } from '../http/errors.ts';
import { checkStorableText } from '../http/text.ts';
import { readAlarm, type AlarmDetailsRecord } from './list.ts';
import { readOnStandby } from '../db/replica.ts';

export const alarmActor = (u: User): AlarmActor => ({ id: u.username, role: u.role, grids: u.grids });

const alarmNotFound = (id: number | string) => new NotFoundError(`no alarm ${id}`);

/** The alarm for staff, with the actions this account may take now; null when there is none. */
export async function alarmFor(db: pg.Pool, id: number, user: User, ack: AckMinutes): Promise<AlarmDetailsRecord | null> {
  return readOnStandby(db, async () => {
    const found = await readAlarm(db, id, ack);
    return found && { ...found.details, available: availableAlarmActions(alarmActor(user), found.state) };
  });
}

/** The patch's columns (every key of AlarmPatch is one) as SET items from $2 on. */
function setClause(patch: AlarmPatch): { sql: string; values: unknown[] } {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  return { sql: entries.map(([k], i) => `${k} = $${i + 2}`).join(', '), values: entries.map(([, v]) => v) };
}

export async function takeAlarmAction(pool: pg.Pool, id: number, action: AlarmAction, user: User, body: AlarmActionBody, ip: string, ack: AckMinutes): Promise<AlarmDetailsRecord> {
  checkStorableText({ note: body.note, assignee: body.assignee });
  const actor = alarmActor(user);
  return inTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query('SELECT 1 FROM alarms WHERE id = $1 FOR UPDATE', [id]);
    if (!rowCount) throw alarmNotFound(id);
    const { state } = (await readAlarm(tx, id, ack))!;
    const at = new Date();
    const patch = applyAlarmAction(state, action, actor, { note: body.note, assignee: body.assignee, at });
    const set = setClause(patch);
    await tx.query(`UPDATE alarms SET ${set.sql} WHERE id = $1`, [id, ...set.values]);
    const note = body.note?.trim() || null;
    await tx.query(
      `INSERT INTO alarm_actions (alarm_id, action, user_id, actor, role, note, assignee, from_state, to_state, from_level, to_level, from_unit, to_unit, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [id, action, user.id, user.username, user.role, note, patch.assignee ?? null, state.handling, patch.handling, state.unit_level, patch.unit_level,
        state.unit_code, patch.unit_code, at]);
    await audit(tx, { user }, { ip }, {
      action: `alarm.${action}`, entity: 'alarm', entity_id: id,
      before: { handling: state.handling, unit_level: state.unit_level, unit_code: state.unit_code },
      after: { ...patch, note },
    });
    const after = (await readAlarm(tx, id, ack))!;
    return { ...after.details, available: availableAlarmActions(actor, after.state) };
  });
}
