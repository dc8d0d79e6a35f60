// Alarm handling through the API: each action with its note, history row and audit entry, live on the
// event stream; 403 for a role or an account that does not reach the alarm's unit, 409 for an action not
// possible in its state; the sweep escalates an alarm nobody acknowledged in time and marks it supervised
// (督办), not one acknowledged in time, once however many sweep at once; and every sensor kind's alarm opens
// a case of its catalogue item.
import { beforeAll, describe, expect, it } from 'vitest';
import { SENSOR_KINDS } from '../../common/enums.ts';
import { escalateOverdue } from '../../server/alarms/sweep.ts';
import { DEFAULT_ACK_MINUTES } from '../../server/domain/alarm-handling.ts';
import { loginAs, sessionAs, useTestApp } from '../helpers/app.ts';
import { sseStream } from '../helpers/sse.ts';

const ctx = useTestApp();
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;

const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(ctx.app.baseUrl + path, {
    method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const act = (id: string, action: string, headers: Record<string, string>, body: unknown = {}) => call('POST', `/api/alarms/${id}/actions/${action}`, headers, body);

/** A fresh active alarm at a station inside a grid (of the given kind), raised `minutesAgo` ago at its community. */
async function newAlarm(minutesAgo = 0, kind = 'ponding'): Promise<{ id: string; community: string; street: string; grid: string }> {
  const [r] = await rows(
    `INSERT INTO alarms (datastream_id, station_id, level, raised_at, raised_value, peak_value, unit_since)
     SELECT d.id, s.id, 'alarm', now(), 30, 30, now() - make_interval(mins => $2) FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id
     WHERE s.kind = $1 AND EXISTS (SELECT 1 FROM grids g WHERE ST_Intersects(g.geom, s.geom))
       AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.datastream_id = d.id AND a.cleared_at IS NULL)
     ORDER BY d.id LIMIT 1
     RETURNING id::text, community_code AS community, street_code AS street, grid_code AS grid, unit_level, unit_code`, [kind, minutesAgo]);
  expect(r, `a free ${kind} stream in a grid`).toBeDefined();
  expect(r).toMatchObject({ unit_level: 'community', unit_code: r.community });
  expect(r.grid.startsWith(r.community) && r.community.startsWith(r.street)).toBe(true);
  return r;
}

describe('alarm actions', () => {
  it('acknowledge → assign → close, each with its history row, audit entry and live event; the details name who', async () => {
    const { headers, user } = await loginAs(ctx, 'dispatcher');
    const a = await newAlarm();
    const live = sseStream(`${ctx.app.baseUrl}/api/live?kinds=alarm`);
    await live.opened;
    try {
      const ack = await act(a.id, 'acknowledge', headers, { note: '已收到' });
      expect(ack.status, JSON.stringify(ack.body)).toBe(200);
      expect(ack.body).toMatchObject({ alarm: { id: a.id, handling: 'acknowledged', unit_level: 'community' }, acknowledged_by: user.username, available: ['assign', 'escalate', 'close'] });
      await live.until(() => live.events.some((e) => String(e.data.id) === a.id && e.data.handling === 'acknowledged'));
      const ev = live.events.find((e) => String(e.data.id) === a.id)!;
      expect(ev.data).toMatchObject({ unit_level: 'community', unit_code: a.community, supervised: false });
      expect(JSON.stringify(ev.data)).not.toContain(user.username); // the stream is public: no names

      const assign = await act(a.id, 'assign', headers, { assignee: '张三（网格员）' });
      expect(assign.body).toMatchObject({ alarm: { handling: 'assigned' }, assignee: '张三（网格员）' });
      const close = await act(a.id, 'close', headers, { note: '现场排水已恢复' });
      expect(close.body).toMatchObject({ alarm: { handling: 'closed' }, closed_by: user.username, available: [] });
      expect(close.body.actions.map((x: { action: string; to_state: string; note: string | null }) => `${x.action}:${x.to_state}:${x.note ?? ''}`))
        .toEqual(['acknowledge:acknowledged:已收到', 'assign:assigned:', 'close:closed:现场排水已恢复']);
      await live.until(() => live.events.some((e) => String(e.data.id) === a.id && e.data.handling === 'closed'));
    } finally {
      await live.close();
    }
    const audit = await rows(`SELECT action, actor FROM audit_log WHERE entity = 'alarm' AND entity_id = $1 ORDER BY id`, [a.id]);
    expect(audit).toEqual(['acknowledge', 'assign', 'close'].map((x) => ({ action: `alarm.${x}`, actor: user.username })));
    const [mine] = (await call('GET', `/api/alarms?handling=closed&unit=${a.grid}&state=all`, {})).body.items;
    expect(mine).toMatchObject({ id: a.id, handling: 'closed', unit_code: a.community });
    expect(JSON.stringify(mine)).not.toContain(user.username);
  });

  it('escalate goes community → street → district with a note; 409 above the district and for steps out of order', async () => {
    const { headers } = await loginAs(ctx, 'dispatcher');
    const a = await newAlarm();
    expect((await act(a.id, 'escalate', headers, {})).status).toBe(400); // no note
    const up = await act(a.id, 'escalate', headers, { note: '社区无力处置' });
    expect(up.body.alarm).toMatchObject({ handling: 'new', unit_level: 'street', unit_code: a.street, supervised: false });
    expect((await act(a.id, 'escalate', headers, { note: '需区级调度' })).body.alarm).toMatchObject({ unit_level: 'district', unit_code: a.street.slice(0, 6) });
    const top = await act(a.id, 'escalate', headers, { note: 'x' });
    expect(top.status).toBe(409);
    expect((await act(a.id, 'close', headers, { note: 'x' })).status).toBe(409); // not acknowledged
    expect((await act(a.id, 'assign', headers, { assignee: 'x' })).status).toBe(409);
    expect((await act('999999999', 'acknowledge', headers)).status).toBe(404);
    const [h] = await rows('SELECT count(*)::int AS n FROM alarm_actions WHERE alarm_id = $1', [a.id]);
    expect(h.n).toBe(2); // refused actions leave no trace
  });

  it('403 for a role that may not act or an account whose grids do not reach the unit; a field worker of the community may', async () => {
    const a = await newAlarm();
    const planner = (await loginAs(ctx, 'planner')).headers;
    expect((await act(a.id, 'acknowledge', planner)).status).toBe(403);
    const commander = (await loginAs(ctx, 'commander')).headers;
    expect((await act(a.id, 'acknowledge', commander)).status).toBe(403); // the commander acts at the district
    const [other] = await rows('SELECT code FROM communities WHERE code <> $1 ORDER BY code LIMIT 1', [a.community]);
    const stranger = (await loginAs(ctx, 'field', [other.code.trim()])).headers;
    expect((await act(a.id, 'acknowledge', stranger)).status).toBe(403);
    expect((await call('POST', `/api/alarms/${a.id}/actions/acknowledge`, {}, {})).status).toBe(401);
    const local = (await loginAs(ctx, 'field', [a.grid])).headers;
    const r = await act(a.id, 'acknowledge', local);
    expect(r.status).toBe(200);
    expect(r.body.available).toEqual(['assign', 'escalate', 'close']);
    const [h] = await rows('SELECT count(*)::int AS n FROM alarm_actions WHERE alarm_id = $1', [a.id]);
    expect(h.n).toBe(1);
  });

  it('the list filters by unit, handling and supervision', async () => {
    const a = await newAlarm();
    const list = (q: string) => call('GET', `/api/alarms?${q}`, {});
    expect((await list(`unit=${a.street}&handling=new`)).body.items.map((x: { id: string }) => x.id)).toContain(a.id);
    const elsewhere = (await list('unit=999999999')).body.items;
    expect(elsewhere).toEqual([]);
    expect((await list('handling=nonsense')).status).toBe(400);
    const [row] = (await list(`unit=${a.grid}&handling=open&supervised=false`)).body.items.filter((x: { id: string }) => x.id === a.id);
    expect(row.ack_due_at).not.toBeNull();
    expect(row.unit_name).toBeTruthy();
  });
});

describe('auto-escalation sweep', () => {
  it('escalates an alarm unacknowledged past its deadline and marks it 督办, not one acknowledged in time; several sweeps at once act once', async () => {
    const { headers } = await loginAs(ctx, 'dispatcher');
    const late = await newAlarm(DEFAULT_ACK_MINUTES.community + 1);
    const inTime = await newAlarm(DEFAULT_ACK_MINUTES.community + 1);
    const fresh = await newAlarm(1);
    // Acknowledged (late on the clock, but before the sweep came): it stays where it is.
    expect((await act(inTime.id, 'acknowledge', headers)).status).toBe(200);
    const now = new Date();
    const runs = await Promise.all([1, 2, 3].map(() => escalateOverdue(ctx.app.server.pool, now, DEFAULT_ACK_MINUTES)));
    const escalated = runs.flat();
    expect(escalated.filter((id) => id === late.id)).toHaveLength(1);
    expect(escalated).not.toContain(inTime.id);
    expect(escalated).not.toContain(fresh.id);
    const [l] = await rows('SELECT handling, unit_level, unit_code, supervised, unit_since FROM alarms WHERE id = $1', [late.id]);
    expect(l).toMatchObject({ handling: 'new', unit_level: 'street', unit_code: late.street, supervised: true });
    expect(l.unit_since).toEqual(now);
    const [i] = await rows('SELECT handling, unit_level, supervised FROM alarms WHERE id = $1', [inTime.id]);
    expect(i).toMatchObject({ handling: 'acknowledged', unit_level: 'community', supervised: false });
    const hist = await rows('SELECT action, auto, actor, from_level, to_level FROM alarm_actions WHERE alarm_id = $1', [late.id]);
    expect(hist).toEqual([{ action: 'escalate', auto: true, actor: 'system', from_level: 'community', to_level: 'street' }]);
    expect((await call('GET', `/api/alarms?supervised=true&unit=${late.grid}`, {})).body.items.map((x: { id: string }) => x.id)).toContain(late.id);

    // Again at once: nothing is due (the street's clock started now); past the street's time it goes to the district.
    expect(await escalateOverdue(ctx.app.server.pool, now, DEFAULT_ACK_MINUTES)).not.toContain(late.id);
    const later = new Date(now.getTime() + (DEFAULT_ACK_MINUTES.street + 1) * 60_000);
    expect(await escalateOverdue(ctx.app.server.pool, later, DEFAULT_ACK_MINUTES)).toContain(late.id);
    const [d] = await rows('SELECT unit_level, supervised FROM alarms WHERE id = $1', [late.id]);
    expect(d).toMatchObject({ unit_level: 'district', supervised: true });
    const [aud] = await rows(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'alarm.auto_escalate' AND after->'alarms' ? $1`, [late.id]);
    expect(aud.n).toBe(2);
  });
});

/** The catalogue item each kind's alarm opens a case of (what migration's sensor_case_items says). */
const EXPECTED: Record<string, { quantity?: string; item: string }[]> = {
  manhole_level: [{ quantity: 'water_level', item: 'E0711' }, { quantity: 'h2s', item: 'E0717' }],
  ponding: [{ item: 'E0701' }],
  rain: [{ item: 'E0729' }],
  lake_level: [{ item: 'E0728' }],
  river_level: [{ item: 'E0728' }],
  flow: [{ item: 'E0714' }],
  water_quality: [{ item: 'E0727' }],
  pressure: [{ item: 'E0723' }],
  toilet_nh3: [{ item: 'E0118' }],
  lpg: [{ item: 'E0403' }],
  fume: [{ item: 'E1101' }],
};

describe('every sensor kind raises a case with its catalogue item', () => {
  let headers: Record<string, string>;
  beforeAll(async () => { ({ headers } = await sessionAs(ctx, 'dispatcher')); });

  it('has an item for every kind', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SENSOR_KINDS].sort());
  });

  for (const [kind, streams] of Object.entries(EXPECTED)) {
    for (const { quantity, item } of streams) {
      it(`${kind}${quantity ? ` (${quantity})` : ''} → ${item}`, async () => {
        const [d] = await rows(
          `SELECT d.id, d.station_id, d.direction, d.alarm_level FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id
           WHERE s.kind = $1 AND ($2::text IS NULL OR d.quantity = $2) AND d.alarm_level IS NOT NULL AND d.level = 'normal'
             AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.datastream_id = d.id AND a.cleared_at IS NULL)
           ORDER BY EXISTS (SELECT 1 FROM grids g WHERE ST_Intersects(g.geom, s.geom)) DESC, d.id LIMIT 1`, [kind, quantity ?? null]);
        expect(d, `a ${kind} stream`).toBeDefined();
        // A case belongs to a grid: a station outside every grid (on the river) is moved into one for the test.
        await ctx.db.query(`UPDATE sensor_stations s SET geom = (SELECT ST_PointOnSurface(geom) FROM grids ORDER BY code LIMIT 1)
          WHERE s.id = $1 AND NOT EXISTS (SELECT 1 FROM grids g WHERE ST_Intersects(g.geom, s.geom))`, [d.station_id]);
        const value = d.direction === 'above' ? d.alarm_level * 1.5 + 1 : d.alarm_level * 0.25;
        const r = await call('POST', '/api/ingest/observations', headers, { datastream_id: d.id, t: new Date().toISOString(), value });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body).toMatchObject({ alarms: { raised: 1 }, cases_opened: 1 });
        const [c] = await rows(
          `SELECT c.item_code, c.source, i.urgency FROM alarms a JOIN cases c ON c.id = a.case_id JOIN case_items i ON i.code = c.item_code
           WHERE a.datastream_id = $1 AND a.cleared_at IS NULL`, [d.id]);
        expect(c).toMatchObject({ item_code: item, source: 'iot' });
        if (kind === 'lpg') expect(c.urgency).toBe('urgent');
      });
    }
  }
});
