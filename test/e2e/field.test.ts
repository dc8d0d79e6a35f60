// The field app (/field) on a phone (390×844, touch) in Debian Chromium, against the real server over a
// seeded copy, with the browser's geolocation placed inside one unit grid: log in as that grid's
// inspector; "locate me" finds the grid; the nearest manholes, cameras… with distance and direction; walking
// to one (the position moves, the banner follows); a report with a category and a photo; the whole
// workflow with the dispatcher's and the handler's steps through the API and the inspector's in the UI
// (verify, close), with a lost answer on a report and on a step (retried, applied once); and a report made
// offline that survives a reload and is sent exactly once when the connection returns. The handler's side
// of the field app (its department's queue, start, handle with a photo) is test/e2e/departments.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { RESULTS_DIR, openPage } from '../helpers/browser.ts';
import { expectShippedFontEverywhere } from '../helpers/fonts.ts';
import pg from 'pg';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { png } from '../helpers/png.ts';
import { createUser } from '../../server/auth/users.ts';
import type { CaseRow, NearestAnswer } from '../../src/api/caseTypes.ts';


interface Spot {
  grid: string;
  community: string;
  street: string;
  lon: number;
  lat: number;
}

describe('field app on a phone (e2e)', () => {
  let app: RunningApp;
  let db: pg.Client;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let spot: Spot;
  let dispatcher: Record<string, string>;
  let handler: Record<string, string>;
  let fieldUser: { username: string; password: string };
  const pageErrors: string[] = [];

  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method, headers: { ...dispatcher, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const step = async (id: number, action: string, body: unknown = {}, as?: Record<string, string>) => {
    const res = await fetch(`${app.baseUrl}/api/cases/${id}/actions/${action}`, { method: 'POST', headers: { ...(as ?? dispatcher), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const r = { status: res.status, body: (await res.json()) as CaseRow & { message?: string } };
    expect(r.status, `${action}: ${r.body.message ?? ''}`).toBe(200);
    return r.body;
  };
  const casesWith = async (description: string) =>
    (await db.query<{ id: string; status: string; client_id: string | null; photos: string[]; grid_code: string }>(
      'SELECT id, status, client_id, photos::text[] AS photos, grid_code FROM cases WHERE description = $1', [description])).rows;

  const tab = (name: 'nearby' | 'report' | 'cases') => page.getByTestId(`field-tab-${name}`).tap();
  const openTab = async (name: 'nearby' | 'report' | 'cases') => {
    if (!(await page.getByTestId(`field-sheet-${name}`).count())) await tab(name);
    await page.getByTestId(`field-sheet-${name}`).waitFor();
  };

  /** Fills the report form: the first drainage category, one photo, the GPS position, a description. */
  async function fillReport(description: string): Promise<string> {
    await openTab('report');
    const first = page.getByTestId('category-drainage').getByTestId('category-item').first();
    const code = (await first.getAttribute('data-code'))!;
    await first.tap();
    await page.getByTestId('report-form').waitFor();
    expect(await page.getByTestId('report-item').getAttribute('data-code')).toBe(code);
    await page.getByTestId('report-photo-input').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: png(8, 6, [200, 40, 40]) });
    await page.getByTestId('report-photo-picker').locator('img').waitFor();
    await page.getByTestId('report-where-gps').tap();
    await expect.poll(() => page.getByTestId('report-position').textContent()).toContain(spot.lon.toFixed(6));
    await page.getByTestId('report-description').fill(description);
    return code;
  }

  async function openMyCase(id: number): Promise<void> {
    await openTab('cases');
    if (await page.getByTestId('case-back').count()) await page.getByTestId('case-back').tap();
    await page.getByTestId('field-cases-reload').tap();
    const row = page.locator(`[data-testid="field-case-row"][data-case-id="${id}"]`);
    await row.waitFor({ timeout: 20_000 });
    await row.tap();
    await page.locator(`[data-testid="field-case-card"][data-case-id="${id}"]`).waitFor();
  }

  /** Waits until the case has `status` in the database. */
  const dbStatus = (id: number) => async () => (await db.query<{ status: string }>('SELECT status FROM cases WHERE id = $1', [id])).rows[0]?.status;

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    // A unit grid in the middle of the district (so there are manholes and cameras around) and a point
    // surely inside it.
    const { rows: [g] } = await db.query<Spot>(`
      SELECT g.code AS grid, g.community_code AS community, c.street_code AS street, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM grids g JOIN communities c ON c.code = g.community_code, ST_PointOnSurface(g.geom) p
      ORDER BY ST_Distance(p, ST_SetSRID(ST_MakePoint(114.325, 30.55), 4326)) LIMIT 1`);
    spot = { ...g, grid: g.grid.trim(), community: g.community.trim(), street: g.street.trim() };
    fieldUser = { username: `field-e2e-${process.pid}`, password: 'Field-pass-2026!' };
    await createUser(db, { username: fieldUser.username, password: fieldUser.password, role: 'field', grids: [spot.grid], display_name: '网格员测试' });
    const dispUser = { username: `disp-e2e-${process.pid}`, password: 'Disp-pass-2026!' };
    await createUser(db, { ...dispUser, role: 'dispatcher' });
    const login = await fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(dispUser) });
    expect(login.status).toBe(200);
    dispatcher = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const handlerUser = { username: `handler-e2e-${process.pid}`, password: 'Handler-pass-2026!' };
    await createUser(db, { ...handlerUser, role: 'handler', department_code: 'SWJ' });
    const hl = await fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(handlerUser) });
    expect(hl.status).toBe(200);
    handler = { authorization: `Bearer ${((await hl.json()) as { token: string }).token}` };

    ({ browser, context, page } = await openPage({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
      geolocation: { longitude: spot.lon, latitude: spot.lat, accuracy: 8 }, permissions: ['geolocation'], reducedMotion: 'reduce',
    }, pageErrors, { systemCjkFonts: false })); // a phone's Chinese from the font the app ships, not the system's
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
  });

  it('logs in, locates me and tells which grid I am in', async () => {
    await page.goto(`${app.baseUrl}/field`);
    await page.getByTestId('field-login').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}field-390-login.png` });
    await page.getByTestId('login-username').fill(fieldUser.username);
    await page.getByTestId('login-password').fill('wrong password');
    await page.getByTestId('login-submit').tap();
    await page.getByTestId('login-error').waitFor();
    await page.getByTestId('login-password').fill(fieldUser.password);
    await page.getByTestId('login-submit').tap();
    await page.getByTestId('field-app').waitFor();
    expect(await page.getByTestId('field-user').textContent()).toBe('网格员测试');
    // The session is the server's cookie, not something the page keeps.
    expect((await context.cookies()).some((c) => c.name === 'onemap_session' && c.httpOnly)).toBe(true);

    await page.getByTestId('field-locate').tap();
    await page.getByTestId('field-me-marker').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('field-grid-code').textContent(), { timeout: 20_000 }).toBe(spot.grid);
    const names = await db.query<{ c: string; s: string }>('SELECT c.name AS c, s.name AS s FROM communities c, streets s WHERE c.code = $1 AND s.code = $2', [spot.community, spot.street]);
    expect(await page.getByTestId('field-grid-community').textContent()).toBe(names.rows[0].c);
    expect(await page.getByTestId('field-grid-street').textContent()).toBe(names.rows[0].s);
    expect(await page.getByTestId('field-grid-mine').count()).toBe(1);
    // The map came to me: my marker is on the screen, near the middle.
    const box = await page.getByTestId('field-me-marker').boundingBox();
    expect(box && box.x > 0 && box.x < 390 && box.y > 0 && box.y < 844).toBe(true);
    await page.evaluate(() => new Promise<void>((r) => (window.__map!.loaded() ? r() : window.__map!.once('idle', () => r()))));
    await expectShippedFontEverywhere(page);
    await page.screenshot({ path: `${RESULTS_DIR}field-390-located.png` });
  }, 120_000);

  it('opens where I stand and lists my own reports with where each stands: waiting, rejected with why; never another grid\'s', async () => {
    const login = await fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fieldUser) });
    const asField = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const report = async (lon: number, lat: number, description: string) => {
      const res = await fetch(`${app.baseUrl}/api/cases`, { method: 'POST', headers: asField, body: JSON.stringify({ item_code: 'E0101', lon, lat, description }) });
      expect(res.status).toBe(201);
      return (await res.json()) as CaseRow;
    };
    const waiting = await report(spot.lon, spot.lat, '我的上报：待受理');
    const rejected = await report(spot.lon, spot.lat, '我的上报：将被作废');
    const r = await api<CaseRow>('POST', `/api/cases/${rejected.id}/actions/reject`, { reason: '重复上报' });
    expect(r.status).toBe(200);
    // A report made outside my grids is not mine to read (the grid rule): it must not show.
    const { rows: [far] } = await db.query<{ lon: number; lat: number }>(`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM grids g, ST_PointOnSurface(g.geom) p WHERE g.code NOT LIKE $1 || '%' ORDER BY g.code LIMIT 1`, [spot.grid]);
    const outside = await report(far.lon, far.lat, '我的上报：他人网格');

    // A reload: the position was allowed before, so the app locates on start and brings the map to me.
    await page.goto(`${app.baseUrl}/field`);
    await page.getByTestId('field-app').waitFor();
    await page.getByTestId('field-me-marker').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('field-grid-code').textContent(), { timeout: 20_000 }).toBe(spot.grid);
    // The whole of my grid on the screen, close enough to see its manholes and cameras (not the district).
    const { rows: [box] } = await db.query<{ w: number; s: number; e: number; n: number }>(
      'SELECT ST_XMin(geom) w, ST_YMin(geom) s, ST_XMax(geom) e, ST_YMax(geom) n FROM grids WHERE code = $1', [spot.grid]);
    const shown = () => page.evaluate(() => { const b = window.__map!.getBounds(); return { w: b.getWest(), s: b.getSouth(), e: b.getEast(), n: b.getNorth(), z: window.__map!.getZoom() }; });
    await expect.poll(async () => { const v = await shown(); return v.w <= box.w && v.s <= box.s && v.e >= box.e && v.n >= box.n; }, { timeout: 20_000 }).toBe(true);
    expect((await shown()).z).toBeGreaterThanOrEqual(15);
    await page.evaluate(() => new Promise<void>((res) => (window.__map!.loaded() ? res() : window.__map!.once('idle', () => res()))));
    await page.screenshot({ path: `${RESULTS_DIR}i15-5-field-open-after.png` });

    await openTab('cases');
    const row = (id: number) => page.locator(`[data-testid="field-report-row"][data-case-id="${id}"]`);
    await row(waiting.id).waitFor({ timeout: 20_000 });
    expect(await row(waiting.id).getAttribute('data-status')).toBe('reported');
    expect(await row(waiting.id).getByTestId('case-status').textContent()).toBe('上报');
    expect(await row(rejected.id).getAttribute('data-status')).toBe('rejected');
    expect(await row(rejected.id).getByTestId('field-report-reason').textContent()).toBe('作废原因：重复上报');
    expect(await row(outside.id).count()).toBe(0);
    // A waiting report is not on the to-do list: nothing for me to do on it yet.
    expect(await page.locator(`[data-testid="field-case-row"][data-case-id="${waiting.id}"]`).count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}i15-5-field-reports-after.png` });
    await page.getByTestId('field-sheet-close').tap();
  }, 120_000);

  it('lists the nearest manholes, cameras and sensors with distance and direction, and walks me to one', async () => {
    await openTab('nearby');
    await page.getByTestId('nearby-manholes').waitFor({ timeout: 20_000 });
    const expected = await (await fetch(`${app.baseUrl}/api/query/nearest?lon=${spot.lon}&lat=${spot.lat}&layers=manholes,cameras,sensors&k=5`)).json() as NearestAnswer;
    for (const layer of ['manholes', 'cameras', 'sensors'] as const) {
      const items = page.getByTestId(`nearby-${layer}`).getByTestId('nearby-item');
      expect(await items.count(), layer).toBe(expected.results[layer].length);
      // Same order and (recomputed on the phone from the same point) the same distances as the server's.
      const shown = await items.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id'), d: Number(e.querySelector('[data-testid="direction"]')!.getAttribute('data-distance')) })));
      expect(shown.map((s) => s.id)).toEqual(expected.results[layer].map((h) => String(h.id)));
      shown.forEach((s, i) => expect(Math.abs(s.d - expected.results[layer][i].distance_m), `${layer} ${s.id}`).toBeLessThan(2));
    }
    const firstText = await page.getByTestId('nearby-manholes').getByTestId('direction').first().textContent();
    expect(firstText).toMatch(/(北|东北|东|东南|南|西南|西|西北) (N|NE|E|SE|S|SW|W|NW)\s*\d+ m/);
    await page.screenshot({ path: `${RESULTS_DIR}field-390-nearby.png` });

    const target = expected.results.manholes[0];
    await page.getByTestId('nearby-manholes').getByTestId('nearby-item').first().tap();
    await page.getByTestId('field-nav').waitFor();
    expect(await page.getByTestId('field-nav-target').textContent()).toContain(String(target.code));
    const before = Number(await page.getByTestId('field-nav').getByTestId('direction').getAttribute('data-distance'));
    expect(Math.abs(before - target.distance_m)).toBeLessThan(2);
    // Walk most of the way there: the position updates (watchPosition) and the banner follows.
    const mid = { longitude: spot.lon + (target.lon - spot.lon) * 0.6, latitude: spot.lat + (target.lat - spot.lat) * 0.6, accuracy: 5 };
    await context.setGeolocation(mid);
    await expect.poll(async () => Number(await page.getByTestId('field-nav').getByTestId('direction').getAttribute('data-distance')), { timeout: 15_000 })
      .toBeLessThan(before * 0.5);
    await page.evaluate(() => new Promise<void>((r) => (window.__map!.loaded() ? r() : window.__map!.once('idle', () => r()))));
    await page.screenshot({ path: `${RESULTS_DIR}field-390-navigate.png` });
    await context.setGeolocation({ longitude: target.lon, latitude: target.lat, accuracy: 5 });
    await page.getByTestId('field-nav-arrived').waitFor({ timeout: 15_000 });
    await page.getByTestId('field-nav-end').tap();
    await context.setGeolocation({ longitude: spot.lon, latitude: spot.lat, accuracy: 8 });
  }, 120_000);

  it('reports a case with a category and a photo, once even when the answer is lost; then works it to closed', async () => {
    const description = `道路积水测试上报 ${Date.now()}`;
    const code = await fillReport(description);
    await page.screenshot({ path: `${RESULTS_DIR}field-390-report.png` });
    // The server makes the case, but its answer never reaches the phone: the retry must not make a second.
    let lost = 0;
    await page.route('**/api/cases', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost++;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByTestId('report-submit').tap();
    await expect.poll(() => page.getByTestId('field-toast').textContent(), { timeout: 30_000 }).toMatch(/已上报，案件号 WC\d+/);
    await page.unroute('**/api/cases');
    expect(lost).toBe(1);
    const made = await casesWith(description);
    expect(made).toHaveLength(1);
    expect(made[0].status).toBe('reported');
    expect(made[0].photos).toHaveLength(1);
    expect(made[0].grid_code.trim()).toBe(spot.grid);
    expect(made[0].client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByTestId('pending-item').count()).toBe(0);
    const id = Number(made[0].id);
    expect((await db.query('SELECT item_code FROM cases WHERE id = $1', [id])).rows[0].item_code).toBe(code);

    // Not mine to act on until the centre accepts it.
    await step(id, 'accept');
    await openMyCase(id);
    await page.getByTestId('field-case-card').getByTestId('case-timeline').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}field-390-case.png` });
    // "Verify" with a lost answer: the retry gets 409, finds the step in the history, and counts it done.
    let lostStep = 0;
    await page.route(`**/api/cases/${id}/actions/verify`, async (route) => {
      if (lostStep === 0) {
        lostStep++;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByTestId('action-verify').tap();
    await expect.poll(dbStatus(id), { timeout: 20_000 }).toBe('verified');
    await expect.poll(() => page.getByTestId('pending-item').count(), { timeout: 30_000 }).toBe(0);
    await page.unroute(`**/api/cases/${id}/actions/verify`);
    expect(lostStep).toBe(1);
    expect((await db.query(`SELECT count(*)::int n FROM case_transitions WHERE case_id = $1 AND to_status = 'verified'`, [id])).rows[0].n).toBe(1);

    // The drainage department's handler starts and handles it (their side of the app: departments.test.ts).
    await step(id, 'register');
    await step(id, 'dispatch', { department_code: 'SWJ' });
    await step(id, 'start', {}, handler);
    const photo = await fetch(`${app.baseUrl}/api/media`, { method: 'POST', headers: { ...handler, 'content-type': 'image/png' }, body: new Uint8Array(png(6, 6, [40, 160, 60])) });
    await step(id, 'handle', { note: '已更换井盖', photos: [((await photo.json()) as { id: string }).id] }, handler);
    const handled = await db.query<{ photos: string[]; note: string }>(`SELECT photos::text[] AS photos, note FROM case_transitions WHERE case_id = $1 AND to_status = 'handled'`, [id]);
    expect(handled.rows).toHaveLength(1);
    expect(handled.rows[0].photos).toHaveLength(1);
    expect(handled.rows[0].note).toBe('已更换井盖');

    await step(id, 'check');
    await openMyCase(id);
    await page.getByTestId('action-close').tap();
    await expect.poll(dbStatus(id), { timeout: 20_000 }).toBe('closed');
    // The card shows the case closed, with the whole history.
    await expect.poll(() => page.getByTestId('field-case-card').getAttribute('data-status'), { timeout: 20_000 }).toBe('closed');
    const steps = await page.getByTestId('field-case-card').getByTestId('case-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(steps).toEqual(['reported', 'accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'handled', 'checking', 'closed']);
    await page.screenshot({ path: `${RESULTS_DIR}field-390-closed.png` });
  }, 240_000);

  it('keeps a report made offline through a reload and sends it exactly once when back online', async () => {
    // The app must open without a connection: its service worker has to control /field.
    await page.goto(`${app.baseUrl}/field`);
    await page.getByTestId('field-app').waitFor();
    await expect.poll(() => page.evaluate(() => window.__fieldSw ?? 'pending'), { timeout: 20_000 }).not.toBe('pending');
    expect(await page.evaluate(() => window.__fieldSw), 'the service worker was not allowed to control /field (is Service-Worker-Allowed: /field sent for /assets/sw-*.js?)').toBe('active');
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('field-locate').tap();
    await page.getByTestId('field-grid-code').waitFor({ timeout: 20_000 });

    const description = `离线上报测试 ${Date.now()}`;
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('field-net').getAttribute('data-online')).toBe('false');
    await fillReport(description);
    await page.getByTestId('report-submit').tap();
    const pending = page.getByTestId('pending-item');
    await pending.first().waitFor();
    expect(await pending.count()).toBe(1);
    expect(await pending.getByTestId('pending-description').textContent()).toBe(description);
    expect(await page.getByTestId('field-pending-count').getAttribute('data-count')).toBe('1');
    const clientId = await pending.getAttribute('data-id');
    await page.screenshot({ path: `${RESULTS_DIR}field-390-offline-pending.png` });
    expect(await casesWith(description)).toHaveLength(0);

    await page.reload();
    await page.getByTestId('field-app').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('field-net').getAttribute('data-online')).toBe('false');
    await openTab('report');
    await page.getByTestId('pending-item').first().waitFor();
    expect(await page.getByTestId('pending-item').count()).toBe(1);
    expect(await page.getByTestId('pending-item').getAttribute('data-id')).toBe(clientId);
    expect(await casesWith(description)).toHaveLength(0);

    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('pending-item').count(), { timeout: 30_000 }).toBe(0);
    const made = await casesWith(description);
    expect(made).toHaveLength(1);
    expect(made[0].client_id).toBe(clientId);
    expect(made[0].photos).toHaveLength(1);
    // And it stays one: nothing is left to resend (a deliberate wait, for a resend that must not come).
    await page.waitForTimeout(3000);
    expect(await casesWith(description)).toHaveLength(1);

    // Logging out ends the session on the server too.
    await page.getByTestId('field-logout').tap();
    await page.getByTestId('field-login').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
