// Facility operating state end to end: a feed reports a gate's opening, pumps and a lake's level through the
// ingest API; bad reports are refused and change nothing; the tiles and details show the state, the history
// keeps it, and every change is a live event (a level past 警戒水位 says so).
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { facilitySimulation } from '../../scripts/simulate-facilities.ts';
import { mulberry32 } from '../../scripts/seed/random.ts';
import { sessionAs, useTestApp } from '../helpers/app.ts';
import { decodeTile } from '../helpers/mvt.ts';
import { sseStream } from '../helpers/sse.ts';

const FEED_KEY = 'test-feed-key-0123456789abcdefghijklmnop';
const ctx = useTestApp({ ingestKey: FEED_KEY });
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const feed = { 'x-ingest-key': FEED_KEY };
const open: ReturnType<typeof sseStream>[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });

const post = async (body: unknown, headers: Record<string, string> = feed) => {
  const res = await fetch(`${ctx.app.baseUrl}/api/ingest/facilities`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
// The first of its kind on a unit grid (where an alarm's case can be placed).
const facility = async (kind: string) => (await rows(
  `SELECT f.id, ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat FROM facilities f
   JOIN facility_state s ON s.facility_id = f.id
   WHERE f.kind = $1 AND EXISTS (SELECT 1 FROM grids g WHERE ST_Intersects(g.geom, ST_PointOnSurface(f.geom))) ORDER BY f.id LIMIT 1`, [kind]))[0];

/** The facilities tile's feature of this id at z14, once the change feed has dropped the cached tile. */
async function tileFeature(f: { id: number; lon: number; lat: number }, until: (p: Record<string, unknown>) => boolean) {
  const z = 14; const n = 2 ** z;
  const x = Math.floor(((f.lon + 180) / 360) * n);
  const r = (f.lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  for (let k = 0; k < 50; k++) {
    const res = await fetch(`${ctx.app.baseUrl}/tiles/facilities/${z}/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'identity' } });
    const feat = decodeTile(new Uint8Array(await res.arrayBuffer())).facilities?.features.find((x2) => x2.id === f.id);
    if (feat && until(feat.properties)) return feat.properties;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`the tile never showed the state of facility ${f.id}`);
}

describe('facility state', () => {
  it('a gate opens and a pump starts: stored, in the history, in the tiles and the details', async () => {
    const gate = await facility('flood_gate');
    const pump = await facility('pumping_station');
    const before = await tileFeature(gate, () => true);
    expect(before).toHaveProperty('warning_level_m', 27.3);
    const r = await post([
      { facility_id: gate.id, open_pct: 100 },
      { facility_id: pump.id, pump_status: 'running', flow_m3s: 12.5, units_running: 3 },
    ]);
    expect(r).toMatchObject({ status: 200, body: { received: 2, changed: 2 } });
    expect((await rows('SELECT open_pct FROM facility_state WHERE facility_id = $1', [gate.id]))[0].open_pct).toBe(100);
    expect(await tileFeature(gate, (p) => p.open_pct === 100)).toMatchObject({ kind: 'flood_gate', open_pct: 100 });
    expect(await tileFeature(pump, (p) => p.pump_status === 'running')).toMatchObject({ flow_m3s: 12.5, units_running: 3 });
    const d = await (await fetch(`${ctx.app.baseUrl}/api/details/facilities/${pump.id}`)).json();
    expect(d.related.state).toMatchObject({ pump_status: 'running', flow_m3s: 12.5 });
    expect(d.related.history.at(-1)).toMatchObject({ pump_status: 'running', flow_m3s: 12.5 });

    // The same report again changes nothing; "stopped" alone means no flow and no unit running.
    expect((await post({ facility_id: gate.id, open_pct: 100 })).body).toMatchObject({ changed: 0 });
    await post({ facility_id: pump.id, pump_status: 'stopped' });
    expect((await rows('SELECT flow_m3s, units_running FROM facility_state WHERE facility_id = $1', [pump.id]))[0]).toEqual({ flow_m3s: 0, units_running: 0 });
  });

  it('refuses what cannot be, changing nothing', async () => {
    const gate = await facility('flood_gate');
    const lake = await facility('lake');
    const state = async () => rows('SELECT * FROM facility_state WHERE facility_id = ANY($1) ORDER BY facility_id', [[gate.id, lake.id]]);
    const was = await state();
    const bad: [unknown, RegExp][] = [
      [{ facility_id: gate.id, open_pct: 150 }, /open_pct/],
      [{ facility_id: gate.id, open_pct: -1 }, /open_pct/],
      [{ facility_id: gate.id, pump_status: 'running' }, /flood_gate has no pump_status/],
      [[{ facility_id: lake.id, water_level_m: 19 }, { facility_id: lake.id, guarantee_level_m: 18 }], /guarantee level/],
      [{ facility_id: 2147483000, open_pct: 1 }, /unknown facility/],
      [{ facility_id: gate.id, pump_status: 'broken' }, /pump_status/],
      [{ facility_id: gate.id, t: '2999-01-01T00:00:00Z', open_pct: 5 }, /future/],
      [{ facility_id: gate.id, water_level_m: 'Infinity' }, /water_level_m/],
      [{ facility_id: '1e999', open_pct: 5 }, /facility_id/],
    ];
    for (const [body, msg] of bad) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(msg);
    }
    expect((await post({ facility_id: gate.id, open_pct: 5 }, {})).status).toBe(401);
    expect(await state()).toEqual(was);
  });

  it('a lake rising past 警戒水位 is a live event that says so', async () => {
    const lake = await facility('lake');
    const [{ warning_level_m: warn }] = await rows('SELECT warning_level_m FROM facility_state WHERE facility_id = $1', [lake.id]);
    const s = sseStream(`${ctx.app.baseUrl}/api/live?kinds=facility`);
    open.push(s);
    await s.opened;
    const r = await post({ facility_id: lake.id, water_level_m: warn + 0.1 });
    expect(r.body.level_changes).toEqual([{ facility_id: lake.id, from: 'normal', to: 'warning' }]);
    // The lake's event: an earlier test's pump report may still reach the stream after it opened.
    const ofLake = (x: (typeof s.events)[number]) => x.event === 'facility' && x.data.id === lake.id;
    await s.until(() => s.events.some(ofLake));
    const e = s.events.find(ofLake)!;
    expect(e.data).toMatchObject({ id: lake.id, kind: 'lake', level_state: 'warning', level_before: 'normal', warning_level_m: warn });
    expect(await tileFeature(lake, (p) => p.level_state === 'warning')).toBeTruthy();
  });

  it('a level past 警戒水位 raises exactly one alarm, handled like a sensor\'s, which clears when the level falls back; past 保证 and a pump fault it opens a case', async () => {
    const lake = await facility('lake');
    const pump = await facility('pumping_station');
    const [{ warning_level_m: warn, guarantee_level_m: guarantee }] = await rows('SELECT warning_level_m, guarantee_level_m FROM facility_state WHERE facility_id = $1', [lake.id]);
    await post({ facility_id: lake.id, water_level_m: Math.round((warn - 0.5) * 100) / 100 });
    const s = sseStream(`${ctx.app.baseUrl}/api/live?kinds=alarm`);
    open.push(s);
    await s.opened;
    const r = await post({ facility_id: lake.id, water_level_m: Math.round((warn + 0.1) * 100) / 100 });
    expect(r.body.alarms).toEqual({ raised: 1, updated: 0, cleared: 0, cases: 0 });
    // Rising further, and the same report again: still one alarm, its level and peak following; past 保证 a case, once.
    expect((await post({ facility_id: lake.id, water_level_m: Math.round((guarantee + 0.2) * 100) / 100 })).body.alarms).toEqual({ raised: 0, updated: 1, cleared: 0, cases: 1 });
    expect((await post({ facility_id: lake.id, water_level_m: Math.round((guarantee + 0.2) * 100) / 100 })).body.alarms).toEqual({ raised: 0, updated: 0, cleared: 0, cases: 0 });
    const [lakeCase] = await rows(
      `SELECT c.item_code, c.source, c.status, c.description FROM alarms a JOIN cases c ON c.id = a.case_id WHERE a.facility_id = $1 AND a.cleared_at IS NULL`, [lake.id]);
    expect(lakeCase).toMatchObject({ item_code: 'E0728', source: 'iot', status: 'reported' });
    expect(lakeCase.description).toContain('保证水位');
    const active = await rows('SELECT id::text, level, peak_value, cause, unit_code FROM alarms WHERE facility_id = $1 AND cleared_at IS NULL', [lake.id]);
    expect(active).toEqual([{ id: expect.any(String), level: 'alarm', peak_value: Math.round((guarantee + 0.2) * 100) / 100, cause: 'level', unit_code: expect.any(String) }]);
    await s.until(() => s.events.some((e) => e.data.facility_id === lake.id && e.data.level === 'alarm'));
    // This alarm's first event (the clearing of an earlier test's alarm of the lake may arrive after the stream opened).
    expect(s.events.find((e) => String(e.data.id) === active[0].id)!.data).toMatchObject({ facility_id: lake.id, cause: 'level', level: 'warning', state: 'active', kind: 'lake', station_id: null });

    // The wall's list shows it, and it is handled as any alarm.
    const list = await (await fetch(`${ctx.app.baseUrl}/api/alarms?state=active`)).json();
    expect(list.items.find((a: { id: string }) => a.id === active[0].id)).toMatchObject({ facility_id: lake.id, cause: 'level', quantity: 'water_level', unit: 'm', last_value: Math.round((guarantee + 0.2) * 100) / 100 });
    const { headers } = await sessionAs(ctx, 'dispatcher');
    const ack = await fetch(`${ctx.app.baseUrl}/api/alarms/${active[0].id}/actions/acknowledge`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ note: '已到场' }) });
    expect(ack.status).toBe(200);

    const below = Math.round((warn - 0.3) * 100) / 100;
    expect((await post({ facility_id: lake.id, water_level_m: below })).body.alarms).toEqual({ raised: 0, updated: 0, cleared: 1, cases: 0 });
    expect(await rows('SELECT handling, cleared_value FROM alarms WHERE id = $1', [active[0].id])).toEqual([{ handling: 'acknowledged', cleared_value: below }]);

    expect((await post({ facility_id: pump.id, pump_status: 'fault' })).body.alarms).toEqual({ raised: 1, updated: 0, cleared: 0, cases: 1 });
    expect(await rows('SELECT c.item_code FROM alarms a JOIN cases c ON c.id = a.case_id WHERE a.facility_id = $1 AND a.cleared_at IS NULL', [pump.id])).toEqual([{ item_code: 'E0723' }]);
    expect((await post({ facility_id: pump.id, pump_status: 'stopped' })).body.alarms).toEqual({ raised: 0, updated: 0, cleared: 1, cases: 0 });
  });

  it('npm run simulate\'s storm starts the pumps, opens the gates, lifts lakes past 警戒水位, and lets all go again', async () => {
    const pool = new pg.Pool({ connectionString: ctx.app.db.url, max: 2 });
    try {
      const before = await rows('SELECT facility_id, open_pct, pump_status, flow_m3s, water_level_m FROM facility_state ORDER BY facility_id');
      const sim = await facilitySimulation(pool, mulberry32(7), { name: 'test simulate', role: 'system' });
      await sim.tick(1, new Date());
      const peak = await rows(`SELECT f.kind, s.pump_status, s.open_pct, s.level_state FROM facility_state s JOIN facilities f ON f.id = s.facility_id`);
      expect(peak.filter((r) => r.kind === 'pumping_station').every((r) => r.pump_status === 'running')).toBe(true);
      expect(peak.filter((r) => r.kind === 'flood_gate').every((r) => r.open_pct === 100)).toBe(true);
      expect(peak.some((r) => r.level_state === 'warning' || r.level_state === 'guarantee')).toBe(true);
      expect(sim.totals().level_changes).toBeGreaterThan(0);
      await sim.tick(0, new Date(Date.now() + 1000));
      const after = await rows('SELECT facility_id, open_pct, pump_status, flow_m3s, water_level_m FROM facility_state ORDER BY facility_id');
      expect(after).toEqual(before);
    } finally {
      await pool.end();
    }
  });
});
