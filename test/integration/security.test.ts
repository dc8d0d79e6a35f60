// What a browser is told about our responses: security headers on pages and data, CORS only for the
// origins configured, the API docs' inline code allowed by hash only, CSV files that a spreadsheet cannot
// be made to run, text with control characters refused at the door, settings that would leave the server
// open refused at start, and X-Forwarded-For believed only when the operator says a proxy sets it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/db.ts';
import { buildApp } from '../../server/app.ts';
import { sessionAs, startApp, useTestApp, type RunningApp } from '../helpers/app.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';

const ctx = useTestApp();
const TILE = tilesCovering([114.31, 30.55, 114.31, 30.55], 13)[0];
const tilePath = `/tiles/grids/13/${TILE.x}/${TILE.y}.mvt`;

describe('security headers', () => {
  it('the app page may run only its own scripts, start MapLibre workers from blob: and is framed only by itself', async () => {
    const res = await fetch(`${ctx.app.baseUrl}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toContain('geolocation=(self)');
    // The page's scripts carry the same policy (a service worker takes the policy of its own script).
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await res.text())![1];
    const js = await fetch(ctx.app.baseUrl + script);
    expect(js.headers.get('content-security-policy')).toBe(csp);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a revalidated page (304) keeps its policy: the 304 carries none to lay over the stored one', async () => {
    // node:http, not fetch: fetch adds Cache-Control: no-cache to conditional requests, and gets a 200.
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<http.IncomingMessage>((resolve, reject) => http.get(ctx.app.baseUrl + path, { headers }, (r) => { r.resume(); resolve(r); }).on('error', reject));
    for (const path of ['/', '/field', '/wall']) {
      const first = await get(path);
      expect(first.headers['content-security-policy'], path).toContain("script-src 'self'");
      const again = await get(path, { 'if-none-match': String(first.headers.etag) });
      expect(again.statusCode, path).toBe(304);
      expect(again.headers['content-security-policy'], path).toBeUndefined();
    }
  });

  it('data (JSON, tiles, errors) may not run, load or be framed anything', async () => {
    for (const path of ['/api/health', '/api/collections', tilePath, '/api/nothing-here']) {
      const res = await fetch(ctx.app.baseUrl + path, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('the API docs run their inline script and style by hash, nothing else inline', async () => {
    const res = await fetch(`${ctx.app.baseUrl}/api/docs`);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy')!;
    const hash = (tag: string) => createHash('sha256').update(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)![1]).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash('script')}'`);
    expect(csp).toContain(`style-src 'sha256-${hash('style')}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
  });
});

describe('CORS', () => {
  it('is off unless configured: no origin is allowed to read our answers from its pages', async () => {
    const res = await fetch(ctx.app.baseUrl + '/api/collections', { headers: { origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(ctx.app.baseUrl + '/api/cases', {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('configured for one origin', () => {
    let portal: RunningApp;
    beforeAll(async () => {
      portal = await startApp({ corsOrigins: ['https://portal.wuchang.example'] });
    });
    afterAll(async () => portal?.stop());

    it('allows that origin (reads and preflighted writes with a Bearer token, no cookies) and no other', async () => {
      const ok = await fetch(portal.baseUrl + tilePath, { headers: { origin: 'https://portal.wuchang.example' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.wuchang.example');
      expect(ok.headers.get('vary')).toMatch(/origin/i);
      expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(portal.baseUrl + '/api/cases', {
        method: 'OPTIONS',
        headers: { origin: 'https://portal.wuchang.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

      const other = await fetch(portal.baseUrl + tilePath, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});

/** Text a spreadsheet would run as a formula, and the cell each must be written as. */
const FORMULAS: [string, string][] = [
  ['=1+1', "'=1+1"], ['+1', "'+1"], ['-1+2', "'-1+2"], ['@SUM(A1)', "'@SUM(A1)"], ['\t=1', `"'\t=1"`], ['\r=1', `"'\r=1"`],
];

/** A CSV response's text, after checking it starts with the UTF-8 BOM (which fetch's text() would drop). */
async function csvText(res: Response): Promise<string> {
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8');
}

describe('CSV exports: formula cells are neutralised', () => {
  it('in the KPI table (street names that look like formulas)', async () => {
    const from = new Date(Date.now() - 30 * 86400_000).toISOString();
    const to = new Date().toISOString();
    const { rows: streets } = await ctx.db.query<{ code: string }>(
      `SELECT DISTINCT trim(street_code) AS code FROM cases WHERE reported_at >= $1 AND reported_at < $2 AND street_code IS NOT NULL ORDER BY 1 LIMIT 6`, [from, to]);
    expect(streets.length).toBe(FORMULAS.length);
    for (const [i, s] of streets.entries()) await ctx.db.query('UPDATE streets SET name = $2 WHERE code = $1', [s.code, FORMULAS[i][0]]);
    const { headers } = await sessionAs(ctx, 'planner');
    const csv = await csvText(await fetch(`${ctx.app.baseUrl}/api/cases/kpi?level=street&from=${from}&to=${to}&format=csv`, { headers }));
    expect(csv).toMatch(/^编码,名称,/);
    for (const [i, s] of streets.entries()) expect(csv, FORMULAS[i][0]).toContain(`\r\n${s.code},${FORMULAS[i][1]},`);
  });

  it('in network exports (road names that look like formulas; a negative invert stays a number)', async () => {
    const { rows } = await ctx.db.query<{ id: number }>('SELECT id FROM pipes ORDER BY id LIMIT 6');
    const ids = rows.map((r) => r.id);
    for (const [i, id] of ids.entries()) await ctx.db.query('UPDATE pipes SET road_name = $2, up_invert_m = -1.5 WHERE id = $1', [id, FORMULAS[i][0]]);
    const lines = (await csvText(await fetch(`${ctx.app.baseUrl}/api/network/export?format=csv&ids=${ids.join(',')}`))).split('\r\n');
    expect(lines[0]).toMatch(/^id,code,/);
    for (const [i, id] of ids.entries()) {
      const line = lines.find((l) => l.startsWith(`${id},`))!;
      expect(line, FORMULAS[i][0]).toContain(`,${FORMULAS[i][1]},`);
      expect(line).toContain(',-1.5,');
    }
  });
});

describe('text no client may send', () => {
  const createUser = async (body: Record<string, unknown>) => {
    const { headers } = await sessionAs(ctx, 'admin');
    const res = await fetch(`${ctx.app.baseUrl}/api/users`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const users = async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM users WHERE username LIKE 'ctl.%'`)).rows[0].n;
  const account = (name: string) => ({ username: name, password: 'a long enough password', role: 'field' });

  it('a JSON body with U+0001 in a string is a 400 naming the field, before the handler: nothing is written', async () => {
    const before = await users();
    const res = await createUser({ ...account('ctl.one'), display_name: 'a\u0001b' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body\/display_name contains the control character U\+0001;/);
    expect(await users()).toBe(before);
  });

  it('every C0 control but tab, LF and CR, U+FFFE, U+FFFF and unpaired surrogates, at any depth or in a property name', async () => {
    const before = await users();
    for (const ch of ['\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\ufffe', '\uffff', '\ud800', '\udfff']) {
      const res = await createUser({ ...account('ctl.two'), display_name: `x${ch}y` });
      expect(res.status, JSON.stringify(ch)).toBe(400);
      expect(res.body.message).toMatch(/^body\/display_name contains /);
    }
    expect((await createUser({ ...account('ctl.three'), grids: ['420106001001001', '\u0002'] })).body.message).toMatch(/^body\/grids\/1 contains the control character U\+0002/);
    expect((await createUser({ ...account('ctl.four'), ['a\u0003']: 1 })).body.message).toMatch(/^body\/"a\\u0003" \(a property name\) contains/);
    expect(await users()).toBe(before);
    const ok = await createUser({ ...account('ctl.five'), display_name: 'tab\tline\nreturn\r 中文 😀' });
    expect(ok.status).toBe(201);
    expect(ok.body.display_name).toBe('tab\tline\nreturn\r 中文 😀');
  });

  it('in a query string too', async () => {
    const { headers } = await sessionAs(ctx, 'admin');
    const res = await fetch(`${ctx.app.baseUrl}/api/audit?actor=a%01b`, { headers });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/^querystring\/actor contains the control character U\+0001/);
  });
});

describe('settings that would leave the server open', () => {
  it('an ingest key shorter than 32 characters: the app is not built', async () => {
    await expect(buildApp({ databaseUrl: ctx.app.db.url, ingestKey: 'short-key' })).rejects.toThrow(/ONEMAP_INGEST_KEY has 9 characters; it must have at least 32/);
  });

  it('npm start refuses a short ingest key or a trust-proxy value it cannot read, before touching the database', () => {
    const start = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: repoRoot, encoding: 'utf8', timeout: 60_000,
      // A database nobody listens on: a start that got past the settings would fail on it, not hang.
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', PORT: '0', ...env },
    });
    const shortKey = start({ ONEMAP_INGEST_KEY: 'short-key' });
    expect(shortKey.status).toBe(1);
    expect(shortKey.stderr.trim()).toBe('[start] ONEMAP_INGEST_KEY has 9 characters; it must have at least 32 (for example the output of `openssl rand -hex 32`)');
    const proxy = start({ ONEMAP_TRUST_PROXY: 'yes' });
    expect(proxy.status).toBe(1);
    expect(proxy.stderr).toMatch(/^\[start\] ONEMAP_TRUST_PROXY="yes": "yes" is not an IP address or CIDR range/);
  });
});

