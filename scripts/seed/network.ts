// Roads and the drainage network. Roads are a warped lattice along the river's axis, clipped to land;
// every road carries pipes. Each drainage system (rain, sewage, combined in the old town) is a tree:
// multi-source Dijkstra from its sinks (outfalls, pumping stations, treatment plants) gives every manhole
// exactly one outflow; lattice loops are cut at a mid-reach head manhole that drains both ways.
import type pg from 'pg';
import { pointInRing, type XY } from './geometry.ts';
import { COMBINED_STREETS, MAIN_ROAD_NAMES, WWTPS } from './places.ts';
import { MinHeap } from './heap.ts';
import { hashRandom } from './random.ts';

export const TARGET_MAIN_KM = 256;
export const TARGET_COMMUNITY_KM = 430;
const AXIS_DEG = 35; // the Yangtze runs towards 35° (NE) past Wuchang
const MAIN_EVERY = 3; // every third lattice line is a main road
const REACH_M = { main: 40, community: 30 };

type System = 'rain' | 'sewage' | 'combined';
type Network = 'main' | 'community';

interface Line { id: number; family: 0 | 1; index: number; network: Network; name: string | null; cls: string; pts: XY[] }
interface Edge { a: number; b: number; network: Network; road: string | null; system: System }

export interface NetworkStats { roadsKm: number; mainKm: number; communityKm: number; manholes: number; pipes: number }

export async function seedNetwork(db: pg.ClientBase): Promise<NetworkStats> {
  const land = (await db.query<{ area: number }>(
    `SELECT ST_Area(ST_Transform(ST_Difference(d.geom, (SELECT ST_Union(geom) FROM water)), 32650)) / 1e6 AS area
     FROM districts d`)).rows[0].area;
  // Main pipes ≈ 2 systems × main-road length; main-road length ≈ 2·A / (3s) for a lattice of spacing s.
  const spacing = (2 * land * 1e6 * 1.807) / (MAIN_EVERY * TARGET_MAIN_KM * 1000);
  const lines = await latticeRoads(db, spacing);
  const cuts = await intersections(db);
  const zone = await combinedZone(db);

  // Nodes keyed by rounded position so the two lines through a crossing share one node.
  const nodes: XY[] = [];
  const nodeAt = new Map<string, number>();
  const node = ([x, y]: XY): number => {
    const k = `${Math.round(x * 10)},${Math.round(y * 10)}`;
    let id = nodeAt.get(k);
    if (id === undefined) { id = nodes.push([x, y]) - 1; nodeAt.set(k, id); }
    return id;
  };
  const edges: Edge[] = [];
  // Community lanes do not all exist: drop a share of lattice pieces to reach the community pipe length.
  const keepCommunity = TARGET_COMMUNITY_KM / (2 * TARGET_MAIN_KM);
  for (const line of lines) {
    const pieces = splitAt(line.pts, cuts.get(line.id) ?? []);
    pieces.forEach((piece, k) => {
      if (line.network === 'community' && hashRandom(line.id * 1000 + k, 77) > keepCommunity) return;
      const ids = subdivide(piece, REACH_M[line.network]).map(node);
      for (let i = 1; i < ids.length; i++) {
        if (ids[i] === ids[i - 1]) continue;
        const mid: XY = [(nodes[ids[i]][0] + nodes[ids[i - 1]][0]) / 2, (nodes[ids[i]][1] + nodes[ids[i - 1]][1]) / 2];
        const combined = zone.some((ring) => pointInRing(mid, ring));
        const systems: System[] = combined ? ['combined'] : ['rain', 'sewage'];
        for (const system of systems) edges.push({ a: ids[i - 1], b: ids[i], network: line.network, road: line.name, system });
      }
    });
  }

  const stats: NetworkStats = { roadsKm: 0, mainKm: 0, communityKm: 0, manholes: 0, pipes: 0 };
  stats.roadsKm = lines.reduce((s, l) => s + polylineLength(l.pts), 0) / 1000;
  const waterDist = await distancesToWater(db, nodes);
  for (const system of ['rain', 'sewage', 'combined'] as System[]) {
    const sys = edges.filter((e) => e.system === system);
    if (sys.length === 0) continue;
    const built = buildTree(system, nodes, sys, waterDist);
    const written = await writeSystem(db, system, built);
    stats.manholes += written.manholes;
    stats.pipes += written.pipes;
    stats.mainKm += written.mainKm;
    stats.communityKm += written.communityKm;
  }
  return stats;
}

