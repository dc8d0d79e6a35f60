// Accounts, sessions and the audit log through the HTTP API: passwords are checked and hashed with
// scrypt, sessions ride a HttpOnly SameSite cookie or a Bearer token, login is rate-limited, only admins
// manage accounts and read the audit log.
import { describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const api = (path: string, init: RequestInit & { json?: unknown } = {}) => fetch(ctx.app.baseUrl + path, {
  ...init,
  headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
  body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
});

describe('auth', () => {
  it('logs in with a cookie that scripts cannot read, knows who you are, and logs out', async () => {
    await createUser(ctx.db, { username: 'li.dispatcher', password: 'correct horse battery', role: 'dispatcher' });
    const [stored] = (await ctx.db.query(`SELECT password_hash FROM users WHERE username = 'li.dispatcher'`)).rows;
    expect(stored.password_hash).toMatch(/^scrypt\$16384\$8\$2\$/);
    expect(stored.password_hash).not.toContain('correct horse');

    const res = await api('/api/auth/login', { method: 'POST', json: { username: 'li.dispatcher', password: 'correct horse battery' } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^onemap_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=604800/);
    const me = await api('/api/auth/me', { headers: { cookie: cookie.split(';')[0] } });
    expect((await me.json()).user).toMatchObject({ username: 'li.dispatcher', role: 'dispatcher' });
    const [session] = (await ctx.db.query('SELECT token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1', ['li.dispatcher'])).rows;
    expect(session.token_hash.length).toBe(32); // only the hash is stored

    await api('/api/auth/logout', { method: 'POST', headers: { cookie: cookie.split(';')[0] } });
    expect((await api('/api/auth/me', { headers: { cookie: cookie.split(';')[0] } })).status).toBe(401);
  });

  it('logins, failed logins (the username tried, never the password) and logouts are in the audit log', async () => {
    const admin = await loginAs(ctx, 'admin');
    const failed = await api('/api/auth/login', { method: 'POST', json: { username: 'li.dispatcher', password: 'not the password at all' } });
    expect(failed.status).toBe(401);
    const ok = await api('/api/auth/login', { method: 'POST', json: { username: 'li.dispatcher', password: 'correct horse battery' } });
    const { token, user } = await ok.json();
    expect((await api('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // Logging out again ends nothing, and is not recorded.
    expect((await api('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const log = (await (await api('/api/audit?limit=4', { headers: admin.headers })).json()).items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(['auth.logout', 'auth.login', 'auth.login_failed', 'auth.login']);
    const at = { entity: 'user', ip: '127.0.0.1', before: null, after: null };
    expect(log[2]).toMatchObject({ ...at, actor: 'li.dispatcher', role: 'anonymous', user_id: null, entity_id: null });
    for (const e of log.slice(0, 2)) expect(e).toMatchObject({ ...at, actor: 'li.dispatcher', role: 'dispatcher', user_id: user.id, entity_id: String(user.id) });
    expect(log[3]).toMatchObject({ actor: admin.user.username, role: 'admin' });
    expect(JSON.stringify(log)).not.toMatch(/not the password|correct horse/);
  });

  it('only admins manage accounts and read the audit log, and every change is audited', async () => {
    const admin = await loginAs(ctx, 'admin');
    const planner = await loginAs(ctx, 'planner');
    const newUser = { username: 'wang.field', password: 'a long enough password', role: 'field', grids: ['420106001001001'] };
    expect((await api('/api/users', { method: 'POST', json: newUser })).status).toBe(401);
    expect((await api('/api/users', { method: 'POST', json: newUser, headers: planner.headers })).status).toBe(403);
    const created = await api('/api/users', { method: 'POST', json: newUser, headers: admin.headers });
    expect(created.status).toBe(201);
    const u = await created.json();
    expect(u).toMatchObject({ username: 'wang.field', role: 'field', grids: ['420106001001001'] });
    const weak = await api('/api/users', { method: 'POST', json: { ...newUser, username: 'weak.one', password: 'short' }, headers: admin.headers });
    expect(weak.status).toBe(400);
    expect((await weak.json()).message).toMatch(/at least 10 characters/);
    expect((await api('/api/users', { method: 'POST', json: { ...newUser, role: 'mayor' }, headers: admin.headers })).status).toBe(400);

    const patched = await api(`/api/users/${u.id}`, { method: 'PATCH', json: { active: false }, headers: admin.headers });
    expect(patched.status).toBe(200);
    const login = await api('/api/auth/login', { method: 'POST', json: { username: 'wang.field', password: 'a long enough password' } });
    expect(login.status).toBe(401); // deactivated

    expect((await api('/api/audit', { headers: planner.headers })).status).toBe(403);
    const audit = await (await api(`/api/audit?entity=user&entity_id=${u.id}`, { headers: admin.headers })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['user.update', 'user.create']);
    expect(audit.items[0]).toMatchObject({ actor: admin.user.username, role: 'admin', before: { active: true }, after: { active: false } });
    expect(JSON.stringify(audit.items)).not.toContain('a long enough password');
  });

  it('a username PostgreSQL cannot hold (a NUL) is a 400, not a 500', async () => {
    const res = await api('/api/auth/login', { method: 'POST', json: { username: 'li\u0000dispatcher', password: 'correct horse battery' } });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/username/);
  });

  // Last: it spends this address's login budget for the minute.
  it('wrong passwords and unknown users get the same 401; the 11th attempt in a minute gets 429', async () => {
    const wrong = await api('/api/auth/login', { method: 'POST', json: { username: 'li.dispatcher', password: 'nope nope nope' } });
    const unknown = await api('/api/auth/login', { method: 'POST', json: { username: 'nobody.here', password: 'nope nope nope' } });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect((await wrong.json()).message).toBe((await unknown.json()).message);
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await api('/api/auth/login', { method: 'POST', json: { username: 'x.y', password: 'zzzzzzzzzzzz' } })).status;
    expect(last).toBe(429);
  });
});