describe('client addresses', () => {
  const login = (base: string, ip: string) => fetch(base + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ username: 'nobody.at.all', password: 'wrong wrong wrong' }),
  });

  it('X-Forwarded-For is not believed by default: a fresh address per attempt does not escape the login limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(ctx.app.baseUrl, `203.0.113.${i + 1}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('behind a trusted proxy, each forwarded client has its own budget', async () => {
    const proxied = await startApp({ trustProxy: ['127.0.0.1'] });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await login(proxied.baseUrl, `198.51.100.${i + 1}`)).status);
      expect(statuses).toEqual(Array(12).fill(401));
      // …and the links it writes follow the proxy's host and scheme.
      const tj = await (await fetch(proxied.baseUrl + '/tiles/grids.json', { headers: { 'x-forwarded-host': 'map.wuchang.example', 'x-forwarded-proto': 'https' } })).json();
      expect(tj.tiles[0]).toMatch(/^https:\/\/map\.wuchang\.example\/tiles\/grids\//);
    } finally {
      await proxied.stop();
    }
  });

  it('without a trusted proxy, links ignore X-Forwarded-Host', async () => {
    const tj = await (await fetch(ctx.app.baseUrl + '/tiles/grids.json', { headers: { 'x-forwarded-host': 'evil.example' } })).json();
    expect(tj.tiles[0].startsWith(ctx.app.baseUrl)).toBe(true);
  });
});
