// Open311 GeoReport v2 round trip through the HTTP API: a citizen posts a form, the request is a case that
// staff take to closed, its Open311 status follows, the citizen evaluates it with the token they got, and
// the evaluation counts in the satisfaction KPI. JSON and XML, errors in Open311's shape. What is public:
// citizens' reports only, their description, address and photo only with the reporter's consent; the XML
// is well-formed whatever a report holds.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { xmlProblems } from '../helpers/xml.ts';

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
    const res = await form('/open311/v2/requests.json', { service_code: 'E0701', lat: String(g.y), long: String(g.x), description: '路口积水严重', email: 'zhang@example.cn', first_name: '张', phone: '13800000000', x_publish: 'true' });
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
    const handler = await loginAs(ctx, 'handler', [], 'SWJ');
    const photo = (await (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...handler.headers, 'content-type': 'image/png' },
      body: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64') })).json()).id;
    for (const [who, action, body] of [[disp, 'accept', {}], [field, 'verify', {}], [disp, 'register', {}], [disp, 'dispatch', { department_code: 'SWJ' }], [handler, 'start', {}],
      [handler, 'handle', { photos: [photo] }], [disp, 'check', {}], [field, 'close', {}]] as const) {
      const r = await fetch(`${ctx.app.baseUrl}/api/cases/${c.id}/actions/${action}`, { method: 'POST', headers: { ...who.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, action).toBe(200);
      // The citizen reads which department has it.
      if (action === 'dispatch') expect((await (await get()).json())[0].status_notes).toBe('已派遣至区水务和湖泊局 Dispatched to District Water and Lakes Bureau');
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

  const json = (path: string, body: unknown) => fetch(ctx.app.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const at = async (offset: number) => (await rows(`SELECT code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids ORDER BY code LIMIT 1 OFFSET ${offset}`))[0];
  const byId = (no: string, fmt = 'json') => fetch(`${ctx.app.baseUrl}/open311/v2/requests/${no}.${fmt}`);
  const listed = async (fmt = 'json') => (await fetch(`${ctx.app.baseUrl}/open311/v2/requests.${fmt}`)).text();

  it('staff reports (an inspector\'s, the centre\'s, a sensor\'s) are not requests: absent from the lists, 404 by id', async () => {
    const g = await at(91);
    const staff = [await loginAs(ctx, 'field', [g.code]), await loginAs(ctx, 'dispatcher')];
    const made: string[] = [];
    for (const who of staff) {
      const res = await fetch(`${ctx.app.baseUrl}/api/cases`, { method: 'POST', headers: { ...who.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ item_code: 'E0101', lon: g.x, lat: g.y, description: '巡查员内部备注 staff note' }) });
      expect(res.status).toBe(201);
      made.push((await res.json()).case_no);
    }
    const [seeded] = await rows(`SELECT case_no FROM cases WHERE source IN ('inspector', 'iot', 'video') AND reported_at > now() - interval '80 days' ORDER BY id DESC LIMIT 1`);
    const citizen = (await (await form('/open311/v2/requests.json', { service_code: 'E0101', lat: String(g.y), long: String(g.x) })).json())[0].service_request_id;
    const list = await listed();
    expect(list).toContain(citizen);
    expect(list).not.toMatch(/staff note/);
    for (const no of [...made, seeded.case_no]) {
      expect(list).not.toContain(no);
      expect((await byId(no)).status, no).toBe(404);
      expect((await byId(no, 'xml')).status, no).toBe(404);
      expect(await (await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json?service_request_id=${no},${citizen}`)).json()).toMatchObject([{ service_request_id: citizen }]);
    }
    // Every listed request is a citizen's.
    const nos = (JSON.parse(list) as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(nos.length).toBeGreaterThan(0);
    expect(await rows(`SELECT DISTINCT source FROM cases WHERE case_no = ANY($1)`, [nos])).toEqual([{ source: 'citizen' }]);
  });

  it('a citizen report without consent shows no description, address or photo; with x_publish=true (form or JSON) it does', async () => {
    const g = await at(92);
    const upload = async () => (await (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { 'content-type': 'image/jpeg' },
      body: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).jpeg().toBuffer() })).json()) as { id: string; url: string };
    const hidden = await upload();
    const quiet = (await (await form('/open311/v2/requests.json', { service_code: 'E0101', lat: String(g.y), long: String(g.x),
      description: '我家楼下302室门口堆满垃圾', address_string: '某小区3栋302', media_url: `${ctx.app.baseUrl}${hidden.url}` })).json())[0].service_request_id;
    const [q] = await (await byId(quiet)).json();
    expect(q).toMatchObject({ service_request_id: quiet, service_code: 'E0101', description: null, address: null, media_url: null, lat: g.y, long: g.x });
    expect(await (await byId(quiet, 'xml')).text()).not.toMatch(/302室|3栋302/);
    expect(await listed()).not.toMatch(/302室|3栋302/);
    expect((await fetch(`${ctx.app.baseUrl}/api/media/${hidden.id}`)).status).toBe(404);
    expect(await rows('SELECT publish, description FROM cases WHERE case_no = $1', [quiet])).toEqual([{ publish: false, description: '我家楼下302室门口堆满垃圾' }]);
    // The map's public reads of the case leave the address the citizen typed out too.
    const [{ id: quietId }] = await rows('SELECT id FROM cases WHERE case_no = $1', [quiet]);
    for (const path of [`/api/details/cases/${quietId}`, `/api/collections/cases/items/${quietId}`]) {
      const res = await fetch(ctx.app.baseUrl + path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toMatch(/3栋302/);
    }

    const shown = await upload();
    for (const send of [
      () => form('/open311/v2/requests.json', { service_code: 'E0101', lat: String(g.y), long: String(g.x), description: '井盖缺失', address_string: '中山路口', media_url: `${ctx.app.baseUrl}${shown.url}`, x_publish: 'true' }),
      () => json('/open311/v2/requests.json', { service_code: 'E0101', lat: g.y, long: g.x, description: '井盖缺失', address_string: '中山路口', x_publish: true }),
    ]) {
      const res = await send();
      expect(res.status).toBe(201);
      const [r] = await (await byId((await res.json())[0].service_request_id)).json();
      expect(r).toMatchObject({ description: '井盖缺失', address: '中山路口' });
      const [{ id }] = await rows('SELECT id FROM cases WHERE case_no = $1', [r.service_request_id]);
      expect((await (await fetch(`${ctx.app.baseUrl}/api/details/cases/${id}`)).json()).properties.address).toBe('中山路口');
    }
    const [withPhoto] = (await (await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json?service_code=E0101`)).json() as { media_url: string | null; description: string }[])
      .filter((r) => r.media_url);
    expect(withPhoto.media_url).toBe(`${ctx.app.baseUrl}/api/media/${shown.id}`);
    expect((await fetch(withPhoto.media_url!)).status).toBe(200);
  });

  it('requests.xml stays well-formed when a stored report holds characters XML 1.0 forbids (U+0001, U+001F, U+FFFE)', async () => {
    expect(xmlProblems('<?xml version="1.0" encoding="utf-8"?><a>\u0001</a>')).not.toEqual([]); // the check catches what it must
    const g = await at(93);
    const text = 'a\u0001b\u001f<c>&d\uFFFE\u{1F6A7}';
    // Such text is refused at the door…
    const refused = await json('/open311/v2/requests.json', { service_code: 'E0101', lat: g.y, long: g.x, description: text, x_publish: true });
    expect(refused.status).toBe(400);
    // …but may already be stored (written before the door refused it, or by psql): the XML writer still copes.
    const res = await json('/open311/v2/requests.json', { service_code: 'E0101', lat: g.y, long: g.x, description: 'plain', x_publish: true });
    expect(res.status).toBe(201);
    const no = (await res.json())[0].service_request_id;
    await ctx.db.query('UPDATE cases SET description = $1 WHERE case_no = $2', [text, no]);
    const one = await (await byId(no, 'xml')).text();
    expect(xmlProblems(one)).toEqual([]);
    expect(one).toContain('<description>ab&lt;c&gt;&amp;d\u{1F6A7}</description>');
    const list = await listed('xml');
    expect(list).toContain(no);
    expect(xmlProblems(list)).toEqual([]);
    // JSON carries the text as stored.
    expect((await (await byId(no)).json())[0].description).toBe('a\u0001b\u001f<c>&d\uFFFE\u{1F6A7}');
  });
});
