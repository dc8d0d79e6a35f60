import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp } from '../helpers/app.ts';
import { LAYER_GROUPS } from '../../src/layers/index.ts';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  // No GPU in CI: WebGL through SwiftShader, which Chromium only allows when asked explicitly.
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
];
const ALL_LAYERS = LAYER_GROUPS.map((g) => g.id);
const WUCHANG = '30.555/114.33';
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Resolves once the map has rendered everything it asked for (the `idle` event). */
async function waitForIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__map !== undefined, null, { timeout: 30_000 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__map!;
        if (map.loaded() && !map.isMoving()) resolve();
        else map.once('idle', () => resolve());
      }),
  );
}

/** Moves the map and waits for the `idle` that follows: right after jumpTo, loaded() is still true. */
async function jumpTo(page: Page, zoom: number): Promise<void> {
  await page.evaluate(
    (z) =>
      new Promise<void>((resolve) => {
        const map = window.__map!;
        map.once('idle', () => resolve());
        map.jumpTo({ center: [114.33, 30.555], zoom: z });
      }),
    zoom,
  );
}

function hashParam(page: Page, name: string): string | null {
  return new URLSearchParams(new URL(page.url()).hash.slice(1)).get(name);
}

describe('map page (e2e)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('loads the map and tiles of every source without errors', async () => {
    await page.goto(`${app.baseUrl}/#map=13/${WUCHANG}&layers=${ALL_LAYERS.join(',')}`);
    await waitForIdle(page);

    const sources = await page.evaluate(() => {
      const map = window.__map!;
      return Object.keys(map.getStyle().sources).map((id) => ({ id, loaded: map.isSourceLoaded(id) }));
    });
    expect(sources.map((s) => s.id).sort()).toEqual([...ALL_LAYERS].sort());
    for (const s of sources) expect(s, `source ${s.id}`).toEqual({ id: s.id, loaded: true });

    // isSourceLoaded also counts errored tiles as "loaded"; the app records every map error.
    expect(await page.evaluate(() => window.__mapErrors ?? [])).toEqual([]);
    expect(await page.getByTestId('server-banner').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('renders features from the pipes, grids and basemap sources', async () => {
    await jumpTo(page, 15);
    const bySource = await page.evaluate(() => {
      const counts: Record<string, number> = {};
      for (const f of window.__map!.queryRenderedFeatures()) counts[f.source] = (counts[f.source] ?? 0) + 1;
      return counts;
    });
    expect(bySource.pipes ?? 0).toBeGreaterThan(0);
    expect(bySource.grids ?? 0).toBeGreaterThan(0);
    expect(bySource.basemap ?? 0).toBeGreaterThan(0);

    // At z15 pipes are raw reaches with a usage, not aggregates.
    const usages = await page.evaluate(() =>
      [...new Set(window.__map!.queryRenderedFeatures({ layers: ['pipes-line'] }).map((f) => f.properties.usage))],
    );
    expect(usages.length).toBeGreaterThan(0);
    for (const u of usages) expect(['rain', 'sewage', 'combined']).toContain(u);
  }, 90_000);

  it('shows the synthetic-data badge and a map over Wuchang (screenshot)', async () => {
    await page.goto('about:blank'); // a hash-only change would not reload the app
    await page.goto(`${app.baseUrl}/#map=13/${WUCHANG}`); // no layers= : the default set
    await waitForIdle(page);

    const badge = page.getByTestId('synthetic-badge');
    expect(await badge.isVisible()).toBe(true);
    expect(await badge.textContent()).toContain('合成数据');

    await mkdir(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: `${RESULTS_DIR}map.png` });
  }, 90_000);

  it('hides a layer from the panel and keeps that in a shareable URL', async () => {
    const toggle = page.getByTestId('layer-toggle-pipes');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();

    const visibility = () => page.evaluate(() => window.__map!.getLayoutProperty('pipes-line', 'visibility'));
    expect(await visibility()).toBe('none');
    expect(hashParam(page, 'layers')?.split(',')).not.toContain('pipes');
    expect(hashParam(page, 'layers')?.split(',')).toContain('basemap');
    expect(hashParam(page, 'map')).toMatch(/^13\/30\.55\d*\/114\.33\d*$/);

    // The same link reopens the map with the layer still off.
    await page.reload();
    await waitForIdle(page);
    expect(await page.getByTestId('layer-toggle-pipes').isChecked()).toBe(false);
    expect(await visibility()).toBe('none');

    await page.getByTestId('layer-toggle-pipes').check();
    expect(await visibility()).toBe('visible');
    expect(hashParam(page, 'layers')?.split(',')).toContain('pipes');
  }, 90_000);

  it('switches the UI to English', async () => {
    const badge = page.getByTestId('synthetic-badge');
    const zhText = await badge.textContent();
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => badge.textContent()).not.toBe(zhText);
    expect(await badge.textContent()).toMatch(/Synthetic data/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.getByTestId('lang-switch').click(); // leave the default for whoever reuses the profile
    await expect.poll(() => badge.textContent()).toBe(zhText);
  }, 30_000);

  it('shows a retrying banner while /api/health fails, and clears it on recovery', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const p = await context.newPage();
    let healthy = false;
    await p.route('**/api/health', (route) =>
      healthy ? route.continue() : route.fulfill({ status: 503, contentType: 'application/json', body: '{"status":"down"}' }),
    );
    await p.goto(`${app.baseUrl}/`);
    const banner = p.getByTestId('server-banner');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await banner.textContent()).toContain('服务器不可用');
    expect(await p.getByTestId('map').isVisible()).toBe(true); // never a blank page

    healthy = true;
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await context.close();
  }, 60_000);
});
