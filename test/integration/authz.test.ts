// Who may do what, swept over every route the API publishes: each write in /api/openapi.json has a rule
// here (a new route without one fails the first test), strangers get 401 and wrong roles 403 before the
// body is even read, refused requests change nothing, and a field worker reaches only their grids' cases.
import { beforeAll, describe, expect, it } from 'vitest';
import { EDIT_LAYERS } from '../../common/api/edit.ts';
import type { Role } from '../../server/auth/users.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { loginAs, sessionAs, useTestApp } from '../helpers/app.ts';
import { decodeTile } from '../helpers/mvt.ts';
import { sseStream } from '../helpers/sse.ts';

const ctx = useTestApp();
const ROLES: Role[] = ['commander', 'planner', 'field', 'handler', 'dispatcher', 'admin'];

type Rule =
  | { public: string } // why anyone may call it
  | { roles: Role[] } // these roles (admin always); the others get 403
  | { loggedIn: string }; // any account; what each may do is decided further in (why)

/** Every write route, and the staff-only reads. */
const RULES: Record<string, Rule> = {
  'POST /api/auth/login': { public: 'how one logs in (rate-limited)' },
  'POST /api/auth/logout': { public: 'ends the caller’s own session, if any' },
  'POST /api/users': { roles: ['admin'] },
  'PATCH /api/users/{id}': { roles: ['admin'] },
  'POST /api/query/within': { public: 'a read: the polygon is too big for a query string' },
  'POST /api/network/export': { public: 'a read: the selection is too big for a query string' },
  'POST /api/imports': { roles: ['planner'] },
  'DELETE /api/imports/{id}': { roles: ['planner'] },
  'POST /api/cases': { roles: ['field', 'dispatcher'] },
  'POST /api/cases/{id}/actions/{action}': { loggedIn: 'the workflow table decides per step and grid (tested in cases.test.ts)' },
  'POST /api/alarms/{id}/actions/{action}': { loggedIn: 'the alarm handling rules decide per action, level and grid (tested in alarms.test.ts)' },
  'POST /api/media': { public: 'citizens attach photos to Open311 reports (rate-limited, images only, ≤ 8 MB)' },
  'POST /open311/v2/requests.json': { public: 'citizen reports (Open311; rate-limited)' },
  'POST /open311/v2/requests.xml': { public: 'citizen reports (Open311; rate-limited)' },
  'POST /open311/v2/requests/{id}/evaluation.json': { public: 'needs the token given to the reporter' },
  'POST /open311/v2/requests/{id}/evaluation.xml': { public: 'needs the token given to the reporter' },
  'POST /open311/v2/requests/{id}/supplements.json': { public: 'a citizen adds to a report (补充): changes nothing of it; rate-limited' },
  'POST /open311/v2/requests/{id}/supplements.xml': { public: 'a citizen adds to a report (补充): changes nothing of it; rate-limited' },
  'POST /api/ingest/observations': { roles: ['dispatcher'] },
  'POST /api/ingest/positions': { roles: ['dispatcher'] },
  'POST /api/ingest/cameras': { roles: ['dispatcher'] },
  'POST /api/ingest/facilities': { roles: ['dispatcher'] },
  'POST /api/ingest/devices': { roles: ['dispatcher'] },
  'POST /api/personnel/me/duty': { roles: ['field'] },
  'POST /api/personnel/me/position': { roles: ['field'] },
  'POST /api/enforcement-files': { roles: ['field', 'dispatcher'] },
  'POST /api/hazards/{id}/actions/{action}': { roles: ['planner', 'field'] },
  'POST /api/misconnections/{id}/actions/{action}': { roles: ['planner', 'field'] },
  'POST /api/hazards/{id}/case': { roles: ['planner'] },
  'POST /api/misconnections/{id}/case': { roles: ['planner'] },
  'GET /api/hazards/{id}/remediation': { loggedIn: 'status and history; the steps offered are per role and grid (remediation.test.ts)' },
  'GET /api/misconnections/{id}/remediation': { loggedIn: 'status and history; the steps offered are per role and grid (remediation.test.ts)' },
  ...Object.fromEntries(EDIT_LAYERS.flatMap((l) => [
    [`POST /api/edit/${l}`, { roles: ['planner'] }], [`PATCH /api/edit/${l}/{id}`, { roles: ['planner'] }],
    [`DELETE /api/edit/${l}/{id}`, { roles: ['planner'] }], [`GET /api/edit/${l}/{id}`, { roles: ['planner'] }],
  ])) as Record<string, Rule>,
  'GET /api/users': { roles: ['admin'] },
  'GET /api/audit': { roles: ['admin'] },
  'GET /api/auth/me': { loggedIn: 'who am I' },
  'GET /api/cases': { loggedIn: 'a field worker’s list is cut to their grids (below)' },
  'GET /api/cases/kpi': { loggedIn: 'counts only; a field worker’s of their grids’ cases (below)' },
  'GET /api/cases/{id}': { loggedIn: 'a field worker sees only their grids’ cases (below), a handler only their department’s (departments.test.ts)' },
  'GET /api/alarms/{id}': { loggedIn: 'names who handled the alarm: staff only' },
  'GET /api/departments': { loggedIn: 'the handling units and their KPIs' },
  'GET /api/departments/{code}/queue': { roles: ['handler', 'dispatcher', 'commander'] },
  'GET /api/cases/{id}/dispatch-suggestions': { roles: ['dispatcher'] },
};

