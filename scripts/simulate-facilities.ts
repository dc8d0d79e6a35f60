// The facilities' part of `npm run simulate`: as the storm builds (with the lag of the run-off), pumping
// stations start unit by unit, flood gates open to let the lakes drain, lakes and channels rise, a few past
// 警戒水位 and one or two past 保证水位; as it passes everything returns to where it was. Reports go through
// the same ingest code as the API (POST /api/ingest/facilities).
import type pg from 'pg';
import type { FacilityStateItem } from '../common/api/live.ts';
import type { Actor } from '../server/auth/audit.ts';
import { ingestFacilityState } from '../server/live/ingest-facilities.ts';

interface Row {
  id: number; kind: string; open_pct: number | null; pump_status: string | null; flow_m3s: number | null; units_running: number | null;
  water_level_m: number | null; warning_level_m: number | null; guarantee_level_m: number | null;
}
interface Sim extends Row { r: number; unitFlow: number; units: number; start: number; rise: number }

export async function facilitySimulation(pool: pg.Pool, random: () => number, actor: Actor) {
  const { rows } = await pool.query<Row>(
    `SELECT f.id, f.kind, s.open_pct, s.pump_status, s.flow_m3s, s.units_running, s.water_level_m, s.warning_level_m, s.guarantee_level_m
     FROM facility_state s JOIN facilities f ON f.id = s.facility_id ORDER BY f.id`);
  const sims: Sim[] = rows.map((x) => {
    const r = random();
    const lvl = x.water_level_m ?? 0;
    // How far the level climbs at the storm's peak: most stay under the warning level, a few pass it, one in ten the guarantee level.
    const target = x.warning_level_m == null ? lvl : r < 0.1 ? (x.guarantee_level_m ?? x.warning_level_m) + 0.1 : r < 0.35 ? x.warning_level_m + 0.15 : x.warning_level_m - 0.2;
    return { ...x, r, units: 2 + Math.floor(3 * random()), unitFlow: Math.round((2 + 3 * random()) * 10) / 10, start: 0.1 + 0.3 * r, rise: Math.max(0, target - lvl) };
  });
  let reports = 0; let levelChanges = 0;
  return {
    count: sims.length,
    totals: () => ({ facility_reports: reports, level_changes: levelChanges }),
    /** One report per facility for the storm's strength now (0..1, lagged like the run-off). */
    async tick(strength: number, now: Date): Promise<void> {
      const items: FacilityStateItem[] = sims.map((s) => {
        const item: FacilityStateItem = { facility_id: s.id, t: now.toISOString() };
        if (s.kind === 'pumping_station') {
          const on = s.pump_status === 'running' || strength >= s.start;
          const units = on ? Math.max(s.units_running ?? 1, Math.min(s.units, Math.ceil(strength * s.units))) : 0;
          Object.assign(item, on ? { pump_status: 'running', units_running: units, flow_m3s: s.pump_status === 'running' && strength < s.start ? s.flow_m3s ?? 0 : Math.round(units * s.unitFlow * 10) / 10 } : { pump_status: 'stopped' });
        }
        if (s.kind === 'flood_gate' && s.open_pct != null) item.open_pct = Math.round(s.open_pct + (100 - s.open_pct) * Math.min(1, 1.5 * strength));
        if (s.water_level_m != null && s.rise > 0) item.water_level_m = Math.round((s.water_level_m + s.rise * strength) * 100) / 100;
        return item;
      });
      if (!items.length) return;
      const r = await ingestFacilityState(pool, items, actor, null);
      reports += r.changed;
      levelChanges += r.level_changes.length;
    },
  };
}
