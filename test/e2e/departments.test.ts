// Departments end to end in Debian Chromium: a dispatcher on the desktop (1280×800) dispatches a registered
// street-vending case to the department suggested first (the street's 综合执法中队, with why); the
// departments tab lists the units with their KPIs; on a phone (390×844) that department's handler sees the
// case in the field app's queue, starts it and reports it handled with a photo; another department's handler
// does not see it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import pg from 'pg';
import { RESULTS_DIR, openPage, waitForIdle } from '../helpers/browser.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { createUser } from '../../server/auth/users.ts';

// The smallest valid PNG (1×1), as a phone camera's picture would arrive in the file input.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('dispatch to a department, and its queue in the field app (e2e)', () => {
  let app: RunningApp;
  let db: pg.Client;
  const browsers: Browser[] = [];
  const pageErrors: string[] = [];
  let spot: { grid: string; street: string; lon: number; lat: number };
  let caseId: number;
  const pw = (role: string) => `Pw-${role}-2026-long`;
  const user = (role: string) => `dept-e2e-${role}-${process.pid}`;

  const api = async (path: string, role: string, body: unknown) => {
    const login = await fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user(role), password: pw(role) }) });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, path).toBeLessThan(300);
    return res.json() as Promise<{ id: number }>;
  };

  async function login(page: Page, scope: Page | ReturnType<Page['getByTestId']>, role: string) {
    await scope.getByTestId('login-username').fill(user(role));
    await scope.getByTestId('login-password').fill(pw(role));
    await scope.getByTestId('login-submit').click();
  }

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    const { rows: [g] } = await db.query<{ grid: string; street: string; lon: number; lat: number }>(`
      SELECT trim(g.code) AS grid, left(g.code, 9) AS street, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM grids g, ST_PointOnSurface(g.geom) p ORDER BY ST_Distance(p, ST_SetSRID(ST_MakePoint(114.31, 30.55), 4326)) LIMIT 1`);
    spot = g;
    await createUser(db, { username: user('dispatcher'), password: pw('dispatcher'), role: 'dispatcher', display_name: '派遣测试' });
    await createUser(db, { username: user('field'), password: pw('field'), role: 'field', grids: [spot.grid], display_name: '监督员测试' });
    await createUser(db, { username: user('handler'), password: pw('handler'), role: 'handler', department_code: `ZD-${spot.street}`, display_name: '中队处置测试' });
    await createUser(db, { username: user('other'), password: pw('other'), role: 'handler', department_code: 'SWJ', display_name: '水务处置测试' });
    // A street-vending report, accepted, verified on site and registered: ready to dispatch.
    caseId = (await api('/api/cases', 'dispatcher', { item_code: 'E0602', lon: spot.lon, lat: spot.lat, description: '店外经营占道（派遣测试）' })).id;
    await api(`/api/cases/${caseId}/actions/accept`, 'dispatcher', {});
    await api(`/api/cases/${caseId}/actions/verify`, 'field', {});
    await api(`/api/cases/${caseId}/actions/register`, 'dispatcher', {});
  }, 180_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await db?.end();
    await app?.stop();
  });

  it('the dispatcher dispatches to the department suggested first, and sees the departments with their KPIs', async () => {
    const { browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'zh-CN' }, pageErrors);
    browsers.push(browser);
    await page.goto(`${app.baseUrl}/#map=13/30.555/114.33&layers=basemap,grids,cases`);
    await waitForIdle(page);
    await page.getByTestId('tool-cases').click();
    const panel = page.getByTestId('cases-panel');
    await panel.getByTestId('login-form').waitFor();
    await login(page, panel, 'dispatcher');
    await page.getByTestId('cases-account').waitFor();
    await page.getByTestId('case-filter-status').selectOption('registered');
    const row = page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const detail = page.getByTestId('case-detail');
    await detail.getByTestId('action-dispatch').click();
    const squad = `ZD-${spot.street}`;
    const first = detail.getByTestId(`dept-option-${squad}`);
    await first.waitFor();
    // Suggested first, chosen by default, with why: it handles street vending (E06) in this street.
    expect(await detail.locator('[data-testid^="dept-option-"]').first().getAttribute('data-testid')).toBe(`dept-option-${squad}`);
    expect(await first.getByTestId('dept-suggested').count()).toBe(1);
    expect(await first.locator('input').isChecked()).toBe(true);
    expect(await first.textContent()).toMatch(/综合执法中队.*负责该大类 E06 · 本街道/);
    expect(await detail.getByTestId('dept-option-CGZF').count()).toBe(1);
    await page.screenshot({ path: `${RESULTS_DIR}departments-1280-dispatch.png` });
    await detail.getByTestId('step-submit').click();
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: 20_000 }).toBe('dispatched');
    expect((await db.query('SELECT department_code FROM cases WHERE id = $1', [caseId])).rows[0].department_code).toBe(squad);
    expect(await detail.getByTestId('case-department').textContent()).toMatch(/综合执法中队$/);

    await page.getByTestId('cases-tab-depts').click();
    const table = page.getByTestId('departments-table');
    await table.waitFor();
    const squadRow = table.locator(`[data-testid="department-row"][data-code="${squad}"]`);
    await squadRow.waitFor();
    expect(Number(await squadRow.locator('td').nth(2).textContent())).toBeGreaterThanOrEqual(1); // its dispatches include ours
    expect(await table.locator('[data-testid="department-row"]').count()).toBeGreaterThan(13);
    await page.screenshot({ path: `${RESULTS_DIR}departments-1280-kpis.png` });
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('the department\'s handler sees it in the field app\'s queue and handles it; another department\'s does not see it', async () => {
    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', reducedMotion: 'reduce' as const };
    const other = await openPage(phone, pageErrors);
    browsers.push(other.browser);
    await other.page.goto(`${app.baseUrl}/field`);
    await other.page.getByTestId('field-login').waitFor();
    await login(other.page, other.page, 'other');
    await other.page.getByTestId('field-tab-cases').tap();
    await other.page.getByTestId('field-queue-title').waitFor({ timeout: 20_000 });
    expect(await other.page.getByTestId('field-queue-title').textContent()).toContain('区水务和湖泊局');
    expect(await other.page.locator(`[data-testid="field-case-row"][data-case-id="${caseId}"]`).count()).toBe(0);

    const { browser, page } = await openPage(phone, pageErrors);
    browsers.push(browser);
    await page.goto(`${app.baseUrl}/field`);
    await page.getByTestId('field-login').waitFor();
    await login(page, page, 'handler');
    await page.getByTestId('field-app').waitFor();
    // A handler does not report: the bar has nearby and the unit's queue.
    expect(await page.getByTestId('field-tab-report').count()).toBe(0);
    expect(await page.getByTestId('field-tab-cases').textContent()).toContain('本单位待办');
    await page.getByTestId('field-tab-cases').tap();
    await expect.poll(() => page.getByTestId('field-queue-title').textContent(), { timeout: 20_000 }).toMatch(/综合执法中队 · 待办案件/);
    const row = page.locator(`[data-testid="field-case-row"][data-case-id="${caseId}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-status')).toBe('dispatched');
    await page.screenshot({ path: `${RESULTS_DIR}departments-390-queue.png` });

    await row.tap();
    await page.getByTestId('action-start').tap();
    await expect.poll(async () => (await db.query('SELECT status FROM cases WHERE id = $1', [caseId])).rows[0].status, { timeout: 20_000 }).toBe('in_progress');
    // Handling needs a result photo: the form will not send without one.
    await expect.poll(() => page.getByTestId('action-handle').count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('action-handle').tap();
    expect(await page.getByTestId('step-submit').isDisabled()).toBe(true);
    await page.getByTestId('step-photo-input').setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('step-photo-picker').locator('img').waitFor();
    await page.getByTestId('step-note').fill('已清理');
    await page.getByTestId('step-submit').tap();
    await expect.poll(async () => (await db.query('SELECT status FROM cases WHERE id = $1', [caseId])).rows[0].status, { timeout: 20_000 }).toBe('handled');
    const [t] = (await db.query(`SELECT actor FROM case_transitions WHERE case_id = $1 AND to_status = 'handled'`, [caseId])).rows;
    expect(t.actor).toBe(user('handler'));
    await page.screenshot({ path: `${RESULTS_DIR}departments-390-handled.png` });
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