/** Lattice roads in UTM 50N, clipped to land (district minus water), stored in `roads` and returned. */
async function latticeRoads(db: pg.ClientBase, spacing: number): Promise<Line[]> {
  await db.query(`CREATE TEMP TABLE seed_lines ON COMMIT DROP AS
    WITH d AS (SELECT ST_Transform(geom, 32650) AS g, ST_Transform(ST_Centroid(geom), 32650) AS c FROM districts),
    land AS (SELECT ST_Difference(d.g, (SELECT ST_Transform(ST_Buffer(ST_Union(geom)::geography, 25)::geometry, 32650) FROM water)) AS g,
                    ST_X(d.c) AS cx, ST_Y(d.c) AS cy, ST_XMax(d.g) - ST_XMin(d.g) + ST_YMax(d.g) - ST_YMin(d.g) AS span FROM d),
    raw AS (
      SELECT f AS family, i AS index,
             ST_SetSRID(ST_MakeLine(ST_MakePoint(
               cx + (u * cos(radians(a)) - v * sin(radians(a))),
               cy + (u * sin(radians(a)) + v * cos(radians(a)))) ORDER BY j), 32650) AS g
      FROM land,
           generate_series(0, 1) f,
           generate_series(-ceil(span / $1)::int, ceil(span / $1)::int) i,
           generate_series(0, 160) j,
           LATERAL (SELECT 90 - $2 + f * 90 AS a,
                           -span + j * span / 80.0 AS u) p,
           -- A gentle meander so the lattice does not look ruled.
           LATERAL (SELECT i * $1 + 45 * sin(u / 700 + i * 1.7 + f) + 20 * sin(u / 230 + i) AS v) q
      GROUP BY f, i
    )
    SELECT row_number() OVER (ORDER BY family, index, ST_XMin(g), ST_YMin(g))::int AS id, family, index, g
    FROM (SELECT family, index, (ST_Dump(ST_Intersection(raw.g, land.g))).geom AS g FROM raw, land) pieces
    WHERE GeometryType(g) = 'LINESTRING' AND ST_Length(g) >= 60`, [spacing, AXIS_DEG]);
  await db.query(`CREATE INDEX ON seed_lines USING gist (g)`);
  const rows = (await db.query<{ id: number; family: 0 | 1; index: number; pts: string }>(
    `SELECT id, family, index, ST_AsGeoJSON(g, 2) AS pts FROM seed_lines ORDER BY id`)).rows;
  const lines: Line[] = rows.map((r) => {
    const main = r.index % MAIN_EVERY === 0;
    const cls = !main ? 'residential' : r.index % (MAIN_EVERY * 2) === 0 ? 'primary' : 'secondary';
    const name = main ? MAIN_ROAD_NAMES[Math.abs(r.index / MAIN_EVERY + r.family * 13) % MAIN_ROAD_NAMES.length] : null;
    return { id: r.id, family: r.family, index: r.index, network: main ? 'main' : 'community', name, cls, pts: JSON.parse(r.pts).coordinates };
  });
  await db.query(
    `INSERT INTO roads (name, class, synthetic, geom)
     SELECT u.name, u.cls, true, ST_Transform(l.g, 4326)
     FROM unnest($1::int[], $2::text[], $3::text[]) AS u(id, name, cls) JOIN seed_lines l ON l.id = u.id`,
    [lines.map((l) => l.id), lines.map((l) => l.name), lines.map((l) => (l.cls === 'primary' && Math.abs(l.index) < MAIN_EVERY * 3 ? 'trunk' : l.cls))],
  );
  return lines;
}

