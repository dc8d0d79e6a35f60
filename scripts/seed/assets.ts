// Everything that hangs off the roads and the drainage network: facilities, map labels, cameras, IoT sensors
// with a week of observations, GPS vehicles with two hours of track, pipe condition (inspections, defects and
// the 831 hazards) and the 2632 misconnections. All generated in SQL. Random draws are keyed on stable codes or
// sequence numbers, never on identity ids (those move on every re-seed), so the same seed gives the same city.
import { recomputeAll } from '../../server/drainage/condition.ts';
import type pg from 'pg';
import { seedFacilityState } from './facility-state.ts';
import { WUCHANG_CODE } from './boundary.ts';
import { PUMP_STATION_NAMES } from './places.ts';

export const TARGET_CAMERAS = 8000;
export const TARGET_VEHICLES = 120;
export const TARGET_HAZARDS = 831;
export const TARGET_MISCONNECTIONS = 2632;

/** Session helpers shared by the asset and case generators (pg_temp.rnd comes from sqlfns.ts). */
export const SEED_GEO_SQL = `
-- Direction of travel (radians clockwise from north) at fraction f of a line.
CREATE OR REPLACE FUNCTION pg_temp.heading(g geometry, f double precision)
  RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(ST_Azimuth(ST_LineInterpolatePoint(g, greatest(f - 0.002, 0)),
                             ST_LineInterpolatePoint(g, least(f + 0.002, 1))), 0)
$$;
-- A point f (0–1) along a UTM line, moved off it sideways by off metres (positive: right of the direction).
CREATE OR REPLACE FUNCTION pg_temp.along(g geometry, f double precision, off double precision)
  RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Transform(ST_Translate(p, off * cos(b), -off * sin(b)), 4326)
  FROM (SELECT ST_LineInterpolatePoint(g, f) AS p, pg_temp.heading(g, f) AS b) s
$$;
-- A gently meandering line from a to b (same SRID, metres).
CREATE OR REPLACE FUNCTION pg_temp.meander(a geometry, b geometry, amp double precision, phase double precision)
  RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
  SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_X(a) + t * dx - dy / len * w, ST_Y(a) + t * dy + dx / len * w) ORDER BY t),
                    ST_SRID(a))
  FROM (SELECT ST_X(b) - ST_X(a) AS dx, ST_Y(b) - ST_Y(a) AS dy, greatest(ST_Distance(a, b), 1) AS len) v,
       LATERAL (SELECT i / 32.0 AS t FROM generate_series(0, 32) i) s,
       LATERAL (SELECT amp * sin(pi() * t) * sin(2 * pi() * t + phase) AS w) q
$$;
-- exp(-x²), cut off where PostgreSQL's exp() would raise an underflow error.
CREATE OR REPLACE FUNCTION pg_temp.gauss(x double precision) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT exp(-least(x * x, 60)) $$;
-- Response of a level to the week's rain event: rises over 'rise' hours to a peak 'lag' hours after the rain
-- peak, then recedes exponentially with time constant 'decay'.
CREATE OR REPLACE FUNCTION pg_temp.resp(dt double precision, lag double precision, rise double precision,
    decay double precision)
  RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN dt < lag THEN pg_temp.gauss((dt - lag) / rise) ELSE exp(-least((dt - lag) / decay, 60)) END
$$;
`;

/** Needs seed_roads to exist: SQL function bodies are checked when they are created. */
const ROADSIDE_SQL = `
-- n points beside roads, roads drawn in proportion to length × busy (class weight); named: main roads only.
CREATE OR REPLACE FUNCTION pg_temp.roadside(n integer, salt integer, named boolean, off_min double precision,
    off_max double precision)
  RETURNS TABLE (k integer, road text, rn integer, f double precision, bearing double precision, geom geometry)
  LANGUAGE sql AS $$
  WITH r AS (SELECT rn, name, utm, len_m * busy AS w, sum(len_m * busy) OVER (ORDER BY rn) AS hi,
                    sum(len_m * busy) OVER () AS tot
             FROM seed_roads WHERE NOT named OR name IS NOT NULL),
  u AS (SELECT i, pg_temp.rnd(i, salt) AS u FROM generate_series(1, n) i)
  SELECT u.i, r.name, r.rn, x.f, degrees(pg_temp.heading(r.utm, x.f)),
         pg_temp.along(r.utm, x.f, x.side * (off_min + (off_max - off_min) * pg_temp.rnd(u.i, salt + 3)))
  FROM u JOIN r ON u.u * r.tot >= r.hi - r.w AND u.u * r.tot < r.hi,
  LATERAL (SELECT pg_temp.rnd(u.i, salt + 1) AS f,
                  CASE WHEN pg_temp.rnd(u.i, salt + 2) < 0.5 THEN -1 ELSE 1 END AS side) x
$$;
`;

/**
 * The seed's "now": now() of the seeding transaction truncated to 15 minutes, frozen into an IMMUTABLE function
 * so every step and every chunk of cases sees the same instant (restart: a new seed run in the same session). Chosen
 * over a fixed date so that the data looks live (sensors report up to the quarter hour before seeding); every
 * time in the generated data is relative to it, so a re-seed in the same quarter hour gives identical rows.
 * ONEMAP_SEED_NOW (a past instant) fixes it instead: the same rows on any day, and data seeded "at" any hour, which
 * is how the tests are checked against the hour of the day their template happens to be built.
 */
export async function defineSeedClock(db: pg.ClientBase, restart = false): Promise<void> {
  const { rows } = await db.query<{ ok: boolean }>(`SELECT to_regprocedure('pg_temp.seed_now()') IS NOT NULL AS ok`);
  if (rows[0].ok && !restart) return;
  const fixed = process.env.ONEMAP_SEED_NOW || null;
  const { t, future } = (await db.query<{ t: string; future: boolean }>(
    `SELECT date_bin('15 minutes', c, timestamptz '2000-01-01 00:00+00')::text AS t, c > now() AS future
       FROM (SELECT coalesce($1::timestamptz, now()) AS c) s`, [fixed]).catch((e: Error) => {
    throw new Error(`ONEMAP_SEED_NOW=${fixed} is not a timestamp (${e.message})`);
  })).rows[0];
  if (future) throw new Error(`ONEMAP_SEED_NOW=${fixed} is in the future: the seed writes what has happened by then`);
  await db.query(`CREATE OR REPLACE FUNCTION pg_temp.seed_now() RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
                  AS $$ SELECT '${t}'::timestamptz $$`);
}

/**
 * Temp tables the generators sample from: roads numbered by geometry (ids change between seeds, geometry does
 * not), with UTM copies for metre offsets; and each community's land (minus water) with its street.
 */
export async function prepareSeedTables(db: pg.ClientBase): Promise<void> {
  await db.query(SEED_GEO_SQL);
  await db.query(`DROP TABLE IF EXISTS seed_roads, seed_land;
    CREATE TEMP TABLE seed_roads AS
    SELECT row_number() OVER (ORDER BY ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom))::int AS rn,
           name, class, geom, ST_Transform(geom, 32650) AS utm, ST_Length(geom::geography) AS len_m,
           CASE class WHEN 'trunk' THEN 2.5 WHEN 'primary' THEN 2 WHEN 'secondary' THEN 1.6 ELSE 1 END AS busy
    FROM roads WHERE synthetic;
    CREATE INDEX ON seed_roads USING gist (geom);
    CREATE TEMP TABLE seed_land AS
    SELECT row_number() OVER (ORDER BY c.code)::int AS rn, c.code, c.name, c.street_code, s.name AS street_name,
           ST_Multi(ST_CollectionExtract(ST_Difference(c.geom, w.g), 3)) AS geom
    FROM communities c JOIN streets s ON s.code = c.street_code, (SELECT ST_Union(geom) AS g FROM water) w
    WHERE c.synthetic;
    ALTER TABLE seed_land ADD COLUMN area double precision;
    UPDATE seed_land SET area = ST_Area(geom::geography);
    ANALYZE seed_roads; ANALYZE seed_land`);
  await db.query(ROADSIDE_SQL);
}

export interface AssetStep { name: string; run: (db: pg.ClientBase) => Promise<string | void> }

/** The asset steps in order; index.ts times each. Facilities come first: channels add water, sensors use them. */
export const ASSET_STEPS: AssetStep[] = [
  { name: 'facilities', run: seedFacilities },
  { name: 'facility state', run: seedFacilityState },
  { name: 'labels', run: seedLabels },
  { name: 'cameras', run: seedCameras },
  { name: 'sensors and observations', run: seedSensors },
  { name: 'vehicles and tracks', run: seedVehicles },
  { name: 'pipe condition and hazards', run: seedCondition },
  { name: 'misconnections', run: seedMisconnections },
];

export async function seedAssets(db: pg.ClientBase): Promise<void> {
  for (const s of ASSET_STEPS) await s.run(db);
}

