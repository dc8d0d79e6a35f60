// The Open311 extensions the citizen page (/citizen) uses, through HTTP: the nearby search (public
// requests only, nothing personal), a queued report re-sent with its client id and token (one case, the
// same token; someone else's client id gets nothing), the reporter's timeline (token-checked, public words
// only), the three-level evaluation (basic counts as satisfied in the KPI), and supplements (补充): kept
// apart from the report, never public, once per client id, rate-limited.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const post = (path: string, body: unknown) => fetch(ctx.app.baseUrl + path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const get = (path: string) => fetch(ctx.app.baseUrl + path);
const token = () => randomBytes(18).toString('base64url');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const upload = async () => (await (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG })).json()).id as string;

async function spot(offset: number) {
  const [g] = await rows(`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids ORDER BY code LIMIT 1 OFFSET $1`, [offset]);
  return { lon: g.x as number, lat: g.y as number };
}

describe('citizen page API (Open311 extensions)', () => {
  it('a report re-sent with its client id and token is one case; a stranger with the id gets nothing', async () => {
    const p = await spot(11);
    const body = { service_code: 'E0701', lat: p.lat, long: p.lon, description: '重发测试', x_client_id: randomUUID(), x_evaluation_token: token(), phone: '13900000000' };
    const first = await post('/open311/v2/requests.json', body);
    expect(first.status).toBe(201);
    const again = await post('/open311/v2/requests.json', body);
    expect(again.status).toBe(200);
    expect((await again.json())[0]).toMatchObject({ service_request_id: (await first.json())[0].service_request_id, x_evaluation_token: body.x_evaluation_token });
    expect((await rows('SELECT count(*)::int AS n FROM cases WHERE client_id = $1', [body.x_client_id]))[0].n).toBe(1);
    const stranger = await post('/open311/v2/requests.json', { ...body, x_evaluation_token: token() });
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).not.toContain('WC');
    expect((await post('/open311/v2/requests.json', { ...body, x_client_id: randomUUID(), x_evaluation_token: undefined })).status).toBe(400);
    expect((await post('/open311/v2/requests.json', { ...body, x_client_id: randomUUID(), x_evaluation_token: 'short' })).status).toBe(400);
  });

  it('nearby lists public requests within the radius only, with no personal data', async () => {
    const p = await spot(23);
    const mine = await post('/open311/v2/requests.json', { service_code: 'E0701', lat: p.lat, long: p.lon, description: '附近测试 秘密', email: 'li@example.cn', x_publish: false });
    const id = (await mine.json())[0].service_request_id;
    // A staff case at the same spot is not a request.
    const disp = await loginAs(ctx, 'dispatcher');
    const staff = await fetch(`${ctx.app.baseUrl}/api/cases`, { method: 'POST', headers: { ...disp.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ item_code: 'E0701', lon: p.lon, lat: p.lat, description: '内部上报' }) });
    expect(staff.status).toBe(201);
    const near = await (await get(`/open311/v2/requests.json?lat=${p.lat}&long=${p.lon + 0.0002}&radius=50`)).json();
    // Mine, and the seed's citizen reports within 50 m if any; each within the radius.
    expect(near.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);
    for (const r of near) expect(Math.hypot((r.long - p.lon - 0.0002) * 96_000, (r.lat - p.lat) * 111_000)).toBeLessThan(52);
    expect(near.find((r: { service_request_id: string }) => r.service_request_id === id).description).toBeNull(); // not published
    expect(JSON.stringify(near)).not.toMatch(/li@example|秘密|内部上报/);
    expect(await (await get(`/open311/v2/requests.json?lat=${p.lat}&long=${p.lon + 0.002}&radius=50`)).json()).toEqual([]);
    expect((await get(`/open311/v2/requests.json?lat=${p.lat}&long=${p.lon}`)).status).toBe(400);
    expect((await get(`/open311/v2/requests.json?lat=${p.lat}&long=${p.lon}&radius=5000`)).status).toBe(400);
  });

  it('the reporter follows the timeline with the token, evaluates it as basic, and the KPI counts it satisfied', async () => {
    const p = await spot(31);
    const t = token();
    const [created] = await (await post('/open311/v2/requests.json', { service_code: 'E0701', lat: p.lat, long: p.lon, x_client_id: randomUUID(), x_evaluation_token: t })).json();
    const id = created.service_request_id;
    expect((await get(`/open311/v2/requests/${id}/timeline.json?token=${token()}`)).status).toBe(404);
    const [c] = await rows('SELECT id, grid_code, reported_at FROM cases WHERE case_no = $1', [id]);
    const field = await loginAs(ctx, 'field', [c.grid_code.trim()]);
    const disp = await loginAs(ctx, 'dispatcher');
    // The department's handler starts and handles it; the inspector, who did not handle it, closes it.
    const handler = await loginAs(ctx, 'handler');
    const photo = (await (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...handler.headers, 'content-type': 'image/png' }, body: PNG })).json()).id;
    for (const [who, action, body] of [[disp, 'accept', { note: '内部备注 not public' }], [field, 'verify', {}], [disp, 'register', {}],
      [disp, 'dispatch', { department_code: handler.user.department_code }], [handler, 'start', {}],
      [handler, 'handle', { photos: [photo] }], [disp, 'check', {}], [field, 'close', {}]] as const) {
      const r = await fetch(`${ctx.app.baseUrl}/api/cases/${c.id}/actions/${action}`, { method: 'POST', headers: { ...who.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, action).toBe(200);
    }
    const [tl] = await (await get(`/open311/v2/requests/${id}/timeline.json?token=${t}`)).json();
    expect(tl).toMatchObject({ status: 'closed', x_may_evaluate: true, x_evaluation: null });
    expect(tl.steps.map((s: { x_status: string }) => s.x_status)).toEqual(['reported', 'accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'handled', 'checking', 'closed']);
    expect(JSON.stringify(tl)).not.toMatch(/内部备注|t-field|t-dispatcher|api\/media/);

    const kpi = async () => {
      const from = new Date(new Date(c.reported_at).getTime() - 60_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const r = await (await fetch(`${ctx.app.baseUrl}/api/cases/kpi?level=district&from=${from}&to=${to}`, { headers: disp.headers })).json();
      return r.rows[0].counts;
    };
    const before = await kpi();
    expect((await post(`/open311/v2/requests/${id}/evaluation.json`, { token: t, satisfied: false, x_level: 'basic' })).status).toBe(400);
    const ev = await post(`/open311/v2/requests/${id}/evaluation.json`, { token: t, satisfied: true, x_level: 'basic', comment: '还可以' });
    expect(ev.status).toBe(201);
    expect((await ev.json())[0]).toMatchObject({ x_level: 'basic', satisfied: true });
    const after = await kpi();
    expect(after.evaluated).toBe(before.evaluated + 1);
    expect(after.satisfied).toBe(before.satisfied + 1);
    const [tl2] = await (await get(`/open311/v2/requests/${id}/timeline.json?token=${t}`)).json();
    expect(tl2).toMatchObject({ x_may_evaluate: false, x_evaluation: { x_level: 'basic', comment: '还可以' } });
  });

  it('a supplement joins an open public request once, changes nothing public, is shown to staff, and is rate-limited', async () => {
    const p = await spot(41);
    const [created] = await (await post('/open311/v2/requests.json', { service_code: 'E0701', lat: p.lat, long: p.lon, description: '原始描述', x_publish: true })).json();
    const id = created.service_request_id;
    const [before] = await (await get(`/open311/v2/requests/${id}.json`)).json();
    const photo = await upload();
    const s = { x_client_id: randomUUID(), description: '我也看到了', x_media_ids: [photo] };
    const added = await post(`/open311/v2/requests/${id}/supplements.json`, s);
    expect(added.status).toBe(201);
    expect((await added.json())[0]).toMatchObject({ service_request_id: id, x_photos: 1, x_duplicate: false });
    const again = await post(`/open311/v2/requests/${id}/supplements.json`, s);
    expect(again.status).toBe(200);
    expect((await again.json())[0].x_duplicate).toBe(true);
    const [after] = await (await get(`/open311/v2/requests/${id}.json`)).json();
    expect({ ...after, updated_datetime: null }).toEqual({ ...before, updated_datetime: null });
    // Its photo is staff's to read, not the public's.
    expect((await get(`/api/media/${photo}`)).status).toBe(404);
    const disp = await loginAs(ctx, 'dispatcher');
    const [c] = await rows('SELECT id FROM cases WHERE case_no = $1', [id]);
    const detail = await (await fetch(`${ctx.app.baseUrl}/api/cases/${c.id}`, { headers: disp.headers })).json();
    expect(detail.supplements).toEqual([{ description: '我也看到了', photos: [`/api/media/${photo}`], at: expect.any(String) }]);
    expect((await fetch(`${ctx.app.baseUrl}/api/media/${photo}`, { headers: disp.headers })).status).toBe(200);
    // Another request's supplement id, an empty one, someone's photo already taken, an unknown request: refused, nothing kept.
    expect((await post(`/open311/v2/requests/${id}/supplements.json`, { x_client_id: randomUUID() })).status).toBe(400);
    expect((await post(`/open311/v2/requests/${id}/supplements.json`, { x_client_id: randomUUID(), x_media_ids: [photo] })).status).toBe(400);
    expect((await post('/open311/v2/requests/WC000/supplements.json', { x_client_id: randomUUID(), description: 'x' })).status).toBe(404);
    expect((await rows('SELECT count(*)::int AS n FROM case_supplements'))[0].n).toBe(1);
    // Five a minute per address: the sixth is refused.
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await post(`/open311/v2/requests/${id}/supplements.json`, { x_client_id: randomUUID(), description: `第${i}次` })).status);
    expect(codes).toContain(429);
  });
});
