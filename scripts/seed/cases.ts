// City-management cases (数字城管) at any scale, 200k by default and 5.32M for benchmarks. Generated in SQL in
// chunks of whole days, oldest first, so ids and case numbers run in time order. Each case takes a position
// from a precomputed candidate table (points beside roads, on land, around hot spots, each with its grid,
// community and street found once by a spatial join) plus a jitter of under 3 m, so no case needs a spatial join
// of its own; and it gets one case_transitions row per workflow step it has passed by the seed's now.
import type pg from 'pg';
import { defineSeedClock, prepareSeedTables } from './assets.ts';
import { hashRandom } from './random.ts';
import { SQL_HELPERS } from './sqlfns.ts';
import { foldCaseCells } from '../../server/cases/cell-fold.ts';

const CHUNK = 250_000; // cases per INSERT statement
const DAYS = 1096; // three years back, today included
const GROWTH = 1.6; // daily volume now ÷ volume three years ago
const DRAINAGE_SHARE = 0.25; // drainage items are over-represented (the drainage views need cases)
/** Where reports come from (cumulative thresholds are built from this). IoT alarms are drainage items only. */
const SOURCES: [string, number][] = [['inspector', 0.45], ['citizen', 0.35], ['video', 0.1], ['iot', 0.05], ['superior', 0.05]];
const IOT_SHARE = SOURCES.find(([s]) => s === 'iot')![1];
const SLOTS = 8192; // resolution of the item lookup tables
const QUANTILES = 2000; // resolution of the time-of-day lookup table

/** Reports per hour of the day (relative): quiet at night, peaks mid-morning and mid-afternoon. */
const HOURLY = [0.15, 0.08, 0.05, 0.04, 0.05, 0.1, 0.35, 0.8, 1.4, 1.9, 2.0, 1.7, 1.1, 1.3, 1.7, 1.8, 1.6, 1.3, 0.9, 0.7,
  0.55, 0.45, 0.3, 0.2];

/** Busier streets (old town, commerce, transport hubs) get more cases per area. */
const STREET_BUSY: Record<string, number> = {
  积玉桥街道: 1.5, 杨园街道: 1.1, 徐家棚街道: 1.3, 粮道街道: 1.5, 中华路街道: 1.6, 黄鹤楼街道: 1.4, 紫阳街道: 1.2,
  首义路街道: 1.4, 中南路街道: 1.6, 水果湖街道: 1.3, 珞珈山街道: 0.9, 石洞街道: 0.8, 南湖街道: 1.0, 白沙洲街道: 0.7,
};

/** The department that handles a subclass; street-level order is handled by the street's own squad ({street}). */
const UNITS: Record<string, string> = {
  C01: '区城管执法局', C02: '区建设局', C03: '区环卫中心', C04: '区园林局', C05: '区房管局', C06: '区城管执法局',
  C07: '区水务和湖泊局', C08: '区建设局', C09: '区水务和湖泊局', C10: '区城管执法局', C11: '区水务和湖泊局', C12: '区建设局',
  E01: '区环卫中心', E02: '区城管执法局', E03: '区建设局', E04: '区应急管理局', E05: '{street}综合执法中队',
  E06: '{street}综合执法中队', E07: '区水务和湖泊局', E08: '区城管执法局', E09: '区建设局', E10: '区园林局',
  E11: '区生态环境分局', E12: '交管武昌大队',
};

type Role = 'source' | 'accept' | 'inspector' | 'dispatch' | 'unit';
interface Step { from: string | null; to: string; role: Role; dur: string; flag: string; note?: string }

/**
 * The workflow (server/domain/cases/workflow.ts) as the steps a case can pass, in order. dur is the SQL for the seconds since the
 * previous step passed; flag says whether the case takes this step at all (both over the per-case row r). A case
 * has passed a step when its offset from the report is no later than the seed's now; its status is the last one.
 */