// ---------------------------------------------------------------------------------------------------------
// Facilities

/** Pump station names ordered north → south along the river (the order outfalls are renamed in). */
const PUMPS_NORTH_TO_SOUTH = ['罗家路泵站', '余家头泵站', '徐家棚泵站', '新河泵站', '沙湖港泵站', '东湖港泵站', '武丰闸泵站',
  '解放桥泵站', '晒湖泵站', '紫阳湖泵站', '南湖连通泵站', '八铺街泵站', '巡司河泵站', '白沙洲泵站'];
const FLOOD_GATES = ['罗家港闸', '徐家棚闸', '武丰闸', '平湖门闸', '八铺街闸', '白沙洲闸'];
const CHANNELS = [
  { name: '沙湖港', from: '沙湖', to: '长江' },
  { name: '楚河', from: '沙湖', to: '东湖' },
];
const WATERLOGGING_POINTS = 40;

export async function seedFacilities(db: pg.ClientBase): Promise<string> {
  await db.query(SEED_GEO_SQL);
  await bankLine(db);
  const pumps = await renameRiverOutfalls(db);
  await floodGates(db);
  await waterloggingPoints(db);
  await lakesAndChannels(db);
  await prepareSeedTables(db); // after the channels: they are water, not land
  const { rows } = await db.query<{ kind: string; n: number }>(
    `SELECT kind, count(*)::int AS n FROM facilities WHERE synthetic GROUP BY kind ORDER BY kind`);
  return `facilities ${rows.map((r) => `${r.kind} ${r.n}`).join(', ')} (${pumps} outfalls renamed to pumping stations)`;
}

/**
 * The Yangtze bank: the longest stretch of the district outline within ~100 m of the river (the river was cut
 * from a simplified bank, so the two do not touch everywhere), in UTM; and a line 15 m inland of the outline,
 * where things "on the bank" are put so that they lie inside the district.
 */
