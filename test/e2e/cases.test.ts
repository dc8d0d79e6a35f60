// The desktop cases panel (1280×800) in Debian Chromium, against the real server over a seeded copy: a
// dispatcher logs in, filters the list (status, street, overdue), opens a case and takes a step; overdue
// cases carry a red ring on the map; the KPI table lists the streets, drills into one, and its CSV link
// downloads the same numbers; an admin sees the accounts (and creates one) and the audit log; a planner
// sees no administration.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import { type Browser, type Page } from 'playwright-core';
import { waitForIdle, RESULTS_DIR, openPage } from '../helpers/browser.ts';
import pg from 'pg';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { createUser, type Role } from '../../server/auth/users.ts';

describe('cases, KPIs and administration on the desktop (e2e)', () => {
  let app: RunningApp;
  let db: pg.Client;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const accounts: Partial<Record<Role, { username: string; password: string }>> = {};

  /** The list has settled after a change of filters. */
  const listReady = () => page.waitForFunction(() => document.querySelector('[data-testid="case-list-view"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 });
  const rows = () => page.getByTestId('case-row').evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));

  async function loginAs(role: Role): Promise<void> {
    if (await page.getByTestId('cases-logout').count()) {
      await page.getByTestId('cases-logout').click();
    }
    const form = page.getByTestId('cases-panel').getByTestId('login-form');
    await form.waitFor();
    await form.getByTestId('login-username').fill(accounts[role]!.username);
    await form.getByTestId('login-password').fill(accounts[role]!.password);
    await form.getByTestId('login-submit').click();
    await page.getByTestId('cases-account').waitFor();
  }

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    for (const role of ['dispatcher', 'admin', 'planner'] as const) {
      accounts[role] = { username: `e2e-${role}-${process.pid}`, password: `Pw-${role}-2026-long` };
      await createUser(db, { ...accounts[role]!, role, display_name: { dispatcher: '派遣测试', admin: '管理测试', planner: '规划测试' }[role] });
    }
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, reducedMotion: 'reduce', locale: 'zh-CN' }, pageErrors));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
  });

  it('a dispatcher logs in, filters the list, opens a case and accepts it', async () => {
    await page.goto(`${app.baseUrl}/#map=13/30.555/114.33&layers=basemap,grids,cases`);
    await waitForIdle(page);
    await page.getByTestId('tool-cases').click();
    await page.getByTestId('cases-panel').getByTestId('login-form').waitFor();
    await loginAs('dispatcher');
    expect(await page.getByTestId('cases-account').textContent()).toContain('派遣测试');
    await listReady();

    // "My to-do" first: every case listed has a step for the dispatcher.
    expect(await page.getByTestId('case-filter-status').inputValue()).toBe('mine');
    expect((await rows()).length).toBeGreaterThan(0);

    // Whether the seed left cases waiting for acceptance depends on the hour it ran: the centre reports three
    // more (in two streets) through the API.
    const spots = await db.query<{ lon: number; lat: number; street: string }>(`
      SELECT lon, lat, street FROM (
        SELECT ST_X(p) lon, ST_Y(p) lat, c.street_code AS street, row_number() OVER (PARTITION BY c.street_code ORDER BY g.code) AS k
        FROM grids g JOIN communities c ON c.code = g.community_code, ST_PointOnSurface(g.geom) p
        WHERE c.street_code IN (SELECT code FROM streets ORDER BY code LIMIT 2)) x
      WHERE k <= 2 ORDER BY street, k LIMIT 3`);
    expect(new Set(spots.rows.map((p) => p.street)).size).toBe(2);
    const item = (await db.query<{ code: string }>('SELECT code FROM case_items WHERE drainage ORDER BY code LIMIT 1')).rows[0].code;
    for (const [k, p] of spots.rows.entries()) {
      const status = await page.evaluate(async (body) => (await fetch('/api/cases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status,
        { item_code: item, lon: p.lon, lat: p.lat, description: `派遣测试上报 ${k}` });
      expect(status).toBe(201);
    }

    // Status: only reported cases; exactly the database's.
    await page.getByTestId('case-filter-status').selectOption('reported');
    await listReady();
    const reported = await rows();
    const expected = await db.query<{ id: string }>(`SELECT id FROM cases WHERE status = 'reported' ORDER BY id DESC LIMIT 50`);
    expect(expected.rows.length).toBeGreaterThanOrEqual(3);
    expect(reported.map((r) => r.caseId)).toEqual(expected.rows.map((r) => r.id));
    expect(reported.every((r) => r.status === 'reported')).toBe(true);

    // Street, then community: every row is in them, and the other street's case is gone.
    const street = spots.rows[0].street.trim();
    await page.getByTestId('case-filter-street').selectOption(street);
    await listReady();
    const inStreet = await rows();
    const expectedInStreet = await db.query<{ id: string }>(`SELECT id FROM cases WHERE status = 'reported' AND street_code = $1 ORDER BY id DESC LIMIT 50`, [spots.rows[0].street]);
    expect(inStreet.length).toBeGreaterThanOrEqual(2);
    expect(inStreet.map((r) => r.caseId)).toEqual(expectedInStreet.rows.map((r) => r.id));
    expect(inStreet.every((r) => r.street === street && r.status === 'reported')).toBe(true);
    const community = inStreet[0].community!;
    await page.getByTestId('case-filter-community').selectOption(community);
    await listReady();
    expect((await rows()).every((r) => r.community === community)).toBe(true);

    // Overdue only (any status): every row is flagged, and their number is the database's.
    await page.getByTestId('case-filter-reset').click();
    await page.getByTestId('case-filter-status').selectOption('');
    await page.getByTestId('case-filter-overdue').check();
    await listReady();
    const overdue = await rows();
    const n = (await db.query<{ n: number }>(`SELECT count(*)::int n FROM (SELECT 1 FROM cases WHERE status NOT IN ('closed','rejected') AND deadline_at < now()
      AND (status <> 'suspended' OR deadline_at < suspended_at) LIMIT 50) x`)).rows[0].n;
    expect(n).toBeGreaterThan(0);
    expect(overdue.length).toBe(n);
    expect(overdue.every((r) => r.overdue === 'true')).toBe(true);
    expect(await page.getByTestId('case-row').first().getByTestId('case-overdue').count()).toBe(1);

    // Open a reported case and accept it.
    await page.getByTestId('case-filter-overdue').uncheck();
    await page.getByTestId('case-filter-status').selectOption('reported');
    await listReady();
    const row = page.getByTestId('case-row').first();
    const id = Number(await row.getAttribute('data-case-id'));
    await row.click();
    const detail = page.getByTestId('case-detail');
    await detail.waitFor();
    expect(Number(await detail.getAttribute('data-case-id'))).toBe(id);
    await detail.getByTestId('case-timeline').waitFor();
    expect(await detail.getByTestId('action-accept').count()).toBe(1);
    // Reject needs a reason: its form does not send without one.
    await detail.getByTestId('action-reject').click();
    expect(await detail.getByTestId('step-submit').isDisabled()).toBe(true);
    await detail.getByRole('button', { name: '取消' }).click();
    await page.screenshot({ path: `${RESULTS_DIR}cases-1280x800-detail.png` });
    await detail.getByTestId('action-accept').click();
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    expect((await db.query('SELECT status FROM cases WHERE id = $1', [id])).rows[0].status).toBe('accepted');
    const steps = await detail.getByTestId('case-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(steps.slice(-2)).toEqual(['reported', 'accepted']);
    // The list row follows.
    expect(await page.locator(`[data-testid="case-row"][data-case-id="${id}"]`).getAttribute('data-status')).toBe('accepted');
    // Accepting again is refused by the server (409), and its message is shown.
    const again = await page.evaluate(async (cid) => (await fetch(`/api/cases/${cid}/actions/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, id);
    expect(again).toBe(409);
  }, 180_000);

  it('rings overdue cases in red on the map, comparing their deadline with the clock', async () => {
    const { rows: [late] } = await db.query<{ id: string; lon: number; lat: number }>(`
      SELECT id, ST_X(geom) lon, ST_Y(geom) lat FROM cases
      WHERE status NOT IN ('closed', 'rejected', 'suspended') AND deadline_at < now() - interval '1 hour' ORDER BY id DESC LIMIT 1`);
    await page.evaluate(([lon, lat]) => new Promise<void>((resolve) => {
      const map = window.__map!;
      map.once('idle', () => resolve());
      map.jumpTo({ center: [lon, lat], zoom: 17.5 });
    }), [late.lon, late.lat] as const);
    await waitForIdle(page);
    const ringed = await page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['cases-overdue'] }).map((f) => ({ id: f.id, deadline: f.properties.deadline })));
    expect(ringed.map((f) => String(f.id))).toContain(late.id);
    const now = Date.now() / 1000;
    expect(ringed.every((f) => Number(f.deadline) < now)).toBe(true);
    // Open cases in view whose deadline is still ahead are not ringed.
    const open = await page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['cases-point'] }).filter((f) => f.properties.deadline !== undefined)
      .map((f) => ({ id: String(f.id), deadline: Number(f.properties.deadline) })));
    const ringedIds = new Set(ringed.map((f) => String(f.id)));
    for (const c of open) expect(ringedIds.has(c.id), `case ${c.id}`).toBe(c.deadline < now);
    // The "now" in the filter is the browser's clock (moved on every minute).
    const literal = await page.evaluate(() => JSON.stringify(window.__map!.getFilter('cases-overdue')));
    const t = Number(/"deadline"\]\],(\d+)/.exec(literal)?.[1]);
    expect(Math.abs(t - now)).toBeLessThan(120);
    await page.screenshot({ path: `${RESULTS_DIR}cases-1280x800-overdue-ring.png` });
  }, 60_000);

  it('shows the KPIs per street, drills into one, and downloads them as CSV', async () => {
    await page.getByTestId('cases-tab-kpi').click();
    const view = page.getByTestId('kpi-view');
    await page.waitForFunction(() => document.querySelector('[data-testid="kpi-view"]')?.getAttribute('data-state') === 'ready' && document.querySelectorAll('[data-testid="kpi-row"]').length > 0, null, { timeout: 30_000 });
    const streets = await db.query<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY code');
    const shown = await view.getByTestId('kpi-row').evaluateAll((els) => els.map((e) => ({ code: e.getAttribute('data-code'), name: e.querySelector('td.name')?.textContent })));
    expect(shown.map((r) => r.code).sort()).toEqual(streets.rows.map((s) => s.code.trim()));
    for (const s of shown) expect(s.name).toBe(streets.rows.find((x) => x.code.trim() === s.code)!.name);
    expect(await view.getByTestId('kpi-bar').count()).toBe(streets.rows.length);
    await page.screenshot({ path: `${RESULTS_DIR}cases-1280x800-kpi.png` });

    // The CSV link is the same query: its rows are the streets.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), view.getByTestId('kpi-csv').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length).toBe(streets.rows.length + 1);
    for (const s of streets.rows) expect(csv).toContain(s.code.trim());
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    // Drill: a street's communities.
    const first = shown[0].code!;
    await view.locator(`[data-testid="kpi-row"][data-code="${first}"]`).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="kpi-view"]')?.getAttribute('data-level') === 'community'
      && document.querySelector('[data-testid="kpi-view"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 });
    const communities = await view.getByTestId('kpi-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')!));
    const expectedCommunities = await db.query<{ code: string }>('SELECT code FROM communities WHERE street_code = $1 ORDER BY code', [first]);
    expect(communities.sort()).toEqual(expectedCommunities.rows.map((c) => c.code.trim()));
  }, 90_000);

  it('an admin sees the accounts, creates one, and finds it in the audit log', async () => {
    await page.getByTestId('cases-tab-list').click();
    await loginAs('admin');
    await page.getByTestId('cases-tab-admin').click();
    await page.getByTestId('user-row').first().waitFor();
    const users = await page.getByTestId('user-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-username')));
    for (const role of ['dispatcher', 'admin', 'planner'] as const) expect(users).toContain(accounts[role]!.username);

    const username = `e2e-new-field-${process.pid}`;
    const grid = (await db.query<{ code: string }>('SELECT code FROM grids ORDER BY code LIMIT 1')).rows[0].code.trim();
    await page.getByTestId('user-new').click();
    await page.getByTestId('user-username').fill(username);
    await page.getByTestId('user-display-name').fill('新网格员');
    await page.getByTestId('user-role').selectOption('field');
    await page.getByTestId('user-grids').fill('12345');
    expect(await page.getByTestId('user-save').isDisabled()).toBe(true);
    await page.getByTestId('user-grids').fill(grid);
    await page.getByTestId('user-password').fill('New-field-pass-2026');
    await page.getByTestId('user-save').click();
    await page.locator(`[data-testid="user-row"][data-username="${username}"]`).waitFor();
    const made = await db.query<{ role: string; grids: string[] }>('SELECT role, grids::text[] AS grids FROM users WHERE username = $1', [username]);
    expect(made.rows[0]).toEqual({ role: 'field', grids: [grid] });
    await page.screenshot({ path: `${RESULTS_DIR}cases-1280x800-users.png` });

    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
    const first = page.getByTestId('audit-row').first();
    expect(await first.getAttribute('data-action')).toBe('user.create');
    expect(await first.getAttribute('data-actor')).toBe(accounts.admin!.username);
    // The dispatcher's session and accept are there too, filtered by actor.
    await page.getByTestId('audit-actor').fill(accounts.dispatcher!.username);
    await page.getByTestId('audit-apply').click();
    await expect.poll(async () => page.getByTestId('audit-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))), { timeout: 20_000 })
      .toEqual(['auth.logout', 'case.accept', 'case.report', 'case.report', 'case.report', 'auth.login']);
    await page.getByTestId('audit-row').first().click();
    await page.screenshot({ path: `${RESULTS_DIR}cases-1280x800-audit.png` });
  }, 90_000);

  it('a planner sees cases and KPIs but no administration', async () => {
    await page.getByTestId('cases-tab-list').click();
    await loginAs('planner');
    await page.getByTestId('cases-tab-kpi').waitFor();
    expect(await page.getByTestId('cases-tab-admin').count()).toBe(0);
    expect(await page.getByTestId('cases-account').textContent()).toContain('规划测试');
    // And the server agrees.
    expect(await page.evaluate(async () => (await fetch('/api/users')).status)).toBe(403);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