const EXAMPLE_PARAMS: Record<string, string> = { id: '1', action: 'verify', code: 'CGZF' };
const url = (route: string) => route.split(' ')[1].replace(/\{(\w+)\}/g, (_, k: string) => EXAMPLE_PARAMS[k]);
const call = (route: string, headers: Record<string, string> = {}, body?: string) => fetch(ctx.app.baseUrl + url(route), {
  method: route.split(' ')[0],
  headers: { 'content-type': 'application/json', ...headers },
  body: route.startsWith('GET') ? undefined : body ?? '{}',
});

const post = (path: string, headers: Record<string, string>, body: unknown) => fetch(ctx.app.baseUrl + path, {
  method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

const COUNTED = ['users', 'sessions', 'cases', 'case_transitions', 'imports', 'pipes', 'observations', 'vehicle_positions', 'audit_log', 'media', 'remediation_steps'];
const counts = async () => (await ctx.db.query(`SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`)).rows[0];

let headers: Record<Role, Record<string, string>>;
beforeAll(async () => {
  // Hazard and misconnection 1 found: the example step (verify) and a case raised from them are refused (409), so the allowed roles change nothing either.
  await ctx.db.query(`UPDATE hazards SET status = 'found' WHERE id = 1`);
  await ctx.db.query(`UPDATE misconnections SET status = 'found' WHERE id = 1`);
  // The handler's session is made in the database: the logins here already use most of an address's login budget.
  headers = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, (r === 'handler' ? await sessionAs(ctx, r) : await loginAs(ctx, r, r === 'field' ? ['420106001'] : [])).headers]))) as typeof headers;
});

describe('authorisation sweep', () => {
  it('every write route the API publishes has a rule', async () => {
    const spec = await (await fetch(`${ctx.app.baseUrl}/api/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> };
    const writes = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => !['get', 'head'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`));
    expect(writes.length).toBeGreaterThan(15);
    expect(writes.filter((w) => !RULES[w])).toEqual([]);
    // …and the rules name no route that is gone.
    const all = new Set(Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    expect(Object.keys(RULES).filter((r) => !all.has(r))).toEqual([]);
  });

  const guarded = Object.entries(RULES).filter(([, r]) => !('public' in r));

  it.each(guarded.map(([route]) => route))('%s: a stranger gets 401, and nothing changes', async (route) => {
    const before = await counts();
    const forged: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-session' }, { cookie: 'onemap_session=forged' }, { authorization: `Bearer ${'x'.repeat(5000)}` }];
    for (const h of forged) {
      const res = await call(route, h);
      expect(res.status, JSON.stringify(h).slice(0, 60)).toBe(401);
      expect((await res.json()).message).toMatch(/log(ged)? in/);
    }
    expect(await counts()).toEqual(before);
  });

  it.each(guarded.filter(([, r]) => 'roles' in r).map(([route, r]) => [route, (r as { roles: Role[] }).roles] as const))(
    '%s: only %j (and admin) get past the door; the others get 403 and nothing changes',
    async (route, roles) => {
      const before = await counts();
      for (const role of ROLES) {
        const res = await call(route, headers[role]);
        if (role === 'admin' || roles.includes(role)) expect([401, 403], role).not.toContain(res.status);
        else {
          expect(res.status, role).toBe(403);
          expect((await res.json()).message).toMatch(new RegExp(`a ${role} may not`));
        }
      }
      // What the allowed roles sent was an empty body: refused as bad input, nothing written.
      expect(await counts()).toEqual(before);
    },
  );

  it('a stranger’s upload is refused before it is read: 401, not 413, for a body over every limit', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    for (const route of ['POST /api/users', 'POST /api/cases', 'POST /api/ingest/observations']) {
      const res = await call(route, {}, big);
      expect(res.status, route).toBe(401);
    }
    const imp = await fetch(`${ctx.app.baseUrl}/api/imports?filename=net.geojson`, { method: 'POST', headers: { 'content-type': 'application/geo+json' }, body: big });
    expect(imp.status).toBe(401);
  });
});