async function bankLine(db: pg.ClientBase): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS seed_bank;
    CREATE TEMP TABLE seed_bank AS
    SELECT ST_Transform(geom, 32650) AS utm, inland FROM (
      SELECT (ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(ST_Boundary(d.geom), ST_Buffer(r.g, 0.001)), 2)))).geom,
             ST_Boundary(ST_Buffer(ST_Transform(d.geom, 32650), -15)) AS inland
      FROM districts d, (SELECT ST_Union(geom) AS g FROM water WHERE kind = 'river' AND synthetic) r
      WHERE d.code = '${WUCHANG_CODE}') s
    ORDER BY ST_Length(geom) DESC LIMIT 1`);
}

/** The river pumping stations are storm outfalls on the Yangtze, spread evenly north → south among them. */
async function renameRiverOutfalls(db: pg.ClientBase): Promise<number> {
  const rank = (n: string) => (PUMPS_NORTH_TO_SOUTH.indexOf(n) + 100) % 100;
  const names = [...PUMP_STATION_NAMES].sort((a, b) => rank(a) - rank(b));
  const res = await db.query(
    `WITH river AS (SELECT ST_Transform(ST_Union(geom), 32650) AS g FROM water WHERE kind = 'river' AND synthetic),
     cand AS (
       SELECT f.id, f.code, ST_Y(ST_Transform(f.geom, 32650)) AS y
       FROM facilities f JOIN manholes m ON m.id = f.manhole_id, river
       WHERE f.synthetic AND f.kind = 'outfall' AND m.usage = 'rain' AND ST_DWithin(ST_Transform(f.geom, 32650), river.g, 150)),
     ranked AS (SELECT id, code, row_number() OVER (ORDER BY y DESC, code) AS k, count(*) OVER () AS n FROM cand),
     pick AS (SELECT id, code, row_number() OVER (ORDER BY k) AS j FROM ranked
              WHERE k IN (SELECT 1 + floor((g - 0.5) * n / $2)::int FROM generate_series(1, $2) g))
     UPDATE facilities f SET kind = 'pumping_station', name = ($1::text[])[pick.j],
            capacity = round((4 + 26 * pg_temp.rnd(hashtextextended(pick.code, 0), 11))::numeric, 1) || ' m³/s'
     FROM pick WHERE f.id = pick.id`,
    [names, names.length]);
  return res.rowCount ?? 0;
}

async function floodGates(db: pg.ClientBase): Promise<void> {
  await db.query(
    `INSERT INTO facilities (code, name, kind, capacity, synthetic, geom)
     SELECT 'WC-FG-' || lpad(j::text, 2, '0'), ($1::text[])[j], 'flood_gate',
            '闸孔 ' || (1 + floor(3 * pg_temp.rnd(j, 21)))::int || '×' || (3 + floor(3 * pg_temp.rnd(j, 22)))::int || ' m',
            true, ST_Transform(p, 4326)
     FROM (SELECT row_number() OVER (ORDER BY ST_Y(p) DESC) AS j, p
           FROM (SELECT ST_ClosestPoint(inland, ST_LineInterpolatePoint(utm, (g - 0.5) / $2)) AS p
                 FROM seed_bank, generate_series(1, $2) g) a) b`,
    [FLOOD_GATES, FLOOD_GATES.length]);
}

/**
 * Waterlogging points (渍水点): the lowest storm manholes where two named main roads cross, a few per street so
 * they are not all on the riverside (ground falls towards the water). Named after the road and the crossing.
 */
async function waterloggingPoints(db: pg.ClientBase): Promise<void> {
  await db.query(
    `WITH x AS (
       SELECT m.id, m.code, m.geom, m.ground_elev_m, min(p.road_name) AS r1, max(p.road_name) AS r2
       FROM manholes m JOIN pipes p ON p.from_node = m.id OR p.to_node = m.id
       WHERE m.synthetic AND m.network = 'main' AND m.kind = 'manhole' AND m.usage IN ('rain', 'combined')
         AND p.road_name IS NOT NULL
       GROUP BY m.id HAVING count(DISTINCT p.road_name) >= 2),
     s AS (
       SELECT x.*, row_number() OVER (PARTITION BY st.code ORDER BY x.ground_elev_m, x.code) AS k
       FROM x JOIN streets st ON ST_Intersects(st.geom, x.geom) WHERE st.synthetic),
     picked AS (
       SELECT s.*, CASE WHEN pg_temp.rnd(hashtextextended(code, 0), 31) < 0.5 THEN r1 ELSE r2 END AS road,
              row_number() OVER (ORDER BY k, ground_elev_m, code) AS j
       FROM s ORDER BY k, ground_elev_m, code LIMIT $1),
     crossing AS (SELECT picked.*, CASE WHEN road = r1 THEN r2 ELSE r1 END AS cross_road FROM picked),
     -- '中山路渍水点', then '中山路（武珞路口）渍水点', and where that crossing repeats, the community's name
     named AS (
       SELECT crossing.*, row_number() OVER (PARTITION BY road ORDER BY j) AS dup,
              row_number() OVER (PARTITION BY road, cross_road ORDER BY j) AS pair_dup,
              (SELECT replace(c.name, '社区', '') FROM communities c WHERE ST_Intersects(c.geom, crossing.geom)
               ORDER BY c.code LIMIT 1) AS comm
       FROM crossing)
     -- No manhole_id: a facility with a manhole is a sink of the network; this one only sits on its manhole.
     INSERT INTO facilities (code, name, kind, capacity, synthetic, geom)
     SELECT 'WC-ZS-' || lpad(j::text, 3, '0'),
            road || CASE WHEN dup = 1 THEN '' WHEN pair_dup = 1 THEN '（' || cross_road || '口）' ELSE '（' || comm || '）' END || '渍水点',
            'waterlogging_point', '汇水面积 ' || round((2 + 18 * pg_temp.rnd(hashtextextended(code, 0), 32))::numeric, 1) || ' ha',
            true, geom
     FROM named`,
    [WATERLOGGING_POINTS]);
}

/** The monitored lakes (copies of the lake polygons) and two channels, each also a ~25 m wide water polygon. */
async function lakesAndChannels(db: pg.ClientBase): Promise<void> {
  await db.query(
    `INSERT INTO facilities (code, name, kind, capacity, synthetic, geom)
     SELECT 'WC-HP-' || lpad(row_number() OVER (ORDER BY ST_Area(geom) DESC, name)::text, 2, '0'), name, 'lake',
            '水面 ' || round((ST_Area(geom::geography) / 1e6)::numeric, 2) || ' km²', true, geom
     FROM water WHERE kind = 'lake' AND synthetic`);
  for (const [i, c] of CHANNELS.entries()) {
    // From the source lake's shore to the nearest point of the target (the bank for the river), extended 30 m
    // into both so the channel visibly joins them.
    await db.query(
      `WITH a AS (SELECT ST_Transform(geom, 32650) AS g FROM water WHERE name = $2 AND synthetic),
       -- the target's edge: the bank line for the river, the shore for a lake
       b AS (SELECT CASE WHEN w.kind = 'river' THEN (SELECT utm FROM seed_bank) ELSE ST_Boundary(ST_Transform(w.geom, 32650)) END AS edge
             FROM water w WHERE w.name = $3 AND w.synthetic),
       ends AS (SELECT ST_ClosestPoint(ST_Boundary(a.g), pb) AS pa, pb
                FROM a, b, LATERAL (SELECT ST_ClosestPoint(b.edge, ST_Centroid(a.g)) AS pb) q),
       line AS (
         SELECT pg_temp.meander(ST_Translate(pa, -30 * ux, -30 * uy), ST_Translate(pb, 30 * ux, 30 * uy),
                                0.04 * ST_Distance(pa, pb), $4) AS g
         FROM ends, LATERAL (SELECT (ST_X(pb) - ST_X(pa)) / greatest(ST_Distance(pa, pb), 1) AS ux,
                                    (ST_Y(pb) - ST_Y(pa)) / greatest(ST_Distance(pa, pb), 1) AS uy) u),
       f AS (INSERT INTO facilities (code, name, kind, capacity, synthetic, geom)
             SELECT 'WC-QD-' || lpad($1::text, 2, '0'), $5, 'channel', '长 ' || round(ST_Length(g)::numeric) || ' m', true,
                    ST_Transform(g, 4326) FROM line)
       INSERT INTO water (name, kind, synthetic, geom)
       SELECT $5, 'channel', true, ST_Multi(ST_Transform(ST_Buffer(g, 12.5, 'endcap=flat'), 4326)) FROM line`,
      [i + 1, c.from, c.to, 1.3 + i, c.name]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Labels

export async function seedLabels(db: pg.ClientBase): Promise<string> {
  const res = await db.query(
    `INSERT INTO labels (name, kind, rank, minzoom, synthetic, geom)
     SELECT name, 'district', 1, 8, true, ST_PointOnSurface(geom) FROM districts WHERE code = $1
     UNION ALL
     SELECT name, 'street', 2, 11, true, ST_PointOnSurface(geom) FROM streets WHERE synthetic
     UNION ALL
     SELECT name, 'community', 4, 14, true, ST_PointOnSurface(geom) FROM communities WHERE synthetic
     UNION ALL
     -- The river label sits in the reach beside the district, not at the centre of the whole band.
     SELECT w.name, 'water', CASE w.kind WHEN 'river' THEN 1 WHEN 'lake' THEN 2 ELSE 3 END,
            CASE w.kind WHEN 'channel' THEN 14 ELSE 10 END, true,
            ST_PointOnSurface(CASE WHEN w.kind = 'river' THEN ST_Intersection(w.geom, ST_Envelope(d.geom)) ELSE w.geom END)
     FROM water w, districts d WHERE w.synthetic AND d.code = $1
     UNION ALL
     SELECT name, 'road', 3, 13, true, ST_LineInterpolatePoint(geom, 0.5)
     FROM (SELECT DISTINCT ON (name) name, geom FROM roads WHERE synthetic AND name IS NOT NULL
           ORDER BY name, ST_Length(geom) DESC, ST_XMin(geom)) r`,
    [WUCHANG_CODE]);
  return `labels ${res.rowCount}`;
}

// ---------------------------------------------------------------------------------------------------------
// Cameras

const CAMERA_SHARE_ROAD = 0.85; // the rest stand in residential compounds
const CAMERA_KIND_ZH = `CASE kind WHEN 'gun' THEN '枪机' WHEN 'dome' THEN '半球' WHEN 'ptz' THEN '球机' ELSE '鱼眼' END`;

export async function seedCameras(db: pg.ClientBase): Promise<string> {
  await cameraPositions(db);
  await db.query(
    `WITH c AS (
       SELECT s.*, r.*,
              CASE WHEN src = 'compound' THEN (CASE WHEN u1 < 0.35 THEN 'gun' WHEN u1 < 0.85 THEN 'dome' WHEN u1 < 0.9 THEN 'ptz' ELSE 'fisheye' END)
                   ELSE (CASE WHEN u1 < 0.58 THEN 'gun' WHEN u1 < 0.78 THEN 'dome' WHEN u1 < 0.94 THEN 'ptz' ELSE 'fisheye' END) END AS kind,
              CASE WHEN u2 < 0.055 THEN 'offline' WHEN u2 < 0.08 THEN 'damaged' ELSE 'online' END AS status
       FROM seed_cam s,
       LATERAL (SELECT pg_temp.rnd(seq, 231) AS u1, pg_temp.rnd(seq, 232) AS u2, pg_temp.rnd(seq, 233) AS u3,
                       pg_temp.rnd(seq, 234) AS u4, pg_temp.rnd(seq, 235) AS u5, pg_temp.rnd(seq, 236) AS u6) r),
     v AS (
       SELECT c.*,
              -- Guns look along the road (either way) or across it; the rest point anywhere.
              CASE WHEN kind = 'gun' AND bearing IS NOT NULL
                   THEN bearing + CASE WHEN u3 < 0.6 THEN 180 * floor(2 * u4) ELSE 90 + 180 * floor(2 * u4) END + 30 * (u5 - 0.5)
                   WHEN kind = 'fisheye' THEN 0 ELSE 360 * u3 END AS az,
              CASE kind WHEN 'gun' THEN 50 + 40 * u4 WHEN 'dome' THEN 90 + 20 * u4 WHEN 'ptz' THEN 360
                        ELSE CASE WHEN u4 < 0.5 THEN 180 ELSE 360 END END AS hfov,
              CASE kind WHEN 'ptz' THEN 150 WHEN 'fisheye' THEN 30 + 20 * u5 WHEN 'dome' THEN 30 + 40 * u5 ELSE 50 + 70 * u5 END AS range,
              ((pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::date - 30 - floor(4200 * u6)::int) AS installed
       FROM c)
     INSERT INTO cameras (code, name, kind, azimuth_deg, hfov_deg, range_m, height_m, status, status_since, stream_url,
                          owner, grid_code, installed_on, synthetic, geom)
     SELECT code, label || '-' || lpad(row_number() OVER (PARTITION BY label ORDER BY seq)::text, 4, '0') || ' ' || ${CAMERA_KIND_ZH},
            kind, ((round(az * 10)::int % 3600 + 3600) % 3600) / 10.0, round(hfov::numeric, 1), round(range::numeric),
            round((4 + 4 * pg_temp.rnd(seq, 237))::numeric, 1), status,
            -- online: since the last reconnect (≤ 60 days); offline: 1–25 days; damaged: 3–300 days; not before installation
            greatest((installed + time '09:00') AT TIME ZONE 'Asia/Shanghai', pg_temp.seed_now() - CASE status
              WHEN 'online' THEN make_interval(mins => floor(86400 * pg_temp.rnd(seq, 238))::int)
              WHEN 'offline' THEN make_interval(mins => floor(60 * (24 + 24 * 24 * pg_temp.rnd(seq, 238)))::int)
              ELSE make_interval(days => 3 + floor(300 * pg_temp.rnd(seq, 238) ^ 2)::int) END),
            'rtsp://video.example.invalid/' || code || '/main',
            CASE WHEN src = 'compound' THEN (CASE WHEN u3 < 0.7 THEN '物业' ELSE '社区' END)
                 WHEN u4 < 0.55 THEN '公安' WHEN u4 < 0.75 THEN '交管' WHEN u4 < 0.9 THEN '城管' ELSE '水务' END,
            grid_code, installed, true, geom
     FROM (SELECT v.*, '4201060000' || CASE WHEN pg_temp.rnd(seq, 239) < 0.85 THEN '132' ELSE '131' END || '0' || lpad(seq::text, 6, '0') AS code
           FROM v) w`);
  await cameraStatusHistory(db);
  const { rows } = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM cameras WHERE synthetic GROUP BY 1 ORDER BY 1`);
  return `cameras ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}`;
}

/**
 * Camera sites: points a few metres off the roads (more on busy ones) and points inside compounds, kept only
 * where they fall in a unit grid, then cut to exact counts. seq (1…8000, ordered by grid) keys the camera.
 */
