// Synthetic operating state of the seeded facilities, deterministic (pg_temp.rnd of the code): a dry day,
// gates mostly closed against the Yangtze, a few pumps running, lakes and channels below their warning
// levels. The levels are plausible for Wuchang, not official figures: lakes 警戒 19.65 m / 保证 20.65 m,
// channels 19.5 / 20.5 m; the flood gates see the Yangtze, whose 汉口 station has 警戒 27.3 m and 保证
// 29.73 m (吴淞高程). Each lake and channel also gets 24 hourly levels of history for its chart.
import type pg from 'pg';

export async function seedFacilityState(db: pg.ClientBase): Promise<string> {
  const res = await db.query(
    `WITH f AS (SELECT id, kind, hashtextextended(code, 0) AS h FROM facilities WHERE synthetic AND kind IN ('lake', 'channel', 'flood_gate', 'pumping_station')),
     v AS (
       SELECT id, kind, h, pg_temp.rnd(h, 41) AS a, pg_temp.rnd(h, 42) AS b,
              CASE kind WHEN 'lake' THEN 19.65 WHEN 'channel' THEN 19.5 WHEN 'flood_gate' THEN 27.3 END AS warn,
              CASE kind WHEN 'lake' THEN 20.65 WHEN 'channel' THEN 20.5 WHEN 'flood_gate' THEN 29.73 END AS guar,
              CASE kind WHEN 'lake' THEN 19.0 WHEN 'channel' THEN 18.9 WHEN 'flood_gate' THEN 21.5 END AS base
       FROM f)
     INSERT INTO facility_state (facility_id, open_pct, pump_status, flow_m3s, units_running, water_level_m, warning_level_m, guarantee_level_m, changed_at, synthetic)
     SELECT id,
            CASE WHEN kind = 'flood_gate' THEN CASE WHEN a < 0.3 THEN round((30 + 70 * b)::numeric, 0) ELSE 0 END END,
            CASE WHEN kind = 'pumping_station' THEN CASE WHEN a < 0.25 THEN 'running' ELSE 'stopped' END END,
            CASE WHEN kind = 'pumping_station' THEN CASE WHEN a < 0.25 THEN round((2 + 6 * b)::numeric, 1) ELSE 0 END END,
            CASE WHEN kind = 'pumping_station' THEN CASE WHEN a < 0.25 THEN 1 + floor(2 * b)::int ELSE 0 END END,
            CASE WHEN base IS NOT NULL THEN round((base + 0.5 * a)::numeric, 2) END,
            warn, guar,
            pg_temp.seed_now() - interval '1 minute' * floor(120 * pg_temp.rnd(h, 43)), true
     FROM v`);
  await db.query(
    `INSERT INTO facility_state_history (facility_id, at, water_level_m, level_state)
     SELECT s.facility_id, pg_temp.seed_now() - interval '1 hour' * k,
            round((s.water_level_m - 0.03 * k * pg_temp.rnd(hashint4(s.facility_id), 44) + 0.02 * sin(k / 3.0))::numeric, 2), 'normal'
     FROM facility_state s JOIN facilities f ON f.id = s.facility_id, generate_series(1, 24) k
     WHERE s.synthetic AND f.kind IN ('lake', 'channel')`);
  return `facility states ${res.rowCount ?? 0} (synthetic)`;
}