describe('a field worker and other grids', () => {
  it('cannot read, list or step cases outside their grids; can in them', async () => {
    const field = await loginAs(ctx, 'field', ['420106001001']); // one community
    const dispatcher = await loginAs(ctx, 'dispatcher');
    const q = async (sql: string) => (await ctx.db.query(sql)).rows[0];
    const inside = await q(`SELECT id FROM cases WHERE grid_code LIKE '420106001001%' ORDER BY id LIMIT 1`);
    const outside = await q(`SELECT id FROM cases WHERE grid_code NOT LIKE '420106001001%' ORDER BY id LIMIT 1`);
    expect(inside && outside).toBeTruthy();
    const get = (path: string) => fetch(ctx.app.baseUrl + path, { headers: field.headers });

    expect((await get(`/api/cases/${inside.id}`)).status).toBe(200);
    const hidden = await get(`/api/cases/${outside.id}`);
    expect(hidden.status).toBe(404); // not even whether it exists
    expect(JSON.stringify(await hidden.json())).not.toMatch(/reporter|description/);

    const list = await (await get('/api/cases?limit=500')).json() as { items: { grid_code: string }[] };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((c) => c.grid_code.startsWith('420106001001'))).toBe(true);
    // Asking for another street's cases by filter does not widen the cut.
    const other = await (await get('/api/cases?street=420106002&limit=50')).json() as { items: unknown[] };
    expect(other.items).toEqual([]);

    // A case in another grid made ready for the step a field worker takes next (verify on site). Made here, not
    // looked up: which seeded cases sit at "accepted" depends on the hour the seed ran.
    const away = await q(`SELECT ST_X(p) x, ST_Y(p) y FROM grids g, LATERAL (SELECT ST_PointOnSurface(g.geom) p) s WHERE g.code NOT LIKE '420106001001%' ORDER BY g.code DESC LIMIT 1`);
    const foreign = await (await post('/api/cases', dispatcher.headers, { item_code: 'E0101', lon: away.x, lat: away.y, description: 'another grid' })).json() as { id: number };
    expect((await post(`/api/cases/${foreign.id}/actions/accept`, dispatcher.headers, {})).status).toBe(200);
    const before = await q(`SELECT status, updated_at FROM cases WHERE id = ${foreign.id}`);
    expect(before.status).toBe('accepted');
    expect((await get(`/api/cases/${foreign.id}`)).status).toBe(404);
    const step = await post(`/api/cases/${foreign.id}/actions/verify`, field.headers, {});
    expect(step.status).toBe(404);
    expect(await q(`SELECT status, updated_at FROM cases WHERE id = ${foreign.id}`)).toEqual(before);

    // Reporting is the exception (workflow choice 9: an inspector may report what they pass anywhere), but
    // the case then belongs to its grid's workers: for the reporter it is not there (404), like any other.
    const report = await post('/api/cases', field.headers, { item_code: 'E0101', lon: away.x, lat: away.y, description: 'outside my grids' });
    expect(report.status).toBe(201);
    const reported = await report.json() as { id: number; grid_code: string };
    expect(reported.grid_code.startsWith('420106001001')).toBe(false);
    expect((await post(`/api/cases/${reported.id}/actions/accept`, dispatcher.headers, {})).status).toBe(200);
    const verify = await post(`/api/cases/${reported.id}/actions/verify`, field.headers, {});
    expect(verify.status).toBe(404);

    // A resent submission (same client_id) gives its own reporter the case back; another account's
    // client_id is refused, not answered with that account's case from another grid.
    const clientId = crypto.randomUUID();
    const first = await post('/api/cases', dispatcher.headers, { item_code: 'E0101', lon: away.x, lat: away.y, description: 'dispatcher\'s', client_id: clientId });
    expect(first.status).toBe(201);
    const again = await post('/api/cases', dispatcher.headers, { item_code: 'E0101', lon: away.x, lat: away.y, description: 'dispatcher\'s', client_id: clientId });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe((await first.json()).id);
    const taken = await post('/api/cases', field.headers, { item_code: 'E0101', lon: away.x, lat: away.y, client_id: clientId });
    expect(taken.status).toBe(400);
    expect(JSON.stringify(await taken.json())).not.toMatch(/dispatcher's|WC\d/);
  });

  it('a case outside their grids is a 404 on every route that reads one (a 403 or 409 would tell it exists), even one the public may see', async () => {
    const mine = '420106001001';
    const field = await loginAs(ctx, 'field', [mine]);
    const dispatcher = await loginAs(ctx, 'dispatcher');
    const base = ctx.app.baseUrl;
    const spot = async (like: 'LIKE' | 'NOT LIKE') => (await ctx.db.query(`SELECT g.code, ST_X(p) x, ST_Y(p) y FROM grids g, LATERAL (SELECT ST_PointOnSurface(g.geom) p) s
      WHERE g.code ${like} '${mine}%' ORDER BY g.code LIMIT 1`)).rows[0] as { code: string; x: number; y: number };
    // A published citizen report with its photo on each side: public, so only the grid rule can hide it.
    const report = async (at: { x: number; y: number }) => {
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
      const photo = (await (await fetch(`${base}/api/media`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) })).json()).id as string;
      const res = await fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service_code: 'E0101', lat: at.y, long: at.x, description: '公开的上报', media_url: `${base}/api/media/${photo}`, x_publish: true }) });
      const no = (await res.json())[0].service_request_id as string;
      const { id, grid_code } = (await ctx.db.query('SELECT id::int, grid_code FROM cases WHERE case_no = $1', [no])).rows[0];
      return { id: id as number, no, photo, grid: (grid_code as string).trim() };
    };
    const inside = await report(await spot('LIKE'));
    const outside = await report(await spot('NOT LIKE'));
    expect(inside.grid.startsWith(mine) && !outside.grid.startsWith(mine)).toBe(true);

    // The live feed: the field worker's page gets the case events of their grids only.
    const theirs = sseStream(`${base}/api/live?kinds=case`, field.headers);
    const everyone = sseStream(`${base}/api/live?kinds=case`);
    await Promise.all([theirs.opened, everyone.opened]);
    for (const c of [outside, inside]) expect((await post(`/api/cases/${c.id}/actions/accept`, dispatcher.headers, {})).status).toBe(200);
    try {
      await everyone.until(() => [inside, outside].every((c) => everyone.events.some((e) => e.data.id === c.id)));
      await theirs.until(() => theirs.events.some((e) => e.data.id === inside.id));
      expect(theirs.events.filter((e) => e.data.id === outside.id)).toEqual([]);
    } finally {
      await theirs.close();
      await everyone.close();
    }

    const get = (path: string, headers = field.headers) => fetch(base + path, { headers });
    const day = (ms: number) => new Date(Date.now() + ms).toISOString();
    const kpi = `/api/cases/kpi?level=grid&from=${day(-3600_000)}&to=${day(60_000)}`;
    /** Each read, for a case: its status for the field worker (and what it says, where a status alone cannot). */
    const reads = async (c: typeof inside) => ({
      case: (await get(`/api/cases/${c.id}`)).status,
      details: (await get(`/api/details/cases/${c.id}`)).status,
      item: (await get(`/api/collections/cases/items/${c.id}`)).status,
      open311: (await get(`/open311/v2/requests/${c.no}.json`)).status,
      open311xml: (await get(`/open311/v2/requests/${c.no}.xml`)).status,
      open311list: (await (await get(`/open311/v2/requests.json?service_request_id=${c.no}`)).json()).length,
      photo: (await get(`/api/media/${c.photo}`)).status,
      search: ((await (await get(`/api/search?q=${c.no}`)).json()).results as { layer: string; id: number }[]).filter((h) => h.layer === 'cases' && h.id === c.id).length,
      list: ((await (await get('/api/cases?limit=500&status=accepted')).json()).items as { id: number }[]).filter((x) => x.id === c.id).length,
      kpi: ((await (await get(kpi)).json()).rows as { code: string }[]).filter((r) => r.code === c.grid).length,
      csv: (await (await get(`${kpi}&format=csv`)).text()).split('\r\n').filter((l) => l.startsWith(`${c.grid},`)).length,
      verify: (await post(`/api/cases/${c.id}/actions/close`, field.headers, {})).status, // not possible from accepted: 409 inside
      accept: (await post(`/api/cases/${c.id}/actions/accept`, field.headers, {})).status, // not a field step: 403 inside
    });
    expect(await reads(inside)).toEqual({ case: 200, details: 200, item: 200, open311: 200, open311xml: 200, open311list: 1, photo: 200, search: 1, list: 1, kpi: 1, csv: 1, verify: 409, accept: 403 });
    expect(await reads(outside)).toEqual({ case: 404, details: 404, item: 404, open311: 404, open311xml: 404, open311list: 0, photo: 404, search: 0, list: 0, kpi: 0, csv: 0, verify: 404, accept: 404 });
    // The public and other staff still read the outside case: the rule binds field workers only.
    expect((await get(`/open311/v2/requests/${outside.no}.json`, {})).status).toBe(200);
    expect((await get(`/api/details/cases/${outside.id}`, {})).status).toBe(200);
    expect((await get(`/api/media/${outside.photo}`, {})).status).toBe(200);
    expect((await get(`/api/cases/${outside.id}`, dispatcher.headers)).status).toBe(200);
    // The step that is theirs works inside, and outside changes nothing.
    const before = (await ctx.db.query('SELECT status, updated_at FROM cases WHERE id = $1', [outside.id])).rows[0];
    expect((await post(`/api/cases/${outside.id}/actions/verify`, field.headers, {})).status).toBe(404);
    expect((await ctx.db.query('SELECT status, updated_at FROM cases WHERE id = $1', [outside.id])).rows[0]).toEqual(before);
    expect((await post(`/api/cases/${inside.id}/actions/verify`, field.headers, {})).status).toBe(200);
  });
});