async function cameraPositions(db: pg.ClientBase): Promise<void> {
  const road = Math.round(TARGET_CAMERAS * CAMERA_SHARE_ROAD);
  const compound = TARGET_CAMERAS - road;
  await db.query('DROP TABLE IF EXISTS seed_cam');
  await db.query(
    `CREATE TEMP TABLE seed_cam AS
     WITH pts AS (
       SELECT 'road'::text AS src, k, road AS label, bearing, geom FROM pg_temp.roadside($1, 210, false, 3, 8)
       UNION ALL
       SELECT 'compound', 10000000 * l.rn + p.path[1], replace(l.name, '社区', '') || '小区', NULL, p.geom
       FROM seed_land l, (SELECT sum(area) AS a FROM seed_land) t,
            LATERAL ST_Dump(ST_GeneratePoints(l.geom, greatest(1, round($2 * l.area / t.a))::int, 7000 + l.rn)) p
       WHERE l.area > 0),
     placed AS (
       SELECT pts.*, g.code AS grid_code, g.name AS comm FROM pts,
       LATERAL (SELECT g.code, c.name FROM grids g JOIN communities c ON c.code = g.community_code
                WHERE ST_Intersects(g.geom, pts.geom) ORDER BY g.code LIMIT 1) g),
     kept AS (SELECT placed.*, row_number() OVER (PARTITION BY src ORDER BY pg_temp.rnd(k, 220), k) AS r FROM placed)
     SELECT row_number() OVER (ORDER BY grid_code, k)::int AS seq, src,
            coalesce(label, comm) AS label, bearing, grid_code, geom
     FROM kept WHERE r <= CASE src WHEN 'road' THEN $3::int ELSE $4::int END`,
    [Math.round(road * 1.08), Math.round(compound * 1.15), road, compound]);
}

/**
 * 30 days of status history per camera (synthetic, deterministic), the same rows the live cameras write,
 * then the days rolled up from them as the server does: online from the window's start, with a short
 * outage on ~3 % of days before its last change; an online camera reconnected at status_since after an
 * outage of 5 minutes to 4 hours; the others have been offline or damaged since status_since.
 */
async function cameraStatusHistory(db: pg.ClientBase): Promise<void> {
  await db.query(
    `WITH cam AS (SELECT id, status, status_since, right(code, 6)::int AS seq FROM cameras WHERE synthetic),
     w AS (SELECT ((pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::date - 29)::timestamp AT TIME ZONE 'Asia/Shanghai' AS t0),
     outages AS (
       SELECT cam.id, o.off, o.off + o.dur AS back, cam.status_since FROM cam, w, generate_series(0, 29) k,
       LATERAL (SELECT w.t0 + make_interval(days => k, mins => floor(20 * 60 * pg_temp.rnd(cam.seq * 64 + k, 243))::int) AS off,
                       make_interval(mins => floor(24 * 60 * (0.05 + 0.65 * pg_temp.rnd(cam.seq * 64 + k, 242)))::int) AS dur) o
       WHERE pg_temp.rnd(cam.seq * 64 + k, 241) < 0.03)
     INSERT INTO status_history (thing, id, at, status, synthetic)
     SELECT 'camera', id, w.t0, 'online', true FROM cam, w WHERE status_since > w.t0
     UNION ALL
     SELECT 'camera', id, off, 'offline', true FROM outages WHERE back < status_since - interval '4 hours 5 minutes'
     UNION ALL
     SELECT 'camera', id, back, 'online', true FROM outages WHERE back < status_since - interval '4 hours 5 minutes'
     UNION ALL
     SELECT 'camera', id, status_since - make_interval(mins => 5 + floor(235 * pg_temp.rnd(seq, 244))::int), 'offline', true
     FROM cam, w WHERE status = 'online' AND status_since - interval '4 hours' > w.t0
     UNION ALL
     SELECT 'camera', id, status_since, status, true FROM cam`);
  await db.query(
    `SELECT camera_status_roll_up((pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::date - 29, (pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::date, pg_temp.seed_now())`);
}

// ---------------------------------------------------------------------------------------------------------
// Sensors: stations, datastreams (thresholds are data per stream), a week of 15-minute observations.

interface StreamTemplate {
  kind: string; quantity: string; unit: string; direction?: 'above' | 'below';
  /** SQL expressions over the station row st (st.d diameter m, st.depth m, st.usage, st.site) and r1…r3. */
  warn: string | null; alarm: string | null;
  base: string; amp?: string; profile?: 'flat' | 'sewage' | 'day' | 'meal' | 'sun' | 'trend' | 'rain';
  noise?: string; gain?: string; lag?: number; rise?: number; decay?: number;
  lo?: string; hi?: string;
  /** share of streams that drift towards target over the last hours (blockage, leak, smell). */
  anomaly?: number; target?: string;
  when?: string;
}

const STREAMS: StreamTemplate[] = [
  // Manhole level: depth of water above the invert; warn at the outgoing pipe's crown (surcharge), alarm 0.5 m
  // below the cover (about to overflow).
  { kind: 'manhole_level', quantity: 'water_level', unit: 'm', warn: 'st.d', alarm: 'greatest(st.depth - 0.5, st.d + 0.3)',
    base: `CASE st.usage WHEN 'sewage' THEN (0.2 + 0.15 * r1) * st.d WHEN 'combined' THEN (0.15 + 0.1 * r1) * st.d ELSE 0.03 + 0.05 * r1 END`,
    amp: `CASE st.usage WHEN 'rain' THEN 0.01 ELSE 0.15 * st.d END`, profile: 'sewage', noise: '0.01',
    gain: '(0.5 + 0.9 * r2) * st.d', lag: 0.6, rise: 0.8, decay: 1.5, lo: '0', hi: 'st.depth',
    anomaly: 0.06, target: 'st.d * (1.02 + 0.4 * r3)' },
  { kind: 'manhole_level', quantity: 'h2s', unit: 'ppm', warn: '5', alarm: '10', when: `st.usage <> 'rain'`,
    base: '0.3 + 1.5 * r1', amp: '1.2', profile: 'sewage', noise: '0.3', gain: '-0.8', lag: 0.5, rise: 1, decay: 6, lo: '0',
    anomaly: 0.05, target: '5.5 + 8 * r3' },
  // Road ponding: GB 50014 allows 15 cm in one lane; 27 cm (half a wheel) stops traffic.
  { kind: 'ponding', quantity: 'ponding_depth', unit: 'cm', warn: '15', alarm: '27',
    base: '-4', gain: '8 + 30 * r2', lag: 0.4, rise: 0.6, decay: 0.8, lo: '0' },
  // Rain: ≥20 mm/h is short-duration heavy rain (短时强降水).
  { kind: 'rain', quantity: 'rainfall_intensity', unit: 'mm/h', warn: '20', alarm: '40', base: '0', profile: 'rain',
    gain: '0.8 + 0.55 * r2', lo: '0' },
  // Lake levels (Wusong datum), warn/alarm near the control levels of Wuhan's city lakes.
  { kind: 'lake_level', quantity: 'water_level', unit: 'm', warn: '19.65', alarm: '20.15', base: '18.95 + 0.25 * r1',
    noise: '0.004', gain: '0.12 + 0.2 * r2', lag: 6, rise: 4, decay: 48 },
  // The Yangtze at Wuchang, falling in the dry season; 25.0 m 设防, 27.3 m 警戒 (Hankou gauge).
  { kind: 'river_level', quantity: 'water_level', unit: 'm', warn: '25.0', alarm: '27.3', base: '15.7 + 0.1 * r1',
    amp: '0.35', profile: 'trend', noise: '0.01', gain: '0.08', lag: 12, rise: 8, decay: 60 },
  // Storm outfalls: dry-weather flow (sewage mis-connected upstream) with the sewage rhythm, storm peaks.
  { kind: 'flow', quantity: 'flow', unit: 'm³/s', warn: '0.8 * st.qf', alarm: 'st.qf', base: '0.004 + 0.03 * r1',
    amp: '0.03 * r1', profile: 'sewage', noise: '0.003', gain: '(0.4 + 0.55 * r2) * st.qf', lag: 0.7, rise: 0.8, decay: 1.2, lo: '0' },
  // Velocity: above ~3 m/s a concrete pipe scours (GB 50014 upper limit for non-metallic pipes is 5 m/s).
  { kind: 'flow', quantity: 'velocity', unit: 'm/s', warn: '3', alarm: '4', when: 'r3 < 0.5', base: '0.1 + 0.2 * r1',
    amp: '0.1', profile: 'sewage', noise: '0.02', gain: '1 + 0.8 * r2', lag: 0.7, rise: 0.8, decay: 1.2, lo: '0', hi: '3.5' },
  // Receiving water quality (GB 3838 class IV/V limits), first flush after the rain, DO lowest before dawn.
  { kind: 'water_quality', quantity: 'cod', unit: 'mg/L', warn: '30', alarm: '40',
    base: `CASE st.site WHEN 'lake' THEN 12 + 14 * r1 ELSE 16 + 18 * r1 END`, noise: '1.2', gain: '8 + 18 * r2', lag: 1.5, rise: 1, decay: 8, lo: '2' },
  { kind: 'water_quality', quantity: 'nh3n', unit: 'mg/L', warn: '1.5', alarm: '2.0',
    base: `CASE st.site WHEN 'lake' THEN 0.3 + 1.0 * r1 ELSE 0.5 + 1.4 * r1 END`, noise: '0.05', gain: '0.4 + 0.8 * r2',
    lag: 1.5, rise: 1, decay: 10, lo: '0.05' },
  { kind: 'water_quality', quantity: 'do', unit: 'mg/L', direction: 'below', warn: '3', alarm: '2', base: '5 + 2 * r1',
    amp: '1.2', profile: 'sun', noise: '0.1', gain: '-1.5 - 1.5 * r2', lag: 3, rise: 2, decay: 12, lo: '0.2' },
  // Pumping station outlet pressure.
  { kind: 'pressure', quantity: 'pressure', unit: 'MPa', warn: '0.4', alarm: '0.5', base: '0.12 + 0.1 * r1', amp: '0.05',
    profile: 'sewage', noise: '0.008', gain: '0.12 + 0.1 * r2', lag: 0.5, rise: 1, decay: 2, lo: '0' },
  // Public toilets: ammonia with the day's use.
  { kind: 'toilet_nh3', quantity: 'nh3', unit: 'ppm', warn: '1', alarm: '3', base: '0.08 + 0.15 * r1', amp: '0.3 + 0.4 * r1',
    profile: 'day', noise: '0.04', lo: '0', anomaly: 0.12, target: '1.2 + 2.5 * r3' },
  // Restaurant LPG leak detectors (%LEL) and kitchen fume monitors (GB 18483 limit 2.0 mg/m³).
  { kind: 'lpg', quantity: 'lpg', unit: '%LEL', warn: '20', alarm: '25', base: '0.3 + 0.8 * r1', amp: '1.5', profile: 'meal',
    noise: '0.3', lo: '0', anomaly: 0.1, target: '18 + 12 * r3' },
  { kind: 'fume', quantity: 'fume', unit: 'mg/m³', warn: '1.6', alarm: '2.0', base: '0.12 + 0.15 * r1', amp: '0.5 + 0.6 * r1',
    profile: 'meal', noise: '0.06', lo: '0', anomaly: 0.2, target: '1.5 + 0.9 * r3' },
];

