// Departments (处置单位) through the HTTP API: the list, the suggestions for a case, dispatch naming a
// department, each department's queue seen by its own handlers only, KPIs from known cases, and the
// separation of duties (whoever handled a case may not check or close it, in the API and in SQL).
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, createUser } from '../../server/auth/users.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { sseStream } from '../helpers/sse.ts';

const ctx = useTestApp();
type H = Record<string, string>;
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const call = async (method: string, path: string, headers: H, body?: unknown) => {
  const res = await fetch(ctx.app.baseUrl + path, {
    method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
};
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let dispatcher: { headers: H }; let field: { headers: H }; let admin: { headers: H };
let spot: { code: string; street: string; x: number; y: number };

beforeAll(async () => {
  [spot] = await rows(`SELECT g.code, left(g.code, 9) AS street, ST_X(p) AS x, ST_Y(p) AS y FROM grids g, LATERAL (SELECT ST_PointOnSurface(g.geom) AS p) s ORDER BY g.code LIMIT 1 OFFSET 25`);
  dispatcher = await loginAs(ctx, 'dispatcher');
  field = await loginAs(ctx, 'field', [spot.code]);
  admin = await loginAs(ctx, 'admin');
  // Two departments of the test's own, so that their KPIs count only the cases made here.
  await ctx.db.query(`INSERT INTO departments (code, name_zh, name_en, kind) VALUES ('TKA', '测试甲', 'Test A', 'bureau'), ('TKB', '测试乙', 'Test B', 'bureau')`);
});

/** A case at the spot taken to 'registered' (ready to dispatch). */
async function registered(item = 'E0601'): Promise<number> {
  const c = await call('POST', '/api/cases', dispatcher.headers, { item_code: item, lon: spot.x, lat: spot.y });
  expect(c.status).toBe(201);
  for (const [who, action] of [[dispatcher, 'accept'], [field, 'verify'], [dispatcher, 'register']] as const) {
    expect((await call('POST', `/api/cases/${c.body.id}/actions/${action}`, who.headers, {})).status, action).toBe(200);
  }
  return c.body.id;
}
const step = (who: { headers: H }, id: number, action: string, body: unknown = {}) => call('POST', `/api/cases/${id}/actions/${action}`, who.headers, body);
const photo = async (who: { headers: H }) => (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...who.headers, 'content-type': 'image/png' }, body: new Uint8Array(PNG) }).then((r) => r.json())).id as string;

