// Auto-escalation (督办): alarms nobody acknowledged within their level's time go one level up and are
// marked supervised (server/domain/alarm-handling.ts, choice 5, says what; this is the same rule as one
// statement). Safe with several server instances: the rows are taken FOR UPDATE SKIP LOCKED and the
// conditions are read again on the locked row, so an alarm goes up once per deadline whoever sweeps.
import type pg from 'pg';
import { audit } from '../auth/audit.ts';
import { Housekeeping } from '../db/housekeeping.ts';
import { inTransaction } from '../db/tx.ts';
import type { AckMinutes } from '../domain/alarm-handling.ts';
import { ackParam } from './list.ts';

/** How often the server sweeps: a minute late on a 15-minute deadline. */
export const ALARM_SWEEP_MS = 60_000;
/** Alarms one sweep takes at most (the next takes the rest). */
const BATCH = 500;

/** Escalates what is overdue at `now`; returns the ids of the alarms it changed. */
export async function escalateOverdue(pool: pg.Pool, now: Date, ack: AckMinutes): Promise<string[]> {
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ alarm_id: string }>(
      `WITH due AS (
         SELECT a.id, a.unit_level, a.unit_code, a.street_code, a.district_code FROM alarms a
         WHERE a.handling = 'new' AND a.cleared_at IS NULL AND NOT (a.unit_level = 'district' AND a.supervised)
           AND a.unit_since + make_interval(mins => ($2::int[])[CASE a.unit_level WHEN 'community' THEN 1 WHEN 'street' THEN 2 ELSE 3 END]) < $1
         ORDER BY a.unit_since, a.id LIMIT $3 FOR UPDATE SKIP LOCKED),
       next AS (
         -- One level up; a place without a street goes on to the district (as escalated() in the domain).
         SELECT due.*, CASE WHEN due.unit_level = 'community' AND due.street_code IS NOT NULL THEN 'street' ELSE 'district' END AS to_level FROM due),
       up AS (
         UPDATE alarms a SET unit_level = n.to_level, supervised = true,
                unit_code = CASE n.to_level WHEN 'street' THEN n.street_code ELSE n.district_code END,
                unit_since = CASE WHEN n.unit_level = 'district' THEN a.unit_since ELSE $1 END,
                assignee = CASE WHEN n.unit_level = 'district' THEN a.assignee END,
                acknowledged_at = CASE WHEN n.unit_level = 'district' THEN a.acknowledged_at END,
                acknowledged_by = CASE WHEN n.unit_level = 'district' THEN a.acknowledged_by END
         FROM next n WHERE a.id = n.id
         RETURNING a.id, n.unit_level AS from_level, a.unit_level AS to_level, n.unit_code AS from_unit, a.unit_code AS to_unit)
       INSERT INTO alarm_actions (alarm_id, action, auto, actor, role, note, from_state, to_state, from_level, to_level, from_unit, to_unit, at)
       SELECT id, 'escalate', true, 'system', 'system', '超时未确认，自动升级督办 (not acknowledged in time)', 'new', 'new', from_level, to_level, from_unit, to_unit, $1
       FROM up ORDER BY id RETURNING alarm_id`, [now, ackParam(ack), BATCH]);
    const ids = rows.map((r) => r.alarm_id);
    if (ids.length) await audit(tx, { name: 'alarm sweep', role: 'system' }, null, { action: 'alarm.auto_escalate', entity: 'alarm', entity_id: null, after: { alarms: ids, at: now } });
    return ids;
  });
}

/** The sweep on a timer; `run()` sweeps now. */
export const alarmSweeper = (pool: pg.Pool, ack: AckMinutes, onError?: (err: unknown) => void) =>
  new Housekeeping(async () => (await escalateOverdue(pool, new Date(), ack)).length, 0, onError);
