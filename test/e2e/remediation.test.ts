// Issue 17's remediation loop in Debian Chromium: a planner opens a hazard found on the map, confirms it and
// raises a case (立案) from it with the catalogue item and description prefilled; the panel shows the status,
// the history and the case, and the database has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openMap, openPage, RESULTS_DIR } from '../helpers/browser.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { SESSION_COOKIE } from '../../server/auth/request-user.ts';
import { createSession, createUser } from '../../server/auth/users.ts';

describe('remediation of a hazard (e2e)', () => {
  let app: RunningApp;
  let db: pg.Client;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    const user = await createUser(db, { username: `e2e-planner-${process.pid}`, password: 'Pw-planner-2026-long', role: 'planner', display_name: '规划测试' });
    const { token } = await createSession(db, user.id, null);
    ({ browser, context, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'zh-CN' }, pageErrors));
    const { hostname } = new URL(app.baseUrl);
    await context.addCookies([{ name: SESSION_COOKIE, value: token, domain: hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
  });

  it('a planner confirms a found hazard and raises a case from it', async () => {
    const { rows: [hz] } = await db.query<{ id: number; lon: number; lat: number }>(
      `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM hazards WHERE code = 'PL' AND grid_code IS NOT NULL ORDER BY id LIMIT 1`);
    await db.query(`UPDATE hazards SET status = 'found' WHERE id = $1`, [hz.id]);
    await openMap(page, app.baseUrl, `map=17/${hz.lat}/${hz.lon}&layers=basemap,pipes,hazards&sel=hazards:${hz.id}`);
    const panel = page.getByTestId('details-panel');
    const status = panel.getByTestId('remediation-status');
    await panel.getByTestId('remediation-confirm').waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toBe('已发现');
    expect(await panel.getByTestId('remediation-raise').count()).toBe(0); // a found hazard is confirmed first

    await panel.getByTestId('remediation-confirm').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="remediation-status"]')?.getAttribute('data-status') === 'confirmed');
    expect(await status.textContent()).toBe('已确认');
    expect(await panel.getByTestId('remediation-history').textContent()).toContain('确认');

    await panel.getByTestId('remediation-raise').click();
    const form = panel.getByTestId('remediation-case-form');
    await form.waitFor();
    expect(await form.getByTestId('remediation-item').inputValue()).toBe('E0719');
    expect(await form.getByTestId('remediation-description').inputValue()).toMatch(new RegExp(`^管网隐患 #${hz.id}：破裂`));
    await page.screenshot({ path: `${RESULTS_DIR}i17-remediation-raise.png` });
    await form.getByTestId('remediation-raise-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="remediation-status"]')?.getAttribute('data-status') === 'in_repair');
    expect(await status.textContent()).toBe('整改中');
    const { rows: [c] } = await db.query(`SELECT case_no, item_code, status FROM cases WHERE hazard_id = $1`, [hz.id]);
    expect(c).toMatchObject({ item_code: 'E0719', status: 'reported' });
    expect(await panel.getByTestId('remediation-cases').textContent()).toContain(c.case_no);
    expect(await panel.getByTestId('remediation-history').textContent()).toContain(`案件 ${c.case_no}`);
    await page.screenshot({ path: `${RESULTS_DIR}i17-remediation-raised.png` });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