/** Where lines of the two families cross, as fractions along each line. */
async function intersections(db: pg.ClientBase): Promise<Map<number, XY[]>> {
  const { rows } = await db.query<{ a: number; b: number; x: number; y: number }>(
    `SELECT a.id AS a, b.id AS b, round(ST_X(p.geom)::numeric, 1)::float8 AS x, round(ST_Y(p.geom)::numeric, 1)::float8 AS y
     FROM seed_lines a JOIN seed_lines b ON a.family = 0 AND b.family = 1 AND ST_Intersects(a.g, b.g),
     LATERAL ST_Dump(ST_Intersection(a.g, b.g)) p WHERE GeometryType(p.geom) = 'POINT'`);
  const cuts = new Map<number, XY[]>();
  for (const r of rows) {
    for (const id of [r.a, r.b]) {
      if (!cuts.has(id)) cuts.set(id, []);
      cuts.get(id)!.push([r.x, r.y]);
    }
  }
  return cuts;
}

async function combinedZone(db: pg.ClientBase): Promise<XY[][]> {
  const { rows } = await db.query<{ g: string }>(
    `SELECT ST_AsGeoJSON(ST_Transform((ST_Dump(ST_Union(geom))).geom, 32650), 1) AS g FROM streets WHERE name = ANY($1)`,
    [COMBINED_STREETS]);
  return rows.map((r) => JSON.parse(r.g).coordinates[0]);
}

function polylineLength(pts: XY[]): number {
  let s = 0;
  for (let i = 1; i < pts.length; i++) s += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
  return s;
}

/** Splits a polyline at the given points (each lying on it), returning the pieces in order. */
function splitAt(pts: XY[], cuts: XY[]): XY[][] {
  const at = (p: XY) => {
    let best = { d: Infinity, seg: 0, t: 0 };
    for (let i = 1; i < pts.length; i++) {
      const [ax, ay] = pts[i - 1];
      const [bx, by] = pts[i];
      const L2 = (bx - ax) ** 2 + (by - ay) ** 2 || 1;
      const t = Math.max(0, Math.min(1, ((p[0] - ax) * (bx - ax) + (p[1] - ay) * (by - ay)) / L2));
      const d = Math.hypot(ax + t * (bx - ax) - p[0], ay + t * (by - ay) - p[1]);
      if (d < best.d) best = { d, seg: i, t };
    }
    return { ...best, p };
  };
  const located = cuts.map(at).sort((a, b) => a.seg - b.seg || a.t - b.t);
  const pieces: XY[][] = [];
  let current: XY[] = [pts[0]];
  let k = 0;
  for (let i = 1; i < pts.length; i++) {
    while (k < located.length && located[k].seg === i) {
      current.push(located[k].p);
      pieces.push(current);
      current = [located[k].p];
      k++;
    }
    current.push(pts[i]);
  }
  pieces.push(current);
  return pieces.filter((p) => polylineLength(p) > 0.5);
}

/** Points every ~`step` metres along a polyline, ends included (they become manholes). */
function subdivide(pts: XY[], step: number): XY[] {
  const total = polylineLength(pts);
  const n = Math.max(1, Math.round(total / step));
  const out: XY[] = [pts[0]];
  let seg = 1;
  let walked = 0;
  for (let k = 1; k < n; k++) {
    const target = (total * k) / n;
    while (seg < pts.length) {
      const len = Math.hypot(pts[seg][0] - pts[seg - 1][0], pts[seg][1] - pts[seg - 1][1]);
      if (walked + len >= target) {
        const t = (target - walked) / (len || 1);
        out.push([pts[seg - 1][0] + t * (pts[seg][0] - pts[seg - 1][0]), pts[seg - 1][1] + t * (pts[seg][1] - pts[seg - 1][1])]);
        break;
      }
      walked += len;
      seg++;
    }
  }
  out.push(pts[pts.length - 1]);
  return out;
}