const STEPS: Step[] = [
  { from: null, to: 'reported', role: 'source', dur: '0', flag: 'true' },
  { from: 'reported', to: 'rejected', role: 'accept', dur: 'r.d_acc', flag: 'r.rej', note: 'rej_note' },
  { from: 'reported', to: 'accepted', role: 'accept', dur: 'r.d_acc', flag: 'NOT r.rej' },
  { from: 'accepted', to: 'verified', role: 'inspector', dur: 'r.d_ver', flag: 'NOT r.rej', note: `'核实属实'` },
  { from: 'verified', to: 'registered', role: 'accept', dur: 'r.d_reg', flag: 'NOT r.rej', note: `'立案'` },
  { from: 'registered', to: 'dispatched', role: 'dispatch', dur: 'r.d_dis', flag: 'NOT r.rej', note: `'派遣至' || unit` },
  { from: 'dispatched', to: 'returned', role: 'unit', dur: 'r.d_ret', flag: 'NOT r.rej AND r.ret', note: `'非本单位职责，申请回退'` },
  { from: 'returned', to: 'dispatched', role: 'dispatch', dur: 'r.d_redis', flag: 'NOT r.rej AND r.ret', note: `'改派至' || unit` },
  { from: 'dispatched', to: 'in_progress', role: 'unit', dur: 'r.d_prog', flag: 'NOT r.rej' },
  { from: 'in_progress', to: 'suspended', role: 'dispatch', dur: 'r.d_sus', flag: 'NOT r.rej AND r.sus', note: `'需多部门协调，挂账'` },
  { from: 'suspended', to: 'in_progress', role: 'unit', dur: 'r.d_res', flag: 'NOT r.rej AND r.sus', note: `'恢复处置'` },
  { from: 'in_progress', to: 'handled', role: 'unit', dur: 'r.d_hand', flag: 'NOT r.rej', note: `'处置完毕'` },
  { from: 'handled', to: 'checking', role: 'inspector', dur: 'r.d_chk', flag: 'NOT r.rej' },
  { from: 'checking', to: 'reworked', role: 'inspector', dur: 'r.d_rw', flag: 'NOT r.rej AND r.rw', note: `'核查未通过，返工'` },
  { from: 'reworked', to: 'in_progress', role: 'unit', dur: 'r.d_rwp', flag: 'NOT r.rej AND r.rw' },
  { from: 'in_progress', to: 'handled', role: 'unit', dur: 'r.d_rwh', flag: 'NOT r.rej AND r.rw', note: `'返工完毕'` },
  { from: 'handled', to: 'checking', role: 'inspector', dur: 'r.d_rwc', flag: 'NOT r.rej AND r.rw' },
  { from: 'checking', to: 'closed', role: 'accept', dur: 'r.d_close', flag: 'NOT r.rej', note: `'核查通过，结案'` },
];
const TRANSITION_STRIDE = 20; // transition id = base + case sequence × 20 + step: stable and unique

export async function seedCases(db: pg.ClientBase, n: number, log: (m: string) => void = () => {}): Promise<string> {
  if (n <= 0) return 'no cases';
  await db.query(SQL_HELPERS);
  await defineSeedClock(db);
  if (!(await db.query(`SELECT to_regclass('pg_temp.seed_roads') IS NOT NULL AS ok`)).rows[0].ok) await prepareSeedTables(db);
  const t0 = Date.now();
  // Bigger sorts and CTE buffers in memory for the bulk statements (this transaction only).
  await db.query(`SET LOCAL work_mem = '256MB'`);
  const clock = await seedClock(db);
  const items = await itemTable(db);
  const candidates = await candidateTable(db);
  log(`cases: ${candidates} candidate positions (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // Bulk load: secondary indexes and foreign keys are rebuilt once at the end, which is much faster than
  // maintaining them row by row (the rows are consistent by construction; re-adding the keys checks it).
  const restore = await dropForBulkLoad(db);
  const base = (await db.query<{ c: string; t: string }>(
    `SELECT coalesce((SELECT max(id) FROM cases), 0) AS c, coalesce((SELECT max(id) FROM case_transitions), 0) AS t`)).rows[0];
  const days = dayCounts(n, clock);
  let done = 0;
  for (const chunk of chunks(days)) {
    await insertChunk(db, chunk, clock, items, candidates, BigInt(base.c), BigInt(base.t));
    await foldCaseCells(db); // the chunk's count changes (migration 013) join the totals now, not in one late heap
    done += chunk.reduce((s, d) => s + d.cnt, 0);
    log(`cases ${done}/${n} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const t1 = Date.now();
  await restore();
  await db.query(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases));
                  SELECT setval(pg_get_serial_sequence('case_transitions', 'id'), (SELECT max(id) FROM case_transitions));
                  ANALYZE cases; ANALYZE case_transitions`);
  log(`cases: indexes and foreign keys rebuilt (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
  await denormalise(db, BigInt(base.c));
  return checkCells(db);
}

// ---------------------------------------------------------------------------------------------------------
// Time: how many cases each day, and when in the day

interface Clock { midnight: string; today: string; pToday: number }

/** The seed's now as local (UTC+8) midnight, date, and the share of a day's reports already made by then. */
async function seedClock(db: pg.ClientBase): Promise<Clock> {
  const r = (await db.query<{ midnight: string; today: string; tod: number }>(
    `SELECT (date_trunc('day', pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')::text AS midnight,
            to_char(pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today,
            extract(epoch FROM (pg_temp.seed_now() AT TIME ZONE 'Asia/Shanghai')::time)::float8 AS tod`)).rows[0];
  return { midnight: r.midnight, today: r.today, pToday: hourlyCdf(r.tod / 3600) };
}

function hourlyCdf(hour: number): number {
  const total = HOURLY.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let h = 0; h < 24; h++) {
    if (hour < h + 1) return (acc + HOURLY[h] * Math.max(0, hour - h)) / total;
    acc += HOURLY[h];
  }
  return 1;
}

