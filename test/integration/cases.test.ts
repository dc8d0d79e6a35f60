// The case loop through the HTTP API with real accounts: a field inspector reports with a photo (offline
// retries make one case), the centre accepts, registers, dispatches; the field handles with result photos,
// a failed check sends it back, the second check closes it. Illegal steps get 409, other people's grids
// 404; lists and KPIs agree with SQL.
import sharp from 'sharp';
import { describe, expect, it, beforeAll } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
type H = Record<string, string>;
const call = async (method: string, path: string, headers: H = {}, body?: unknown) => {
  const res = await fetch(ctx.app.baseUrl + path, {
    method, headers: { ...headers, ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}), ...(body instanceof Uint8Array ? { 'content-type': 'image/png' } : {}) },
    body: (body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body)) as never,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
};

// The smallest valid PNG (1×1, transparent).
const PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

let field: { headers: H }; let dispatcher: { headers: H }; let other: { headers: H }; let planner: { headers: H }; let handler: { headers: H };
let grid: { code: string; x: number; y: number; community_code: string };

beforeAll(async () => {
  // A grid with a camera that looks at a point of it, so the report has a camera to verify by.
  [grid] = await rows(`SELECT g.code, g.community_code, ST_X(p) AS x, ST_Y(p) AS y FROM grids g, LATERAL (SELECT ST_PointOnSurface(g.geom) AS p) s ORDER BY g.code LIMIT 1 OFFSET 40`);
  field = await loginAs(ctx, 'field', [grid.code]);
  other = await loginAs(ctx, 'field', ['420106099099099']);
  dispatcher = await loginAs(ctx, 'dispatcher');
  planner = await loginAs(ctx, 'planner');
  handler = await loginAs(ctx, 'handler', [], 'SWJ');
});