interface WaterDist { d: number; river: boolean }

async function distancesToWater(db: pg.ClientBase, nodes: XY[]): Promise<WaterDist[]> {
  const { rows } = await db.query<{ d: number; river: boolean }>(
    `SELECT w.d, w.river FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, i),
     LATERAL (SELECT ST_Distance(ST_Transform(geom, 32650), ST_SetSRID(ST_MakePoint(p.x, p.y), 32650)) AS d, kind = 'river' AS river
              FROM water ORDER BY geom <-> ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 32650), 4326) LIMIT 1) w
     ORDER BY p.i`,
    [nodes.map((n) => n[0]), nodes.map((n) => n[1])]);
  return rows;
}

interface Reach { from: number; to: number; network: Network; road: string | null }
interface Built {
  pts: XY[];
  kind: ('manhole' | 'outfall' | 'junction')[];
  sinkKind: Map<number, 'outfall' | 'pumping_station' | 'wwtp' | 'lift_station'>;
  sinkName: Map<number, string>;
  dist: number[];
  reaches: Reach[];
  waterDist: number[];
}

function buildTree(system: System, nodes: XY[], edges: Edge[], water: WaterDist[]): Built {
  // Local node numbering for this system.
  const local = new Map<number, number>();
  const pts: XY[] = [];
  const waterDist: number[] = [];
  const onRiver: boolean[] = [];
  const id = (g: number) => {
    let l = local.get(g);
    if (l === undefined) { l = pts.push(nodes[g]) - 1; local.set(g, l); waterDist.push(water[g].d); onRiver.push(water[g].river); }
    return l;
  };
  const adj: { to: number; e: number }[][] = [];
  const es = edges.map((e) => ({ a: id(e.a), b: id(e.b), network: e.network, road: e.road }));
  for (const [i, e] of es.entries()) {
    (adj[e.a] ??= []).push({ to: e.b, e: i });
    (adj[e.b] ??= []).push({ to: e.a, e: i });
  }
  const n = pts.length;
  const len = (e: { a: number; b: number }) => Math.hypot(pts[e.a][0] - pts[e.b][0], pts[e.a][1] - pts[e.b][1]);

  // Sinks: storm outfalls at dead ends on the shore; treatment plants for sewage; river pump stations for combined.
  const sinkKind = new Map<number, 'outfall' | 'pumping_station' | 'wwtp' | 'lift_station'>();
  const sinkName = new Map<number, string>();
  const deadEnds = [...Array(n).keys()].filter((v) => (adj[v]?.length ?? 0) === 1);
  if (system === 'rain') {
    for (const v of deadEnds) if (waterDist[v] < 120) sinkKind.set(v, 'outfall');
  } else if (system === 'combined') {
    for (const v of deadEnds) if (waterDist[v] < 120 && onRiver[v]) sinkKind.set(v, 'pumping_station');
  } else {
    for (const p of WWTPS) {
      const [x, y] = toUtm(p.lon, p.lat);
      let best = -1;
      let bd = Infinity;
      for (let v = 0; v < n; v++) { const d = Math.hypot(pts[v][0] - x, pts[v][1] - y); if (d < bd) { bd = d; best = v; } }
      if (best >= 0) { sinkKind.set(best, 'wwtp'); sinkName.set(best, p.name); }
    }
  }

  // Multi-source Dijkstra; components that reach no sink get one at their node nearest the water.
  const dist = new Array<number>(n).fill(Infinity);
  const parentEdge = new Array<number>(n).fill(-1);
  const run = (sources: number[]) => {
    const heap = new MinHeap();
    for (const s of sources) { dist[s] = 0; heap.push(s, 0); }
    while (heap.size) {
      const [v, d] = heap.pop();
      if (d > dist[v]) continue;
      for (const { to, e } of adj[v] ?? []) {
        const nd = d + len(es[e]);
        if (nd < dist[to]) { dist[to] = nd; parentEdge[to] = e; heap.push(to, nd); }
      }
    }
  };
  run([...sinkKind.keys()]);
  for (;;) {
    let best = -1;
    for (let v = 0; v < n; v++) if (dist[v] === Infinity && (best < 0 || waterDist[v] < waterDist[best])) best = v;
    if (best < 0) break;
    sinkKind.set(best, system === 'rain' ? 'outfall' : 'lift_station');
    run([best]);
  }

  const kind: Built['kind'] = pts.map((_, v) => (sinkKind.get(v) === 'outfall' ? 'outfall' : 'manhole'));
  const reaches: Reach[] = [];
  const treeEdge = new Set(parentEdge.filter((e) => e >= 0));
  for (let v = 0; v < n; v++) {
    const e = parentEdge[v];
    if (e < 0) continue;
    const edge = es[e];
    reaches.push({ from: v, to: edge.a === v ? edge.b : edge.a, network: edge.network, road: edge.road });
  }
  // A loop-closing edge keeps the tree a tree: a half-length reach from a head manhole at its middle
  // drains to the end nearer the sink; the other half of that stretch has no pipe of this system.
  for (const [i, e] of es.entries()) {
    if (treeEdge.has(i)) continue;
    const to = dist[e.a] <= dist[e.b] ? e.a : e.b;
    const m = pts.push([(pts[e.a][0] + pts[e.b][0]) / 2, (pts[e.a][1] + pts[e.b][1]) / 2]) - 1;
    kind.push('manhole');
    waterDist.push((waterDist[e.a] + waterDist[e.b]) / 2);
    dist.push(dist[to] + len(e) / 2);
    reaches.push({ from: m, to, network: e.network, road: e.road });
  }
  return { pts, kind, sinkKind, sinkName, dist, reaches, waterDist };
}