/** Seconds after midnight at quantiles 0, 1/Q … 1 of the hourly profile. */
function todQuantiles(): number[] {
  const total = HOURLY.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  for (let m = 0; m <= QUANTILES; m++) {
    const p = (m / QUANTILES) * total;
    let acc = 0;
    let h = 0;
    while (h < 23 && acc + HOURLY[h] < p) acc += HOURLY[h++];
    out.push(3600 * (h + Math.min(1, (p - acc) / HOURLY[h])));
  }
  return out;
}

interface Day { day: number; cnt: number; lo: number; pmax: number; ymd: string }

/**
 * Cases per day (day 0 = today up to now): growing volume, fewer at weekends, more in the rainy season, some
 * day-to-day noise; split so the counts sum to n exactly. lo is the sequence number before the day's first case.
 */
function dayCounts(n: number, clock: Clock): Day[] {
  const [y, m, d] = clock.today.split('-').map(Number);
  const dates = Array.from({ length: DAYS }, (_, k) => new Date(Date.UTC(y, m - 1, d - k)));
  const weights = dates.map((dt, k) => {
    const doy = (dt.getTime() - Date.UTC(dt.getUTCFullYear(), 0, 1)) / 86400000;
    const weekend = dt.getUTCDay() === 0 || dt.getUTCDay() === 6 ? 0.8 : 1;
    const season = 1 + 0.25 * Math.sin((2 * Math.PI * (doy - 100)) / 365);
    return Math.exp((-k / DAYS) * Math.log(GROWTH)) * weekend * season * (0.85 + 0.3 * hashRandom(k, 903)) * (k === 0 ? clock.pToday : 1);
  });
  const counts = largestRemainder(weights, n);
  const days: Day[] = [];
  let lo = 0;
  for (let k = DAYS - 1; k >= 0; k--) { // oldest first: sequence numbers follow time
    const ymd = dates[k].toISOString().slice(0, 10).replace(/-/g, '');
    days.push({ day: k, cnt: counts[k], lo, pmax: k === 0 ? clock.pToday : 1, ymd });
    lo += counts[k];
  }
  return days.filter((x) => x.cnt > 0);
}

function largestRemainder(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const parts = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0, left = total - parts.reduce((a, b) => a + b, 0); left > 0; k++, left--) parts[order[k % order.length][1]]++;
  return parts;
}

function* chunks(days: Day[], size = CHUNK): Generator<Day[]> {
  let cur: Day[] = [];
  let total = 0;
  for (const d of days) {
    if (total + d.cnt > size && cur.length) { yield cur; cur = []; total = 0; }
    cur.push(d);
    total += d.cnt;
  }
  if (cur.length) yield cur;
}

// ---------------------------------------------------------------------------------------------------------
// What: the catalogue with weights

/**
 * seed_items: the 435 items numbered 1…, with class, deadline and handling unit; returns two lookup arrays of SLOTS
 * item numbers (all items, drainage only) in which each item fills slots in proportion to its weight. A skewed
 * (cubed uniform) weight per item makes a few items common, as in real case statistics.
 */
async function itemTable(db: pg.ClientBase): Promise<ItemSlots> {
  const items = (await db.query<{ code: string; subclass_code: string; drainage: boolean }>(
    `SELECT i.code, i.subclass_code, i.drainage FROM case_items i ORDER BY i.code`)).rows;
  const w = items.map((_, k) => (0.05 + hashRandom(k + 1, 901)) ** 3);
  const sumD = items.reduce((s, it, k) => s + (it.drainage ? w[k] : 0), 0);
  const sumN = items.reduce((s, it, k) => s + (it.drainage ? 0 : w[k]), 0);
  // IoT reports are all drainage, so the other sources need a little less for the total to come out right.
  const share = (DRAINAGE_SHARE - IOT_SHARE) / (1 - IOT_SHARE);
  const scaleD = sumD > 0 ? ((share / (1 - share)) * sumN) / sumD : 1;
  const weights = items.map((it, k) => (it.drainage ? w[k] * scaleD : w[k]));
  const all = slots(weights);
  const drainage = slots(weights.map((x, k) => (items[k].drainage ? x : 0)));
  await db.query('DROP TABLE IF EXISTS seed_items, seed_steps');
  await db.query(
    `CREATE TEMP TABLE seed_items AS
     SELECT u.ix::int, i.code, s.class_code, i.name_zh, i.deadline_hours::float8 * 3600 AS deadline_s, i.subclass_code,
            u.unit
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(code, unit, ix)
     JOIN case_items i ON i.code = u.code JOIN case_subclasses s ON s.code = i.subclass_code`,
    [items.map((it) => it.code), items.map((it) => UNITS[it.subclass_code] ?? '区城管执法局')]);
  await db.query(
    `CREATE TEMP TABLE seed_steps AS
     SELECT ord::int, from_status, to_status, role FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(from_status, to_status, role, ord)`,
    [STEPS.map((s) => s.from), STEPS.map((s) => s.to), STEPS.map((s) => s.role)]);
  await db.query('ANALYZE seed_items; ANALYZE seed_steps');
  return { all, drainage };
}