const PROFILE_SQL: Record<string, string> = {
  flat: '0',
  sewage: '0.15 + 0.55 * pg_temp.gauss((x.h - 8.5) / 2) + 0.45 * pg_temp.gauss((x.h - 19.5) / 2.5)',
  day: 'pg_temp.gauss((x.h - 13) / 4)',
  meal: 'pg_temp.gauss((x.h - 11.8) / 0.9) + 0.9 * pg_temp.gauss((x.h - 18.3) / 1.1)',
  sun: 'sin(2 * pi() * (x.h - 9) / 24)',
  trend: 'x.age_h / 168',
  rain: '0',
};
const WEEK_STEPS = 7 * 96; // 15-minute steps
const RAIN_HOURS_AGO = 84; // the rain event peaks mid-week, 3.5 days before the seed's now

export async function seedSensors(db: pg.ClientBase): Promise<string> {
  await sensorStations(db);
  await datastreams(db);
  await observations(db);
  await sensorStatus(db);
  const { rows } = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM sensor_stations WHERE synthetic GROUP BY 1 ORDER BY 1`);
  const obs = await db.query<{ n: number; s: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT datastream_id)::int AS s FROM observations o
     JOIN datastreams d ON d.id = o.datastream_id JOIN sensor_stations st ON st.id = d.station_id WHERE st.synthetic`);
  return `stations ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}; ${obs.rows[0].s} datastreams, ${obs.rows[0].n} observations`;
}

/** Stations per kind, each SELECT yielding (kind, j, name, facility_id, manhole_id, d, depth, usage, site, geom). */
async function sensorStations(db: pg.ClientBase): Promise<void> {
  const stationSelects = [
    // Manhole level: one candidate per grid on the main network, then a spread of 110 of them.
    `SELECT 'manhole_level', row_number() OVER (ORDER BY o), coalesce(road || ' ', '') || code || ' 液位计', NULL::int, id,
            d, depth, usage, NULL, geom
     FROM (SELECT DISTINCT ON (g.code) m.id, m.code, m.depth_m AS depth, m.usage, m.geom,
                  pg_temp.rnd(hashtextextended(m.code, 0), 402) AS o,
                  (SELECT max(p.diameter_mm) / 1000.0 FROM pipes p WHERE p.from_node = m.id) AS d,
                  (SELECT min(p.road_name) FROM pipes p WHERE p.from_node = m.id) AS road
           FROM manholes m JOIN grids g ON ST_Intersects(g.geom, m.geom)
           WHERE m.synthetic AND m.network = 'main' AND m.kind = 'manhole'
             AND EXISTS (SELECT 1 FROM pipes p WHERE p.from_node = m.id)
           ORDER BY g.code, pg_temp.rnd(hashtextextended(m.code, 0), 401)) m
     ORDER BY o LIMIT 110`,
    `SELECT 'ponding', row_number() OVER (ORDER BY f.code), replace(f.name, '渍水点', '') || '积水监测点', f.id, m.id,
            NULL, NULL, NULL, NULL, f.geom
     FROM facilities f LEFT JOIN LATERAL (SELECT id FROM manholes m WHERE m.synthetic ORDER BY m.geom <-> f.geom LIMIT 1) m ON true
     WHERE f.synthetic AND f.kind = 'waterlogging_point'`,
    // Rain gauges: one per street, then a second one in six of them.
    `SELECT 'rain', row_number() OVER (ORDER BY k, o), replace(name, '社区', '') || '雨量站', NULL, NULL, NULL, NULL, NULL, NULL,
            ST_PointOnSurface(geom)
     FROM (SELECT l.*, row_number() OVER (PARTITION BY street_code ORDER BY pg_temp.rnd(rn, 411)) AS k,
                  pg_temp.rnd(rn, 412) AS o FROM seed_land l WHERE NOT ST_IsEmpty(geom)) s
     ORDER BY k, o LIMIT 20`,
    lakeShoreSelect('lake_level', '号水位站', { 东湖: 3, 沙湖: 2, 南湖: 2 }, 1, 421),
    `SELECT 'river_level', j, '长江' || replace(s.name, '街道', '') || '水位站', NULL, NULL, NULL, NULL, NULL, NULL, ST_Transform(p, 4326)
     FROM (SELECT g AS j, ST_ClosestPoint(inland, ST_LineInterpolatePoint(utm, (g - 0.3) / 3)) AS p
           FROM seed_bank, generate_series(1, 3) g) b
     JOIN LATERAL (SELECT name FROM streets ORDER BY geom <-> ST_Transform(b.p, 4326) LIMIT 1) s ON true`,
    `SELECT 'flow', row_number() OVER (ORDER BY o), name || ' 流量计', id, manhole_id, d, NULL, NULL, NULL, geom
     FROM (SELECT f.*, pg_temp.rnd(hashtextextended(f.code, 0), 431) AS o,
                  (SELECT max(p.diameter_mm) / 1000.0 FROM pipes p WHERE p.to_node = f.manhole_id) AS d
           FROM facilities f WHERE f.synthetic AND f.kind = 'outfall' ORDER BY o LIMIT 30) f`,
    `SELECT 'water_quality', row_number() OVER (ORDER BY o), name || ' 水质站', id, manhole_id, NULL, NULL, NULL, 'outfall', geom
     FROM (SELECT f.*, pg_temp.rnd(hashtextextended(f.code, 0), 441) AS o
           FROM facilities f WHERE f.synthetic AND f.kind = 'outfall' ORDER BY o LIMIT 14) f`,
    lakeShoreSelect('water_quality', '号水质站', { 东湖: 4, 沙湖: 3, 南湖: 3, 紫阳湖: 2, 晒湖: 2, 水果湖: 2 }, 1, 451, 100),
    `SELECT 'pressure', row_number() OVER (ORDER BY o), name || ' 出水压力', id, manhole_id, NULL, NULL, NULL, NULL, geom
     FROM (SELECT f.*, pg_temp.rnd(hashtextextended(f.code, 0), 461) AS o
           FROM facilities f WHERE f.synthetic AND f.kind = 'pumping_station' ORDER BY o LIMIT 10) f`,
    roadsideSelect('toilet_nh3', 25, 470, false, `coalesce(road, replace(comm, '社区', '')) || '公厕'`),
    roadsideSelect('lpg', 12, 480, true, `road || '餐饮燃气监测'`),
    roadsideSelect('fume', 10, 490, true, `road || '餐饮油烟监测'`),
  ];
  const prefix: Record<string, string> = { manhole_level: 'YW', ponding: 'JS', rain: 'YL', lake_level: 'HW', river_level: 'JW',
    flow: 'LL', water_quality: 'SZ', pressure: 'YA', toilet_nh3: 'GC', lpg: 'RQ', fume: 'YY' };
  await db.query(
    `DROP TABLE IF EXISTS seed_st;
     CREATE TEMP TABLE seed_st (kind text, j int, name text, facility_id int, manhole_id int, d float8, depth float8,
                                usage text, site text, geom geometry);
     ${stationSelects.map((s) => `INSERT INTO seed_st ${s};`).join('\n')}
     ALTER TABLE seed_st ADD COLUMN code text, ADD COLUMN key bigint, ADD COLUMN qf float8;
     UPDATE seed_st SET code = 'WC-IOT-' || ('${JSON.stringify(prefix)}'::jsonb ->> kind) || '-' || lpad(j::text, 3, '0'),
                        -- full-pipe capacity at ~2 m/s, for the outfall flow thresholds
                        qf = round((pi() * coalesce(d, 1) ^ 2 / 4 * 2)::numeric, 2);
     UPDATE seed_st SET key = hashtextextended(code, 0);
     -- Outfalls and pumping stations can sit a few metres past the outline; their sensors go just inside it.
     UPDATE seed_st s SET geom = ST_Transform(ST_ClosestPoint(b.inland, ST_Transform(s.geom, 32650)), 4326)
     FROM seed_bank b, districts d WHERE d.code = '${WUCHANG_CODE}' AND NOT ST_Intersects(d.geom, s.geom);
     INSERT INTO sensor_stations (code, name, kind, facility_id, manhole_id, synthetic, geom)
     SELECT code, name, kind, facility_id, manhole_id, true, geom FROM seed_st ORDER BY code`);
}

