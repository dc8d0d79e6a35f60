// The live path end to end: readings posted to the ingest API (or written by any other process) reach
// every open SSE stream; thresholds raise, escalate and clear alarms with hysteresis and open a case at a
// waterlogging point; a page that reconnects with Last-Event-ID gets what it missed; a page that stops
// reading is dropped without holding up the others.
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { sseStream } from '../helpers/sse.ts';

/** The feed's key (AppOptions.ingestKey, ONEMAP_INGEST_KEY). */
const FEED_KEY = 'test-feed-key-0123456789abcdefghijklmnop';
const ctx = useTestApp({ ingestKey: FEED_KEY });
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;

const stream = (query = '', lastEventId?: string) => sseStream(`${ctx.app.baseUrl}/api/live${query}`, lastEventId ? { 'last-event-id': lastEventId } : {});
const open: ReturnType<typeof stream>[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });

const post = async (path: string, body: unknown, headers: Record<string, string>) => {
  const res = await fetch(ctx.app.baseUrl + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

describe('live data', () => {
  it('a storm at a waterlogging point: readings stream out, the alarm rises and clears once, a case opens', async () => {
    const disp = (await loginAs(ctx, 'dispatcher')).headers;
    const [d] = await rows(`SELECT d.id, d.station_id, d.warn_level, d.alarm_level FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id
      JOIN grids g ON ST_Intersects(g.geom, s.geom) WHERE s.kind = 'ponding' AND d.level = 'normal' ORDER BY d.id LIMIT 1`);
    const a = stream(); const b = stream('?kinds=alarm,case');
    open.push(a, b);
    await Promise.all([a.opened, b.opened]);
    const t0 = Date.now();
    // Rising through warn (15) and alarm (27), hovering at 27 (no flapping), falling back down through both.
    const values = [5, 10, 16, 22, 28, 26.5, 27.2, 26.8, 30, 24, 20, 14, 12, 8];
    const readings = values.map((value, i) => ({ datastream_id: d.id, t: new Date(t0 - (values.length - i) * 1000).toISOString(), value }));
    const r = await post('/api/ingest/observations', readings, disp);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: 14, stored: 14, alarms: { raised: 2, cleared: 1 }, cases_opened: 1 });

    await a.until(() => a.events.filter((e) => e.event === 'observation' && e.data.datastream_id === d.id).length >= 14);
    const obs = a.events.filter((e) => e.event === 'observation' && e.data.datastream_id === d.id);
    expect(obs.map((e) => e.data.value)).toEqual(values);
    await b.until(() => b.events.some((e) => e.event === 'case'));
    await b.until(() => b.events.some((e) => e.event === 'alarm' && e.data.state === 'cleared'));
    // Each update of the alarm row is an event (linking the case is one); its states, in order:
    const states = b.events.filter((e) => e.event === 'alarm' && e.data.datastream_id === d.id).map((e) => `${e.data.level}/${e.data.state}`);
    // 24 falls past the alarm band (27 − 1.2) → warning; 14 is still inside the warning band (15 − 1.2); 12 clears.
    expect(states.filter((x, i) => x !== states[i - 1]), states.join(' ')).toEqual(['warning/active', 'alarm/active', 'warning/active', 'warning/cleared']);
    expect(b.events.every((e) => e.event === 'alarm' || e.event === 'case')).toBe(true); // filtered by kind
    const [alarm] = await rows('SELECT level, peak_value, cleared_value, case_id FROM alarms WHERE datastream_id = $1', [d.id]);
    expect(alarm).toMatchObject({ level: 'warning', peak_value: 30, cleared_value: 12 });
    const [c] = await rows('SELECT item_code, source, status FROM cases WHERE id = $1', [alarm.case_id]);
    expect(c).toEqual({ item_code: 'E0701', source: 'iot', status: 'reported' });
    expect((await rows('SELECT status FROM sensor_stations WHERE id = $1', [d.station_id]))[0].status).toBe('normal');

    // The same readings again change nothing (stored once).
    const again = await post('/api/ingest/observations', readings, disp);
    expect(again.body).toMatchObject({ stored: 0, duplicates: 14, alarms: { raised: 0, cleared: 0 } });
  });

  it('a write by another process reaches the page; a page that reconnects gets what it missed, in order', async () => {
    const s = stream('?kinds=observation');
    open.push(s);
    await s.opened;
    const [d] = await rows(`SELECT id FROM datastreams ORDER BY id LIMIT 1`);
    await rows(`INSERT INTO observations (datastream_id, t, value) VALUES ($1, now(), 42.5)`, [d.id]);
    await s.until(() => s.events.some((e) => e.data.value === 42.5));
    const lastSeen = s.events.at(-1)!.id;
    await s.close();
    open.length = 0;
    // Missed while away: three readings.
    for (const v of [1.5, 2.5, 3.5]) await rows(`INSERT INTO observations (datastream_id, t, value) VALUES ($1, now() + $2 * interval '1 ms', $2)`, [d.id, v]);
    const back = stream('?kinds=observation', lastSeen);
    open.push(back);
    await back.until(() => back.events.length >= 3);
    expect(back.events.slice(0, 3).map((e) => e.data.value)).toEqual([1.5, 2.5, 3.5]);
    expect(back.events.map((e) => BigInt(e.id))).toEqual([...back.events.map((e) => BigInt(e.id))].sort((x, y) => (x < y ? -1 : 1)));
    expect(BigInt(back.events[0].id)).toBeGreaterThan(BigInt(lastSeen));
  });

  it('a page that opens reads the newest events from the log: by kind, bounded, oldest first; a field worker none of another grid\'s cases', async () => {
    const disp = (await loginAs(ctx, 'dispatcher')).headers;
    const spots = await rows(`SELECT g.code, ST_X(p) AS lon, ST_Y(p) AS lat FROM grids g, ST_PointOnSurface(g.geom) p ORDER BY g.code LIMIT 2`);
    const made: { id: number; case_no: string }[] = [];
    for (const sp of spots) {
      const r = await post('/api/cases', { item_code: 'E0101', lon: sp.lon, lat: sp.lat, description: 'recent events' }, disp);
      expect(r.status).toBe(201);
      made.push(r.body);
    }
    const recent = async (query: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${ctx.app.baseUrl}/api/live/recent${query}`, { headers });
      return { status: res.status, body: await res.json() as { events: { id: string; kind: string; at: string; data: { id: number; status: string; grid_code: string } }[]; last_id: string } };
    };
    // The public (a wall) gets both, oldest first, each with its time.
    const all = await recent('?kinds=case&limit=200');
    expect(all.status).toBe(200);
    const ours = all.body.events.filter((e) => made.some((m) => m.id === Number(e.data.id)));
    expect(ours.map((e) => [Number(e.data.id), e.data.status])).toEqual(made.map((m) => [m.id, 'reported']));
    expect(all.body.events.every((e) => e.kind === 'case')).toBe(true);
    expect(all.body.events.map((e) => BigInt(e.id))).toEqual([...all.body.events.map((e) => BigInt(e.id))].sort((x, y) => (x < y ? -1 : 1)));
    expect(Math.abs(Date.parse(ours[1].at) - Date.now())).toBeLessThan(60_000);
    expect(BigInt(all.body.last_id)).toBeGreaterThanOrEqual(BigInt(ours[1].id));
    // Bounded: the newest only.
    const one = await recent('?kinds=case&limit=1');
    expect(one.body.events.map((e) => Number(e.data.id))).toEqual([made[1].id]);
    expect((await recent('?limit=201')).status).toBe(400);
    // A field worker of the first grid: its case, never the other's (as on the stream).
    const field = (await loginAs(ctx, 'field', [spots[0].code.trim()])).headers;
    const theirs = await recent('?kinds=case&limit=200', field);
    expect(theirs.status).toBe(200);
    expect(theirs.body.events.some((e) => Number(e.data.id) === made[0].id)).toBe(true);
    expect(theirs.body.events.some((e) => Number(e.data.id) === made[1].id)).toBe(false);
    expect(theirs.body.events.every((e) => e.data.grid_code.trim().startsWith(spots[0].code.trim()))).toBe(true);
  });

  it('a page that stops reading does not hold up the others: 20,000 events reach a reading page in order', async () => {
    // A client that sends its request and never reads (the dropping itself is unit-tested: test/unit/live-hub.test.ts).
    const url = new URL(ctx.app.baseUrl);
    const sock = net.connect(Number(url.port), url.hostname);
    const head = once(sock, 'data');
    sock.write(`GET /api/live HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    // The answer's head means the hub has registered this page; from here on it reads nothing.
    await head;
    sock.pause();
    const s = stream('?kinds=observation');
    open.push(s);
    await s.opened;
    const [d] = await rows(`SELECT id FROM datastreams ORDER BY id DESC LIMIT 1`);
    const disp = (await loginAs(ctx, 'dispatcher')).headers;
    const base = Date.now() - 3600_000;
    for (let k = 0; k < 8; k++) {
      const batch = Array.from({ length: 2500 }, (_, i) => ({ datastream_id: d.id, t: new Date(base + (k * 2500 + i) * 100).toISOString(), value: k * 2500 + i }));
      expect((await post('/api/ingest/observations', batch, disp)).status).toBe(200);
    }
    await s.until(() => s.events.filter((e) => e.data.datastream_id === d.id).length >= 20000, 30000);
    const values = s.events.filter((e) => e.data.datastream_id === d.id).map((e) => e.data.value);
    expect(values).toEqual(Array.from({ length: 20000 }, (_, i) => i));
    sock.destroy();
  });

  it('ingest refuses bad input and strangers, and accepts the feed key', async () => {
    const disp = (await loginAs(ctx, 'dispatcher')).headers;
    const field = (await loginAs(ctx, 'field')).headers;
    const [d] = await rows(`SELECT id FROM datastreams ORDER BY id LIMIT 1`);
    const ok = { datastream_id: d.id, t: new Date().toISOString(), value: 1 };
    expect((await post('/api/ingest/observations', ok, {})).status).toBe(401);
    expect((await post('/api/ingest/observations', ok, field)).status).toBe(403);
    const unknown = await post('/api/ingest/observations', [ok, { ...ok, datastream_id: 999999 }], disp);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/unknown datastream 999999/);
    expect((await rows('SELECT count(*)::int AS n FROM observations WHERE datastream_id = $1 AND t = $2', [d.id, ok.t]))[0].n).toBe(0);
    expect((await post('/api/ingest/observations', { ...ok, t: '2099-01-01T00:00:00Z' }, disp)).body.message).toMatch(/in the future/);
    expect((await post('/api/ingest/observations', { ...ok, value: 'high' }, disp)).status).toBe(400);
    expect((await post('/api/ingest/positions', { vehicle_id: 1, t: ok.t, lon: 30.5, lat: 114.3 }, disp)).body.message).toMatch(/look swapped/);
    expect((await post('/api/ingest/observations', ok, { 'x-ingest-key': FEED_KEY })).status).toBe(200);
    for (const wrong of ['wrong-key', FEED_KEY.slice(0, -1), `${FEED_KEY}x`, FEED_KEY.toUpperCase()]) {
      expect((await post('/api/ingest/observations', ok, { 'x-ingest-key': wrong })).status, wrong).toBe(401);
    }
  });

  it('every ingest batch is in the audit log: who (the feed or the account), from where, what it stored', async () => {
    const admin = (await loginAs(ctx, 'admin')).headers;
    const disp = await loginAs(ctx, 'dispatcher');
    const [d] = await rows(`SELECT id FROM datastreams ORDER BY id DESC LIMIT 1`);
    const [v] = await rows('SELECT id FROM vehicles ORDER BY id DESC LIMIT 1');
    const [cam] = await rows(`SELECT id FROM cameras ORDER BY id DESC LIMIT 1`);
    const t = new Date().toISOString();
    expect((await post('/api/ingest/observations', [{ datastream_id: d.id, t, value: 0.25 }], { 'x-ingest-key': FEED_KEY })).status).toBe(200);
    expect((await post('/api/ingest/positions', { vehicle_id: v.id, t, lon: 114.31, lat: 30.55 }, disp.headers)).status).toBe(200);
    expect((await post('/api/ingest/cameras', { camera_id: cam.id, status: 'damaged' }, disp.headers)).status).toBe(200);
    // A refused batch writes nothing, so it is not in the log either.
    expect((await post('/api/ingest/observations', { datastream_id: 999999, t, value: 1 }, { 'x-ingest-key': FEED_KEY })).status).toBe(400);

    // (A reading that raises an alarm may open a case, audited in between.)
    const log = (await (await fetch(`${ctx.app.baseUrl}/api/audit?limit=10`, { headers: admin })).json()).items
      .filter((e: { action: string }) => e.action.startsWith('ingest.')).slice(0, 3);
    expect(log.map((e: { action: string }) => e.action)).toEqual(['ingest.cameras', 'ingest.positions', 'ingest.observations']);
    expect(log[2]).toMatchObject({ actor: 'feed (X-Ingest-Key)', role: 'system', user_id: null, entity: 'datastream', ip: '127.0.0.1',
      after: { received: 1, stored: 1, datastreams: [d.id] } });
    expect(log[1]).toMatchObject({ actor: disp.user.username, role: 'dispatcher', user_id: disp.user.id, entity: 'vehicle', after: { received: 1, stored: 1, vehicles: [v.id] } });
    expect(log[0]).toMatchObject({ actor: disp.user.username, entity: 'camera', after: { received: 1, changed: 1, statuses: [{ camera_id: cam.id, status: 'damaged' }] } });
  });

  it('vehicle positions and camera status changes stream out and update the rows', async () => {
    const disp = (await loginAs(ctx, 'dispatcher')).headers;
    const s = stream('?kinds=position,camera');
    open.push(s);
    await s.opened;
    const [v] = await rows('SELECT id FROM vehicles ORDER BY id LIMIT 1');
    const t = new Date().toISOString();
    expect((await post('/api/ingest/positions', { vehicle_id: v.id, t, lon: 114.31, lat: 30.55, speed_kmh: 32, heading_deg: 90 }, disp)).status).toBe(200);
    const [cam] = await rows(`SELECT id FROM cameras WHERE status = 'online' ORDER BY id LIMIT 1`);
    expect((await post('/api/ingest/cameras', { camera_id: cam.id, status: 'offline' }, disp)).body).toMatchObject({ changed: 1 });
    // These two: an earlier test's ingest may still reach the stream after it opened.
    const position = () => s.events.find((e) => e.event === 'position' && e.data.vehicle_id === v.id && e.data.lon === 114.31);
    const camera = () => s.events.find((e) => e.event === 'camera' && e.data.camera_id === cam.id && e.data.status === 'offline');
    await s.until(() => Boolean(position() && camera()));
    expect(position()!.data).toMatchObject({ vehicle_id: v.id, lon: 114.31, lat: 30.55 });
    expect(camera()!.data).toMatchObject({ camera_id: cam.id, status: 'offline' });
    expect((await rows('SELECT ST_X(geom) AS x, speed_kmh FROM vehicles WHERE id = $1', [v.id]))[0]).toEqual({ x: 114.31, speed_kmh: 32 });
  });
});