function toUtm(lon: number, lat: number): XY {
  // UTM zone 50N (central meridian 117°E), a series accurate to centimetres at this latitude.
  const a = 6378137, f = 1 / 298.257223563, k0 = 0.9996;
  const e2 = f * (2 - f), ep2 = e2 / (1 - e2);
  const phi = (lat * Math.PI) / 180, lam = ((lon - 117) * Math.PI) / 180;
  const N = a / Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const T = Math.tan(phi) ** 2, C = ep2 * Math.cos(phi) ** 2, A = Math.cos(phi) * lam;
  const M = a * ((1 - e2 / 4 - (3 * e2 ** 2) / 64 - (5 * e2 ** 3) / 256) * phi
    - ((3 * e2) / 8 + (3 * e2 ** 2) / 32 + (45 * e2 ** 3) / 1024) * Math.sin(2 * phi)
    + ((15 * e2 ** 2) / 256 + (45 * e2 ** 3) / 1024) * Math.sin(4 * phi) - ((35 * e2 ** 3) / 3072) * Math.sin(6 * phi));
  const x = k0 * N * (A + ((1 - T + C) * A ** 3) / 6 + ((5 - 18 * T + T * T + 72 * C - 58 * ep2) * A ** 5) / 120) + 500000;
  const y = k0 * (M + N * Math.tan(phi) * (A ** 2 / 2 + ((5 - T + 9 * C + 4 * C * C) * A ** 4) / 24
    + ((61 - 58 * T + T * T + 600 * C - 330 * ep2) * A ** 6) / 720));
  return [x, y];
}

const PREFIX: Record<System, string> = { rain: 'Y', sewage: 'W', combined: 'H' };
const OFFSET: Record<System, XY> = { rain: [2.5, 2.5], sewage: [-2.5, -2.5], combined: [0, 0] };