/** Stations on the lakes' shores inside the district, `per` lake by name (default `dflt`); j numbered from jBase. */
function lakeShoreSelect(kind: string, suffix: string, per: Record<string, number>, dflt: number, salt: number, jBase = 0): string {
  return `SELECT '${kind}', ${jBase} + row_number() OVER (ORDER BY f.name, g), f.name || g || '${suffix}', f.id, NULL, NULL, NULL, NULL, 'lake',
            ST_LineInterpolatePoint(shore, least(0.999, (g - 1 + 0.3 + 0.4 * pg_temp.rnd(${salt} + g, hashtext(f.name))) / n))
     FROM facilities f JOIN districts d ON d.code = '${WUCHANG_CODE}',
     LATERAL (SELECT coalesce(('${JSON.stringify(per)}'::jsonb ->> f.name)::int, ${dflt}) AS n) c,
     LATERAL (SELECT geom AS shore FROM ST_Dump(ST_LineMerge(ST_CollectionExtract(
                ST_Intersection(ST_Boundary(f.geom), ST_Buffer(d.geom, -0.0005)), 2))) ORDER BY ST_Length(geom) DESC LIMIT 1) s,
     generate_series(1, c.n) g
     WHERE f.synthetic AND f.kind = 'lake'`;
}

/** Stations 10–20 m off the road (toilets, restaurants), kept where they fall inside a grid (name may use comm). */
function roadsideSelect(kind: string, n: number, salt: number, named: boolean, name: string): string {
  return `SELECT '${kind}', row_number() OVER (ORDER BY k), ${name}, NULL, NULL, NULL, NULL, NULL, NULL, geom
     FROM pg_temp.roadside(${n * 2}, ${salt}, ${named}, 10, 20) r,
     LATERAL (SELECT c.name AS comm FROM grids g JOIN communities c ON c.code = g.community_code
              WHERE ST_Intersects(g.geom, r.geom) ORDER BY g.code LIMIT 1) g
     ORDER BY k LIMIT ${n}`;
}

/** Datastreams from the templates, with per-station parameters in seed_ds for the observation generator. */
async function datastreams(db: pg.ClientBase): Promise<void> {
  const selects = STREAMS.map((s, i) => `
    SELECT st.code, '${s.quantity}', '${s.unit}', '${s.direction ?? 'above'}', ${s.warn ?? 'NULL'}, ${s.alarm ?? 'NULL'},
           ${s.base}, ${s.amp ?? '0'}, '${s.profile ?? 'flat'}', ${s.noise ?? '0'}, ${s.gain ?? '0'},
           ${s.lag ?? 0}, ${s.rise ?? 1}, ${s.decay ?? 1}, ${s.lo ?? "'-infinity'"}, ${s.hi ?? "'infinity'"},
           CASE WHEN r4 < ${s.anomaly ?? 0} THEN (${s.target ?? 'NULL'})::float8 END, 1 + 5 * r3,
           hashtextextended(st.code || '/${s.quantity}', 0)
    FROM seed_st st, LATERAL (SELECT pg_temp.rnd(st.key, ${500 + i * 10}) AS r1, pg_temp.rnd(st.key, ${501 + i * 10}) AS r2,
                                     pg_temp.rnd(st.key, ${502 + i * 10}) AS r3, pg_temp.rnd(st.key, ${503 + i * 10}) AS r4) r
    WHERE st.kind = '${s.kind}'${s.when ? ` AND (${s.when})` : ''}`);
  await db.query(
    `DROP TABLE IF EXISTS seed_ds;
     CREATE TEMP TABLE seed_ds (code text, quantity text, unit text, direction text, warn float8, alarm float8,
       base float8, amp float8, profile text, noise float8, gain float8, lag float8, rise float8, decay float8,
       lo float8, hi float8, target float8, ramp_h float8, key bigint);
     ${selects.map((s) => `INSERT INTO seed_ds ${s};`).join('\n')}
     UPDATE seed_ds SET warn = round(warn::numeric, 2), alarm = round(alarm::numeric, 2);
     INSERT INTO datastreams (station_id, quantity, unit, direction, warn_level, alarm_level)
     SELECT s.id, d.quantity, d.unit, d.direction, d.warn, d.alarm
     FROM seed_ds d JOIN sensor_stations s ON s.code = d.code ORDER BY d.code, d.quantity`);
}

/**
 * 672 quarter-hours per stream: base + diurnal profile + response to the mid-week rain + noise, and for a few
 * streams a drift over the last hours towards a value past the warning level. ~3% of stations went offline
 * some hours ago and have no data since.
 */
async function observations(db: pg.ClientBase): Promise<void> {
  const profile = Object.entries(PROFILE_SQL).map(([k, v]) => `WHEN '${k}' THEN ${v}`).join(' ');
  await db.query(
    `INSERT INTO observations (datastream_id, t, value)
     SELECT ds.id, t, round(greatest(d.lo, least(d.hi, v))::numeric, 3)::float8
     FROM seed_ds d JOIN sensor_stations s ON s.code = d.code JOIN datastreams ds ON ds.station_id = s.id AND ds.quantity = d.quantity,
     LATERAL (SELECT CASE WHEN pg_temp.rnd(hashtextextended(d.code, 0), 599) < 0.03
                          THEN 2 + 58 * pg_temp.rnd(hashtextextended(d.code, 0), 598) ELSE 0 END AS cut_h,
                     -- the storm crosses the district west to east in about 20 minutes
                     (ST_X(s.geom) - 114.3) * 3.2 AS shift_h) o,
     generate_series(0, ${WEEK_STEPS - 1}) k,
     LATERAL (SELECT pg_temp.seed_now() - make_interval(mins => 15 * k) AS t, k * 0.25 AS age_h) a,
     LATERAL (SELECT ((extract(epoch FROM a.t) / 3600 + 8) % 24) AS h,
                     ${RAIN_HOURS_AGO} - a.age_h - o.shift_h AS dt, a.age_h) x,
     LATERAL (SELECT CASE d.profile
                WHEN 'rain' THEN d.gain * (30 * pg_temp.gauss(x.dt / 1.6) + 10 * pg_temp.gauss((x.dt - 4) / 2.5))
                ELSE d.base + d.amp * (CASE d.profile ${profile} END)
                     + d.gain * pg_temp.resp(x.dt, d.lag, d.rise, d.decay)
                     + d.noise * (2 * pg_temp.rnd(k, d.key) - 1)
                     + coalesce((d.target - d.base) * greatest(0, 1 - x.age_h / d.ramp_h), 0) END AS v) val
     WHERE a.age_h >= o.cut_h
     ORDER BY ds.id, t`);
}

