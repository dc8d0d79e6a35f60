// Liveness against PostGIS: a station, a vehicle and a camera that stop reporting read offline once the
// sweep runs past their interval (a given "now"), with a 'liveness' event each; they come back on their
// next report, with an event; things that never reported are left as they are; the history records each
// change, and a camera's online rate per day is rolled up from that history.
import { afterEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { sseStream } from '../helpers/sse.ts';
import { sweepSilent } from '../../server/live/liveness.ts';
import { rollUpCameraDays } from '../../server/live/liveness-sweep.ts';

const FEED_KEY = 'test-feed-key-0123456789abcdefghijklmnop';
const ctx = useTestApp({ ingestKey: FEED_KEY });
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const feed = { 'x-ingest-key': FEED_KEY, 'content-type': 'application/json' };
const ingest = async (what: string, body: unknown) => {
  const res = await fetch(`${ctx.app.baseUrl}/api/ingest/${what}`, { method: 'POST', headers: feed, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};
const statusOf = async (table: string, id: number) => (await rows(`SELECT status FROM ${table} WHERE id = $1`, [id]))[0].status as string;
const minutes = (n: number) => n * 60_000;

const open: ReturnType<typeof sseStream>[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });

describe('liveness', () => {
  it('a station that stops reporting reads offline after its interval, with an event, and comes back on a report', async () => {
    // A rain gauge: 30 minutes of silence allowed (liveness_defaults), read from the data, not assumed.
    const [d] = await rows(`SELECT d.id, d.station_id, s.status FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id
      WHERE s.kind = 'rain' AND s.status = 'normal' ORDER BY d.id LIMIT 1`);
    const [{ after }] = await rows(`SELECT extract(epoch FROM liveness_offline_after('station', 'rain'))::int AS after`);
    expect(after).toBe(1800);
    const sse = sseStream(`${ctx.app.baseUrl}/api/live?kinds=liveness`);
    open.push(sse);
    await sse.opened;

    await ingest('observations', { datastream_id: d.id, t: new Date().toISOString(), value: 0 });
    const [{ seen }] = await rows(`SELECT last_seen_at AS seen FROM liveness WHERE thing = 'station' AND id = $1`, [d.station_id]);
    // Within its interval: still reporting.
    expect(await sweepSilent(ctx.app.server.pool, new Date(seen.getTime() + after * 1000 - 1000))).toEqual([]);
    expect(await statusOf('sensor_stations', d.station_id)).toBe('normal');
    // Past it: offline, once.
    const late = new Date(seen.getTime() + after * 1000 + 1000);
    const swept = await sweepSilent(ctx.app.server.pool, late);
    expect(swept.find((s) => s.thing === 'station')?.ids).toContain(d.station_id);
    expect(await statusOf('sensor_stations', d.station_id)).toBe('offline');
    expect((await sweepSilent(ctx.app.server.pool, late)).find((s) => s.thing === 'station')?.ids ?? []).not.toContain(d.station_id);
    await sse.until(() => sse.events.some((e) => e.data.thing === 'station' && e.data.id === d.station_id && !e.data.online));
    const down = sse.events.find((e) => e.data.id === d.station_id)!;
    expect(down.data).toMatchObject({ status: 'offline', online: false, at: expect.any(String), lon: expect.any(Number) });
    expect(new Date(down.data.at).getTime()).toBe(late.getTime());

    // It reports again: back to its worst datastream's level, with an event.
    await ingest('observations', { datastream_id: d.id, t: new Date().toISOString(), value: 0.2 });
    expect(await statusOf('sensor_stations', d.station_id)).toBe('normal');
    await sse.until(() => sse.events.some((e) => e.data.thing === 'station' && e.data.id === d.station_id && e.data.online));
    // The history has both changes, the sweep's at the sweep's "now" (here ahead of the clock).
    const history = await rows(`SELECT status, at FROM status_history WHERE thing = 'station' AND id = $1 ORDER BY status`, [d.station_id]);
    expect(history.map((h) => h.status)).toEqual(['normal', 'offline']);
    expect(history[1].at.getTime()).toBe(late.getTime());
  });

  it('vehicles and cameras too, each with its own interval; what never reported is left alone', async () => {
    const [v] = await rows(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM vehicles WHERE status = 'on_duty' AND geom IS NOT NULL ORDER BY id LIMIT 1`);
    const [cam, other] = await rows(`SELECT id FROM cameras WHERE status = 'online' ORDER BY id LIMIT 2`);
    // This camera may be silent for 2 minutes only (its own interval), less than cameras' default.
    await rows(`INSERT INTO liveness (thing, id, offline_after) VALUES ('camera', $1, '2 minutes')`, [cam.id]);
    await ingest('positions', { vehicle_id: v.id, t: new Date().toISOString(), lon: v.lon, lat: v.lat, speed_kmh: 20 });
    await ingest('cameras', { camera_id: cam.id, status: 'online' });
    const t0 = Date.now();

    const at3 = await sweepSilent(ctx.app.server.pool, new Date(t0 + minutes(3)));
    expect(at3.find((s) => s.thing === 'camera')?.ids).toEqual([cam.id]);
    expect(at3.find((s) => s.thing === 'vehicle')).toBeUndefined();
    expect(await statusOf('cameras', cam.id)).toBe('offline');
    const at11 = await sweepSilent(ctx.app.server.pool, new Date(t0 + minutes(11)));
    expect(at11.find((s) => s.thing === 'vehicle')?.ids).toEqual([v.id]);
    expect(await statusOf('vehicles', v.id)).toBe('offline');
    // A camera that never reported live keeps its registry status however long the sweep waits.
    await sweepSilent(ctx.app.server.pool, new Date(t0 + minutes(60 * 24 * 30)));
    expect(await statusOf('cameras', other.id)).toBe('online');

    await ingest('positions', { vehicle_id: v.id, t: new Date().toISOString(), lon: v.lon, lat: v.lat, speed_kmh: 25 });
    await ingest('cameras', { camera_id: cam.id, status: 'online' });
    expect(await statusOf('vehicles', v.id)).toBe('on_duty');
    expect(await statusOf('cameras', cam.id)).toBe('online');
  });

  it('a camera\'s online rate per day is rolled up from its status history', async () => {
    const [cam] = await rows(`SELECT id FROM cameras WHERE status = 'online' ORDER BY id DESC LIMIT 1`);
    // A day long past, in Wuchang's time: online from midnight, offline 06:00–12:00, damaged from 18:00.
    await rows(`DELETE FROM status_history WHERE thing = 'camera' AND id = $1`, [cam.id]);
    await rows(`INSERT INTO status_history (thing, id, at, status) VALUES
      ('camera', $1, '2026-03-01 00:00+08', 'online'), ('camera', $1, '2026-03-01 06:00+08', 'offline'),
      ('camera', $1, '2026-03-01 12:00+08', 'online'), ('camera', $1, '2026-03-01 18:00+08', 'damaged'),
      ('camera', $1, '2026-03-02 09:00+08', 'online')`, [cam.id]);
    await rows(`SELECT camera_status_roll_up('2026-03-01', '2026-03-03', '2026-03-03 12:00+08')`);
    const days = await rows(`SELECT day::text, online_ratio, status FROM camera_status_days WHERE camera_id = $1 AND day BETWEEN '2026-03-01' AND '2026-03-03' ORDER BY day`, [cam.id]);
    expect(days).toEqual([
      { day: '2026-03-01', online_ratio: 0.5, status: 'damaged' },
      { day: '2026-03-02', online_ratio: 0.625, status: 'online' },
      // Known until "now" (12:00): online all of it.
      { day: '2026-03-03', online_ratio: 1, status: 'online' },
    ]);

    // Live changes land in the history and today's figure follows it.
    await ingest('cameras', { camera_id: cam.id, status: 'offline' });
    const [last] = await rows(`SELECT status FROM status_history WHERE thing = 'camera' AND id = $1 ORDER BY at DESC LIMIT 1`, [cam.id]);
    expect(last.status).toBe('offline');
    await rollUpCameraDays(ctx.app.server.pool, new Date(Date.now() + 1000));
    const [today] = await rows(`SELECT online_ratio, status FROM camera_status_days WHERE camera_id = $1 AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date`, [cam.id]);
    expect(today.status).toBe('offline');
  });

  it('the seed\'s history is the same kind of rows: synthetic, and the days agree with it', async () => {
    const [h] = await rows(`SELECT count(*)::int AS n, bool_and(synthetic) AS all_synthetic, count(DISTINCT id)::int AS cameras FROM status_history WHERE thing = 'camera'`);
    expect(h.cameras).toBeGreaterThanOrEqual(8000);
    const [c] = await rows(`SELECT c.id FROM cameras c WHERE c.status <> 'online' AND c.synthetic ORDER BY c.id LIMIT 1`);
    const [{ status }] = await rows(`SELECT status FROM status_history WHERE thing = 'camera' AND id = $1 ORDER BY at DESC LIMIT 1`, [c.id]);
    expect(status).toBe(await statusOf('cameras', c.id));
  });
});
