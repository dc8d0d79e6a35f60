// The synthetic Wuchang matches the figures of the README's synthetic-data table and is internally consistent.
import { describe, expect, it } from 'vitest';
import { STREETS } from '../../scripts/seed/places.ts';
import { useTestDatabase } from '../helpers/db.ts';

const test = useTestDatabase();
const one = async (sql: string) => Object.values((await test.client.query(sql)).rows[0])[0] as number;

describe('admin units', () => {
  it('14 streets with their real names, ~140 communities, 1367 unit grids with 15-digit codes', async () => {
    const streets = (await test.client.query('SELECT name FROM streets ORDER BY code')).rows.map((r) => r.name);
    expect(streets).toEqual(STREETS.map((s) => s.name));
    expect(Number(await one('SELECT count(*) FROM communities'))).toBe(140);
    expect(Number(await one('SELECT count(*) FROM grids'))).toBe(1367);
    expect(Number(await one(`SELECT count(*) FROM grids WHERE code !~ '^420106[0-9]{9}$' OR left(code, 12) <> community_code`))).toBe(0);
  });

  it('grids tile the district without gaps or overlaps', async () => {
    const { rows } = await test.client.query(`
      SELECT ST_Area(d.geom::geography) AS district,
             (SELECT ST_Area(ST_Union(geom)::geography) FROM grids) AS union_area,
             (SELECT sum(ST_Area(geom::geography)) FROM grids) AS sum_area
      FROM districts d`);
    const { district, union_area, sum_area } = rows[0];
    expect(Math.abs(union_area - district) / district).toBeLessThan(0.001);
    expect(Math.abs(sum_area - union_area) / union_area).toBeLessThan(0.001);
  });
});

describe('drainage network', () => {
  it('about 256 km of main-road and 430 km of community pipes', async () => {
    const { rows } = await test.client.query(`SELECT network, sum(length_m) / 1000 AS km FROM pipes GROUP BY network`);
    const km = Object.fromEntries(rows.map((r) => [r.network, Number(r.km)]));
    expect(km.main).toBeGreaterThan(256 * 0.95);
    expect(km.main).toBeLessThan(256 * 1.05);
    expect(km.community).toBeGreaterThan(430 * 0.95);
    expect(km.community).toBeLessThan(430 * 1.05);
  });

  it('is a forest draining to sinks: one outflow per manhole, none from a sink, no cycles', async () => {
    expect(Number(await one(`SELECT count(*) FROM (SELECT from_node FROM pipes GROUP BY from_node HAVING count(*) > 1) x`))).toBe(0);
    const sinks = `SELECT manhole_id FROM facilities WHERE manhole_id IS NOT NULL`;
    expect(Number(await one(`SELECT count(*) FROM pipes WHERE from_node IN (${sinks})`))).toBe(0);
    // Every manhole with a pipe reaches a sink going downstream.
    const stranded = await one(`
      WITH RECURSIVE down(node, depth) AS (
        SELECT id, 0 FROM manholes
        UNION ALL
        SELECT p.to_node, d.depth + 1 FROM down d JOIN pipes p ON p.from_node = d.node WHERE d.depth < 2000)
      SELECT count(*) FROM manholes m
      WHERE EXISTS (SELECT 1 FROM pipes WHERE from_node = m.id OR to_node = m.id)
        AND NOT EXISTS (SELECT 1 FROM facilities f WHERE f.manhole_id = m.id)
        AND NOT EXISTS (SELECT 1 FROM pipes p WHERE p.from_node = m.id)`);
    expect(Number(stranded)).toBe(0);
  });

  it('pipes join their manholes and every reach falls in the direction of flow', async () => {
    expect(Number(await one(`SELECT count(*) FROM pipes p JOIN manholes a ON a.id = p.from_node
                               WHERE NOT ST_DWithin(ST_StartPoint(p.geom)::geography, a.geom::geography, 0.01)`))).toBe(0);
    expect(Number(await one(`SELECT count(*) FROM pipes WHERE up_invert_m <= down_invert_m`))).toBe(0);
    expect(Number(await one(`SELECT avg(depth_m) FROM manholes`))).toBeGreaterThan(1.2);
  });

  it('831 hazards on main pipes and 2632 misconnections on community pipes', async () => {
    expect(Number(await one(`SELECT count(*) FROM hazards h JOIN pipes p ON p.id = h.pipe_id WHERE p.network = 'main'`))).toBe(831);
    expect(Number(await one(`SELECT count(*) FROM hazards`))).toBe(831);
    expect(Number(await one(`SELECT count(*) FROM misconnections m JOIN pipes p ON p.id = m.pipe_id WHERE p.network = 'community'`))).toBe(2632);
  });
});

