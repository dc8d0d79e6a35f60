// The people's part of `npm run simulate`: staff on duty walk their beat (a 网格员 their grid, a 执法队员 the
// community of theirs) from one random point of its land to the next at walking pace, sending a fix every
// 10 s as the field app does; each officer's 执法记录仪 reports where its officer is; vehicle cameras
// report where their vehicle is. Now and then someone goes silent (a basement, a flat battery) for 6–8
// minutes with their recorder, longer than staff and recorders may keep silent (5 minutes), so the server's
// liveness sweep marks them offline, and their next fix brings them back. Fixes go through the same code
// as the API (server/data/personnel.ts: the field app's store, POST /api/ingest/devices).
import type pg from 'pg';
import type { Actor } from '../server/auth/audit.ts';
import { ingestDevices, reportStaffPositions, type StaffFix } from '../server/data/personnel.ts';
import type { DeviceReport } from '../common/api/personnel.ts';
import { metresPerDegree } from '../server/geo/geodesic.ts';

/** The field app's and the recorders' platform's interval between fixes. */
const FIX_EVERY_S = 10;
/** Waypoints of each beat, drawn once. */
const WAYPOINTS = 24;
/** Silences: about one a minute, each 6–8 minutes. */
const SILENCE_PER_S = 1 / 60;
const SILENCE_S: [number, number] = [360, 480];

interface Walker { id: number; at: [number, number]; waypoints: [number, number][]; next: number; speed: number; phase: number; silentUntil: number }

export async function personnelSimulation(pool: pg.Pool, random: () => number, actor: Actor) {
  // Each on-duty, sharing person's beat (its land: water is no place to walk) and where they stand now.
  const { rows } = await pool.query<{ id: number; lon: number; lat: number; waypoints: [number, number][] }>(
    `WITH w AS (SELECT ST_Union(geom) AS g FROM water),
     s AS (
       SELECT st.id, st.last_position AS p,
              CASE WHEN st.role_kind = 'enforcer' THEN (SELECT c.geom FROM communities c WHERE c.code = g.community_code) ELSE g.geom END AS beat
       FROM staff st JOIN grids g ON g.code = st.grid_code
       WHERE st.on_duty AND st.sharing AND st.last_position IS NOT NULL)
     SELECT s.id, ST_X(s.p) AS lon, ST_Y(s.p) AS lat,
            (SELECT json_agg(json_build_array(ST_X(d.geom), ST_Y(d.geom)) ORDER BY d.path)
             FROM ST_Dump(ST_GeneratePoints(CASE WHEN ST_IsEmpty(l.land) THEN s.beat ELSE l.land END, $1, s.id)) d) AS waypoints
     FROM s, w, LATERAL (SELECT ST_CollectionExtract(ST_Difference(s.beat, w.g), 3) AS land) l ORDER BY s.id`, [WAYPOINTS]);
  const walkers: Walker[] = rows.filter((r) => r.waypoints?.length).map((r) => ({
    id: r.id, at: [r.lon, r.lat], waypoints: r.waypoints, next: Math.floor(random() * r.waypoints.length),
    speed: 0.9 + 0.6 * random(), phase: Math.floor(random() * FIX_EVERY_S), silentUntil: -1,
  }));
  const byId = new Map(walkers.map((w) => [w.id, w]));
  const { rows: recorders } = await pool.query<{ id: number; staff_id: number }>(
    `SELECT id, staff_id FROM devices WHERE kind = 'body_camera' AND staff_id IS NOT NULL AND status <> 'damaged' ORDER BY id`);
  const worn = recorders.filter((d) => byId.has(d.staff_id));
  const { rows: vehicleCameras } = await pool.query<{ id: number; vehicle_id: number }>(
    `SELECT id, vehicle_id FROM devices WHERE kind = 'vehicle_camera' AND vehicle_id IS NOT NULL AND status <> 'damaged' ORDER BY id`);
  const totals = { staff_fixes: 0, device_reports: 0, silences: 0 };

  /** Walks `dt` seconds toward the next waypoint (and on to the one after when it is reached). */
  function walk(w: Walker, dt: number): void {
    let left = w.speed * dt;
    while (left > 0) {
      const target = w.waypoints[w.next];
      const m = metresPerDegree(w.at[1]);
      const dx = (target[0] - w.at[0]) * m.x; const dy = (target[1] - w.at[1]) * m.y;
      const d = Math.hypot(dx, dy);
      if (d <= left) {
        w.at = [target[0], target[1]];
        w.next = (w.next + 1) % w.waypoints.length;
        left -= d;
        if (d === 0) break;
      } else {
        w.at = [w.at[0] + (dx / d) * left / m.x, w.at[1] + (dy / d) * left / m.y];
        left = 0;
      }
    }
  }

  return {
    count: { staff: walkers.length, recorders: worn.length, vehicleCameras: vehicleCameras.length },
    totals: () => totals,
    /**
     * One tick of `tickS` seconds at elapsed second `s`: everyone walks; those whose turn it is report
     * (silent ones do not). `vehicleAt` gives a vehicle's position now.
     */
    async tick(s: number, tickS: number, now: Date, vehicleAt: (id: number) => [number, number] | undefined): Promise<void> {
      if (walkers.length && random() < SILENCE_PER_S * tickS) {
        const w = walkers[Math.floor(random() * walkers.length)];
        if (w.silentUntil < s) { w.silentUntil = s + SILENCE_S[0] + (SILENCE_S[1] - SILENCE_S[0]) * random(); totals.silences++; }
      }
      const due = (phase: number) => Math.floor((s + phase) / FIX_EVERY_S) !== Math.floor((s + phase - tickS) / FIX_EVERY_S);
      const fixes: StaffFix[] = [];
      for (const w of walkers) {
        walk(w, tickS);
        if (w.silentUntil < s && due(w.phase)) fixes.push({ staff_id: w.id, t: now, lon: w.at[0], lat: w.at[1] });
      }
      const sent = new Set(fixes.map((f) => f.staff_id));
      const t = now.toISOString();
      const reports: DeviceReport[] = worn.filter((d) => sent.has(d.staff_id)).map((d) => {
        const w = byId.get(d.staff_id)!;
        return { device_id: d.id, t, lon: w.at[0], lat: w.at[1] };
      });
      for (const c of vehicleCameras) {
        const at = due(c.id % FIX_EVERY_S) ? vehicleAt(c.vehicle_id) : undefined;
        if (at) reports.push({ device_id: c.id, t, lon: at[0], lat: at[1] });
      }
      if (fixes.length) totals.staff_fixes += (await reportStaffPositions(pool, fixes)).stored;
      if (reports.length) totals.device_reports += (await ingestDevices(pool, reports, actor, null)).received;
    },
  };
}
