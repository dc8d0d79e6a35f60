// Facility alarms in the ingest transaction: the alarms in effect of the facilities whose state changed are
// brought in line with the rule of server/domain/facility-alarms.ts. The alarms' triggers fill in the place
// (and so the handling unit) and send the live events, as for a sensor's alarm.
import type { AlarmLevel } from '../../common/api/live.ts';
import { followState, type ActiveFacilityAlarm, type AlarmingState } from '../domain/facility-alarms.ts';
import type { Tx } from '../cases/store.ts';

export interface FacilityAlarmCounts { raised: number; updated: number; cleared: number }

export async function followFacilityAlarms(tx: Tx, states: (AlarmingState & { facility_id: number; changed_at: Date })[]): Promise<FacilityAlarmCounts> {
  const counts = { raised: 0, updated: 0, cleared: 0 };
  if (!states.length) return counts;
  const { rows: active } = await tx.query<ActiveFacilityAlarm & { facility_id: number }>(
    `SELECT id::text, facility_id, cause, level, peak_value FROM alarms
     WHERE facility_id = ANY($1::int[]) AND cleared_at IS NULL ORDER BY id FOR UPDATE`, [states.map((s) => s.facility_id)]);
  const raise: { f: number; cause: string; level: AlarmLevel; v: number | null; at: Date }[] = [];
  const update: { id: string; level: AlarmLevel; peak: number | null }[] = [];
  const clear: { id: string; v: number | null; at: Date }[] = [];
  for (const s of states) {
    const c = followState(active.filter((a) => a.facility_id === s.facility_id), s);
    raise.push(...c.raise.map((w) => ({ f: s.facility_id, cause: w.cause, level: w.level, v: w.value, at: s.changed_at })));
    update.push(...c.update.map((u) => ({ id: u.id, level: u.level, peak: u.peak_value })));
    clear.push(...c.clear.map((x) => ({ id: x.id, v: x.value, at: s.changed_at })));
  }
  if (raise.length) {
    await tx.query(
      `INSERT INTO alarms (facility_id, cause, level, raised_at, raised_value, peak_value)
       SELECT f, c, l, t, v, v FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::float8[]) AS u(f, c, l, t, v)`,
      [raise.map((r) => r.f), raise.map((r) => r.cause), raise.map((r) => r.level), raise.map((r) => r.at), raise.map((r) => r.v)]);
  }
  if (update.length) {
    await tx.query(
      `UPDATE alarms a SET level = u.l, peak_value = u.p FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS u(id, l, p) WHERE a.id = u.id`,
      [update.map((u) => u.id), update.map((u) => u.level), update.map((u) => u.peak)]);
  }
  if (clear.length) {
    await tx.query(
      `UPDATE alarms a SET cleared_at = u.t, cleared_value = u.v FROM unnest($1::bigint[], $2::timestamptz[], $3::float8[]) AS u(id, t, v) WHERE a.id = u.id`,
      [clear.map((c) => c.id), clear.map((c) => c.at), clear.map((c) => c.v)]);
  }
  return { raised: raise.length, updated: update.length, cleared: clear.length };
}
