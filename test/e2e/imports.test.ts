// The import dialog for a registry layer in Debian Chromium, against the real server over a seeded copy: a
// planner logs in, chooses cameras, uploads a CSV with Chinese headers whose GB/T 28181 code column has a
// name the matcher does not know (国标20位码), so the platform's own asset number (设备编号) is taken for
// the code and the dry run refuses every row; the planner maps the code column in the table, the report
// turns valid, the mapping is saved as a template, the import commits and the cameras are in the API.
// Screenshots of the report with the mapping table, refused and valid, in Chinese.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../server/auth/users.ts';
import { openMap, openPage, RESULTS_DIR } from '../helpers/browser.ts';
import { startApp } from '../helpers/app.ts';

const CENTER = { lon: 114.33, lat: 30.555 };
// Two cameras (type 131 and 132) of a centre code the seed does not use: new rows, not updates.
const CAMERAS = [
  { asset: 'WC-SXJ-0901', code: '42010600001310099901', name: '中北路与公正路口（东向）', lon: 114.3312, lat: 30.5561, status: '在线' },
  { asset: 'WC-SXJ-0902', code: '42010600001320099902', name: '东湖路省博物馆门前', lon: 114.3348, lat: 30.5544, status: '离线' },
];
const CSV = ['设备编号,国标20位码,点位名称,经度,纬度,在线状态', ...CAMERAS.map((c) => [c.asset, c.code, c.name, c.lon, c.lat, c.status].join(','))].join('\r\n');

/** Scrolls the dialog's body (not the page) to show a part of it. */
const showInDialog = (page: Page, testId: string) => page.evaluate((id) => {
  const el = document.querySelector<HTMLElement>(`[data-testid="import-dialog"] [data-testid="${id}"]`)!;
  const body = el.closest<HTMLElement>('.panel-body')!;
  body.scrollTop += el.getBoundingClientRect().top - body.getBoundingClientRect().top - 8;
}, testId);

const getJson = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

