// What a browser is told about our responses: security headers on pages and data, CORS only for the
// origins configured, the API docs' inline code allowed by hash only, and X-Forwarded-For believed only
// when the operator says a proxy sets it.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, useTestApp, type RunningApp } from '../helpers/app.ts';
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
    const proxied = await startApp({ trustProxy: '127.0.0.1' });
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
