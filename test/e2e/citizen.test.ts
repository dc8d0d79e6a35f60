// The citizens' page (/citizen) on a phone (390×844, touch, Chinese) in Debian Chromium against the real
// server over a seeded copy, with no account: a report with a category, the GPS position (the address
// found from the map's data), a photo made here, consent to publish; the tracking link with its token; a
// dispatcher and a grid inspector take the case to closed through the API; the citizen sees the timeline,
// evaluates it (基本满意), and the satisfaction KPI counts it. A second citizen at the same spot is offered
// the report nearby and adds to it (补充) instead of reporting it again. And a report made offline survives a
// reload and is sent exactly once when the connection returns. Screenshots of each step in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RESULTS_DIR, openPage } from '../helpers/browser.ts';
import { expectShippedFontEverywhere } from '../helpers/fonts.ts';
import { loginAs, startApp, type TestAppContext } from '../helpers/app.ts';
import { png } from '../helpers/png.ts';

interface Spot { grid: string; lon: number; lat: number }

describe('citizen page on a phone (e2e)', () => {
  const ctx = {} as TestAppContext;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let spot: Spot;
  const problems: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${RESULTS_DIR}citizen-390-${name}.png`, fullPage: true });
  const casesWith = async (description: string) =>
    (await ctx.db.query<{ id: string; case_no: string; status: string; photos: string[]; address: string | null; source: string; publish: boolean; client_id: string | null }>(
      'SELECT id, case_no, status, photos::text[] AS photos, address, source, publish, client_id FROM cases WHERE description = $1', [description])).rows;
  let first: { no: string; id: string; trackUrl: string };

  /** Chooses 道路积水 among the common problems and puts the pin at the phone's position. */
  async function whatAndWhere() {
    await page.getByTestId('cz-report').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="cz-cat"][data-code="E0701"]').tap();
    await page.getByTestId('cz-chosen').waitFor();
    await page.getByTestId('cz-gps').tap();
    await expect.poll(() => page.getByTestId('cz-position').textContent(), { timeout: 20_000 }).toContain(spot.lon.toFixed(6));
  }

  beforeAll(async () => {
    ctx.app = await startApp();
    ctx.db = new pg.Client({ connectionString: ctx.app.db.url });
    await ctx.db.connect();
    // A grid point with no citizen report within 100 m (the only report offered nearby is this test's), on land.
    const { rows: [g] } = await ctx.db.query<Spot>(`
      SELECT g.code AS grid, ST_X(p) AS lon, ST_Y(p) AS lat FROM grids g, ST_PointOnSurface(g.geom) p
      WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.source = 'citizen' AND ST_DWithin(c.geom::geography, p::geography, 100))
        AND NOT EXISTS (SELECT 1 FROM water w WHERE ST_DWithin(w.geom::geography, p::geography, 150))
      ORDER BY ST_Distance(p, ST_SetSRID(ST_MakePoint(114.31, 30.545), 4326)) LIMIT 1`);
    spot = { ...g, grid: g.grid.trim() };
    ({ browser, context, page } = await openPage({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
      geolocation: { longitude: spot.lon, latitude: spot.lat, accuracy: 8 }, permissions: ['geolocation'], reducedMotion: 'reduce',
    }, problems, { systemCjkFonts: false })); // a phone's Chinese from the font the app ships, not the system's
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ctx.db?.end();
    await ctx.app?.stop();
  });

  it('reports with a photo, follows it to closed, evaluates it, and the satisfaction KPI moves', async () => {
    await page.goto(`${ctx.app.baseUrl}/citizen`);
    await page.getByTestId('cz-categories').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('cz-cat').count()).toBe(12);
    expect(await page.locator('[data-testid="cz-cat"][data-code="E0701"]').textContent()).toContain('路上有积水');
    await shot('1-start');

    await whatAndWhere();
    // The address from the map's data: the street and community of the grid there.
    const { rows: [unit] } = await ctx.db.query<{ street: string; community: string }>(
      `SELECT s.name AS street, c.name AS community FROM grids g JOIN communities c ON c.code = g.community_code JOIN streets s ON s.code = c.street_code WHERE g.code = $1`, [spot.grid]);
    await expect.poll(() => page.getByTestId('cz-address').inputValue(), { timeout: 20_000 }).toContain(`${unit.street} ${unit.community}`);
    await page.getByTestId('cz-photo-input').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: png(12, 8, [40, 90, 200]) });
    await page.getByTestId('cz-photo-picker').locator('img').waitFor();
    const description = `市民上报 e2e ${Date.now()}：积水约二十厘米`;
    await page.getByTestId('cz-description').fill(description);
    await page.getByTestId('cz-publish').check();
    await page.locator('[data-testid="cz-map"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await expectShippedFontEverywhere(page);
    await shot('2-filled');

    await page.getByTestId('cz-send').tap();
    const sent = page.getByTestId('cz-sent');
    await sent.waitFor({ timeout: 30_000 });
    const no = (await sent.getAttribute('data-no'))!;
    const href = (await page.getByTestId('cz-track-link').getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^/citizen/track/${no}\\?token=[A-Za-z0-9_-]{24}$`));
    await shot('3-sent');
    const [made] = await casesWith(description);
    expect(made).toMatchObject({ case_no: no, source: 'citizen', publish: true, status: 'reported' });
    expect(made.photos).toHaveLength(1);
    expect(made.address).toContain(unit.community);
    first = { no, id: made.id, trackUrl: href };

    await page.getByTestId('cz-track-link').tap();
    await page.locator('[data-testid="cz-step"][data-status="reported"]').waitFor({ timeout: 30_000 });
    await shot('4-track-reported');

    // The centre, the department's handler and the grid's inspector take it to closed through the API.
    const disp = await loginAs(ctx, 'dispatcher');
    const field = await loginAs(ctx, 'field', [spot.grid]);
    const handler = await loginAs(ctx, 'handler');
    const photo = (await (await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...handler.headers, 'content-type': 'image/png' }, body: new Uint8Array(png(4, 4, [0, 160, 0])) })).json()).id;
    for (const [who, action, body] of [[disp, 'accept', {}], [field, 'verify', {}], [disp, 'register', {}], [disp, 'dispatch', { department_code: handler.user.department_code }], [handler, 'start', {}],
      [handler, 'handle', { photos: [photo], note: '已清理雨水箅子' }], [disp, 'check', {}], [field, 'close', {}]] as const) {
      const r = await fetch(`${ctx.app.baseUrl}/api/cases/${made.id}/actions/${action}`, { method: 'POST', headers: { ...who.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, action).toBe(200);
    }
    const kpi = async () => {
      const r = await (await fetch(`${ctx.app.baseUrl}/api/cases/kpi?level=district&from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
        { headers: disp.headers })).json() as { rows: { counts: { satisfied: number; evaluated: number } }[] };
      return r.rows[0].counts;
    };
    const before = await kpi();

    await page.reload();
    await page.getByTestId('cz-evaluate').waitFor({ timeout: 30_000 });
    const steps = await page.getByTestId('cz-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(steps).toEqual(['reported', 'accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'handled', 'checking', 'closed']);
    expect(await page.getByTestId('cz-track-summary').getAttribute('data-status')).toBe('closed');
    expect(await page.getByTestId('cz-track').textContent()).not.toContain('已清理雨水箅子'); // staff's notes are not public
    await shot('5-closed');

    await page.getByTestId('cz-level-basic').tap();
    await page.getByTestId('cz-eval-comment').fill('处理及时，路面还有点脏');
    await shot('6-evaluating');
    await page.getByTestId('cz-eval-send').tap();
    await page.locator('[data-testid="cz-evaluated"][data-level="basic"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('cz-evaluate').count()).toBe(0);
    await shot('7-evaluated');
    const after = await kpi();
    expect(after.evaluated).toBe(before.evaluated + 1);
    expect(after.satisfied).toBe(before.satisfied + 1);
  }, 240_000);

  it('offers the report nearby and adds to it instead of reporting it again', async () => {
    // Closed reports are not offered: open a fresh one at the same spot through Open311 (another citizen).
    const other = await (await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service_code: 'E0701', lat: spot.lat + 0.00015, long: spot.lon, description: '路口积水，车辆绕行', x_publish: true }) })).json();
    const no = other[0].service_request_id as string;
    const [c] = (await ctx.db.query<{ id: string }>('SELECT id FROM cases WHERE case_no = $1', [no])).rows;
    const casesBefore = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0].n;

    await page.goto(`${ctx.app.baseUrl}/citizen`);
    await whatAndWhere();
    const offered = page.locator(`[data-testid="cz-nearby-item"][data-id="${no}"]`);
    await offered.waitFor({ timeout: 20_000 });
    expect(await offered.textContent()).toMatch(/有人在 1[67] m 外、\d+ 分钟前反映了“路上有积水”（处理中）/);
    expect(await page.locator(`[data-testid="cz-nearby-item"][data-id="${first.no}"]`).count()).toBe(0); // closed: not offered
    await page.getByTestId('cz-nearby').scrollIntoViewIfNeeded();
    await shot('8-nearby');

    await offered.getByTestId('cz-add-to').tap();
    await page.locator(`[data-testid="cz-adding"][data-id="${no}"]`).waitFor();
    await page.getByTestId('cz-photo-input').setInputFiles({ name: 'more.png', mimeType: 'image/png', buffer: png(10, 10, [200, 120, 0]) });
    await page.getByTestId('cz-photo-picker').locator('img').waitFor();
    await page.getByTestId('cz-description').fill('水已漫到人行道');
    await shot('9-adding');
    await page.getByTestId('cz-send').tap();
    await page.locator(`[data-testid="cz-sent"][data-no="${no}"]`).waitFor({ timeout: 30_000 });
    await shot('10-added');

    const sup = (await ctx.db.query<{ description: string; photos: string[] }>('SELECT description, photos::text[] AS photos FROM case_supplements WHERE case_id = $1', [c.id])).rows;
    expect(sup).toEqual([{ description: '水已漫到人行道', photos: [expect.any(String)] }]);
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0].n).toBe(casesBefore); // no second case
    // The report as the public reads it is unchanged.
    const [pub] = await (await fetch(`${ctx.app.baseUrl}/open311/v2/requests/${no}.json`)).json();
    expect(pub.description).toBe('路口积水，车辆绕行');
  }, 180_000);

  it('queues a report made offline, keeps it through a reload, and sends it exactly once when back online', async () => {
    await page.goto(`${ctx.app.baseUrl}/citizen`);
    await page.getByTestId('cz-categories').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => (window as { __citizenSw?: string }).__citizenSw ?? 'pending'), { timeout: 20_000 }).toBe('active');
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
    await page.locator('[data-testid="cz-map"][data-ready="true"]').waitFor({ timeout: 30_000 });

    await context.setOffline(true);
    await page.getByTestId('cz-offline').waitFor();
    await whatAndWhere();
    await page.getByTestId('cz-address').fill('离线手填地址 12 号');
    await page.getByTestId('cz-photo-input').setInputFiles({ name: 'offline.png', mimeType: 'image/png', buffer: png(8, 8, [120, 0, 160]) });
    await page.getByTestId('cz-photo-picker').locator('img').waitFor();
    const description = `离线市民上报 ${Date.now()}`;
    await page.getByTestId('cz-description').fill(description);
    await page.getByTestId('cz-send').tap();
    await page.getByTestId('cz-queued').waitFor();
    await shot('11-offline-queued');
    expect(await casesWith(description)).toHaveLength(0);

    await page.reload();
    await page.getByTestId('cz-report').waitFor({ timeout: 30_000 });
    await page.getByTestId('cz-pending').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('cz-pending').count()).toBe(1);
    await page.getByTestId('cz-mine').scrollIntoViewIfNeeded();
    await shot('12-offline-reloaded');
    expect(await casesWith(description)).toHaveLength(0);

    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('cz-pending').count(), { timeout: 30_000 }).toBe(0);
    const made = await casesWith(description);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ address: '离线手填地址 12 号', publish: false });
    expect(made[0].photos).toHaveLength(1);
    await page.locator(`[data-testid="cz-mine-item"][data-no="${made[0].case_no}"]`).waitFor({ timeout: 10_000 });
    await shot('13-online-sent');
    // And it stays one (a deliberate wait, for a resend that must not come).
    await page.waitForTimeout(3000);
    expect(await casesWith(description)).toHaveLength(1);
    expect(problems).toEqual([]);
  }, 180_000);
});