describe('importing a camera ledger through the dialog (e2e)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, reducedMotion: 'reduce' }, pageErrors));
    await openMap(page, app.baseUrl, `map=14/${CENTER.lat}/${CENTER.lon}&layers=basemap,cameras`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const dialog = () => page.getByTestId('import-dialog');
  const state = () => dialog().getByTestId('layer-import').getAttribute('data-state');
  /** Waits until the dialog's layer import is in `want` (or any settled state), and says which. */
  const settled = async () => {
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="layer-import"]')?.getAttribute('data-state');
      return s && s !== 'running';
    }, null, { timeout: 60_000 });
    return state();
  };
  const fact = async (id: string) => Number((await dialog().getByTestId(id).locator('dd').textContent())!.replace(/[^\d]/g, ''));

  it('a planner chooses cameras and a CSV; the dry run refuses every row, whose code is the asset number', async () => {
    const db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    const username = `e2e-imports-${process.pid}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-long`;
    try {
      await createUser(db, { username, password, role: 'planner', display_name: '数据导入测试' });
    } finally {
      await db.end();
    }
    await page.getByTestId('tool-import').click();
    await dialog().waitFor();
    await dialog().getByTestId('login-form').waitFor({ timeout: 10_000 });
    await dialog().getByTestId('login-username').fill(username);
    await dialog().getByTestId('login-password').fill(password);
    await dialog().getByTestId('login-submit').click();
    await dialog().getByTestId('import-account').waitFor({ timeout: 10_000 });

    // Layers by their Chinese names, in loading order; the network first.
    const options = await dialog().getByTestId('import-layer').locator('option').allTextContents();
    expect(options[0]).toBe('排水管网');
    expect(options).toContain('视频监控');
    expect(options).toContain('CCTV 检测成果');
    await dialog().getByTestId('import-layer').selectOption('cameras');
    await dialog().getByTestId('import-file').setInputFiles({ name: '视频点位台账.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await dialog().getByTestId('import-start').click();
    expect(await settled(), (await dialog().textContent()) ?? '').toBe('checked');

    expect(await dialog().getByTestId('import-report').getAttribute('data-dry-run')).toBe('true');
    expect(await fact('report-read')).toBe(2);
    expect(await fact('report-rejected')).toBe(2);
    expect(await fact('report-valid')).toBe(0);
    const rejected = dialog().getByTestId('rejected-row');
    expect(await rejected.count()).toBe(2);
    expect(await rejected.first().getAttribute('data-row')).toBe('2');
    expect(await rejected.first().textContent()).toContain('WC-SXJ-0901');
    expect(await dialog().getByTestId('import-commit').isDisabled()).toBe(true);
    // The code was matched to the asset number; the GB/T 28181 column is offered, unused.
    const code = dialog().getByTestId('mapping-code');
    expect(await code.inputValue()).toBe('设备编号');
    expect(await code.locator('option').allTextContents()).toContain('国标20位码');
    expect(await dialog().getByTestId('mapping-unused').textContent()).toContain('国标20位码');
    // Read as UTF-8 detected from the bytes, positions as WGS84 by default: said in Chinese.
    expect(await dialog().getByTestId('report-encoding').textContent()).toBe('UTF-8（按内容自动识别）');
    expect(await dialog().getByTestId('report-crs').textContent()).toBe('EPSG:4326 · WGS84 经纬度（经纬度列默认）');
    await showInDialog(page, 'import-mapping');
    await page.screenshot({ path: `${RESULTS_DIR}imports-cameras-refused-zh.png` });
  }, 120_000);

  it('mapping the code column checks again: every row valid, the template saved as --mapping takes it', async () => {
    await dialog().getByTestId('mapping-code').selectOption('国标20位码');
    expect(await settled()).toBe('checked');
    await page.waitForFunction(() => document.querySelector('[data-testid="report-rejected"] dd')?.textContent?.trim() === '0', null, { timeout: 30_000 });
    expect(await fact('report-valid')).toBe(2);
    expect(await fact('report-insert')).toBe(2);
    expect(await dialog().getByTestId('rejected-row').count()).toBe(0);
    expect(await dialog().getByTestId('mapping-code').inputValue()).toBe('国标20位码');
    const how = (field: string) => dialog().locator(`[data-testid="mapping-row"][data-field="${field}"] td:last-child`).textContent();
    expect(await how('code')).toBe('人工指定');
    expect(await how('name')).toBe('列名相同');
    expect(await dialog().getByTestId('import-verdict').textContent()).toContain('检查通过');
    expect(await dialog().getByTestId('import-commit').isEnabled()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), dialog().getByTestId('mapping-save').click()]);
    expect(download.suggestedFilename()).toBe('cameras-mapping.json');
    const template = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(template).toMatchObject({ code: '国标20位码', name: '点位名称', lon: '经度', lat: '纬度', status: '在线状态', kind: null });

    await showInDialog(page, 'import-mapping');
    await page.screenshot({ path: `${RESULTS_DIR}imports-cameras-mapped-zh.png` });
    await showInDialog(page, 'import-report');
    await page.screenshot({ path: `${RESULTS_DIR}imports-cameras-report-zh.png` });
  }, 60_000);

  it('importing commits the same file with the mapping: the cameras are in the API', async () => {
    for (const c of CAMERAS) {
      const before = await getJson<{ features: unknown[] }>(page, `/api/collections/cameras/items?code=${c.code}`);
      expect(before.features).toHaveLength(0);
    }
    await dialog().getByTestId('import-commit').click();
    expect(await settled(), (await dialog().textContent()) ?? '').toBe('committed');
    expect(await dialog().getByTestId('import-report').getAttribute('data-dry-run')).toBe('false');
    expect(await fact('report-insert')).toBe(2);
    await page.screenshot({ path: `${RESULTS_DIR}imports-cameras-committed-zh.png` });
    for (const c of CAMERAS) {
      const after = await getJson<{ features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] }>(page, `/api/collections/cameras/items?code=${c.code}`);
      expect(after.features).toHaveLength(1);
      expect(after.features[0].properties).toMatchObject({ code: c.code, name: c.name, status: c.status === '在线' ? 'online' : 'offline' });
      expect(after.features[0].geometry.coordinates[0]).toBeCloseTo(c.lon, 6);
      expect(after.features[0].geometry.coordinates[1]).toBeCloseTo(c.lat, 6);
    }
    // The list of imports knows it.
    const list = await getJson<{ items: { layer: string; filename: string }[] }>(page, '/api/imports');
    expect(list.items.some((i) => i.layer === 'cameras' && i.filename === '视频点位台账.csv')).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
