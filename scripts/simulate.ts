// `npm run simulate [-- --scenario rainstorm|calm] [--minutes 10] [--tick 1]`: a live feed for demos and
// tests, written straight into the database (any process's writes reach every open page through the
// change feed): sensor readings through the same ingest code as the API (thresholds, alarms, cases),
// vehicles driving along their roads, cameras dropping offline and coming back, staff walking their beat
// with their body-worn recorders and now and then falling silent (scripts/simulate-personnel.ts).
// Rainstorm: rainfall rises to a peak at 40 % of the run and falls; ponding at low points and water in
// manholes follow with a lag, so alarms fire, cases open, and everything clears before the end. Pumping
// stations start, flood gates open and lakes rise with the run-off (scripts/simulate-facilities.ts).
import pg from 'pg';
import { ingestCameraStatus, ingestPositions, ingestReadings, type Reading } from '../server/live/ingest.ts';
import type { Actor } from '../server/auth/audit.ts';
import { adminUrl, DB_NAME, ensureServer } from './db.ts';
import { mulberry32 } from './seed/random.ts';
import { metresPerDegree } from '../server/geo/geodesic.ts';
import { facilitySimulation } from './simulate-facilities.ts';
import { personnelSimulation } from './simulate-personnel.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const scenario = arg('scenario', 'rainstorm');
const minutes = Number(arg('minutes', '10'));
const tickS = Number(arg('tick', '1'));
if (!['rainstorm', 'calm'].includes(scenario) || !(minutes > 0) || !(tickS > 0)) {
  console.error('usage: npm run simulate -- [--scenario rainstorm|calm] [--minutes 10] [--tick 1]');
  process.exit(2);
}

const url = process.env.DATABASE_URL ?? adminUrl((await ensureServer()).url, DB_NAME);
const pool = new pg.Pool({ connectionString: url, max: 3 });
const random = mulberry32(20260701);
/** Its batches in the audit log. */
const SIMULATOR: Actor = { name: 'npm run simulate', role: 'system' };

interface Stream { id: number; kind: string; quantity: string; warn: number | null; alarm: number | null; base: number; gain: number }
const { rows: streams } = await pool.query<Stream>(
  `SELECT d.id, s.kind, d.quantity, d.warn_level AS warn, d.alarm_level AS alarm, coalesce(d.last_value, 0) AS base, 0 AS gain
   FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id WHERE s.status <> 'offline' ORDER BY d.id`);
// How strongly each point answers the storm: a third of the low points overflow past the alarm level.
for (const s of streams) {
  const r = random();
  if (s.quantity === 'ponding_depth') { s.base = 0; s.gain = (s.alarm ?? 27) * (r < 0.35 ? 1.3 : 0.6 * r + 0.1); }
  else if (s.kind === 'manhole_level' && s.quantity === 'water_level') { s.base = Math.min(s.base, (s.warn ?? 0.5) * 0.5); s.gain = (s.alarm ?? 2) * (r < 0.25 ? 1.15 : 0.7 * r); }
  else if (s.quantity === 'rainfall_intensity') { s.base = 0; s.gain = 55 + 20 * r; }
  else if (s.kind === 'lake_level' || s.kind === 'river_level') { s.gain = ((s.alarm ?? s.base) - s.base) * 0.6; }
}

interface Vehicle { id: number; coords: [number, number][]; cum: number[]; dist: number; speed: number }

/** Cumulative lengths (m) along a line, with the local metric of Wuchang. */
function cumulative(coords: [number, number][]): number[] {
  const m = metresPerDegree(coords[0][1]);
  const out = [0];
  for (let i = 1; i < coords.length; i++) out.push(out[i - 1] + Math.hypot((coords[i][0] - coords[i - 1][0]) * m.x, (coords[i][1] - coords[i - 1][1]) * m.y));
  return out;
}

/** The point `d` metres along the line, driving back and forth between its ends. */
function along(v: Vehicle, d: number): [number, number] {
  const total = v.cum[v.cum.length - 1] || 1;
  const u = ((d % (2 * total)) + 2 * total) % (2 * total);
  const x = u <= total ? u : 2 * total - u;
  let i = 1;
  while (i < v.cum.length - 1 && v.cum[i] < x) i++;
  const seg = v.cum[i] - v.cum[i - 1] || 1;
  const t = (x - v.cum[i - 1]) / seg;
  const [a, b] = [v.coords[i - 1], v.coords[i]];
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}
const { rows: vrows } = await pool.query<{ id: number; speed: number; coords: [number, number][] }>(
  `SELECT v.id, greatest(coalesce(v.speed_kmh, 20), 8) AS speed, ST_AsGeoJSON(r.geom)::json -> 'coordinates' AS coords
   FROM vehicles v CROSS JOIN LATERAL (SELECT geom FROM roads ORDER BY roads.geom <-> v.geom LIMIT 1) r
   WHERE v.geom IS NOT NULL AND GeometryType(r.geom) = 'LINESTRING' ORDER BY v.id`);
