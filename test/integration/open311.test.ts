// Open311 GeoReport v2 round trip through the HTTP API: a citizen posts a form, the request is a case that
// staff take to closed, its Open311 status follows, the citizen evaluates it with the token they got, and
// the evaluation counts in the satisfaction KPI. JSON and XML, errors in Open311's shape.
import { describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const form = (path: string, fields: Record<string, string>) => fetch(ctx.app.baseUrl + path, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
});

describe('Open311 GeoReport v2', () => {
  it('services list the catalogue in JSON and XML', async () => {
    const json = await (await fetch(`${ctx.app.baseUrl}/open311/v2/services.json`)).json();
    const [n] = await rows('SELECT count(*)::int AS n FROM case_items');
    expect(json.length).toBe(n.n);
    expect(json.find((s: { service_code: string }) => s.service_code === 'C0701')).toMatchObject({ metadata: false, type: 'realtime', group: expect.any(String) });
    const xml = await (await fetch(`${ctx.app.baseUrl}/open311/v2/services.xml`)).text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>C0101<\/service_code>/);
    expect((xml.match(/<service>/g) ?? []).length).toBe(n.n);
  });

  it('a posted request becomes a case; its status follows the case to closed; the reporter evaluates it once', async () => {
    const [g] = await rows(`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids ORDER BY code LIMIT 1 OFFSET 77`);
    const res = await form('/open311/v2/requests.json', { service_code: 'E0701', lat: String(g.y), long: String(g.x), description: '路口积水严重', email: 'zhang@example.cn', first_name: '张', phone: '13800000000' });
    expect(res.status).toBe(201);
    const [created] = await res.json();
    expect(created.service_request_id).toMatch(/^WC\d{15}$/);
    const token = created.x_evaluation_token;

    const get = async (fmt = 'json') => (await fetch(`${ctx.app.baseUrl}/open311/v2/requests/${created.service_request_id}.${fmt}`));
    const [open] = await (await get()).json();
    expect(open).toMatchObject({ status: 'open', service_code: 'E0701', description: '路口积水严重', lat: g.y, long: g.x });
    expect(JSON.stringify(open)).not.toMatch(/zhang@example|13800000000/); // no personal data in the public view
    const [c] = await rows('SELECT id, source, reporter, reporter_contact FROM cases WHERE case_no = $1', [created.service_request_id]);
    expect(c).toMatchObject({ source: 'citizen', reporter: '张', reporter_contact: { email: 'zhang@example.cn' } });

    const early = await fetch(`${ctx.app.baseUrl}/open311/v2/requests/${created.service_request_id}/evaluation.json`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, satisfied: true }) });
    expect(early.status).toBe(409);

    const grid = (await rows('SELECT grid_code FROM cases WHERE id = $1', [c.id]))[0].grid_code;
    const field = await loginAs(ctx, 'field', [grid]);
    const disp = await loginAs(ctx, 'dispatcher');
    const photo = (await (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...field.headers, 'content-type': 'image/png' },
      body: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64') })).json()).id;
    for (const [who, action, body] of [[disp, 'accept', {}], [field, 'verify', {}], [disp, 'register', {}], [disp, 'dispatch', {}], [field, 'start', {}],
      [field, 'handle', { photos: [photo] }], [disp, 'check', {}], [field, 'close', {}]] as const) {
      const r = await fetch(`${ctx.app.baseUrl}/api/cases/${c.id}/actions/${action}`, { method: 'POST', headers: { ...who.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, action).toBe(200);
    }
    const xml = await (await get('xml')).text();
    expect(xml).toMatch(/<status>closed<\/status>/);
    expect(xml).toMatch(/<status_notes>[^<]*结案/);

    const wrong = await form(`/open311/v2/requests/${created.service_request_id}/evaluation.json`, { token: 'not-the-token', satisfied: 'true' });
    expect(wrong.status).toBe(404);
    const ok = await form(`/open311/v2/requests/${created.service_request_id}/evaluation.json`, { token, satisfied: 'false', comment: '积水还在' });
    expect(ok.status).toBe(201);
    const again = await form(`/open311/v2/requests/${created.service_request_id}/evaluation.json`, { token, satisfied: 'true' });
    expect(again.status).toBe(409);
    expect((await rows('SELECT satisfied, comment FROM case_evaluations WHERE case_id = $1', [c.id]))[0]).toEqual({ satisfied: false, comment: '积水还在' });

    // The evaluation counts in the street's satisfaction KPI today.
    const from = new Date(Date.now() - 3600_000).toISOString();
    const kpi = await (await fetch(`${ctx.app.baseUrl}/api/cases/kpi?level=grid&within=${grid.slice(0, 12)}&from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}`, { headers: disp.headers })).json();
    const row = kpi.rows.find((r: { code: string }) => r.code === grid);
    expect(row.counts).toMatchObject({ evaluated: 1, satisfied: 0 });
  });

  it('lists filter by status, code and window; bad input gets Open311 errors', async () => {
    const open = await (await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json?status=open`)).json();
    expect(open.every((r: { status: string }) => r.status === 'open')).toBe(true);
    const byCode = await (await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json?service_code=C0701`)).json();
    expect(byCode.every((r: { service_code: string }) => r.service_code === 'C0701')).toBe(true);
    const wide = await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-12-31T00:00:00Z`);
    expect(wide.status).toBe(400);
    expect(await wide.json()).toEqual([{ code: 400, description: 'start_date to end_date spans more than 90 days' }]);
    const noPlace = await form('/open311/v2/requests.xml', { service_code: 'E0701', description: 'x' });
    expect(noPlace.status).toBe(400);
    expect(await noPlace.text()).toMatch(/<errors><error><code>400<\/code><description>[^<]*lat/);
    const unknown = await form('/open311/v2/requests.json', { service_code: 'X1', lat: '30.55', long: '114.31' });
    expect(unknown.status).toBe(400);
    const outside = await form('/open311/v2/requests.json', { service_code: 'E0701', lat: '39.9', long: '116.4' });
    expect((await outside.json())[0].description).toMatch(/not in any unit grid/);
  });
});