/** last_value/last_at per stream; station status from the last values against the thresholds. */
async function sensorStatus(db: pg.ClientBase): Promise<void> {
  await db.query(
    `UPDATE datastreams ds SET last_value = o.value, last_at = o.t
     FROM (SELECT DISTINCT ON (datastream_id) datastream_id, value, t FROM observations o
           WHERE datastream_id IN (SELECT d.id FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id WHERE s.synthetic)
           ORDER BY datastream_id, t DESC) o
     WHERE ds.id = o.datastream_id;
     UPDATE sensor_stations s SET status = x.status
     FROM (SELECT station_id,
                  CASE WHEN max(last_at) < pg_temp.seed_now() - interval '1 hour' THEN 'offline'
                       WHEN bool_or(CASE direction WHEN 'above' THEN last_value >= alarm_level ELSE last_value <= alarm_level END) THEN 'alarm'
                       WHEN bool_or(CASE direction WHEN 'above' THEN last_value >= warn_level ELSE last_value <= warn_level END) THEN 'warning'
                       ELSE 'normal' END AS status
           FROM datastreams GROUP BY station_id) x
     WHERE s.id = x.station_id AND s.synthetic`);
  // The threshold state the live ingest continues from, and an alarm row for each stream above a level
  // (raised when its readings first crossed it in the latest run above the threshold).
  await db.query(
    `UPDATE datastreams d SET level = CASE
        WHEN CASE direction WHEN 'above' THEN last_value >= alarm_level ELSE last_value <= alarm_level END THEN 'alarm'
        WHEN CASE direction WHEN 'above' THEN last_value >= warn_level ELSE last_value <= warn_level END THEN 'warning' ELSE 'normal' END
     FROM sensor_stations s WHERE s.id = d.station_id AND s.synthetic AND s.status <> 'offline';
     INSERT INTO alarms (datastream_id, station_id, level, raised_at, raised_value, peak_value, synthetic)
     SELECT d.id, d.station_id, d.level, coalesce(r.t, d.last_at), coalesce(r.value, d.last_value), coalesce(r.peak, d.last_value), true
     FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id AND s.synthetic
     LEFT JOIN LATERAL (
       SELECT min(o.t) AS t, (array_agg(o.value ORDER BY o.t))[1] AS value,
              CASE WHEN d.direction = 'above' THEN max(o.value) ELSE min(o.value) END AS peak
       FROM observations o WHERE o.datastream_id = d.id AND o.t > coalesce((
         SELECT max(b.t) FROM observations b WHERE b.datastream_id = d.id
           AND NOT CASE d.direction WHEN 'above' THEN b.value >= d.warn_level ELSE b.value <= d.warn_level END), '-infinity')) r ON true
     WHERE d.level <> 'normal'`);
}

// ---------------------------------------------------------------------------------------------------------
// Vehicles

const VEHICLE_KINDS: [kind: string, count: number, minKmh: number, spanKmh: number][] = [
  ['sanitation', 48, 5, 5], ['drainage', 32, 10, 8], ['inspection', 24, 12, 10], ['emergency', 16, 15, 15],
];

/**
 * 120 GPS vehicles, each working one road for the last two hours: distance s(t) = v·t + (v/ω)·sin(ωt + φ), so the
 * speed v·(1 + cos(ωt + φ)) swings between stops and twice the average; at a road's end it turns back.
 */
export async function seedVehicles(db: pg.ClientBase): Promise<string> {
  const kinds = VEHICLE_KINDS.flatMap(([k, n, lo, span]) => Array.from({ length: n }, () => ({ k, lo, span })));
  await db.query('DROP TABLE IF EXISTS seed_veh, seed_vpos');
  await db.query(
    `CREATE TEMP TABLE seed_veh AS
     SELECT i, u.kind, r.rn, r.f,
            CASE WHEN s.u < 0.82 THEN 'on_duty' WHEN s.u < 0.93 THEN 'idle' ELSE 'offline' END AS status,
            -- plates: a letter and four digits; i·7919 mod 10000 is a bijection, so they are unique
            '鄂A·' || substr('ABCDEFGHJKLMNPQRSTUVWXYZ', (1 + (i * 7) % 24)::int, 1) || lpad(((i * 7919 + 421) % 10000)::text, 4, '0') AS plate,
            u.lo + u.span * pg_temp.rnd(i, 611) AS vavg, 2 * pi() / (0.2 + 0.4 * pg_temp.rnd(i, 612)) AS om,
            2 * pi() * pg_temp.rnd(i, 613) AS ph,
            240 - CASE WHEN s.u >= 0.93 THEN 40 + floor(160 * pg_temp.rnd(i, 614))::int ELSE 0 END AS last_k
     FROM unnest($1::text[], $2::float8[], $3::float8[]) WITH ORDINALITY AS u(kind, lo, span, i),
     LATERAL (SELECT pg_temp.rnd(i, 601) AS u) s,
     LATERAL (SELECT rn, f FROM pg_temp.roadside(1, (620 + i)::int, u.kind <> 'sanitation', 0, 0)) r`,
    [kinds.map((x) => x.k), kinds.map((x) => x.lo), kinds.map((x) => x.span)]);
  await db.query(
    `CREATE TEMP TABLE seed_vpos AS
     SELECT v.i, k, pg_temp.seed_now() - make_interval(secs => 30 * (240 - k)) AS t,
            CASE WHEN v.status = 'idle' THEN 0 ELSE round((v.vavg * (1 + cos(v.om * tt + v.ph)))::numeric, 1) END AS speed,
            ST_LineInterpolatePoint(r.utm, CASE WHEN p <= 1 THEN p ELSE 2 - p END) AS utm
     FROM seed_veh v JOIN seed_roads r ON r.rn = v.rn, generate_series(0, 240) k,
     LATERAL (SELECT k / 120.0 AS tt) a,
     LATERAL (SELECT v.f * r.len_m + CASE WHEN v.status = 'idle' THEN 0
                       ELSE v.vavg * 1000 * (tt + (sin(v.om * tt + v.ph) - sin(v.ph)) / v.om) END AS s) b,
     LATERAL (SELECT (s / r.len_m) - 2 * floor(s / r.len_m / 2) AS p) c
     WHERE k <= v.last_k`);
  await db.query(
    `INSERT INTO vehicles (plate, kind, status, synthetic) SELECT plate, kind, status, true FROM seed_veh ORDER BY i;
     INSERT INTO vehicle_positions (vehicle_id, t, speed_kmh, geom)
     SELECT vh.id, p.t, p.speed, ST_Transform(p.utm, 4326)
     FROM seed_vpos p JOIN seed_veh v ON v.i = p.i JOIN vehicles vh ON vh.plate = v.plate
     ORDER BY vh.id, p.t;
     UPDATE vehicles vh SET geom = ST_Transform(cur.utm, 4326), speed_kmh = cur.speed, updated_at = cur.t,
            heading_deg = round(degrees(coalesce(ST_Azimuth(prev.utm, cur.utm), 0))::numeric, 1)
     FROM seed_veh v JOIN seed_vpos cur ON cur.i = v.i AND cur.k = v.last_k
     LEFT JOIN seed_vpos prev ON prev.i = v.i AND prev.k = v.last_k - 1
     WHERE vh.plate = v.plate AND vh.synthetic`);
  const { rows } = await db.query<{ n: number; p: number }>(
    `SELECT count(DISTINCT v.id)::int AS n, count(*)::int AS p FROM vehicles v JOIN vehicle_positions p ON p.vehicle_id = v.id
     WHERE v.synthetic`);
  return `vehicles ${rows[0].n}, positions ${rows[0].p}`;
}

// ---------------------------------------------------------------------------------------------------------
// Pipe condition (CJJ 181) on the main network

/** Defect code mixes: [code, weight]. Minor defects get grade 1–2; the hazards grade 3–4. */
const MINOR_CODES: [string, number][] = [
  ['PL', 15], ['CK', 10], ['TJ', 10], ['SL', 8], ['FS', 6], ['BX', 4], ['QF', 4], ['AJ', 4], ['CR', 3], ['TL', 3],
  ['CJ', 18], ['JG', 6], ['ZW', 6], ['SG', 3], ['CQ', 2], ['FZ', 5],
];
const HAZARD_CODES: [string, number][] = [
  ['PL', 20], ['TJ', 14], ['CK', 12], ['SL', 12], ['BX', 8], ['FS', 6], ['CJ', 14], ['ZW', 8], ['SG', 6],
];
const INSPECTED_SHARE = 0.45;