const vehicles: Vehicle[] = vrows.filter((v) => v.coords.length > 1).map((v) => {
  const cum = cumulative(v.coords);
  return { id: v.id, coords: v.coords, cum, dist: random() * cum[cum.length - 1], speed: v.speed };
});
const { rows: cams } = await pool.query<{ id: number }>(`SELECT id FROM cameras WHERE status = 'online' ORDER BY id`);
const down = new Map<number, number>(); // camera id → tick it comes back
// Cameras this run has reported on: the platform's keepalive goes on for them each minute, else the
// liveness sweep would rightly take them for silent once their interval passed.
const heard = new Set<number>();

/** Storm shape over the run, 0..1: rises to 1 at 40 %, falls to 0 by 85 %. */
function storm(f: number): number {
  if (scenario !== 'rainstorm') return 0;
  if (f < 0.4) return Math.sin((f / 0.4) * (Math.PI / 2)) ** 2;
  if (f < 0.85) return Math.cos(((f - 0.4) / 0.45) * (Math.PI / 2)) ** 2;
  return 0;
}

const facilities = await facilitySimulation(pool, random, SIMULATOR);
const people = await personnelSimulation(pool, random, SIMULATOR);
const ticks = Math.round((minutes * 60) / tickS);
const totals = { readings: 0, alarms: 0, cleared: 0, cases: 0, positions: 0, cameras: 0 };
console.log(`[simulate] ${scenario}: ${streams.length} datastreams, ${vehicles.length} vehicles, ${cams.length} cameras online, ${facilities.count} facilities, ${people.count.staff} staff on duty with ${people.count.recorders} recorders, ${people.count.vehicleCameras} vehicle cameras; ${minutes} min, a tick every ${tickS} s`);
for (let k = 0; k < ticks; k++) {
  const started = Date.now();
  const now = new Date();
  const f = k / ticks;
  const rain = storm(f);
  const lagged = storm(Math.max(0, f - 0.08));
  const readings: Reading[] = streams.map((s) => {
    const noise = (random() - 0.5) * 0.02 * (s.alarm ?? 1);
    const drive = s.quantity === 'rainfall_intensity' ? rain : lagged;
    return { datastream_id: s.id, t: now.toISOString(), value: Math.round((s.base + s.gain * drive + noise) * 1000) / 1000 };
  });
  const r = await ingestReadings(pool, readings, SIMULATOR, null);
  totals.readings += r.stored; totals.alarms += r.alarms.raised; totals.cleared += r.alarms.cleared; totals.cases += r.cases_opened;

  const positions = vehicles.map((v) => {
    v.dist += (v.speed / 3.6) * tickS;
    const [lon, lat] = along(v, v.dist);
    return { vehicle_id: v.id, t: now.toISOString(), lon, lat, speed_kmh: v.speed };
  });
  if (positions.length) totals.positions += (await ingestPositions(pool, positions, SIMULATOR, null)).stored;
  const vehicleAt = new Map(positions.map((p) => [p.vehicle_id, [p.lon, p.lat] as [number, number]]));
  await people.tick(k * tickS, tickS, now, (id) => vehicleAt.get(id));

  // About one camera a minute drops out for one to three minutes.
  const changes: { camera_id: number; status: 'online' | 'offline' }[] = [];
  if (cams.length && random() < tickS / 60) {
    const c = cams[Math.floor(random() * cams.length)].id;
    if (!down.has(c)) { down.set(c, k + Math.round((60 + 120 * random()) / tickS)); changes.push({ camera_id: c, status: 'offline' }); }
  }
  for (const [c, back] of down) if (back <= k || k === ticks - 1) { down.delete(c); changes.push({ camera_id: c, status: 'online' }); }
  if (k % Math.max(1, Math.round(60 / tickS)) === 0) {
    for (const c of heard) if (!down.has(c) && !changes.some((x) => x.camera_id === c)) changes.push({ camera_id: c, status: 'online' });
  }
  for (const x of changes) heard.add(x.camera_id);
  if (changes.length) totals.cameras += (await ingestCameraStatus(pool, changes, SIMULATOR, null)).changed;

  // Facilities report every 10 s (a SCADA poll), and at the end, when the storm has passed.
  if (k % Math.max(1, Math.round(10 / tickS)) === 0 || k === ticks - 1) await facilities.tick(lagged, now);

  if (k % Math.max(1, Math.round(30 / tickS)) === 0 || k === ticks - 1) {
    const fac = facilities.totals();
    const ppl = people.totals();
    console.log(`[simulate] ${Math.round(f * 100)}% rain ${Math.round(rain * 100)}%: readings ${totals.readings}, alarms raised ${totals.alarms}, cleared ${totals.cleared}, cases ${totals.cases}, positions ${totals.positions}, camera changes ${totals.cameras}, facility changes ${fac.facility_reports} (levels crossing ${fac.level_changes}), staff fixes ${ppl.staff_fixes}, device reports ${ppl.device_reports}, silences ${ppl.silences}`);
  }
  const wait = tickS * 1000 - (Date.now() - started);
  if (wait > 0) await new Promise((res) => setTimeout(res, wait));
}
await pool.end();
console.log('[simulate] done', { ...totals, ...facilities.totals(), ...people.totals() });
