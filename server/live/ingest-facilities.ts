// Ingest of facility operating state (gates, pumps, levels), each batch in one transaction: every report is
// merged into the facility's last state by the rules of server/domain/facility-state.ts; the trigger of
// facility_state keeps the history and sends the live event 'facility'; the answer tells which levels
// crossed 警戒 or 保证水位. The changed states raise, update and clear the facilities' alarms
// (server/alarms/facility-alarms.ts). One audit entry per batch.
import type pg from 'pg';
import { MAX_BATCH, type FacilitiesIngested, type FacilityStateItem } from '../../common/api/live.ts';
import type { FACILITY_KINDS, FACILITY_LEVEL_STATES } from '../../common/enums.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { followFacilityAlarms } from '../alarms/facility-alarms.ts';
import { applyReport, EMPTY_STATE, type FacilityState } from '../domain/facility-state.ts';
import { inTransaction } from '../db/tx.ts';
import { BadRequestError } from '../http/errors.ts';

type LevelState = (typeof FACILITY_LEVEL_STATES)[number];
interface Row extends FacilityState { id: number; kind: (typeof FACILITY_KINDS)[number]; changed_at: Date | null; level_state: LevelState | null }

const STATE_COLUMNS = ['open_pct', 'gate_status', 'pump_status', 'flow_m3s', 'units_running', 'water_level_m', 'warning_level_m', 'guarantee_level_m'] as const;

function reportTime(t: string | undefined, where: string): Date {
  if (t === undefined) return new Date();
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new BadRequestError(`${where}: t is not a date-time`);
  if (d.getTime() > Date.now() + 5 * 60_000) throw new BadRequestError(`${where}: t ${d.toISOString()} is in the future`);
  return d;
}

export async function ingestFacilityState(pool: pg.Pool, items: FacilityStateItem[], actor: Actor, from: { ip: string } | null): Promise<FacilitiesIngested> {
  if (!items.length || items.length > MAX_BATCH) throw new BadRequestError(`give 1–${MAX_BATCH} facility states`);
  const times = items.map((it, i) => {
    if (!(Number.isInteger(it.facility_id) && it.facility_id >= 1 && it.facility_id <= 2147483647)) throw new BadRequestError(`facilities[${i}]: facility_id must be an integer id`);
    for (const k of ['open_pct', 'flow_m3s', 'units_running', 'water_level_m', 'warning_level_m', 'guarantee_level_m'] as const) {
      // Ajv coerces "Infinity" as text past minimum and maximum.
      if (it[k] !== undefined && !Number.isFinite(it[k])) throw new BadRequestError(`facilities[${i}]: ${k} must be a finite number`);
    }
    return reportTime(it.t, `facilities[${i}]`);
  });
  return inTransaction(pool, async (tx) => {
    const ids = [...new Set(items.map((it) => it.facility_id))].sort((a, b) => a - b);
    // Locked in id order (the facility rows, since a state row may not exist yet): concurrent feeds queue.
    const { rows } = await tx.query<Row>(
      `SELECT f.id, f.kind, s.open_pct, s.gate_status, s.pump_status, s.flow_m3s, s.units_running, s.water_level_m, s.warning_level_m, s.guarantee_level_m,
              s.changed_at, s.level_state
       FROM facilities f LEFT JOIN facility_state s ON s.facility_id = f.id WHERE f.id = ANY($1::int[]) ORDER BY f.id FOR UPDATE OF f`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) throw new BadRequestError(`unknown facilit${unknown.length > 1 ? 'ies' : 'y'} ${unknown.slice(0, 10).join(', ')}`);

    // Reports in time order; one older than the facility's last change does not move it backwards.
    const next = new Map<number, { state: FacilityState; at: Date }>();
    const order = items.map((it, i) => ({ it, i, t: times[i] })).sort((a, b) => a.t.getTime() - b.t.getTime());
    for (const { it, i, t } of order) {
      const row = byId.get(it.facility_id)!;
      const cur = next.get(it.facility_id) ?? { state: row.changed_at ? pick(row) : EMPTY_STATE, at: row.changed_at ?? new Date(0) };
      const { facility_id: _id, t: _t, ...report } = it;
      const r = applyReport(row.kind, cur.state, report);
      if ('error' in r) throw new BadRequestError(`facilities[${i}] (facility ${it.facility_id}): ${r.error}`);
      if (t >= cur.at) next.set(it.facility_id, { state: r.state, at: t });
    }
    const list = [...next.entries()];
    const col = (k: (typeof STATE_COLUMNS)[number]) => list.map(([, v]) => v.state[k]);
    const { rows: changed } = await tx.query<FacilityState & { facility_id: number; changed_at: Date; level_state: LevelState | null }>(
      `INSERT INTO facility_state AS s (facility_id, changed_at, ${STATE_COLUMNS.join(', ')})
       SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::float8[], $4::text[], $5::text[], $6::float8[], $7::smallint[], $8::float8[], $9::float8[], $10::float8[])
       ON CONFLICT (facility_id) DO UPDATE SET changed_at = EXCLUDED.changed_at, ${STATE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
       WHERE (${STATE_COLUMNS.map((c) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${STATE_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})
       RETURNING facility_id, changed_at, level_state, ${STATE_COLUMNS.join(', ')}`,
      [list.map(([id]) => id), list.map(([, v]) => v.at), ...STATE_COLUMNS.map(col)]);
    const level_changes = changed
      .filter((c) => c.level_state && c.level_state !== byId.get(c.facility_id)!.level_state)
      .map((c) => ({ facility_id: c.facility_id, from: byId.get(c.facility_id)!.level_state, to: c.level_state! }));
    const alarms = await followFacilityAlarms(tx, changed);
    const result = { received: items.length, changed: changed.length, level_changes, alarms };
    await audit(tx, actor, from, { action: 'ingest.facilities', entity: 'facility', entity_id: null, after: { ...result, facilities: ids } });
    return result;
  });
}

const pick = (r: Row): FacilityState => Object.fromEntries(STATE_COLUMNS.map((k) => [k, r[k]])) as unknown as FacilityState;