/** Diameter from the pipe length drained upstream (a stand-in for catchment area). */
function diameter(system: System, network: Network, upstreamM: number): number {
  const steps = system === 'sewage' ? [300, 400, 500, 600, 800, 1000, 1200] : [300, 400, 600, 800, 1000, 1200, 1500, 1800];
  const thresholds = [150, 500, 1200, 2500, 5000, 10000, 20000];
  let k = thresholds.findIndex((t) => upstreamM < t);
  if (k < 0) k = steps.length - 1;
  if (network === 'community') k = Math.min(k, 2);
  return steps[Math.min(k, steps.length - 1)];
}

async function writeSystem(db: pg.ClientBase, system: System, b: Built) {
  const n = b.pts.length;
  const [ox, oy] = OFFSET[system];
  // Ground falls gently towards the water. Inverts rise upstream at 2‰ where the cover allows, and
  // always by at least 0.3‰, so every reach falls in the direction of flow.
  const ground = b.pts.map(([x, y], v) => 19.8 + Math.min(b.waterDist[v], 2500) * 0.0012 + 0.5 * Math.sin(x / 900) * Math.cos(y / 1300));
  const out = new Array<number>(n).fill(-1);
  for (const r of b.reaches) out[r.from] = r.to;
  const order = [...Array(n).keys()].sort((p, q) => b.dist[p] - b.dist[q]);
  const invert = new Array<number>(n).fill(0);
  for (const v of order) {
    const down = out[v];
    const len = down >= 0 ? Math.hypot(b.pts[v][0] - b.pts[down][0], b.pts[v][1] - b.pts[down][1]) : 0;
    invert[v] = down < 0 ? ground[v] - 4.0 : Math.max(invert[down] + 0.0003 * len, Math.min(invert[down] + 0.002 * len, ground[v] - 1.2));
  }
  // Where the minimum fall left a manhole with less than 1.2 m of cover, lower its whole tree (the sink
  // gets deeper, as long flat trunk sewers do) until every manhole has it.
  const root = new Array<number>(n).fill(-1);
  const excess = new Map<number, number>();
  for (const v of order) {
    root[v] = out[v] < 0 ? v : root[out[v]];
    excess.set(root[v], Math.max(excess.get(root[v]) ?? 0, invert[v] - (ground[v] - 1.2)));
  }
  for (let v = 0; v < n; v++) invert[v] -= excess.get(root[v]) ?? 0;
  // Upstream length for diameters: accumulate from the far ends down.
  const upstream = new Array<number>(n).fill(0);
  for (const v of [...order].reverse()) {
    const down = out[v];
    if (down >= 0) upstream[down] += upstream[v] + Math.hypot(b.pts[v][0] - b.pts[down][0], b.pts[v][1] - b.pts[down][1]);
  }
  const p = PREFIX[system];
  const codes = b.pts.map((_, v) => `WC-${p}J-${String(v + 1).padStart(6, '0')}`);
  const netOf = new Array<Network>(n).fill('community');
  for (const r of b.reaches) if (r.network === 'main') { netOf[r.from] = 'main'; netOf[r.to] = 'main'; }
  const ids = (await db.query<{ id: number }>(
    `INSERT INTO manholes (code, kind, usage, network, ground_elev_m, invert_elev_m, depth_m, synthetic, geom)
     SELECT code, kind, $1, net, g, inv, g - inv, true, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 32650), 4326)
     FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
          WITH ORDINALITY AS u(code, kind, net, g, inv, x, y, i)
     ORDER BY i RETURNING id`,
    [system, codes, b.kind, netOf, ground, invert, b.pts.map((q) => q[0] + ox), b.pts.map((q) => q[1] + oy)])).rows.map((r) => r.id);

  const materials = (network: Network, d: number, k: number) =>
    network === 'main' ? (d >= 600 ? 'RC' : hashRandom(k, 5) < 0.7 ? 'RC' : 'HDPE') : hashRandom(k, 6) < 0.6 ? 'PVC-U' : 'HDPE';
  const rows = b.reaches.map((r, k) => {
    const d = diameter(system, r.network, upstream[r.from]);
    return {
      code: `WC-${p}G-${String(k + 1).padStart(6, '0')}`, from: ids[r.from], to: ids[r.to], network: r.network, d,
      material: materials(r.network, d, k), up: invert[r.from], down: invert[r.to], road: r.road,
      year: 1985 + Math.floor(hashRandom(k, 9) * 38),
      // CJJ 181 K and T classes: main pipes lie under the arterial roads (the old town's combined system
      // under its commercial core), community pipes in compounds; mostly ordinary soil, mucky soil
      // near the lakes and the river, some weakly expansive clay (Wuchang's old terraces).
      area: r.network === 'main' ? (system === 'combined' ? 'cbd' : 'arterial') : 'other',
      soil: hashRandom(k, 11) < 0.7 ? 'general' : hashRandom(k, 12) < 0.65 ? 'mucky_soil' : 'expansive_weak',
    };
  });
  const res = await db.query<{ main: number; community: number }>(
    `WITH ins AS (
       INSERT INTO pipes (code, from_node, to_node, usage, network, diameter_mm, material, length_m, up_invert_m, down_invert_m,
                          built_year, road_name, area_class, soil_class, synthetic, geom)
       SELECT u.code, u.f, u.t, $1, u.net, u.d, u.mat, ST_Length(line::geography), u.up, u.down, u.yr, u.road, u.area, u.soil,
              true, line
       FROM unnest($2::text[], $3::int[], $4::int[], $5::text[], $6::int[], $7::text[], $8::float8[], $9::float8[], $10::int[], $11::text[],
                   $12::text[], $13::text[])
            AS u(code, f, t, net, d, mat, up, down, yr, road, area, soil),
       LATERAL (SELECT ST_MakeLine(a.geom, b.geom) AS line FROM manholes a, manholes b WHERE a.id = u.f AND b.id = u.t) l
       RETURNING network, length_m)
     SELECT coalesce(sum(length_m) FILTER (WHERE network = 'main'), 0) / 1000 AS main,
            coalesce(sum(length_m) FILTER (WHERE network = 'community'), 0) / 1000 AS community FROM ins`,
    [system, rows.map((r) => r.code), rows.map((r) => r.from), rows.map((r) => r.to), rows.map((r) => r.network),
      rows.map((r) => r.d), rows.map((r) => r.material), rows.map((r) => r.up), rows.map((r) => r.down),
      rows.map((r) => r.year), rows.map((r) => r.road), rows.map((r) => r.area), rows.map((r) => r.soil)]);

  // Sinks become facilities: outfalls, pumping stations, treatment plants.
  const sinks = [...b.sinkKind.entries()];
  await db.query(
    `INSERT INTO facilities (code, name, kind, manhole_id, synthetic, geom)
     SELECT 'WC-' || $1 || '-S' || lpad(i::text, 4, '0'),
            CASE u.kind WHEN 'outfall' THEN '排口' || $1 || lpad(i::text, 3, '0') WHEN 'lift_station' THEN '提升泵站' || $1 || lpad(i::text, 3, '0')
                      WHEN 'wwtp' THEN u.name ELSE '泵站' || $1 || lpad(i::text, 3, '0') END,
            CASE u.kind WHEN 'lift_station' THEN 'pumping_station' ELSE u.kind END, m.id, true, m.geom
     FROM unnest($2::int[], $3::text[], $4::text[]) WITH ORDINALITY AS u(mid, kind, name, i) JOIN manholes m ON m.id = u.mid`,
    [p, sinks.map(([v]) => ids[v]), sinks.map(([, k]) => k), sinks.map(([v]) => b.sinkName.get(v) ?? null)]);
  return { manholes: n, pipes: rows.length, mainKm: res.rows[0].main, communityKm: res.rows[0].community };
}