describe('personal data stays out of public reads', () => {
  it('public tiles, items, details, search and the live feed carry no reporter, contact, description, notes, actors or photos', async () => {
    const c = (await ctx.db.query(`
      SELECT c.id, c.case_no, c.geom FROM cases c
       WHERE EXISTS (SELECT 1 FROM case_transitions x WHERE x.case_id = c.id AND x.note IS NOT NULL AND x.actor IS NOT NULL)
       ORDER BY c.id LIMIT 1`)).rows[0];
    expect(c).toBeTruthy();
    // Give it personal data of every kind, so an answer that leaks any of it is caught.
    const secret = { reporter: '张三丰', phone: '13800138000', description: '住在301室的李四', note: '王五已联系业主' };
    await ctx.db.query(`UPDATE cases SET reporter = $2, reporter_contact = jsonb_build_object('phone', $3::text), description = $4 WHERE id = $1`, [c.id, secret.reporter, secret.phone, secret.description]);
    await ctx.db.query(`UPDATE case_transitions SET note = $2, actor = $3 WHERE case_id = $1`, [c.id, secret.note, secret.reporter]);

    const { lon, lat } = (await ctx.db.query(`SELECT ST_X(geom) lon, ST_Y(geom) lat FROM cases WHERE id = $1`, [c.id])).rows[0];
    const t = tilesCovering([lon, lat, lon, lat], 17)[0];
    const tile = await fetch(`${ctx.app.baseUrl}/tiles/cases/17/${t.x}/${t.y}.mvt`);
    const features = decodeTile(new Uint8Array(await tile.arrayBuffer())).cases.features;
    expect(features.some((f) => f.id === Number(c.id))).toBe(true);

    const answers = [
      JSON.stringify(features.map((f) => f.properties)),
      await (await fetch(`${ctx.app.baseUrl}/api/details/cases/${c.id}`)).text(),
      await (await fetch(`${ctx.app.baseUrl}/api/collections/cases/items/${c.id}`)).text(),
      await (await fetch(`${ctx.app.baseUrl}/api/collections/cases/items?bbox=${lon - 1e-5},${lat - 1e-5},${lon + 1e-5},${lat + 1e-5}`)).text(),
      await (await fetch(`${ctx.app.baseUrl}/api/query/nearest?layers=cases&lon=${lon}&lat=${lat}&k=3`)).text(),
      await (await fetch(`${ctx.app.baseUrl}/api/search?q=${encodeURIComponent(c.case_no)}`)).text(),
    ];
    for (const a of answers) {
      for (const s of Object.values(secret)) expect(a).not.toContain(s);
      expect(a).not.toMatch(/"(reporter|reporter_contact|actor|note|photos)"/);
    }
    const details = JSON.parse(answers[1]);
    expect(details.related.transitions.length).toBeGreaterThan(0); // the history's shape is still public
  });
});

