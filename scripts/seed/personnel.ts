// Synthetic people and devices on duty, so that a fresh start shows them: a 网格员 in about one grid in
// eight (grids that are mostly land), four 执法队员 per street, each wearing a 执法记录仪 (body-worn recorder)
// that stands where its officer does, and a vehicle camera on every inspection and emergency vehicle. Everyone
// shares their position (as the field app does on duty) and has the last 20 minutes of track; about one in
// twenty reads offline. Names are made up. Nothing writes liveness: seeded things stand as they are until
// a feed (`npm run simulate`) reports for them.
import type pg from 'pg';

/** Officers per street (执法中队 on a shift). */
const ENFORCERS_PER_STREET = 4;
/** The share of (mostly land) grids whose 网格员 is on duty. */
const GRID_SHARE = 0.125;
/** Minutes of seeded track, one fix a minute. */
const TRACK_MINUTES = 20;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红波宁斌浩凯亮琳晨宇欣婷雪峰';

/** The temp table of the seeded staff, with the area each one was placed in. */
const STAFF_SQL = `
CREATE TEMP TABLE seed_staff AS
WITH land AS (
  SELECT g.code, l.street_code, ST_Multi(ST_CollectionExtract(ST_Intersection(g.geom, l.geom), 3)) AS geom, ST_Area(g.geom::geography) AS a
  FROM grids g JOIN seed_land l ON l.code = g.community_code WHERE g.synthetic),
grid_workers AS (
  SELECT 'grid_worker' AS role_kind, code, geom, hashtext(code)::bigint AS h FROM land
  WHERE pg_temp.rnd(hashtext(code), 901) < $1 AND ST_Area(geom::geography) > 0.6 * a),
enforcers AS (
  SELECT 'enforcer' AS role_kind, code, geom, hashtext(code)::bigint + 7 AS h FROM (
    SELECT code, geom, row_number() OVER (PARTITION BY street_code ORDER BY pg_temp.rnd(hashtext(code), 902), code) AS k
    FROM land WHERE ST_Area(geom::geography) > 0.6 * a) x
  WHERE k <= $2)
SELECT row_number() OVER (ORDER BY role_kind DESC, code)::int AS i, role_kind, code, geom, h
FROM (SELECT * FROM grid_workers UNION ALL SELECT * FROM enforcers) s;`;

export async function seedPersonnel(db: pg.ClientBase): Promise<string> {
  // Each one's walk: four points in its grid's land, joined; the fixes go along it, the last at the end.
  await db.query('DROP TABLE IF EXISTS seed_staff');
  await db.query(STAFF_SQL, [GRID_SHARE, ENFORCERS_PER_STREET]);
  await db.query(`
    ALTER TABLE seed_staff ADD COLUMN walk geometry;
    UPDATE seed_staff SET walk = (SELECT ST_MakeLine(p.geom ORDER BY p.path[1]) FROM ST_Dump(ST_GeneratePoints(geom, 4, (h & 1048575)::int + 1)) p)`);
  const staff = await db.query(
    `INSERT INTO staff (name, role_kind, grid_code, on_duty, sharing, duty_since, status, updated_at, synthetic, last_position)
     SELECT substr($1, 1 + (pg_temp.rnd(h, 903) * length($1))::int % length($1), 1)
              || substr($2, 1 + (pg_temp.rnd(h, 904) * length($2))::int % length($2), 1)
              || CASE WHEN pg_temp.rnd(h, 905) < 0.6 THEN substr($2, 1 + (pg_temp.rnd(h, 906) * length($2))::int % length($2), 1) ELSE '' END,
            role_kind, code, true, true, pg_temp.seed_now() - make_interval(mins => 30 + floor(240 * pg_temp.rnd(h, 907))::int),
            CASE WHEN pg_temp.rnd(h, 908) < 0.05 THEN 'offline' ELSE 'on_duty' END,
            pg_temp.seed_now() - make_interval(secs => floor(50 * pg_temp.rnd(h, 909))::int), true, ST_EndPoint(walk)
     FROM seed_staff ORDER BY i`, [SURNAMES, GIVEN]);
  await db.query(`ALTER TABLE seed_staff ADD COLUMN id int;
    UPDATE seed_staff s SET id = t.id FROM staff t WHERE t.synthetic AND t.grid_code = s.code AND t.role_kind = s.role_kind`);
  // Each officer's recorder: its code names the street's squad; one in ten is down (a flat battery, a fault).
  const recorders = await db.query(
    `INSERT INTO devices (code, kind, staff_id, status, updated_at, synthetic, geom)
     SELECT 'ZFJLY-' || left(s.code, 9) || '-' || lpad(row_number() OVER (PARTITION BY left(s.code, 9) ORDER BY s.i)::text, 2, '0'),
            'body_camera', s.id,
            CASE WHEN pg_temp.rnd(s.h, 911) < 0.07 THEN 'offline' WHEN pg_temp.rnd(s.h, 911) < 0.1 THEN 'damaged' ELSE 'online' END,
            t.updated_at, true, t.last_position
     FROM seed_staff s JOIN staff t ON t.id = s.id WHERE s.role_kind = 'enforcer' ORDER BY s.i`);
  const vehicleCameras = await db.query(
    `INSERT INTO devices (code, kind, vehicle_id, status, updated_at, synthetic, geom)
     SELECT 'CZSP-' || lpad(row_number() OVER (ORDER BY v.plate)::text, 3, '0'), 'vehicle_camera', v.id,
            CASE WHEN v.status = 'offline' THEN 'offline' ELSE 'online' END, v.updated_at, true, v.geom
     FROM vehicles v WHERE v.synthetic AND v.kind IN ('inspection', 'emergency') AND v.geom IS NOT NULL ORDER BY v.plate`);
  // The last minutes of track, for people and the recorders they wear alike.
  const fixes = await db.query(
    `WITH f AS (
       SELECT s.id, t.updated_at - make_interval(mins => k) AS t, ST_LineInterpolatePoint(s.walk, 1 - k::float8 / $1) AS geom
       FROM seed_staff s JOIN staff t ON t.id = s.id, generate_series(0, $1) k)
     INSERT INTO track_points (thing, id, t, geom)
     SELECT 'staff', id, t, geom FROM f
     UNION ALL
     SELECT 'device', d.id, f.t, f.geom FROM f JOIN devices d ON d.staff_id = f.id AND d.synthetic`, [TRACK_MINUTES]);
  return `staff ${staff.rowCount ?? 0}, recorders ${recorders.rowCount ?? 0}, vehicle cameras ${vehicleCameras.rowCount ?? 0}, track points ${fixes.rowCount ?? 0}`;
}