describe('departments', () => {
  it('lists the handling units with what and where they handle, a squad for every street', async () => {
    const list = await call('GET', '/api/departments', dispatcher.headers);
    expect(list.status).toBe(200);
    const byCode = new Map(list.body.items.map((d: { code: string }) => [d.code, d]));
    expect(byCode.get('RQGS')).toMatchObject({ name_zh: '武汉燃气集团', kind: 'company', items: expect.arrayContaining(['C0111']), grids: ['420106'] });
    expect(byCode.get(`ZD-${spot.street}`)).toMatchObject({ kind: 'street', parent_code: 'CGZF', items: ['E05', 'E06'], grids: [spot.street] });
    const [{ n }] = await rows('SELECT count(*)::int AS n FROM streets');
    expect(list.body.items.filter((d: { kind: string }) => d.kind === 'street').length).toBe(n);
    expect(list.body.items[0].kpis).toBeUndefined();
    expect((await call('GET', '/api/departments?from=2025-01-01T00:00:00Z', dispatcher.headers)).status).toBe(400);
    expect((await call('GET', '/api/departments', {})).status).toBe(401);
  });

  it('suggests the street squad first for street vending; dispatch names a department, which its queue shows, and no other', async () => {
    const id = await registered('E0601');
    const sug = await call('GET', `/api/cases/${id}/dispatch-suggestions`, dispatcher.headers);
    expect(sug.status).toBe(200);
    expect(sug.body.items.map((s: { code: string }) => s.code)).toEqual([`ZD-${spot.street}`, 'CGZF']);
    expect(sug.body.items[0]).toMatchObject({ item_match: 'subclass', area_match: 'street', item_scope: 'E06' });
    expect((await call('GET', `/api/cases/${id}/dispatch-suggestions`, field.headers)).status).toBe(403);

    expect((await step(dispatcher, id, 'dispatch')).status).toBe(400); // a department is needed
    const unknown = await step(dispatcher, id, 'dispatch', { department_code: 'NOPE' });
    expect(unknown.status).toBe(400);
    expect((await rows('SELECT status, department_code FROM cases WHERE id = $1', [id]))[0]).toEqual({ status: 'registered', department_code: null });
    const squad = `ZD-${spot.street}`;
    const done = await step(dispatcher, id, 'dispatch', { department_code: squad });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'dispatched', department_code: squad });
    const [audit] = await rows(`SELECT after->>'department_code' AS d FROM audit_log WHERE entity = 'case' AND entity_id = $1 AND action = 'case.dispatch'`, [String(id)]);
    expect(audit.d).toBe(squad);

    const mine = await loginAs(ctx, 'handler', [], squad);
    const theirs = await loginAs(ctx, 'handler', [], 'CGZF');
    const queue = await call('GET', `/api/departments/${squad}/queue`, mine.headers);
    expect(queue.status).toBe(200);
    expect(queue.body.department.code).toBe(squad);
    expect(queue.body.items.find((c: { id: number }) => c.id === id)).toMatchObject({ status: 'dispatched', actions: ['start', 'return'] });
    expect((await call('GET', '/api/departments/CGZF/queue', theirs.headers)).body.items.map((c: { id: number }) => c.id)).not.toContain(id);
    expect((await call('GET', `/api/departments/${squad}/queue`, theirs.headers)).status).toBe(403);
    expect((await call('GET', `/api/departments/${squad}/queue`, dispatcher.headers)).status).toBe(200);
    // The other department's handler: the case is not there for them, and they cannot act on it.
    expect((await call('GET', `/api/cases/${id}`, theirs.headers)).status).toBe(404);
    expect((await step(theirs, id, 'start')).status).toBe(404);
    const list = await call('GET', '/api/cases?limit=500', theirs.headers);
    expect(list.body.items.every((c: { department_code: string }) => c.department_code === 'CGZF')).toBe(true);
    expect((await step(mine, id, 'start')).body.status).toBe('in_progress');
    // The inspector no longer handles: that is the handler's.
    const p = await photo(field);
    expect((await step(field, id, 'handle', { photos: [p] })).status).toBe(403);
  });

  it('a handler\'s page hears a case dispatched to its department at once, and another department\'s page does not', async () => {
    const id = await registered('E0601');
    const squad = `ZD-${spot.street}`;
    // Sessions made in the database: the address's login budget is the other tests'.
    const handlerOf = async (department: string) => {
      const user = await createUser(ctx.db, { username: `q-${department.toLowerCase()}-${process.pid}`, password: `pw-${Math.random().toString(36).slice(2)}-long`, role: 'handler', department_code: department });
      return { authorization: `Bearer ${(await createSession(ctx.db, user.id, null)).token}` };
    };
    // A department of this test's own, so that the KPIs of the others count only their cases.
    await ctx.db.query(`INSERT INTO departments (code, name_zh, name_en, kind) VALUES ('TKQ', '测试丙', 'Test Q', 'bureau')`);
    const mine = sseStream(`${ctx.app.baseUrl}/api/live?kinds=case`, await handlerOf(squad));
    const theirs = sseStream(`${ctx.app.baseUrl}/api/live?kinds=case`, await handlerOf('TKQ'));
    try {
      await Promise.all([mine.opened, theirs.opened]);
      expect((await step(dispatcher, id, 'dispatch', { department_code: squad })).status).toBe(200);
      await mine.until(() => mine.events.some((e) => e.data.id === id && e.data.status === 'dispatched'));
      expect(mine.events.find((e) => e.data.id === id)!.data).toMatchObject({ department_code: squad, department_before: null });
      // Sent back and given to the other department: it leaves the first queue (its page hears so) and reaches the other.
      await ctx.db.query('UPDATE cases SET department_code = $2 WHERE id = $1', [id, 'TKQ']);
      await theirs.until(() => theirs.events.some((e) => e.data.id === id));
      await mine.until(() => mine.events.some((e) => e.data.id === id && e.data.department_before === squad));
      expect(theirs.events.map((e) => e.data.department_code)).toEqual(['TKQ']);
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
    }
  });

  it('KPIs per department from known cases: 准确派遣率, 按期处置率, rework, open and overdue', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const a = await loginAs(ctx, 'handler', [], 'TKA');
    const [c1, c2, c3, c4] = [await registered(), await registered(), await registered(), await registered()];
    for (const c of [c1, c2, c3, c4]) expect((await step(dispatcher, c, 'dispatch', { department_code: 'TKA' })).status).toBe(200);
    // A photo goes with one case: one for each handle.
    const [p1, p3, p3b] = [await photo(a), await photo(a), await photo(a)];
    // c1 handled on time and closed
    for (const [who, action, body] of [[a, 'start', {}], [a, 'handle', { photos: [p1] }], [dispatcher, 'check', {}], [field, 'close', {}]] as const) {
      expect((await step(who, c1, action, body)).status, `c1 ${action}`).toBe(200);
    }
    // c2 returned as not TKA's, redispatched to TKB
    expect((await step(a, c2, 'return', { reason: '非本单位职责' })).status).toBe(200);
    expect((await step(dispatcher, c2, 'redispatch', { department_code: 'TKB' })).status).toBe(200);
    // c3 handled, failed its check (返工), handled again
    for (const [who, action, body] of [[a, 'start', {}], [a, 'handle', { photos: [p3] }], [dispatcher, 'check', {}], [field, 'rework', { note: '未清理干净' }],
      [a, 'start', {}], [a, 'handle', { photos: [p3b] }]] as const) {
      expect((await step(who, c3, action, body)).status, `c3 ${action}`).toBe(200);
    }
    // c4 untouched and past its deadline
    await ctx.db.query(`UPDATE cases SET deadline_at = now() - interval '1 hour' WHERE id = $1`, [c4]);

    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await call('GET', `/api/departments?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, dispatcher.headers);
    expect(res.status).toBe(200);
    const kpis = (code: string) => res.body.items.find((d: { code: string }) => d.code === code).kpis;
    expect(kpis('TKA')).toEqual({
      dispatches: 4, returned: 1, accurate_rate: 0.75, cases: 3, handled: 2, handled_on_time: 2, on_time_rate: 2 / 3,
      open: 2, overdue: 1, reworked: 1, rework_rate: 0.5,
    });
    expect(kpis('TKB')).toMatchObject({ dispatches: 1, returned: 0, accurate_rate: 1, cases: 1, handled: 0, on_time_rate: 0, open: 1, rework_rate: null });
    // The queue: open cases first, the overdue one (earliest deadline) at the top; the returned one is no longer TKA's.
    const queue = (await call('GET', '/api/departments/TKA/queue', a.headers)).body.items.map((c: { id: number }) => c.id);
    expect(queue).toEqual([c4, c3, c1]);
  });

  it('an account that handled a case may not check or close it, even with another role: 403 from the API, refused by SQL', async () => {
    const h = await loginAs(ctx, 'handler', [], 'TKA');
    const id = await registered();
    expect((await step(dispatcher, id, 'dispatch', { department_code: 'TKA' })).status).toBe(200);
    expect((await step(h, id, 'start')).status).toBe(200);
    expect((await step(h, id, 'handle', { photos: [await photo(h)] })).status).toBe(200);
    // The handler becomes a dispatcher (a role can change): still not the one to check their own work.
    expect((await call('PATCH', `/api/users/${h.user.id}`, admin.headers, { role: 'dispatcher' })).status).toBe(200);
    const check = await step(h, id, 'check');
    expect(check.status).toBe(403);
    expect(check.body.message).toMatch(/reported this case as handled/);
    expect((await call('GET', `/api/cases/${id}`, h.headers)).body.actions).toEqual([]);
    expect((await step(dispatcher, id, 'check')).status).toBe(200);
    expect((await step(h, id, 'close')).status).toBe(403);
    expect((await step(h, id, 'rework', { note: 'x' })).status).toBe(403);
    expect((await rows('SELECT status FROM cases WHERE id = $1', [id]))[0].status).toBe('checking');
    // Below the API: the database refuses such a step from any writer.
    await expect(ctx.db.query(`INSERT INTO case_transitions (case_id, from_status, to_status, actor, at) VALUES ($1, 'checking', 'closed', $2, now())`, [id, h.user.username]))
      .rejects.toThrow(/may not also check it/);
    expect((await step(field, id, 'close')).body.status).toBe('closed');
  });

  it('a handler needs a department; accounts show theirs', async () => {
    const bad = await call('POST', '/api/users', admin.headers, { username: 'h-none', password: 'a long enough password', role: 'handler' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/needs a department_code/);
    const unknown = await call('POST', '/api/users', admin.headers, { username: 'h-unk', password: 'a long enough password', role: 'handler', department_code: 'NOPE' });
    expect(unknown.status).toBe(400);
    const ok = await call('POST', '/api/users', admin.headers, { username: 'h-swj', password: 'a long enough password', role: 'handler', department_code: 'SWJ' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ role: 'handler', department_code: 'SWJ' });
  });
});