describe('camera stream addresses', () => {
  it('are for logged-in staff: the public map, items, tiles, nearest and "seeing" carry none', async () => {
    const secret = 'rtsp://admin:Pa55word@10.20.30.40:554/Streaming/Channels/101';
    const cam = (await ctx.db.query(`SELECT id, code, ST_X(geom) lon, ST_Y(geom) lat, ST_X(ST_PointOnSurface(fov)) fx, ST_Y(ST_PointOnSurface(fov)) fy
      FROM cameras WHERE status = 'online' ORDER BY id LIMIT 1`)).rows[0];
    await ctx.db.query('UPDATE cameras SET stream_url = $2 WHERE id = $1', [cam.id, secret]);
    const staff = (await loginAs(ctx, 'dispatcher')).headers;
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(ctx.app.baseUrl + path, { headers });
      expect(res.status, path).toBe(200);
      return res.text();
    };
    const t = tilesCovering([cam.lon, cam.lat, cam.lon, cam.lat], 17)[0];
    const tile = decodeTile(new Uint8Array(await (await fetch(`${ctx.app.baseUrl}/tiles/cameras/17/${t.x}/${t.y}.mvt`)).arrayBuffer()));
    const publicAnswers = [
      JSON.stringify(Object.values(tile).flatMap((l) => l.features.map((f) => f.properties))),
      await get(`/api/details/cameras/${cam.id}`),
      await get(`/api/collections/cameras/items/${cam.id}`),
      await get(`/api/collections/cameras/items?bbox=${cam.lon - 1e-4},${cam.lat - 1e-4},${cam.lon + 1e-4},${cam.lat + 1e-4}`),
      await get(`/api/query/nearest?layers=cameras&lon=${cam.lon}&lat=${cam.lat}&k=3`),
      await get(`/api/cameras/seeing?lon=${cam.fx}&lat=${cam.fy}`),
    ];
    expect(publicAnswers[5]).toContain(`"id":${cam.id}`); // the camera is in the answer, without its address
    for (const a of publicAnswers) {
      expect(a).not.toContain('Pa55word');
      expect(a).not.toContain('stream_url');
    }
    expect(JSON.parse(await get(`/api/details/cameras/${cam.id}`, staff)).related.stream_url).toBe(secret);
    const seen = JSON.parse(await get(`/api/cameras/seeing?lon=${cam.fx}&lat=${cam.fy}`, staff)) as { cameras: { id: number; stream_url: string }[] };
    expect(seen.cameras.find((c) => c.id === cam.id)?.stream_url).toBe(secret);
  });
});