describe('cases: the closed loop', () => {
  it('report → … → close, with photos, a rework, deadlines from dispatch and every step in the history and the audit log', async () => {
    const photo = await call('POST', '/api/media', field.headers, PNG);
    expect(photo.status).toBe(201);
    const clientId = '3f0c9a52-6c1e-4c1b-9a55-0d5e7f7e2a10';
    const report = { item_code: 'C0701', lon: grid.x, lat: grid.y, description: '雨水井盖破损', photos: [photo.body.id], client_id: clientId };
    const first = await call('POST', '/api/cases', field.headers, report);
    expect(first.status).toBe(201);
    const again = await call('POST', '/api/cases', field.headers, report);
    expect(again.status).toBe(200); // the queued report sent a second time: the same case
    expect(again.body.id).toBe(first.body.id);
    const c = first.body;
    expect(c).toMatchObject({ status: 'reported', grid_code: grid.code, community_code: grid.community_code, street_code: grid.code.slice(0, 9), source: 'inspector', photos: [`/api/media/${photo.body.id}`] });
    expect(c.case_no).toMatch(/^WC\d{8}\d{7}$/);
    // The cameras are those whose sector covers the point (checked here with PostGIS geography).
    const seeing = await rows(`SELECT id FROM cameras c WHERE status <> 'damaged' AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, range_m)
      AND (abs(((degrees(ST_Azimuth(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography)) - azimuth_deg)::numeric % 360 + 540) % 360 - 180) <= hfov_deg / 2
           OR ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 0.01)) ORDER BY id`, [grid.x, grid.y]);
    expect([...c.camera_ids].sort((a: number, b: number) => a - b)).toEqual(seeing.map((r) => r.id));

    const step = (who: { headers: H }, action: string, body: unknown = {}) => call('POST', `/api/cases/${c.id}/actions/${action}`, who.headers, body);
    expect((await step(dispatcher, 'accept')).body.status).toBe('accepted');
    expect((await step(field, 'verify')).body.status).toBe('verified');
    expect((await step(dispatcher, 'register')).body.status).toBe('registered');
    const dispatched = (await step(dispatcher, 'dispatch', { department_code: 'SWJ' })).body;
    expect(dispatched).toMatchObject({ department_code: 'SWJ', department_zh: '区水务和湖泊局' });
    const [item] = await rows(`SELECT deadline_hours FROM case_items WHERE code = 'C0701'`);
    expect(new Date(dispatched.deadline_at).getTime() - new Date(dispatched.dispatched_at).getTime()).toBe(item.deadline_hours * 3600_000);
    expect((await step(handler, 'start')).body.status).toBe('in_progress');
    const noPhoto = await step(handler, 'handle', { note: '已更换' });
    expect(noPhoto.status).toBe(400);
    expect(noPhoto.body.message).toMatch(/at least 1 result photo/);
    const result = (await call('POST', '/api/media', handler.headers, PNG)).body.id;
    expect((await step(handler, 'handle', { note: '已更换井盖', photos: [result] })).body.status).toBe('handled');
    expect((await step(dispatcher, 'check')).body.status).toBe('checking');
    expect((await step(field, 'rework')).status).toBe(400); // a rework needs a note
    expect((await step(field, 'rework', { note: '井盖未固定' })).body.status).toBe('reworked');
    expect((await step(handler, 'start')).body.status).toBe('in_progress');
    expect((await step(handler, 'handle', { photos: [result] })).body.status).toBe('handled');
    expect((await step(dispatcher, 'check')).body.status).toBe('checking');
    const closed = (await step(field, 'close')).body;
    expect(closed).toMatchObject({ status: 'closed', rework_count: 1, overdue: false, closed_late: false });

    const detail = (await call('GET', `/api/cases/${c.id}`, dispatcher.headers)).body;
    expect(detail.transitions.map((t: { to_status: string }) => t.to_status)).toEqual(
      ['reported', 'accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'handled', 'checking', 'reworked', 'in_progress', 'handled', 'checking', 'closed']);
    expect(detail.transitions[6].photos).toEqual([`/api/media/${result}`]);
    expect(detail.item).toMatchObject({ code: 'C0701', deadline_hours: item.deadline_hours });
    const audit = await rows(`SELECT action, actor FROM audit_log WHERE entity = 'case' AND entity_id = $1 ORDER BY id`, [String(c.id)]);
    expect(audit.map((a) => a.action)).toEqual(['case.report', 'case.accept', 'case.verify', 'case.register', 'case.dispatch', 'case.start', 'case.handle', 'case.check',
      'case.rework', 'case.start', 'case.handle', 'case.check', 'case.close']);
    const img = await fetch(`${ctx.app.baseUrl}/api/media/${result}`, { headers: dispatcher.headers });
    expect(img.headers.get('content-type')).toBe('image/png');
    // Re-encoded (without metadata): the same picture, not necessarily the same bytes.
    const { data, info } = await sharp(Buffer.from(await img.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 1, height: 1, format: 'raw' });
    expect(data.equals(await sharp(Buffer.from(PNG)).raw().toBuffer())).toBe(true);
  });

  it('illegal steps get 409 with what is possible; wrong roles 403; other grids 404; no account 401', async () => {
    const c = (await call('POST', '/api/cases', dispatcher.headers, { item_code: 'E0101', lon: grid.x, lat: grid.y })).body;
    const closeNow = await call('POST', `/api/cases/${c.id}/actions/close`, dispatcher.headers, {});
    expect(closeNow.status).toBe(409);
    expect(closeNow.body.message).toMatch(/cannot "close" a case that is "reported"; possible now: accept, reject/);
    const byPlanner = await call('POST', `/api/cases/${c.id}/actions/accept`, planner.headers, {});
    expect(byPlanner.status).toBe(403);
    expect((await call('POST', '/api/cases', planner.headers, { item_code: 'E0101', lon: grid.x, lat: grid.y })).status).toBe(403);
    await call('POST', `/api/cases/${c.id}/actions/accept`, dispatcher.headers, {});
    const outside = await call('POST', `/api/cases/${c.id}/actions/verify`, other.headers, {});
    expect(outside.status).toBe(404);
    expect(outside.body.message).toMatch(/no case \d+ \(or it is outside your grids\)/);
    expect((await call('GET', `/api/cases/${c.id}`, other.headers)).status).toBe(404);
    expect((await call('GET', `/api/cases/${c.id}`)).status).toBe(401);
    expect((await call('POST', `/api/cases/${c.id}/actions/fly`, dispatcher.headers, {})).status).toBe(400);
    const bad = await call('POST', '/api/cases', dispatcher.headers, { item_code: 'C9999', lon: grid.x, lat: grid.y });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/unknown case item "C9999"/);
    const away = await call('POST', '/api/cases', dispatcher.headers, { item_code: 'E0101', lon: 116.4, lat: 39.9 });
    expect(away.status).toBe(400);
    expect(away.body.message).toMatch(/not in any unit grid/);
    const notImage = await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...field.headers, 'content-type': 'image/png' }, body: '<svg onload=alert(1)>' });
    expect(notImage.status).toBe(400);
  });

  it('lists: filters agree with SQL, a field worker sees only their grids, overdue means open past the deadline (suspended: late when suspended)', async () => {
    const [s] = await rows(`SELECT street_code FROM cases GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const list = (await call('GET', `/api/cases?street=${s.street_code}&status=dispatched,in_progress&limit=500`, dispatcher.headers)).body;
    const expected = await rows(`SELECT id FROM cases WHERE street_code = $1 AND status IN ('dispatched', 'in_progress') ORDER BY id DESC LIMIT 500`, [s.street_code]);
    expect(list.items.map((c: { id: number }) => c.id)).toEqual(expected.map((r) => Number(r.id)));
    const mine = (await call('GET', '/api/cases?limit=500', field.headers)).body;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c: { grid_code: string }) => c.grid_code === grid.code)).toBe(true);
    const overdue = (await call('GET', '/api/cases?overdue=true&limit=500', dispatcher.headers)).body;
    const [n] = await rows(`SELECT count(*)::int AS n FROM cases WHERE status NOT IN ('closed', 'rejected', 'suspended') AND deadline_at < now()
      OR status = 'suspended' AND deadline_at < suspended_at`);
    expect(overdue.items.length).toBe(Math.min(500, n.n));
    expect(overdue.items.every((c: { overdue: boolean }) => c.overdue)).toBe(true);
    // Keyset paging: the second page continues where the first ended.
    const p1 = (await call('GET', '/api/cases?limit=5', dispatcher.headers)).body;
    const p2 = (await call('GET', `/api/cases?limit=5&before_id=${p1.next_before_id}`, dispatcher.headers)).body;
    expect(p2.items[0].id).toBeLessThan(p1.items[4].id);
  });

  it('KPIs per street for a period match the counts in SQL, and export as CSV', async () => {
    const from = new Date(Date.now() - 30 * 86400_000).toISOString();
    const to = new Date().toISOString();
    const { body } = await call('GET', `/api/cases/kpi?level=street&from=${from}&to=${to}`, planner.headers);
    expect(body.rows.length).toBeGreaterThan(5);
    const r = body.rows[0];
    const [sql] = await rows(`SELECT count(*)::int AS reported, count(*) FILTER (WHERE status = 'closed')::int AS closed,
      count(*) FILTER (WHERE status = 'closed' AND closed_at <= deadline_at)::int AS on_time
      FROM cases WHERE street_code = $1 AND reported_at >= $2 AND reported_at < $3`, [r.code, from, to]);
    expect(r.counts).toMatchObject({ reported: sql.reported, closed: sql.closed, closedOnTime: sql.on_time });
    expect(r.name).toBeTruthy();
    const keys = r.kpis.map((k: { key: string }) => k.key);
    expect(keys.length).toBeGreaterThanOrEqual(8);
    const csv = await fetch(`${ctx.app.baseUrl}/api/cases/kpi?level=street&from=${from}&to=${to}&format=csv`, { headers: planner.headers });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.length).toBe(body.rows.length + 1);
    expect(lines[0]).toMatch(/^编码,名称,上报数,立案数,/);
  });
});

// Found while running `npm run bench -- sqlmap` (bench/sqlmap.ts): these reached PostgreSQL and came back as 500s.
describe('cases: input PostgreSQL cannot take is a 400, not a 500', () => {
  it('from/to in the year 0 or with a UTC offset beyond ±15:59 (RFC 3339 allows ±23:59), in lists and KPIs', async () => {
    const h = dispatcher.headers;
    for (const t of ['0000-01-01T00:00:00Z', '2024-01-01T00:00:00+16:00', '2024-01-01T00:00:00-23:59']) {
      const q = encodeURIComponent(t);
      const list = await call('GET', `/api/cases?from=${q}`, h);
      expect(list.status, t).toBe(400);
      expect(list.body.message).toMatch(/^from /);
      expect((await call('GET', `/api/cases/kpi?from=2024-01-01T00:00:00Z&to=${q}`, h)).status, t).toBe(400);
    }
    expect((await call('GET', `/api/cases?limit=1&to=${encodeURIComponent('2024-01-01T00:00:00+15:59')}`, h)).status).toBe(200);
  });

  it('numbers that overflow: ±Infinity from "1e999" and ids beyond bigint', async () => {
    const h = dispatcher.headers;
    for (const q of ['limit=1e999', 'limit=-Infinity', 'before_id=Infinity', 'before_id=9223372036854775808', 'before_id=99999999999999999999999']) {
      expect((await call('GET', `/api/cases?${q}`, h)).status, q).toBe(400);
    }
    expect((await call('GET', '/api/cases/Infinity', h)).status).toBe(400);
    expect((await call('POST', '/api/cases/1e999/actions/accept', h, {})).status).toBe(400);
  });

  it('ids and counts are plain digits: 1e3, 0x10, 12.0 or " 7" are not read as numbers', async () => {
    const h = dispatcher.headers;
    const [{ id }] = (await ctx.db.query<{ id: string }>('SELECT id FROM cases ORDER BY id LIMIT 1')).rows;
    expect((await call('GET', `/api/cases/${id}`, h)).status).toBe(200);
    for (const path of [`/api/cases/${id}e0`, '/api/cases/1e3', '/api/cases/0x10', `/api/cases/${id}.0`, `/api/cases/%20${id}`,
      '/api/cases?limit=1e1', '/api/cases?limit=0x10', '/api/cases?before_id=1e9', `/api/details/cases/${id}e0`]) {
      const res = await call('GET', path, h);
      expect(res.status, path).toBe(400);
      expect(res.body.message, path).toMatch(/must be (a whole number in digits|an integer)/);
    }
    const step = await call('POST', '/api/cases/1e3/actions/accept', h, {});
    expect(step.status).toBe(400);
  });
});