export async function seedCondition(db: pg.ClientBase): Promise<string> {
  const cum = (set: string, codes: [string, number][]) => {
    const total = codes.reduce((s, [, w]) => s + w, 0);
    let acc = 0;
    return codes.map(([code, w]) => { const lo = acc / total; acc += w; return { set, code, lo, hi: acc / total }; });
  };
  const table = [...cum('minor', MINOR_CODES), ...cum('hazard', HAZARD_CODES)];
  table[MINOR_CODES.length - 1].hi = 1.0001;
  table[table.length - 1].hi = 1.0001;
  await db.query('DROP TABLE IF EXISTS seed_codes, seed_insp');
  await db.query(
    `CREATE TEMP TABLE seed_codes AS SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS u(set, code, lo, hi)`,
    [table.map((t) => t.set), table.map((t) => t.code), table.map((t) => t.lo), table.map((t) => t.hi)]);
  await db.query(
    `-- The hazard pipes: a weighted draw favouring old pipes; then ~45% of main pipes inspected, hazards included.
     CREATE TEMP TABLE seed_insp AS
     WITH p AS (SELECT id, code, length_m, built_year, hashtextextended(code, 0) AS key
                FROM pipes WHERE synthetic AND network = 'main'),
     total AS (SELECT count(*) AS n FROM p),
     h AS (SELECT id FROM p ORDER BY pg_temp.rnd(key, 701) ^ (1 / (0.3 + (2025 - coalesce(built_year, 2000)) / 20.0)) DESC, code
           LIMIT $1)
     SELECT p.*, p.id IN (SELECT id FROM h) AS hazard FROM p, total
     WHERE p.id IN (SELECT id FROM h) OR pg_temp.rnd(p.key, 702) < ($2::float8 * total.n - $1) / (total.n - $1)`,
    [TARGET_HAZARDS, INSPECTED_SHARE]);
  await db.query(
    `INSERT INTO inspections (pipe_id, inspected_at, method, direction, inspected_length_m, operator, synthetic)
     SELECT id, (pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::date - floor(CASE WHEN hazard THEN 730 ELSE 1460 END * pg_temp.rnd(key, 703))::int,
            CASE WHEN u < CASE WHEN hazard THEN 0.9 ELSE 0.8 END THEN 'CCTV' WHEN u < 0.92 THEN 'QV' WHEN u < 0.97 THEN 'sonar' ELSE 'manual' END,
            CASE WHEN pg_temp.rnd(key, 705) < 0.85 THEN 'downstream' ELSE 'upstream' END,
            round((length_m * CASE WHEN pg_temp.rnd(key, 706) < 0.9 THEN 1 ELSE 0.5 + 0.5 * pg_temp.rnd(key, 707) END)::numeric, 1),
            (ARRAY['区排水所检测一队', '区排水所检测二队', '外委检测单位'])[1 + floor(3 * pg_temp.rnd(key, 708))::int], true
     FROM seed_insp, LATERAL (SELECT pg_temp.rnd(key, 704) AS u) r
     ORDER BY code`);
  // Defect n = 0 is the hazard (hazard pipes only); n = 1…count are minor ones.
  await db.query(
    `INSERT INTO defects (inspection_id, code, grade, distance_m, length_m, clock_from, clock_to)
     SELECT i.id, c.code,
            CASE WHEN n = 0 THEN CASE WHEN c.code = 'FS' OR r.g < 0.65 THEN 3 ELSE 4 END ELSE CASE WHEN r.g < 0.65 THEN 1 ELSE 2 END END,
            round((r.pos * s.length_m)::numeric, 1),
            CASE WHEN dc.continuous THEN round(least(greatest(s.length_m * (1 - r.pos), 0.5), 1 + 12 * r.len)::numeric, 1) ELSE 1 END,
            cf, CASE WHEN dc.kind = 'functional' AND c.code IN ('CJ', 'JG') THEN 8 ELSE ((cf + floor(4 * r.len)::int) % 12) + 1 END
     FROM seed_insp s JOIN inspections i ON i.pipe_id = s.id AND i.synthetic
     CROSS JOIN generate_series(0, 3) n
     CROSS JOIN LATERAL (SELECT pg_temp.rnd(s.key, 711 + 10 * n) AS code_u, pg_temp.rnd(s.key, 712 + 10 * n) AS g,
                                pg_temp.rnd(s.key, 713 + 10 * n) AS pos, pg_temp.rnd(s.key, 714 + 10 * n) AS len,
                                pg_temp.rnd(s.key, 715) AS cnt, pg_temp.rnd(s.key, 716 + 10 * n) AS clock) r
     JOIN seed_codes c ON c.set = CASE WHEN n = 0 THEN 'hazard' ELSE 'minor' END AND r.code_u >= c.lo AND r.code_u < c.hi
     JOIN defect_codes dc ON dc.code = c.code
     CROSS JOIN LATERAL (SELECT CASE WHEN dc.kind = 'functional' AND c.code IN ('CJ', 'JG') THEN 4
                                     ELSE 1 + floor(12 * r.clock)::int END AS cf) k
     WHERE (n = 0 AND s.hazard)
        OR (n >= 1 AND n <= CASE WHEN s.hazard THEN floor(3 * r.cnt)
                                 WHEN r.cnt < 0.35 THEN 0 WHEN r.cnt < 0.7 THEN 1 WHEN r.cnt < 0.9 THEN 2 ELSE 3 END)
     ORDER BY i.id, n`);
  await db.query(
    `INSERT INTO hazards (pipe_id, defect_id, code, grade, status, found_at, description, synthetic, geom)
     SELECT p.id, d.id, d.code, d.grade,
            CASE WHEN u < 0.1 THEN 'found' WHEN u < 0.7 THEN 'confirmed' WHEN u < 0.88 THEN 'in_repair' WHEN u < 0.96 THEN 'fixed' ELSE 'verified' END, i.inspected_at,
            dc.name_zh || ' ' || d.grade || '级，管段 ' || p.code || ' 距起点 ' || to_char(d.distance_m, 'FM99990.0') || ' m', true,
            ST_LineInterpolatePoint(p.geom, least(1, d.distance_m / greatest(p.length_m, 0.1)))
     FROM defects d JOIN inspections i ON i.id = d.inspection_id AND i.synthetic JOIN pipes p ON p.id = i.pipe_id
     JOIN defect_codes dc ON dc.code = d.code,
     LATERAL (SELECT pg_temp.rnd(hashtextextended(p.code, 0), 721) AS u) r
     WHERE d.grade >= 3 ORDER BY p.code`);
  const { rows } = await db.query<{ i: number; d: number; h: number }>(
    `SELECT (SELECT count(*) FROM inspections WHERE synthetic)::int AS i,
            (SELECT count(*) FROM defects d JOIN inspections i ON i.id = d.inspection_id WHERE i.synthetic)::int AS d,
            (SELECT count(*) FROM hazards WHERE synthetic)::int AS h`);
  // CJJ 181 scores of every inspected reach, by the same engine the server runs on each change.
  const scored = await recomputeAll(db);
  return `inspections ${rows[0].i}, defects ${rows[0].d}, hazards ${rows[0].h}, reaches scored ${scored}`;
}

// ---------------------------------------------------------------------------------------------------------
// Misconnections (雨污混接) on the community network

/**
 * 2632 community manholes of the separate systems: sewage entering storm drains at storm manholes (60%), storm
 * water entering sewers at sewage manholes (30%), other (10%). A weighted draw (u^(1/w)) clusters them in some
 * neighbourhoods, as surveys find.
 */
export async function seedMisconnections(db: pg.ClientBase): Promise<string> {
  const n = TARGET_MISCONNECTIONS;
  const s2s = Math.round(n * 0.6);
  const st2s = Math.round(n * 0.3);
  const res = await db.query(
    `WITH m AS (
       SELECT m.id, m.code, m.usage, m.geom, hashtextextended(m.code, 0) AS key,
              1 + 0.8 * sin(ST_X(m.geom) * 314) * cos(ST_Y(m.geom) * 290) AS w
       FROM manholes m JOIN districts d ON d.code = '${WUCHANG_CODE}' AND ST_Intersects(d.geom, m.geom)
       WHERE m.synthetic AND m.network = 'community' AND m.kind = 'manhole' AND m.usage IN ('rain', 'sewage')),
     ranked AS (SELECT m.*, row_number() OVER (PARTITION BY usage ORDER BY pg_temp.rnd(key, 801) ^ (1 / w) DESC, code) AS r
                FROM m),
     picked AS (
       SELECT ranked.*, 'sanitary_to_storm' AS kind FROM ranked WHERE usage = 'rain' AND r <= $1
       UNION ALL SELECT ranked.*, 'storm_to_sanitary' FROM ranked WHERE usage = 'sewage' AND r <= $2
       UNION ALL (SELECT ranked.*, 'other' FROM ranked WHERE (usage = 'rain' AND r > $1) OR (usage = 'sewage' AND r > $2)
                  ORDER BY pg_temp.rnd(key, 802) ^ (1 / w) DESC, code LIMIT $3))
     INSERT INTO misconnections (pipe_id, manhole_id, kind, status, found_at, flow_m3d, synthetic, geom)
     SELECT coalesce((SELECT p.id FROM pipes p WHERE p.from_node = picked.id ORDER BY p.code LIMIT 1),
                     (SELECT p.id FROM pipes p WHERE p.to_node = picked.id ORDER BY p.code LIMIT 1)),
            id, kind, st.status,
            (pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::date
              - CASE WHEN st.status IN ('fixed', 'verified') THEN 180 + floor(915 * u2) ELSE floor(1095 * u2) END::int,
            round(exp(ln(2) + ln(100) * pg_temp.rnd(key, 805) ^ 1.5)::numeric, 1), true, geom
     FROM picked,
     LATERAL (SELECT pg_temp.rnd(key, 803) AS u1, pg_temp.rnd(key, 804) AS u2) r,
     LATERAL (SELECT CASE WHEN u1 < 0.5 THEN 'found' WHEN u1 < 0.65 THEN 'confirmed' WHEN u1 < 0.8 THEN 'in_repair'
                          WHEN u1 < 0.93 THEN 'fixed' ELSE 'verified' END AS status) st
     ORDER BY code`,
    [s2s, st2s, n - s2s - st2s]);
  return `misconnections ${res.rowCount}`;
}