describe('assets, sensors and cases', () => {
  it('8000 cameras, about 8 % not online', async () => {
    expect(Number(await one('SELECT count(*) FROM cameras'))).toBe(8000);
    const off = Number(await one(`SELECT avg((status <> 'online')::int) FROM cameras`));
    expect(off).toBeGreaterThan(0.06);
    expect(off).toBeLessThan(0.1);
  });

  it('~300 stations with a week of observations and thresholds; 120 vehicles with tracks', async () => {
    const stations = Number(await one('SELECT count(*) FROM sensor_stations'));
    expect(stations).toBeGreaterThanOrEqual(280);
    expect(stations).toBeLessThanOrEqual(320);
    const span = Number(await one(`SELECT extract(epoch FROM max(t) - min(t)) / 86400 FROM observations`));
    expect(span).toBeGreaterThanOrEqual(6.9);
    expect(Number(await one(`SELECT count(*) FROM datastreams WHERE warn_level IS NULL AND alarm_level IS NULL`))).toBe(0);
    expect(Number(await one('SELECT count(*) FROM vehicles'))).toBe(120);
    expect(Number(await one('SELECT count(DISTINCT vehicle_id) FROM vehicle_positions'))).toBe(120);
  });

  it('cases carry grid, community and street consistent with their position, and the aggregates match', async () => {
    const n = Number(await one('SELECT count(*) FROM cases'));
    expect(n).toBeGreaterThan(0);
    expect(Number(await one('SELECT sum(n) FROM case_cells WHERE z = 10'))).toBe(n);
    expect(Number(await one('SELECT sum(n_open) FROM case_cells WHERE z = 4'))).toBe(Number(await one(`SELECT count(*) FROM cases WHERE case_is_open(status)`)));
    const sample = await test.client.query(`SELECT count(*) FILTER (WHERE g.code = c.grid_code) AS ok, count(*) AS n
                                  FROM (SELECT * FROM cases ORDER BY id LIMIT 2000) c LEFT JOIN grids g ON ST_Contains(g.geom, c.geom)`);
    expect(Number(sample.rows[0].ok) / Number(sample.rows[0].n)).toBeGreaterThan(0.97);
    expect(Number(await one(`SELECT count(*) FROM cases WHERE left(grid_code, 12) <> community_code OR left(grid_code, 9) <> street_code`))).toBe(0);
  });

  it('everything generated is marked synthetic', async () => {
    for (const t of ['streets', 'communities', 'grids', 'roads', 'water', 'manholes', 'pipes', 'hazards', 'misconnections', 'facilities', 'cameras', 'sensor_stations', 'vehicles', 'cases', 'staff', 'devices']) {
      expect(Number(await one(`SELECT count(*) FROM ${t} WHERE NOT synthetic`)), t).toBe(0);
    }
  });
});

describe('people and devices on duty', () => {
  it('网格员 in a sample of grids and four 执法队员 per street, on duty and sharing, each inside their grid', async () => {
    const { rows } = await test.client.query<{ role_kind: string; n: string; inside: string; sharing: string }>(`
      SELECT role_kind, count(*) AS n, count(*) FILTER (WHERE ST_Contains(g.geom, s.last_position)) AS inside, count(*) FILTER (WHERE s.on_duty AND s.sharing) AS sharing
      FROM staff s JOIN grids g ON g.code = s.grid_code GROUP BY role_kind ORDER BY role_kind`);
    const by = Object.fromEntries(rows.map((r) => [r.role_kind, r]));
    expect(Number(by.enforcer.n)).toBe(14 * 4);
    expect(Number(by.grid_worker.n)).toBeGreaterThan(1367 * 0.08);
    expect(Number(by.grid_worker.n)).toBeLessThan(1367 * 0.15);
    for (const r of rows) expect([r.inside, r.sharing]).toEqual([r.n, r.n]);
    // Four officers in each street.
    expect(Number(await one(`SELECT count(DISTINCT left(grid_code, 9)) FROM staff WHERE role_kind = 'enforcer'`))).toBe(14);
  });

  it('each officer wears a recorder where they stand; inspection and emergency vehicles carry a camera; all have a recent track', async () => {
    expect(Number(await one(`SELECT count(*) FROM staff s LEFT JOIN devices d ON d.staff_id = s.id AND d.kind = 'body_camera'
                              WHERE s.role_kind = 'enforcer' AND (d.id IS NULL OR NOT ST_Equals(d.geom, s.last_position))`))).toBe(0);
    expect(Number(await one(`SELECT count(*) FROM devices d JOIN vehicles v ON v.id = d.vehicle_id
                              WHERE d.kind = 'vehicle_camera' AND v.kind IN ('inspection', 'emergency') AND ST_Equals(d.geom, v.geom)`))).toBe(40);
    // The last fix of each track is where the person is now.
    expect(Number(await one(`SELECT count(*) FROM staff s WHERE NOT EXISTS (
                               SELECT 1 FROM track_points t WHERE t.thing = 'staff' AND t.id = s.id AND t.t = s.updated_at AND ST_Equals(t.geom, s.last_position))`))).toBe(0);
    // Nothing reported live yet: the seed's state stands until a feed speaks (the sweep leaves them alone).
    expect(Number(await one(`SELECT count(*) FROM liveness WHERE thing IN ('staff', 'device')`))).toBe(0);
  });
});