interface ItemSlots { all: number[]; drainage: number[] }

/** SLOTS item numbers (1-based), item k filling a share of slots proportional to weights[k]. */
function slots(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  let k = 0;
  for (let s = 0; s < SLOTS; s++) {
    const u = ((s + 0.5) / SLOTS) * total;
    while (k < weights.length - 1 && acc + weights[k] <= u) acc += weights[k++];
    out.push(k + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Where: candidate positions

const ROAD_POINTS = 290_000; // before thinning by street busyness
const LAND_POINTS = 45_000;
const HOT_SPOTS = 40;
const HOT_POINTS = 500; // per spot, within 150 m

/**
 * seed_cand(id 1…N): ~75% beside roads (src 1: 4–14 m off, more on busy roads and streets), the rest anywhere on
 * land (2) and around hot spots (3: markets, schools, stations). Each lies on land at least ~4 m inside its unit grid, so a
 * case within 3 m of it is in the same grid. Address: the nearest named road with a house number.
 */
async function candidateTable(db: pg.ClientBase): Promise<number> {
  const names = Object.keys(STREET_BUSY);
  const maxBusy = Math.max(...Object.values(STREET_BUSY));
  await db.query('DROP TABLE IF EXISTS seed_grid_land, seed_cand');
  // Each grid's land shrunk by ~4 m (0.00004°): the point-in-polygon test that attributes candidates.
  await db.query(
    `CREATE TEMP TABLE seed_grid_land AS
     SELECT g.code, g.community_code, c.street_code, s.name AS street_name, c.name AS community_name,
            ST_Buffer(ST_Difference(g.geom, coalesce(
              (SELECT ST_Union(w.geom) FROM water w WHERE ST_Intersects(w.geom, g.geom)),
              'SRID=4326;GEOMETRYCOLLECTION EMPTY'::geometry)), -0.00004) AS geom
     FROM grids g JOIN communities c ON c.code = g.community_code JOIN streets s ON s.code = c.street_code;
     CREATE INDEX ON seed_grid_land USING gist (geom);
     ANALYZE seed_grid_land`);
  await db.query(
    `CREATE TEMP TABLE seed_cand AS
     WITH busy AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS b(street, w)),
     tot AS (SELECT sum(len_m * busy) AS s FROM seed_roads),
     road AS (
       SELECT r.rn::bigint * 10000000 + j AS k, 1 AS src, pg_temp.along(r.utm, x.f, x.off) AS geom,
              r.name AS road, x.f, r.len_m
       FROM seed_roads r, tot,
       LATERAL (SELECT ceil($3 * r.len_m * r.busy / tot.s)::int AS n) nn,
       generate_series(1, nn.n) j,
       LATERAL (SELECT (j - pg_temp.rnd(r.rn::bigint * 10000000 + j, 931)) / nn.n AS f,
                       (CASE WHEN pg_temp.rnd(r.rn::bigint * 10000000 + j, 932) < 0.5 THEN -1 ELSE 1 END)
                         * (4 + 10 * pg_temp.rnd(r.rn::bigint * 10000000 + j, 933)) AS off) x),
     land AS (
       SELECT 2000000000 + l.rn::bigint * 1000000 + p.path[1] AS k, 2 AS src, p.geom, NULL::text, NULL::float8, NULL::float8
       FROM seed_land l JOIN busy b ON b.street = l.street_name, (SELECT sum(area) AS a FROM seed_land) t,
       LATERAL ST_Dump(ST_GeneratePoints(l.geom, greatest(1, round($4 * b.w * l.area / t.a))::int, 9000 + l.rn)) p
       WHERE l.area > 0),
     hot AS (
       SELECT 3000000000 + h.path[1]::bigint * 10000 + j AS k, 3 AS src,
              ST_Transform(ST_Translate(ST_Transform(h.geom, 32650), q.r * cos(q.a), q.r * sin(q.a)), 4326) AS geom,
              NULL::text, NULL::float8, NULL::float8
       FROM ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM seed_land), $5, 977)) h, generate_series(1, $6) j,
       LATERAL (SELECT 150 * sqrt(pg_temp.rnd(h.path[1]::bigint * 10000 + j, 941)) AS r,
                       2 * pi() * pg_temp.rnd(h.path[1]::bigint * 10000 + j, 942) AS a) q),
     pts AS (SELECT * FROM road UNION ALL SELECT * FROM land UNION ALL SELECT * FROM hot),
     placed AS (
       SELECT pts.k, pts.src, pts.geom, pts.road, pts.f, pts.len_m, g.code AS grid_code, g.community_code, g.street_code, g.street_name,
              g.community_name
       FROM pts JOIN LATERAL (SELECT * FROM seed_grid_land g WHERE ST_Intersects(g.geom, pts.geom) LIMIT 1) g ON true
       JOIN busy b ON b.street = g.street_name
       -- road points in quiet streets are thinned, so road cases follow the streets' busyness too
       WHERE pts.src <> 1 OR pg_temp.rnd(pts.k, 934) < b.w / $7)
     SELECT row_number() OVER (ORDER BY p.k)::int AS id, p.src, ST_X(p.geom) AS x, ST_Y(p.geom) AS y,
            p.grid_code::text, p.community_code::text, p.street_code::text,
            CASE WHEN a.dist < 150 THEN a.road || a.num || '号附近' ELSE p.community_name || '，近' || a.road END AS address,
            replace(p.street_name, '街道', '') AS street_short,
            'J' || lpad((1 + abs(hashtext(p.grid_code)) % 420)::text, 3, '0') AS inspector
     FROM placed p
     -- the nearest named road, unless the point was put beside one (the WHERE skips the search then)
     LEFT JOIN LATERAL (SELECT name, geom <-> p.geom AS d, ST_LineLocatePoint(geom, p.geom) AS f, len_m FROM seed_roads
                        WHERE p.road IS NULL AND name IS NOT NULL ORDER BY geom <-> p.geom LIMIT 1) nr ON true,
     -- a house number every 12 m of road (odd side only); degrees × 1e5 is metres closely enough for 'near'
     LATERAL (SELECT coalesce(p.road, nr.name) AS road, CASE WHEN p.road IS NULL THEN nr.d * 1e5 ELSE 0 END AS dist,
                     1 + 2 * floor(coalesce(p.f, nr.f) * coalesce(p.len_m, nr.len_m) / 24)::int AS num) a`,
    [names, names.map((s) => STREET_BUSY[s]), ROAD_POINTS, LAND_POINTS, HOT_SPOTS, HOT_POINTS, maxBusy]);
  await db.query('ALTER TABLE seed_cand ADD PRIMARY KEY (id); ANALYZE seed_cand');
  return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM seed_cand')).rows[0].n);
}

// ---------------------------------------------------------------------------------------------------------
// One chunk of cases and their transitions, in one statement

/** Who acts in each role, per case (computed once per case, picked per transition). */
const ACTOR_SQL: Record<Role, string> = {
  source: `CASE c.source WHEN 'inspector' THEN '监督员 ' || r.inspector WHEN 'citizen' THEN '市民（12345热线）'
                       WHEN 'video' THEN '视频智能分析' WHEN 'iot' THEN '物联网告警' ELSE '上级交办' END`,
  accept: `'受理员 S' || lpad((1 + floor(12 * r.rnd_a))::int::text, 2, '0')`,
  inspector: `'监督员 ' || r.inspector`,
  dispatch: `'派遣员 P' || lpad((1 + floor(8 * r.rnd_d))::int::text, 2, '0')`,
  unit: `'处置单位 ' || u.unit`,
};

/**
 * The statement for one chunk. Per case: c draws time, source, item and position; z joins the item and the
 * candidate and computes the step durations (r), the step offsets (o) and what follows from them. The
 * LATERAL (… OFFSET 0) subqueries are per-row caches: without OFFSET 0 the planner would inline them and
 * evaluate each expression again wherever it is used. z is materialized once and feeds both inserts.
 */
function chunkSql(): string {
  const k = STEPS.length;
  const e = STEPS.map((s, i) => `CASE WHEN ${s.flag} THEN ${s.dur} ELSE 0 END AS e${i + 1}`).join(',\n                ');
  const o = STEPS.map((s, i) =>
    `CASE WHEN ${s.flag} THEN ${Array.from({ length: i + 1 }, (_, j) => `e${j + 1}`).join(' + ')} END`)
    .join(',\n                ');
  const passed = (pick: (i: number) => string) =>
    `CASE ${Array.from({ length: k }, (_, j) => k - 1 - j).map((i) => `WHEN oo.o[${i + 1}] <= r.age THEN ${pick(i)}`).join(' ')} END`;
  const lastDispatch = STEPS.map((s, i) => ({ s, i })).filter(({ s }) => s.to === 'dispatched').reverse()
    .map(({ i }) => `WHEN oo.o[${i + 1}] <= r.age THEN oo.o[${i + 1}]`).join(' ');
  const closedStep = STEPS.findIndex((s) => s.to === 'closed') + 1;
  const actorCols = Object.entries(ACTOR_SQL).map(([role, sql]) => `${sql} AS actor_${role}`).join(',\n           ');
  const actors = Object.keys(ACTOR_SQL).map((role) => `WHEN '${role}' THEN actor_${role}`).join(' ');
  const notes = STEPS.map((s, i) => (s.note ? `WHEN ${i + 1} THEN ${s.note}` : '')).join(' ');
  let acc = 0;
  const sourceCase = `CASE ${SOURCES.slice(0, -1).map(([name, p]) => `WHEN u_src < ${(acc += p).toFixed(4)} THEN '${name}'`).join(' ')}
                ELSE '${SOURCES[SOURCES.length - 1][0]}' END`;
  return `
  WITH c AS (
    SELECT d.lo + j AS i, d.ymd,
           $7::timestamptz - d.day * interval '1 day' + q.tod * interval '1 second' AS reported_at,
           ${sourceCase} AS source,
           u_item, 1 + floor(pg_temp.rnd(d.lo + j, 4) * $8)::int AS cand
    FROM unnest($1::int[], $2::int[], $3::bigint[], $4::float8[], $5::text[]) AS d(day, cnt, lo, pmax, ymd)
    CROSS JOIN generate_series(1, d.cnt) j
    -- time of day: the j-th of the day's cnt reports at quantile (j - ½ ± jitter)/cnt, so times stay in order
    CROSS JOIN LATERAL (SELECT d.pmax * (j - 0.5 + 0.9 * (pg_temp.rnd(d.lo + j, 1) - 0.5)) / d.cnt * ${QUANTILES} AS ix) p
    CROSS JOIN LATERAL (SELECT $6::float8[] AS qs) qa
    CROSS JOIN LATERAL (SELECT qa.qs[1 + floor(p.ix)::int] + (qa.qs[2 + floor(p.ix)::int] - qa.qs[1 + floor(p.ix)::int]) * (p.ix - floor(p.ix)) AS tod,
                               pg_temp.rnd(d.lo + j, 2) AS u_src, pg_temp.rnd(d.lo + j, 3) AS u_item) q
  ),
  z AS MATERIALIZED (
    SELECT $9::bigint + c.i AS id, $10::bigint + c.i * ${TRANSITION_STRIDE} AS tid, 'WC' || c.ymd || lpad(c.i::text, 7, '0') AS case_no,
           c.reported_at, c.source, r.age, it.code AS item_code, it.class_code, it.deadline_s,
           ca.grid_code, ca.community_code, ca.street_code, ca.address,
           -- ±2 m each way around the candidate
           ST_SetSRID(ST_MakePoint(ca.x + (r.jx - 0.5) * 4 / 95860.0, ca.y + (r.jy - 0.5) * 4 / 110900.0), 4326) AS geom,
           ca.address || '：' || it.name_zh || CASE WHEN it.class_code = 'component'
             THEN (ARRAY['破损', '缺失', '松动移位', '损坏，需维修', '被遮挡污损'])[1 + floor(5 * r.u_phrase)::int]
             ELSE (ARRAY['，请及时处理', '，影响市容', '，群众反映强烈', '，需尽快处置', ''])[1 + floor(5 * r.u_phrase)::int] END AS description,
           oo.o, ${passed((i) => `'${STEPS[i].to}'`)} AS status, ${passed((i) => `oo.o[${i + 1}]`)} AS last_o,
           CASE ${lastDispatch} END AS dispatch_o, oo.o[${closedStep}] AS closed_o, u.unit,
           ${actorCols},
           (ARRAY['重复上报', '不属于城管受理范围', '现场核实不属实'])[1 + floor(3 * r.u_phrase)::int] AS rej_note
    FROM c
    -- the lookup arrays are parameters, not table columns: a column would be de-TOASTed for every row
    JOIN seed_items it ON it.ix = (CASE WHEN c.source = 'iot' THEN $12::int[] ELSE $11::int[] END)[1 + floor(c.u_item * ${SLOTS})::int]
    JOIN seed_cand ca ON ca.id = c.cand
    CROSS JOIN LATERAL (SELECT replace(it.unit, '{street}', ca.street_short) AS unit) u
    CROSS JOIN LATERAL (SELECT
      date_part('epoch', pg_temp.seed_now() - c.reported_at) AS age,  -- float8 (extract() would give numeric)
      pg_temp.rnd(c.i, 5) AS jx, pg_temp.rnd(c.i, 6) AS jy, pg_temp.rnd(c.i, 7) AS u_phrase,
      pg_temp.rnd(c.i, 40) AS rnd_a, pg_temp.rnd(c.i, 41) AS rnd_d, ca.inspector,
      -- which optional paths the case takes: rejected at acceptance, returned once, suspended (挂账), reworked once
      pg_temp.rnd(c.i, 10) < CASE c.source WHEN 'citizen' THEN 0.10 WHEN 'video' THEN 0.08 WHEN 'inspector' THEN 0.03 ELSE 0.04 END AS rej,
      pg_temp.rnd(c.i, 11) < 0.02 AS ret, pg_temp.rnd(c.i, 12) < 0.008 AS sus, pg_temp.rnd(c.i, 13) < 0.04 AS rw,
      -- seconds each step takes after the previous one
      300 + 3300 * pg_temp.rnd(c.i, 20) AS d_acc,                          -- accept: 5–60 min
      1800 + 12600 * pg_temp.rnd(c.i, 21) ^ 2 AS d_ver,                    -- on-site verification: 0.5–4 h
      300 + 1500 * pg_temp.rnd(c.i, 22) AS d_reg,
      600 + 3000 * pg_temp.rnd(c.i, 23) AS d_dis,
      3600 + 7200 * pg_temp.rnd(c.i, 24) AS d_ret, 1800 + 5400 * pg_temp.rnd(c.i, 25) AS d_redis,
      greatest(300, t.span * (0.05 + 0.15 * pg_temp.rnd(c.i, 26))) AS d_prog,
      3600 + 7200 * pg_temp.rnd(c.i, 27) AS d_sus, 86400 * (10 + 390 * pg_temp.rnd(c.i, 28) ^ 2) AS d_res,  -- 挂账 10–400 days
      greatest(300, t.span * (0.6 - 0.15 * pg_temp.rnd(c.i, 26) - 0.1 * pg_temp.rnd(c.i, 32) - 0.07 * pg_temp.rnd(c.i, 37))) AS d_hand,
      greatest(300, t.span * (0.2 + 0.1 * pg_temp.rnd(c.i, 32))) AS d_chk,
      3600 + 25200 * pg_temp.rnd(c.i, 33) AS d_rw, 1800 + 14400 * pg_temp.rnd(c.i, 34) AS d_rwp,
      greatest(1800, 0.3 * it.deadline_s * pg_temp.rnd(c.i, 35)) AS d_rwh, 1800 + 10800 * pg_temp.rnd(c.i, 36) AS d_rwc,
      greatest(300, t.span * (0.1 + 0.07 * pg_temp.rnd(c.i, 37))) AS d_close
      FROM (SELECT
        -- dispatch → closed takes 25–110% of the item's deadline (~9% late); 0.3% stall far beyond it. The span is
        -- split into start (5–20%), handling (the rest), check (20–30%) and close (10–17%).
        it.deadline_s * (0.25 + 0.85 * pg_temp.rnd(c.i, 29) ^ 1.4)
          * CASE WHEN pg_temp.rnd(c.i, 30) < 0.003 THEN 5 + 45 * pg_temp.rnd(c.i, 31) ELSE 1 END AS span) t
      OFFSET 0) r
    -- offset of each step from the report (null where the case does not take it): running sums of durations
    CROSS JOIN LATERAL (SELECT ARRAY[${o}]::float8[] AS o
      FROM (SELECT ${e} OFFSET 0) e OFFSET 0) oo
  ),
  ins AS (
    INSERT INTO cases (id, case_no, class_code, item_code, source, status, description, address, reported_at, dispatched_at,
                       deadline_at, closed_at, grid_code, community_code, street_code, synthetic, updated_at, geom)
    SELECT id, case_no, class_code, item_code, source, status, description, address, reported_at,
           reported_at + dispatch_o * interval '1 second',
           reported_at + (dispatch_o + deadline_s) * interval '1 second',
           CASE WHEN status = 'closed' THEN reported_at + closed_o * interval '1 second' END,
           grid_code, community_code, street_code, true, reported_at + last_o * interval '1 second', geom
    FROM z
  )
  INSERT INTO case_transitions (id, case_id, from_status, to_status, actor, at, note)
  SELECT z.tid + s.ord, z.id, s.from_status, s.to_status, CASE s.role ${actors} END,
         z.reported_at + z.o[s.ord] * interval '1 second', CASE s.ord ${notes} END
  FROM z JOIN seed_steps s ON z.o[s.ord] <= z.age`;
}

/**
 * What the KPIs read from the case row rather than from 46 M transitions (first 处置反馈 time, rework count),
 * and the reporters' evaluations of closed citizen cases (the 微邻里 loop: ~60 % answer, ~88 % satisfied).
 * Triggers are off for the update: position and status do not change, so cells and tiles are unaffected.
 */
async function denormalise(db: pg.ClientBase, caseBase: bigint): Promise<void> {
  await db.query('ALTER TABLE cases DISABLE TRIGGER USER');
  await db.query(
    `UPDATE cases c SET handled_at = t.h, rework_count = t.rw
     FROM (SELECT case_id, min(at) FILTER (WHERE to_status = 'handled') AS h, count(*) FILTER (WHERE to_status = 'reworked')::int AS rw
           FROM case_transitions WHERE case_id > $1 GROUP BY case_id) t
     WHERE c.id = t.case_id AND (t.h IS NOT NULL OR t.rw > 0)`, [caseBase.toString()]);
  await db.query(
    `UPDATE cases c SET suspended_from = t.from_status, suspended_at = t.at
     FROM (SELECT DISTINCT ON (case_id) case_id, from_status, at FROM case_transitions
           WHERE case_id > $1 AND to_status = 'suspended' ORDER BY case_id, at DESC) t
     WHERE c.id = t.case_id AND c.status = 'suspended'`, [caseBase.toString()]);
  await db.query('ALTER TABLE cases ENABLE TRIGGER USER');
  await db.query(
    `INSERT INTO case_evaluations (case_id, satisfied, comment, at, synthetic)
     SELECT id, pg_temp.rnd(id, 51) < 0.88,
            CASE WHEN pg_temp.rnd(id, 51) < 0.88 THEN (ARRAY['处理及时，满意', '已修好，谢谢', NULL])[1 + floor(3 * pg_temp.rnd(id, 52))::int]
                 ELSE (ARRAY['处理太慢', '问题没有彻底解决', '没有回复'])[1 + floor(3 * pg_temp.rnd(id, 52))::int] END,
            closed_at + (1 + 47 * pg_temp.rnd(id, 53)) * interval '1 hour', true
     FROM cases WHERE id > $1 AND source = 'citizen' AND status = 'closed' AND pg_temp.rnd(id, 50) < 0.6`, [caseBase.toString()]);
}

let chunkStatement: string | undefined;

async function insertChunk(db: pg.ClientBase, days: Day[], clock: Clock, items: ItemSlots, candidates: number,
    caseBase: bigint, transitionBase: bigint): Promise<void> {
  chunkStatement ??= chunkSql();
  await db.query(chunkStatement, [
    days.map((d) => d.day), days.map((d) => d.cnt), days.map((d) => d.lo), days.map((d) => d.pmax), days.map((d) => d.ymd),
    todQuantiles(), clock.midnight, candidates, caseBase.toString(), transitionBase.toString(), items.all, items.drainage,
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Bulk-load helpers and the final check

/** Drops the secondary indexes and foreign keys of cases and case_transitions; returns the undo. */
async function dropForBulkLoad(db: pg.ClientBase): Promise<() => Promise<void>> {
  const idx = (await db.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     WHERE i.indrelid IN ('cases'::regclass, 'case_transitions'::regclass) AND NOT i.indisprimary AND NOT i.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`)).rows;
  const fks = (await db.query<{ tbl: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid IN ('cases'::regclass, 'case_transitions'::regclass) AND contype = 'f'`)).rows;
  for (const i of idx) await db.query(`DROP INDEX ${i.name}`);
  for (const f of fks) await db.query(`ALTER TABLE ${f.tbl} DROP CONSTRAINT ${f.name}`);
  return async () => {
    for (const i of idx) await db.query(i.def);
    for (const f of fks) await db.query(`ALTER TABLE ${f.tbl} ADD CONSTRAINT ${f.name} ${f.def}`);
  };
}

/** The low-zoom aggregates are kept by a trigger; they must count every case exactly once. */
async function checkCells(db: pg.ClientBase): Promise<string> {
  const r = (await db.query<{ cases: string; cells: string; open: string; transitions: string }>(
    `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT sum(n) FROM case_cells WHERE z = 10) AS cells,
            (SELECT count(*) FROM cases WHERE case_is_open(status)) AS open,
            (SELECT count(*) FROM case_transitions) AS transitions`)).rows[0];
  if (r.cases !== r.cells) throw new Error(`case_cells at z 10 count ${r.cells} cases, the table has ${r.cases}`);
  return `${r.cases} cases (${r.open} open), ${r.transitions} transitions; case_cells z10 = ${r.cells}`;
}
