// A district started clean, in Debian Chromium against the real server over a database with the migrations
// only: no synthetic badge; the layer tree says "尚未加载" for every layer to a visitor, and "未导入 — 导入" to an
// admin, which opens the import dialog for that layer; the wall's panels say which data is not loaded; an
// admin imports a vehicle ledger from the dialog, the hint goes, and the data page (系统管理 → 数据) lists the
// layers with their rows, the import (file, who) and downloads, and removes the import. Screenshots go to
// test-results/ (look at them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { createUser } from '../../server/auth/users.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { openPage, RESULTS_DIR, waitForIdle } from '../helpers/browser.ts';

describe('a district started clean: empty states and the data page (e2e)', () => {
  let app: RunningApp;
  let db: pg.Client;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const admin = { username: `e2e-data-admin-${process.pid}`, password: 'Pw-admin-2026-long' };

  beforeAll(async () => {
    app = await startApp({}, true);
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    await createUser(db, { ...admin, role: 'admin', display_name: '数据管理员' });
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'zh-CN' }, problems));
    page.on('dialog', (d) => void d.accept());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
  });

  it('a visitor: no synthetic badge, every layer "尚未加载"', async () => {
    await page.goto(`${app.baseUrl}/#map=13/30.555/114.33&layers=basemap,grids,pipes,cameras,cases`);
    await waitForIdle(page);
    await page.getByTestId('layer-missing-grids').waitFor();
    expect(await page.getByTestId('synthetic-badge').count()).toBe(0);
    expect(await page.getByTestId('layer-missing-grids').textContent()).toBe('尚未加载');
    expect(await page.getByTestId('layer-missing-cases').textContent()).toBe('尚未加载');
    expect(await page.locator('button[data-testid^="layer-missing-"]').count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}data-empty-visitor-1280x800.png` });
  }, 90_000);

  it('the wall says which data is not loaded', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${app.baseUrl}/wall`);
    await page.getByTestId('panel-cameras-missing').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('panel-cameras-missing').textContent()).toBe('未加载视频监控、单元网格');
    expect(await page.getByTestId('panel-cases-missing').textContent()).toBe('未加载城管案件');
    expect(await page.getByTestId('synthetic-badge').count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}data-empty-wall-1920x1080.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);

  it('an admin: "未导入 — 导入" opens the layer\'s import; a vehicle ledger imported, the hint goes', async () => {
    await page.goto(`${app.baseUrl}/#map=13/30.555/114.33&layers=basemap,grids,vehicles`);
    await waitForIdle(page);
    await page.getByTestId('tool-cases').click();
    const form = page.getByTestId('cases-panel').getByTestId('login-form');
    await form.getByTestId('login-username').fill(admin.username);
    await form.getByTestId('login-password').fill(admin.password);
    await form.getByTestId('login-submit').click();
    await page.getByTestId('cases-account').waitFor();
    // The tree asks who is logged in when the page opens.
    await page.reload();
    await waitForIdle(page);
    const hint = page.getByTestId('layer-missing-vehicles');
    await hint.waitFor();
    // The hint shows from /api/data/layers; it becomes a button once /api/auth/me says who may import, which
    // may answer second.
    await expect.poll(() => hint.evaluate((e) => e.tagName), { timeout: 20_000 }).toBe('BUTTON');
    expect(await hint.textContent()).toBe('未导入 — 导入');
    await page.screenshot({ path: `${RESULTS_DIR}data-empty-admin-1280x800.png` });
    await hint.click();
    const dialog = page.getByTestId('import-dialog');
    // The import dialog opens on the layer the hint named: dry run, then commit.
    await dialog.getByTestId('layer-import').waitFor();
    expect(await dialog.getByTestId('import-layer').inputValue()).toBe('vehicles');
    await dialog.getByTestId('import-file').setInputFiles({ name: 'fleet.csv', mimeType: 'text/csv', buffer: Buffer.from('车牌号,车辆类型,状态\n鄂AE0001,巡查车,空闲\n鄂AE0002,吸污车,作业中\n') });
    await dialog.getByTestId('import-start').click();
    const state = () => dialog.getByTestId('layer-import').getAttribute('data-state');
    await expect.poll(state, { timeout: 30_000 }).toBe('checked');
    expect(await dialog.getByTestId('import-report').getAttribute('data-dry-run')).toBe('true');
    await dialog.getByTestId('import-commit').click();
    await expect.poll(state, { timeout: 30_000 }).toBe('committed');
    await page.screenshot({ path: `${RESULTS_DIR}data-import-vehicles-1280x800.png` });
    await dialog.getByTestId('import-close').click();
    await page.getByTestId('layer-missing-vehicles').waitFor({ state: 'detached' });
    expect(await page.getByTestId('layer-missing-grids').count()).toBe(1);
  }, 120_000);

  it('the data page: rows, source, downloads; removing the import', async () => {
    await page.getByTestId('tool-cases').click();
    await page.getByTestId('cases-tab-admin').click();
    await page.getByTestId('admin-tab-data').click();
    const row = page.getByTestId('data-row-vehicles');
    await row.waitFor();
    expect(await row.getAttribute('data-rows')).toBe('2');
    expect(await page.getByTestId('data-row-grids').getAttribute('data-rows')).toBe('0');
    const id = (await db.query<{ id: number }>(`SELECT id FROM imports WHERE layer = 'vehicles'`)).rows[0].id;
    const imp = page.getByTestId(`data-import-${id}`);
    expect(await imp.textContent()).toContain('fleet.csv');
    expect(await imp.textContent()).toContain(admin.username);
    expect(await page.getByTestId('download-vehicles-gpkg').getAttribute('href')).toBe('/api/data/layers/vehicles/download?format=gpkg');
    expect(await page.getByTestId('download-grids-gpkg').count()).toBe(0);
    const file = await page.evaluate(async () => (await fetch('/api/data/layers/vehicles/download?format=csv')).text());
    expect(file.trim().split('\r\n')).toHaveLength(3);
    await imp.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${RESULTS_DIR}data-page-admin-1280x800.png` });
    await page.getByTestId(`data-remove-${id}`).click();
    await page.getByTestId('data-notice').waitFor();
    expect(await page.getByTestId('data-notice').textContent()).toMatch(/删除 2 行/);
    await page.waitForFunction(() => document.querySelector('[data-testid="data-row-vehicles"]')?.getAttribute('data-rows') === '0');
    expect((await db.query(`SELECT count(*)::int AS n FROM vehicles`)).rows[0].n).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}data-page-removed-1280x800.png` });
    expect(problems).toEqual([]);
  }, 90_000);
});
