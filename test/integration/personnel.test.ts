// People and devices live against PostGIS: a field worker goes on duty and shares their position (refused
// off duty or without the opt-in), only dispatchers, commanders and admins see people, device reports from
// the feed move devices and keep them live, a silent recorder goes offline in the liveness sweep, tracks
// are answered for a window, and enforcement files link to cases.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { sweepSilent } from '../../server/live/liveness.ts';
import { pruneTracks, reportStaffPositions, TRACK_DAYS } from '../../server/data/personnel.ts';

const FEED_KEY = 'test-feed-key-0123456789abcdefghijklmnop';
const ctx = useTestApp({ ingestKey: FEED_KEY });
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(`${ctx.app.baseUrl}${path}`, {
    method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() as Record<string, any> };
};
const feed = { 'x-ingest-key': FEED_KEY };
const HERE = { lon: 114.31, lat: 30.55 };

describe('personnel', () => {
  it('duty on and off; a position is refused off duty and without sharing; only some roles see people', async () => {
    const field = (await loginAs(ctx, 'field')).headers;
    // Off duty (never on duty): refused, nothing stored.
    expect((await call('POST', '/api/personnel/me/position', field, HERE)).status).toBe(409);
    expect((await call('GET', '/api/personnel/me', field)).body).toMatchObject({ on_duty: false, sharing: false });

    // On duty without sharing: still refused.
    const on = await call('POST', '/api/personnel/me/duty', field, { on_duty: true, sharing: false, role_kind: 'enforcer' });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ on_duty: true, sharing: false, status: 'on_duty' });
    const refused = await call('POST', '/api/personnel/me/position', field, HERE);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/sharing/);

    // Sharing: stored, and the person appears for a dispatcher.
    expect((await call('POST', '/api/personnel/me/duty', field, { on_duty: true, sharing: true })).body).toMatchObject({ sharing: true });
    expect((await call('POST', '/api/personnel/me/position', field, HERE)).body).toEqual({ stored: true });
    const dispatcher = (await loginAs(ctx, 'dispatcher')).headers;
    const list = await call('GET', '/api/personnel', dispatcher);
    expect(list.status).toBe(200);
    const me = list.body.staff.find((s: any) => s.lon === HERE.lon);
    expect(me).toMatchObject({ role_kind: 'enforcer', status: 'on_duty', lat: HERE.lat });

    // A planner and another field worker see devices, never people; a stranger sees nothing.
    for (const role of ['planner', 'field'] as const) {
      const other = await call('GET', '/api/personnel', (await loginAs(ctx, role)).headers);
      expect(other.body).toMatchObject({ staff_visible: false, staff: [] });
    }
    expect((await call('GET', '/api/personnel', {})).status).toBe(401);
    const from = new Date(Date.now() - 60_000).toISOString(); const to = new Date(Date.now() + 60_000).toISOString();
    expect((await call('GET', `/api/personnel/tracks?thing=staff&id=${me.id}&from=${from}&to=${to}`, (await loginAs(ctx, 'planner')).headers)).status).toBe(403);

    // Off duty: the position is forgotten, the person leaves the list, positions are refused again.
    expect((await call('POST', '/api/personnel/me/duty', field, { on_duty: false, sharing: true })).body).toMatchObject({ on_duty: false, sharing: false, status: 'off_duty' });
    expect((await call('GET', '/api/personnel', dispatcher)).body.staff.some((s: any) => s.id === me.id)).toBe(false);
    expect((await call('POST', '/api/personnel/me/position', field, HERE)).status).toBe(409);
    const [row] = await rows('SELECT last_position AS position FROM staff WHERE id = $1', [me.id]);
    expect(row.position).toBeNull();
    expect(await rows(`SELECT 1 FROM liveness WHERE thing = 'staff' AND id = $1`, [me.id])).toEqual([]);
    // Each duty change is audited.
    const audits = await rows(`SELECT after FROM audit_log WHERE action = 'personnel.duty' AND entity_id = $1 ORDER BY id`, [String(me.id)]);
    expect(audits.map((a) => a.after.on_duty)).toEqual([true, true, false]);
    // Only field workers go on duty.
    expect((await call('POST', '/api/personnel/me/duty', dispatcher, { on_duty: true, sharing: true })).status).toBe(403);
  });

  it('a gateway\'s batch of fixes: those of staff off duty or not sharing are dropped; the newest is the position; an offline person is back', async () => {
    const [a, b] = await rows(`SELECT id FROM staff ORDER BY id LIMIT 2`);
    await ctx.db.query(`UPDATE staff SET on_duty = true, sharing = true, status = 'offline', updated_at = NULL WHERE id = $1`, [a.id]);
    await ctx.db.query(`UPDATE staff SET on_duty = false, sharing = false, status = 'off_duty', last_position = NULL WHERE id = $1`, [b.id]);
    const t = Date.now() - 60_000;
    const fixes = [
      { staff_id: a.id, t: new Date(t), lon: 114.3, lat: 30.5 },
      { staff_id: a.id, t: new Date(t + 30_000), lon: 114.301, lat: 30.501 },
      { staff_id: b.id, t: new Date(t), lon: 114.302, lat: 30.502 },
    ];
    const pool = new pg.Pool({ connectionString: ctx.app.db.url, max: 1 });
    try {
      expect(await reportStaffPositions(pool, fixes)).toEqual({ stored: 2, refused: 1 });
      // The same batch again: nothing new in the track.
      expect(await reportStaffPositions(pool, fixes)).toEqual({ stored: 0, refused: 1 });
    } finally {
      await pool.end();
    }
    const [sa] = await rows('SELECT status, ST_X(last_position) AS lon FROM staff WHERE id = $1', [a.id]);
    expect(sa).toEqual({ status: 'on_duty', lon: 114.301 });
    expect(await rows(`SELECT id FROM track_points WHERE thing = 'staff' AND id = ANY($1::int[]) AND t >= $2 ORDER BY t`, [[a.id, b.id], new Date(t)])).toEqual([{ id: a.id }, { id: a.id }]);
    expect(await rows(`SELECT id FROM liveness WHERE thing = 'staff' AND id = ANY($1::int[])`, [[a.id, b.id]])).toEqual([{ id: a.id }]);
  });

  it('device reports from the feed move a recorder and keep it live; silent, it goes offline in the sweep; tracks for a window', async () => {
    const [dev] = await rows(`INSERT INTO devices (code, kind) VALUES ('TEST-ZFJLY-001', 'body_camera') RETURNING id`);
    const t0 = new Date(Date.now() - 120_000);
    const t1 = new Date(Date.now() - 60_000);
    const res = await call('POST', '/api/ingest/devices', feed, [
      { device_id: dev.id, t: t0.toISOString(), lon: 114.30, lat: 30.54 },
      { device_id: dev.id, t: t1.toISOString(), lon: 114.32, lat: 30.56, status: 'online' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ received: 2, positions: 2 });
    const planner = (await loginAs(ctx, 'planner')).headers;
    const d = (await call('GET', '/api/personnel', planner)).body.devices.find((x: any) => x.id === dev.id);
    expect(d).toMatchObject({ code: 'TEST-ZFJLY-001', status: 'online', lon: 114.32, lat: 30.56 });
    // Unknown devices and half positions are refused, changing nothing.
    expect((await call('POST', '/api/ingest/devices', feed, { device_id: 999999, t: t1.toISOString() })).status).toBe(400);
    expect((await call('POST', '/api/ingest/devices', feed, { device_id: dev.id, t: t1.toISOString(), lon: 114.3 })).status).toBe(400);
    expect((await call('POST', '/api/ingest/devices', {}, { device_id: dev.id, t: t1.toISOString() })).status).toBe(401);

    // Track for a window: both fixes, oldest first; a window before them: none.
    const track = await call('GET', `/api/personnel/tracks?thing=device&id=${dev.id}&from=${new Date(t0.getTime() - 1000).toISOString()}&to=${new Date().toISOString()}`, planner);
    expect(track.body.path.map((p: number[]) => p.slice(0, 2))).toEqual([[114.3, 30.54], [114.32, 30.56]]);
    const before = await call('GET', `/api/personnel/tracks?thing=device&id=${dev.id}&from=${new Date(t0.getTime() - 3600_000).toISOString()}&to=${new Date(t0.getTime() - 1000).toISOString()}`, planner);
    expect(before.body.path).toEqual([]);
    expect((await call('GET', `/api/personnel/tracks?thing=device&id=${dev.id}&from=${t1.toISOString()}&to=${t0.toISOString()}`, planner)).status).toBe(400);

    // A body-worn recorder may be silent 5 minutes (liveness_defaults), read from the data.
    const [{ after }] = await rows(`SELECT extract(epoch FROM liveness_offline_after('device', 'body_camera'))::int AS after`);
    expect(after).toBe(300);
    const [{ seen }] = await rows(`SELECT last_seen_at AS seen FROM liveness WHERE thing = 'device' AND id = $1`, [dev.id]);
    expect(await sweepSilent(ctx.app.server.pool, new Date(seen.getTime() + after * 1000 - 1000))).toEqual([]);
    const swept = await sweepSilent(ctx.app.server.pool, new Date(seen.getTime() + after * 1000 + 1000));
    expect(swept.find((s) => s.thing === 'device')?.ids).toEqual([dev.id]);
    expect((await rows('SELECT status FROM devices WHERE id = $1', [dev.id]))[0].status).toBe('offline');
    // It reports again: back online.
    await call('POST', '/api/ingest/devices', feed, { device_id: dev.id, t: new Date().toISOString() });
    expect((await rows('SELECT status FROM devices WHERE id = $1', [dev.id]))[0].status).toBe('online');
    // The history has the three (the sweep's "now" is ahead of the clock, so not ordered by time here).
    expect((await rows(`SELECT status FROM status_history WHERE thing = 'device' AND id = $1 ORDER BY status`, [dev.id])).map((r) => r.status))
      .toEqual(['offline', 'online', 'online']);

    // Tracks are kept TRACK_DAYS days (the seed's tracks are older and may go with the first prune: count this device's).
    const kept = async () => Number((await rows(`SELECT count(*) AS n FROM track_points WHERE thing = 'device' AND id = $1`, [dev.id]))[0].n);
    const stored = await kept();
    await pruneTracks(ctx.app.server.pool, new Date(t0.getTime() + TRACK_DAYS * 86400_000 - 1000));
    expect(await kept()).toBe(stored);
    expect(await pruneTracks(ctx.app.server.pool, new Date(t1.getTime() + TRACK_DAYS * 86400_000 + 1000))).toBeGreaterThanOrEqual(2);
    expect(await kept()).toBe(stored - 2);
  });

  it('an on-duty person who stops sending goes offline, and no public event says where they are', async () => {
    const field = (await loginAs(ctx, 'field')).headers;
    await call('POST', '/api/personnel/me/duty', field, { on_duty: true, sharing: true });
    await call('POST', '/api/personnel/me/position', field, HERE);
    const [s] = await rows(`SELECT s.id, l.last_seen_at FROM staff s JOIN liveness l ON l.thing = 'staff' AND l.id = s.id ORDER BY s.id DESC LIMIT 1`);
    const swept = await sweepSilent(ctx.app.server.pool, new Date(s.last_seen_at.getTime() + 6 * 60_000));
    expect(swept.find((x) => x.thing === 'staff')?.ids).toEqual([s.id]);
    const [ev] = await rows(`SELECT payload FROM live_events WHERE kind = 'liveness' AND payload->>'thing' = 'staff' AND (payload->>'id')::int = $1`, [s.id]);
    expect(ev.payload).toMatchObject({ status: 'offline', lon: null, lat: null });
    // Sending again brings them back on duty.
    await call('POST', '/api/personnel/me/position', field, HERE);
    expect((await rows('SELECT status FROM staff WHERE id = $1', [s.id]))[0].status).toBe('on_duty');
  });

  it('enforcement files link to a case', async () => {
    const [c] = await rows('SELECT id::text FROM cases ORDER BY id LIMIT 1');
    const dispatcher = (await loginAs(ctx, 'dispatcher')).headers;
    const made = await call('POST', '/api/enforcement-files', dispatcher, { case_id: c.id, title: '占道经营 现场检查笔录' });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body.file_no).toMatch(/^ZF-\d{4}-\d{6}$/);
    const list = await call('GET', `/api/enforcement-files?case_id=${c.id}`, dispatcher);
    expect(list.body.items.map((f: any) => f.title)).toContain('占道经营 现场检查笔录');
    expect((await call('POST', '/api/enforcement-files', dispatcher, { case_id: '999999999', title: 'x' })).status).toBe(404);
    expect((await call('POST', '/api/enforcement-files', (await loginAs(ctx, 'planner')).headers, { case_id: c.id, title: 'x' })).status).toBe(403);
  });
});
