// Facility alarms in the ingest transaction: the alarms in effect of the facilities whose state changed are
// brought in line with the rule of server/domain/facility-alarms.ts. The alarms' triggers fill in the place
// (and so the handling unit) and send the live events, as for a sensor's alarm; an alarm (not a warning)
// opens a case of the item facility_case_items gives its cause and the facility's kind.
import type { AlarmLevel } from '../../common/api/live.ts';
import { followState, type ActiveFacilityAlarm, type AlarmingState, type FacilityAlarmCause } from '../domain/facility-alarms.ts';
import type { Tx } from '../cases/store.ts';
import { openAlarmCase } from './alarm-case.ts';

export interface FacilityAlarmCounts { raised: number; updated: number; cleared: number; cases: number }

export async function followFacilityAlarms(tx: Tx, states: (AlarmingState & { facility_id: number; changed_at: Date })[]): Promise<FacilityAlarmCounts> {
  const counts = { raised: 0, updated: 0, cleared: 0, cases: 0 };
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
  const alarmed: string[] = update.filter((u) => u.level === 'alarm').map((u) => u.id);
  if (raise.length) {
    const { rows } = await tx.query<{ id: string; level: AlarmLevel }>(
      `INSERT INTO alarms (facility_id, cause, level, raised_at, raised_value, peak_value)
       SELECT f, c, l, t, v, v FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::float8[]) AS u(f, c, l, t, v)
       RETURNING id::text, level`,
      [raise.map((r) => r.f), raise.map((r) => r.cause), raise.map((r) => r.level), raise.map((r) => r.at), raise.map((r) => r.v)]);
    alarmed.push(...rows.filter((r) => r.level === 'alarm').map((r) => r.id));
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
  return { raised: raise.length, updated: update.length, cleared: clear.length, cases: await openCases(tx, alarmed) };
}

const CAUSE_ZH: Record<FacilityAlarmCause, string> = { level: '水位超保证水位', pump_fault: '泵组故障', gate_fault: '闸门故障' };

/** The cases of facility alarms now at level alarm that have none (a lake's is placed on its surface). */
async function openCases(tx: Tx, alarmIds: string[]): Promise<number> {
  if (!alarmIds.length) return 0;
  const { rows } = await tx.query<{ id: string; name: string; cause: FacilityAlarmCause; value: number | null; guarantee: number | null; lon: number; lat: number; item: string }>(
    `SELECT a.id::text, f.name, a.cause, a.peak_value AS value, s.guarantee_level_m AS guarantee, ST_X(p.g) AS lon, ST_Y(p.g) AS lat, m.item_code AS item
     FROM alarms a JOIN facilities f ON f.id = a.facility_id
     LEFT JOIN facility_state s ON s.facility_id = f.id
     CROSS JOIN LATERAL (SELECT ST_PointOnSurface(f.geom) AS g) p
     JOIN LATERAL (SELECT item_code FROM facility_case_items m WHERE m.cause = a.cause AND (m.kind = f.kind OR m.kind IS NULL)
                   ORDER BY m.kind IS NULL LIMIT 1) m ON true
     WHERE a.id = ANY($1::bigint[]) AND a.case_id IS NULL ORDER BY a.id`, [alarmIds]);
  let n = 0;
  for (const r of rows) {
    const reading = r.cause === 'level' && r.value !== null ? `：${r.value} m${r.guarantee !== null ? `（保证水位 ${r.guarantee} m）` : ''}` : '';
    n += await openAlarmCase(tx, r.id, { item: r.item, lon: r.lon, lat: r.lat, reporter: r.name, description: `${r.name} 报警：${CAUSE_ZH[r.cause]}${reading}` });
  }
  return n;
}
