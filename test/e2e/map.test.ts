// The desktop one-map in Debian Chromium (SwiftShader WebGL), against the real server over a seeded copy:
// load without errors, every layer toggles and draws, identify, search, select-by-polygon with CSV export,
// the URL round trip, the language and theme switches, and screenshots at laptop and 4K sizes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hashParam, openMap, RESULTS_DIR, waitForIdle, openPage, watchPage } from '../helpers/browser.ts';
import { startApp } from '../helpers/app.ts';
import { expectShippedFontEverywhere, expectShippedMapFont, expectShippedUiFont, woff2Bytes } from '../helpers/fonts.ts';
import { ALL_LAYER_IDS, DECK_LAYER_IDS, TILE_LAYERS } from '../../src/layers/catalog.ts';
import { COMPOSITE_SOURCE, compositeLayers } from '../../src/map/tileSources.ts';

const CENTER = { lon: 114.33, lat: 30.555 };
// Every layer at once. People and devices need an account (GET /api/personnel answers 401 to this
// anonymous page): that layer says so instead of failing.
const ALL = ALL_LAYER_IDS.join(',');

/** Same app, new state: the hash is the app's state (layers, options, selection) and MapLibre's view. */
async function setHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  const [z, lat, lon] = (/map=([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(hash) ?? []).slice(1).map(Number);
  if (z !== undefined) {
    await page.waitForFunction(([zz, la, lo]) => {
      const m = window.__map!;
      return Math.abs(m.getZoom() - zz) < 0.01 && Math.abs(m.getCenter().lat - la) < 1e-4 && Math.abs(m.getCenter().lng - lo) < 1e-4;
    }, [z, lat, lon]);
  }
  // The app applies the rest of the hash in a render of its own: wait until the layer tree shows the hash's
  // layers (a fixed pause was too short on a loaded machine), then for the map to draw what they ask for.
  const layers = new URLSearchParams(hash).get('layers');
  if (layers !== null) {
    await page.waitForFunction((want) => {
      const on = new Set(want.split(','));
      const boxes = [...document.querySelectorAll<HTMLInputElement>('input[data-testid^="layer-toggle-"]')];
      return boxes.length > 0 && boxes.every((b) => b.checked === on.has(b.dataset.testid!.slice('layer-toggle-'.length)));
    }, layers, { timeout: 30_000 });
  }
  await waitForIdle(page);
}

/** Closes whatever tool or details panel an earlier test left open. */
async function closePanels(page: Page): Promise<void> {
  if (await page.getByTestId('tool-close').count()) await page.getByTestId('tool-close').click();
  if (await page.getByTestId('details-close').count()) await page.getByTestId('details-close').click();
}

/** Moves the map and waits for the `idle` that follows: right after jumpTo, loaded() is still true. */
async function jumpTo(page: Page, zoom: number, lon = CENTER.lon, lat = CENTER.lat): Promise<void> {
  await page.evaluate(
    ([z, x, y]) =>
      new Promise<void>((resolve) => {
        const map = window.__map!;
        map.once('idle', () => resolve());
        map.jumpTo({ center: [x, y], zoom: z });
      }),
    [zoom, lon, lat] as const,
  );
}

const rendered = (page: Page) => page.evaluate(() => window.__onemap!.renderedCounts());

/** An init script: the page keeps the URLs it had fetched when its map (window.__map, once set) first went idle. */
const FIRST_IDLE_SCRIPTS = `(() => {
  let map;
  Object.defineProperty(window, '__map', {
    configurable: true,
    get: () => map,
    set: (m) => {
      map = m;
      if (m && !window.__firstIdleWatched) {
        window.__firstIdleWatched = true;
        m.once('idle', () => { window.__firstIdleScripts = performance.getEntriesByType('resource').map((e) => e.name); });
      }
    },
  });
})();`;

/** Screen position of a rendered feature of a style layer, near the middle of the map. */
async function featurePoint(page: Page, layer: string): Promise<{ x: number; y: number; props: Record<string, unknown>; id: unknown } | null> {
  return page.evaluate((layerId) => {
    const map = window.__map!;
    const canvas = map.getCanvas();
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    // Stay clear of the panels: the middle of the map only.
    const box: [[number, number], [number, number]] = [[w * 0.35, h * 0.3], [w * 0.65, h * 0.7]];
    for (const f of map.queryRenderedFeatures(box, { layers: [layerId] })) {
      const g = f.geometry;
      // A line is hit at the middle of a segment, never at a vertex that it shares with the next reach.
      let c: number[] | null = null;
      if (g.type === 'Point') c = g.coordinates;
      else if (g.type === 'LineString' && g.coordinates.length >= 2) {
        const k = Math.floor((g.coordinates.length - 1) / 2);
        const [a, b] = [g.coordinates[k], g.coordinates[k + 1]];
        c = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      }
      if (!c) continue;
      const p = map.project(c as [number, number]);
      if (p.x > box[0][0] && p.x < box[1][0] && p.y > box[0][1] && p.y < box[1][1]) {
        return { x: p.x, y: p.y, props: { ...f.properties }, id: f.id };
      }
    }
    return null;
  }, layer);
}

describe('desktop map (e2e)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    // Reduced motion: no pulsing alarms or replaying vehicles, so that software WebGL draws only when
    // something changes and the tests do not compete with an animation for the two CPU cores.
    // No CJK font on the system: every Chinese glyph must come from the font the app ships.
    ({ browser, context, page } = await openPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, reducedMotion: 'reduce' }, consoleErrors, { systemCjkFonts: false }));
    page.on('console', (m) => {
      // The browser logs the personnel layer's expected 401 (see ALL).
      if (m.type() === 'error' && !m.location().url.includes('/api/personnel')) consoleErrors.push(`console: ${m.text()}`);
    });
    await mkdir(RESULTS_DIR, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('loads with every source, no console errors, the synthetic badge and a map over Wuchang', async () => {
    await openMap(page, app.baseUrl, `map=12.5/${CENTER.lat}/${CENTER.lon}`);
    const sources = await page.evaluate(() => {
      const map = window.__map!;
      return Object.keys(map.getStyle().sources).filter((id) => !id.startsWith('onemap-')).map((id) => ({ id, loaded: map.isSourceLoaded(id) }));
    });
    // The default layers share one composite source; every other tile layer has its own.
    const composite = compositeLayers();
    expect(sources.map((s) => s.id).sort()).toEqual([COMPOSITE_SOURCE, ...TILE_LAYERS.map((m) => m.id).filter((id) => !composite.includes(id))].sort());
    expect(composite).toEqual(expect.arrayContaining(['basemap', 'pipes', 'grids']));
    // Sources of hidden layers load nothing; the visible ones must be loaded.
    for (const s of sources.filter((x) => x.id === COMPOSITE_SOURCE)) expect(s.loaded, s.id).toBe(true);
    expect(await page.evaluate(() => window.__mapErrors ?? [])).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.getByTestId('server-banner').count()).toBe(0);

    // The badge follows /api/data/layers, which may answer after the map's first idle.
    const badge = page.getByTestId('synthetic-badge');
    await badge.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await badge.isVisible()).toBe(true);
    expect(await badge.textContent()).toContain('合成数据');
    // Default layers: the basemap, pipes and grids are drawn.
    const counts = await rendered(page);
    expect(counts.pipes?.rendered ?? 0).toBeGreaterThan(0);
    expect(counts.grids?.rendered ?? 0).toBeGreaterThan(0);
    // The tree shows counts in view.
    expect(await page.getByTestId('layer-count-grids').textContent()).toMatch(/\d/);
    await page.screenshot({ path: `${RESULTS_DIR}map-1280x800.png` });
  }, 120_000);

  it('deck.gl is not fetched before the first idle: after it when a default layer needs it, on switching one on otherwise', async () => {
    // A page of its own (same browser) whose map notes the scripts fetched by its first idle.
    const p = await context.newPage();
    watchPage(p, consoleErrors);
    await p.addInitScript(FIRST_IDLE_SCRIPTS);
    const requested: string[] = [];
    p.on('request', (r) => requested.push(new URL(r.url()).pathname));
    const firstIdleScripts = async () => {
      await p.waitForFunction(() => (window as unknown as { __firstIdleScripts?: string[] }).__firstIdleScripts !== undefined, null, { timeout: 60_000 });
      return p.evaluate(() => (window as unknown as { __firstIdleScripts: string[] }).__firstIdleScripts.map((n) => new URL(n).pathname));
    };
    const isDeck = (path: string) => /\/assets\/(deckgl|DeckController)-/.test(path);
    try {
      // The default layers: the alarm pulses are deck.gl's, loaded once the first view is drawn.
      await p.goto(`${app.baseUrl}/#map=12.5/${CENTER.lat}/${CENTER.lon}`);
      const atIdle = await firstIdleScripts();
      expect(atIdle.some((n) => n.includes('/assets/maplibre-'))).toBe(true);
      expect(atIdle.filter(isDeck)).toEqual([]);
      await p.waitForFunction(() => window.__onemap?.deckReady(), null, { timeout: 60_000 });
      expect(requested.filter(isDeck).length).toBeGreaterThan(0);

      // No deck.gl layer on: none fetched, until one is switched on.
      requested.length = 0;
      await p.goto('about:blank');
      await p.goto(`${app.baseUrl}/#map=12.5/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
      expect((await firstIdleScripts()).filter(isDeck)).toEqual([]);
      await waitForIdle(p);
      expect(requested.filter(isDeck)).toEqual([]);
      expect(await p.evaluate(() => window.__onemap!.deckReady())).toBe(false);
      await p.getByTestId('layer-toggle-density').check();
      await p.waitForFunction(() => window.__onemap?.deckReady(), null, { timeout: 60_000 });
      expect(requested.filter(isDeck).length).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  }, 180_000);
  it('draws its Chinese in the font it ships, in the chrome and in the map\'s labels, with no CJK font on the system', async () => {
    await expectShippedUiFont(page, '[data-testid="app-title"]');
    await expectShippedUiFont(page, '[data-testid="synthetic-badge"]');
    await expectShippedFontEverywhere(page);
    await expectShippedMapFont(page);
    // The first view loads only the subsets its characters need (the build holds ~200 files, 6 MB); the map
    // takes the files the chrome loaded from the browser's cache.
    const fonts = await woff2Bytes(page);
    expect(fonts.files).toBeLessThan(40);
    expect(fonts.transferred).toBeLessThan(1_000_000);
  });

  it.each(TILE_LAYERS.map((m) => m.id).filter((id) => id !== 'basemap'))('tile layer %s toggles and draws features', async (id) => {
    // Near the centre at z15 every layer has some features (clusters count too).
    await setHash(page, `map=15/${CENTER.lat}/${CENTER.lon}&layers=basemap`);
    expect((await rendered(page))[id]).toBeUndefined();
    await page.getByTestId(`layer-toggle-${id}`).check();
    await waitForIdle(page);
    await expect.poll(async () => (await rendered(page))[id]?.rendered ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(hashParam(page, 'layers')?.split(',')).toContain(id);
    await page.getByTestId(`layer-toggle-${id}`).uncheck();
    await waitForIdle(page);
    expect((await rendered(page))[id]).toBeUndefined();
    expect(hashParam(page, 'layers')?.split(',')).not.toContain(id);
  }, 120_000);

  it.each([
    // [layer, zoom, extra layers]: alarms and FOV draw from their parent's tiles; FOV only from z16.
    ['alarms', 12.5, 'sensors'],
    ['fov', 16.5, 'cameras'],
    ['density', 12.5, ''],
    ['vehicles', 12.5, ''],
  ] as const)('deck.gl layer %s toggles and draws', async (id, zoom, parent) => {
    await setHash(page, `map=${zoom}/${CENTER.lat}/${CENTER.lon}&layers=basemap${parent ? `,${parent}` : ''}`);
    await page.getByTestId(`layer-toggle-${id}`).check();
    await page.waitForFunction(() => window.__onemap?.deckReady(), null, { timeout: 60_000 });
    await waitForIdle(page);
    await expect.poll(async () => (await page.evaluate(() => window.__onemap!.deckCounts()))?.[id] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    // Picking the viewport finds drawn objects of the layer: it is on the screen, not only in memory.
    await expect.poll(() => page.evaluate((l) => window.__onemap!.deckPickCount(l), id), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId(`layer-count-${id}`).textContent()).toMatch(/\d/);
    await page.getByTestId(`layer-toggle-${id}`).uncheck();
    await expect.poll(() => page.evaluate((l) => window.__onemap!.deckPickCount(l), id)).toBe(0);
  }, 120_000);

  it('every layer on at once draws without errors', async () => {
    await setHash(page, `map=14.5/30.548/114.315&layers=${ALL}`);
    await page.waitForFunction(() => window.__onemap?.deckReady(), null, { timeout: 60_000 });
    await waitForIdle(page);
    const counts = await rendered(page);
    for (const m of TILE_LAYERS.filter((x) => x.id !== 'basemap')) expect(counts[m.id]?.rendered ?? 0, m.id).toBeGreaterThan(0);
    await page.getByTestId('layer-restricted-personnel').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('layer-error-personnel').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate(() => window.__mapErrors ?? [])).toEqual([]);
    await page.screenshot({ path: `${RESULTS_DIR}map-1280x800-all-layers.png` });
  }, 180_000);

  it('identify: a click on a pipe shows its details and highlights it', async () => {
    await setHash(page, `map=17.5/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
    const hit = await featurePoint(page, 'pipes-line');
    expect(hit).not.toBeNull();
    await page.mouse.move(hit!.x, hit!.y);
    await page.getByTestId('hover-tooltip').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('hover-tooltip').textContent()).toContain(String(hit!.props.code));
    await page.mouse.click(hit!.x, hit!.y);
    const panel = page.getByTestId('details-panel');
    await panel.getByTestId('details-content').waitFor({ timeout: 20_000 });
    expect(await panel.getAttribute('data-layer')).toBe('pipes');
    expect(await panel.getByTestId('details-title').textContent()).toContain(String(hit!.props.code));
    expect(await panel.getByTestId('fact-diameter').textContent()).toContain(`DN${hit!.props.diameter_mm}`);
    expect(await panel.getByTestId('pipe-inspections').count()).toBe(1);
    expect(hashParam(page, 'sel')).toBe(`pipes:${hit!.id}`);
    // The selection is drawn (its GeoJSON goes through MapLibre's worker, which may answer after the details).
    await expect.poll(() => page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['selection-line'] }).length), { timeout: 15_000 }).toBeGreaterThan(0);
    // A related manhole opens its own details.
    await panel.getByTestId('link-manholes').first().click();
    await expect.poll(() => panel.getAttribute('data-layer')).toBe('manholes');
    await panel.getByTestId('pipes-out').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}identify-pipe.png` });
    await closePanels(page);
  }, 120_000);

  it('identify: a camera shows its online history, a sensor its observations', async () => {
    await setHash(page, `map=17/${CENTER.lat}/${CENTER.lon}&layers=basemap,cameras`);
    const cam = await featurePoint(page, 'cameras-point');
    expect(cam).not.toBeNull();
    await page.mouse.click(cam!.x, cam!.y);
    await page.getByTestId('camera-history').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('online-history').locator('rect').count()).toBeGreaterThan(0);

    // A sensor: any station, found through the search box by its place in the tiles.
    await closePanels(page);
    await setHash(page, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,sensors`);
    const sensor = await page.evaluate(() => {
      const f = window.__map!.queryRenderedFeatures({ layers: ['sensors-point'] })[0];
      return f ? { id: f.id, lon: (f.geometry as { coordinates: number[] }).coordinates[0], lat: (f.geometry as { coordinates: number[] }).coordinates[1] } : null;
    });
    expect(sensor).not.toBeNull();
    await jumpTo(page, 17, sensor!.lon, sensor!.lat);
    const p = await page.evaluate(([x, y]) => window.__map!.project([x, y]), [sensor!.lon, sensor!.lat] as const);
    await page.mouse.click(p.x, p.y);
    await page.getByTestId('datastream').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('observation-chart').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('observation-chart').first().locator('path.chart-line').count()).toBe(1);
    // A week of the stream: hourly means from the roll-ups, drawn as a line.
    const history = page.getByTestId('stream-history').first();
    await history.getByTestId('stream-period-7').click();
    await expect.poll(() => history.getAttribute('data-resolution'), { timeout: 10_000 }).toBe('hour');
    expect(await history.getByTestId('observation-chart').locator('path.chart-line').count()).toBe(1);
    await page.screenshot({ path: `${RESULTS_DIR}identify-sensor.png` });
    await closePanels(page);
  }, 120_000);

  it('search: a grid code flies to the grid and selects it', async () => {
    await setHash(page, `map=12/${CENTER.lat}/${CENTER.lon}&layers=basemap,grids,pipes`);
    const code = await page.evaluate(async () => {
      const r = await fetch('/api/search?q=420106&limit=20').then((x) => x.json());
      return (r.results as { layer: string; id: string }[]).find((x) => x.layer === 'grids')?.id;
    });
    expect(code).toMatch(/^\d{15}$/);
    await page.getByTestId('search-input').fill(code!);
    const result = page.getByTestId('search-result').filter({ hasText: code! }).first();
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-layer')).toBe('grids');
    await result.click();
    await page.waitForFunction(() => !window.__map!.isMoving() && window.__map!.getZoom() > 14, null, { timeout: 20_000 });
    await waitForIdle(page);
    // The grid is in the middle of the view, selected, with its details.
    const underCentre = await page.evaluate(() => {
      const map = window.__map!;
      const c = map.project(map.getCenter());
      return map.queryRenderedFeatures([c.x, c.y], { layers: ['grids-fill'] }).map((f) => String(f.properties.code));
    });
    expect(underCentre).toContain(code);
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('details-panel').getAttribute('data-layer')).toBe('grids');
    expect(hashParam(page, 'sel')).toBe(`grids:${code}`);
    await page.screenshot({ path: `${RESULTS_DIR}search-grid.png` });
    await closePanels(page);
  }, 120_000);

  it('select by polygon lists the features inside, and the CSV export holds them', async () => {
    await setHash(page, `map=16.5/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,manholes`);
    await page.getByTestId('tool-select-polygon').click();
    await page.getByTestId('tool-panel').waitFor();
    const map = await page.getByTestId('map').boundingBox();
    const cx = map!.x + map!.width / 2;
    const cy = map!.y + map!.height / 2;
    // In the upper part of the map: the results panel opens across the bottom.
    for (const [dx, dy] of [[-130, -230], [130, -230], [150, -40], [-120, -30]]) {
      await page.mouse.click(cx + dx, cy + dy);
      await page.waitForTimeout(400); // not a double click
    }
    await page.getByTestId('tool-finish').click();
    await page.getByTestId('selection-result').waitFor({ timeout: 30_000 });
    const total = Number((await page.getByTestId('selection-total').textContent())!.replace(/[^\d]/g, ''));
    expect(total).toBeGreaterThan(0);
    expect(await page.getByTestId('result-row').count()).toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^wuchang-selection-\d{8}-\d{6}\.csv$/);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0].split(',').slice(0, 2)).toEqual(['layer', 'id']);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(total); // every feature the server matched (well under the limit here)
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['pipes', 'manholes']));
    // The table's first row is in the file.
    const firstId = await page.getByTestId('result-row').first().locator('td').first().textContent();
    expect(rows.some((r) => r[1] === firstId)).toBe(true);

    const [geo] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-geojson').click()]);
    const fc = JSON.parse(await readFile((await geo.path())!, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(total);
    await page.screenshot({ path: `${RESULTS_DIR}select-polygon.png` });
    await page.getByTestId('tool-close').click();
    expect(await page.getByTestId('tool-panel').count()).toBe(0);
  }, 120_000);

  it('measures a distance with Turf', async () => {
    await setHash(page, `map=16/${CENTER.lat}/${CENTER.lon}&layers=basemap`);
    await page.getByTestId('tool-measure-line').click();
    await page.getByTestId('tool-panel').waitFor();
    await page.waitForFunction(() => (window as unknown as { __onemapTool?: unknown }).__onemapTool !== undefined);
    // Two points 0.01° of longitude apart at 30.555°N: about 958 m.
    await page.evaluate(() => {
      const tool = (window as unknown as { __onemapTool: { addPoint(x: number, y: number): void; finish(): void } }).__onemapTool;
      tool.addPoint(114.325, 30.555);
      tool.addPoint(114.335, 30.555);
      tool.finish();
    });
    // The panel shows the empty line's 0 m first; the points arrive in a render of their own.
    const shown = async () => Number(((await page.getByTestId('measure-length').textContent()) ?? '').replace(/[^\d.]/g, ''));
    await expect.poll(shown, { timeout: 10_000 }).toBeGreaterThan(950);
    expect(await shown()).toBeLessThan(965);
    await page.getByTestId('tool-close').click();
  }, 60_000);

  it('the URL restores the view, the layers, their opacity and options, and the selection', async () => {
    const hash = `map=15.25/30.5512/114.3187&layers=basemap,pipes,hazards,cases&op=pipes:40&pipes=sgrade`;
    await openMap(page, app.baseUrl, hash);
    const view = await page.evaluate(() => ({ z: window.__map!.getZoom(), c: window.__map!.getCenter() }));
    expect(view.z).toBeCloseTo(15.25, 2);
    expect(view.c.lat).toBeCloseTo(30.5512, 3);
    expect(view.c.lng).toBeCloseTo(114.3187, 3);
    expect(await page.getByTestId('layer-toggle-cases').isChecked()).toBe(true);
    expect(await page.getByTestId('layer-toggle-grids').isChecked()).toBe(false);
    expect(await page.evaluate(() => window.__map!.getLayoutProperty('grids-line', 'visibility'))).toBe('none');
    expect(await page.getByTestId('pipe-color-sgrade').getAttribute('aria-checked')).toBe('true');
    // Opacity 40 % reaches the style.
    expect(JSON.stringify(await page.evaluate(() => window.__map!.getPaintProperty('pipes-line', 'line-opacity')))).toContain('0.4');
    await page.getByTestId('layer-expand-pipes').click();
    expect(await page.getByTestId('layer-opacity-pipes').inputValue()).toBe('40');

    // Changing things writes them back; a reload of that URL gives the same map.
    await page.getByTestId('pipe-color-usage').click();
    await page.getByTestId('layer-toggle-manholes').check();
    await page.evaluate(() => window.__map!.jumpTo({ center: [114.34, 30.56], zoom: 14 }));
    await waitForIdle(page);
    // MapLibre writes its view into the hash at most every 300 ms: the URL has it once `map=` says so.
    await expect.poll(() => hashParam(page, 'map'), { timeout: 10_000 }).toBe('14/30.56/114.34');
    const url = page.url();
    expect(hashParam(page, 'pipes')).toBeNull();
    expect(hashParam(page, 'layers')).toContain('manholes');
    await page.goto('about:blank');
    await page.goto(url);
    await waitForIdle(page);
    expect(await page.evaluate(() => window.__map!.getZoom())).toBeCloseTo(14, 2);
    expect(await page.getByTestId('layer-toggle-manholes').isChecked()).toBe(true);
    expect(await page.getByTestId('pipe-color-usage').getAttribute('aria-checked')).toBe('true');

    // A selection in the URL opens its details.
    const pipeId = await page.evaluate(async () => (await fetch('/api/search?q=WC-YG-0001&limit=1').then((r) => r.json())).results[0]?.id);
    await openMap(page, app.baseUrl, `map=16/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes&sel=pipes:${pipeId}`);
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('details-panel').getAttribute('data-layer')).toBe('pipes');
    await closePanels(page);
  }, 180_000);

  it('switches the UI to English and back; the dark theme restyles the map (screenshots)', async () => {
    await setHash(page, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,grids,pipes,hazards,facilities,sensors,alarms`);
    const title = page.getByTestId('app-title');
    expect(await title.textContent()).toBe('武昌“一张图”');
    expect(await page.getByTestId('layer-panel').textContent()).toContain('排水管道');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => title.textContent()).toBe('Wuchang One-Map');
    expect(await page.getByTestId('layer-panel').textContent()).toContain('Drainage network');
    expect(await page.getByTestId('search-input').getAttribute('placeholder')).toMatch(/Street/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.getByTestId('theme-switch').click();
    await expect.poll(() => page.evaluate(() => window.__map!.getPaintProperty('background', 'background-color'))).toBe('#0e1726');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}map-1280x800-dark-en.png` });
    await page.getByTestId('theme-switch').click();
    await page.getByTestId('lang-switch').click(); // leave the defaults for whoever reuses the profile
    await expect.poll(() => title.textContent()).toBe('武昌“一张图”');
  }, 90_000);

  it('exports a screenshot of the map with its legend (PNG)', async () => {
    await setHash(page, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,grids,pipes,hazards,facilities,sensors,alarms`);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('tool-screenshot').click()]);
    expect(dl.suggestedFilename()).toMatch(/^wuchang-map-\d{8}-\d{6}\.png$/);
    const png = await readFile((await dl.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await dl.saveAs(`${RESULTS_DIR}map-export-1280x800.png`); // its words are drawn in the shipped font, no CJK font on the system
    // The map's full width plus the legend column; the title and footer add height.
    expect(png.readUInt32BE(16)).toBeGreaterThan(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(800);
    await dl.saveAs(`${RESULTS_DIR}export-map-with-legend.png`);
  }, 90_000);

  it('shows a retrying banner while /api/health fails, and clears it on recovery', async () => {
    await page.goto('about:blank');
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' });
    const p = await ctx.newPage();
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
    await ctx.close();
  }, 60_000);

  it('a failing details request shows an error with a retry, not an empty panel', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const p = await ctx.newPage();
    let fail = true;
    await p.route('**/api/details/**', (route) =>
      fail ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal error","message":"boom"}' }) : route.continue(),
    );
    await p.goto(`${app.baseUrl}/#map=16/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes&sel=pipes:1`);
    await p.getByTestId('details-error').waitFor({ timeout: 30_000 });
    fail = false;
    await p.getByTestId('details-error').getByRole('button').click();
    await p.getByTestId('details-content').waitFor({ timeout: 20_000 });
    await ctx.close();
  }, 90_000);

  it('deck.gl stays out of the first page until a deck layer is on', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const p = await ctx.newPage();
    const scripts: string[] = [];
    p.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await p.goto(`${app.baseUrl}/#map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
    await waitForIdle(p);
    expect(scripts.some((s) => /deckgl|DeckController/.test(s))).toBe(false);
    expect(scripts.some((s) => /ToolPanel/.test(s))).toBe(false);
    expect(DECK_LAYER_IDS.length).toBe(5);
    await ctx.close();
  }, 60_000);

  it('3D view: pipes at their depth under a see-through ground; a picked reach opens its details (screenshot)', async () => {
    await openMap(page, app.baseUrl, `map=17.2/${CENTER.lat}/${CENTER.lon}/25/60&layers=basemap,pipes,manholes&view=3d`);
    await page.waitForFunction(() => (window.__onemap!.network3d?.()?.counts().loads ?? 0) > 0, null, { timeout: 30_000 });
    await waitForIdle(page);
    const counts = await page.evaluate(() => window.__onemap!.network3d!()!.counts());
    expect(counts.reaches).toBeGreaterThan(10);
    expect(counts.manholes).toBeGreaterThan(10);
    await page.screenshot({ path: `${RESULTS_DIR}map-3d.png` });
    // A reach drawn at its depth is what a click there picks, and it opens the reach's details.
    const point = await page.evaluate(() => window.__onemap!.network3d!()!.reachPoint());
    expect(point).not.toBeNull();
    const picked = await page.evaluate(([x, y]) => window.__onemap!.network3d!()!.pick(x, y) as { kind: string; reach?: { id: number } } | null, [point!.x, point!.y]);
    expect(picked?.kind).toBe('reach');
    await page.mouse.click(point!.x, point!.y);
    const panel = page.getByTestId('details-panel');
    await panel.getByTestId('details-content').waitFor({ timeout: 20_000 });
    expect(await panel.getAttribute('data-layer')).toBe('pipes');
    expect(hashParam(page, 'sel')).toBe(`pipes:${picked!.reach!.id}`);
    // The exaggeration is a control and part of the link; the button leaves the 3D view.
    await page.getByTestId('view3d-exaggeration').selectOption('10');
    await expect.poll(() => hashParam(page, 'ex')).toBe('10');
    await page.getByTestId('view3d-toggle').click();
    await expect.poll(() => hashParam(page, 'view')).toBeNull();
    await expect.poll(() => page.evaluate(() => window.__onemap!.network3d?.() ?? null)).toBeNull();
    await closePanels(page);
  }, 120_000);

  it('printable report: an area and a trace print to A4 and A3 PDFs with their sections', async () => {
    const report = await context.newPage();
    try {
      const box = [CENTER.lon - 0.004, CENTER.lat - 0.003, CENTER.lon + 0.004, CENTER.lat + 0.003].map((v) => v.toFixed(6)).join(',');
      await report.goto(`${app.baseUrl}/report?bbox=${box}&paper=a4-portrait`);
      await report.locator('[data-testid="report"][data-ready="true"]').waitFor({ timeout: 60_000 });
      expect(await report.locator('.report-header h1').textContent()).toContain('武昌');
      expect(await report.getByTestId('report-map').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(500);
      const rows = await report.locator('[data-testid="report-condition"] tbody tr').count();
      expect(rows).toBeGreaterThan(5);
      // The checks and the profile come from other modules: each section says whether it has them.
      expect(await report.getByTestId('report-checks').getAttribute('data-state')).toMatch(/none|ready/);
      expect(await report.getByTestId('report-profile').getAttribute('data-state')).toBe('none');
      await report.screenshot({ path: `${RESULTS_DIR}report-a4.png`, fullPage: true });
      const pageBox = (pdf: Buffer) => {
        const m = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
        return { w: Number(m?.[1]), h: Number(m?.[2]), pages: (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length };
      };
      const a4 = pageBox(await report.pdf({ preferCSSPageSize: true, printBackground: true }));
      expect(a4.w).toBeCloseTo(595.3, -1);
      expect(a4.h).toBeCloseTo(841.9, -1);
      expect(a4.pages).toBeGreaterThanOrEqual(2);
      await report.getByTestId('report-paper').selectOption('a3-landscape');
      const a3 = pageBox(await report.pdf({ preferCSSPageSize: true, printBackground: true }));
      expect(a3.w).toBeCloseTo(1190.6, -1);
      expect(a3.h).toBeCloseTo(841.9, -1);
      // A trace's report: the traced reaches, and its profile section asks the profile module.
      const start = await report.evaluate(async (b) => (await (await fetch(`/api/network/3d?bbox=${b}&limit=50`)).json()).manholes[0].id as number, box);
      await report.goto(`${app.baseUrl}/report?trace=manhole:${start}&dir=downstream&paper=a4-landscape`);
      await report.locator('[data-testid="report"][data-ready="true"]').waitFor({ timeout: 60_000 });
      expect(await report.locator('[data-testid="report-condition"] tbody tr').count()).toBeGreaterThan(0);
      expect(await report.getByTestId('report-profile').getAttribute('data-state')).toMatch(/none|ready/);
      await report.screenshot({ path: `${RESULTS_DIR}report-trace-a4-landscape.png`, fullPage: true });
    } finally {
      await report.close();
    }
  }, 180_000);

  it('fits a 3840×2160 display (screenshot)', async () => {
    await page.goto('about:blank');
    const big = await context.newPage();
    try {
      await big.setViewportSize({ width: 3840, height: 2160 });
      await big.goto(`${app.baseUrl}/#map=13.5/${CENTER.lat}/${CENTER.lon}&layers=basemap,grids,pipes,hazards,facilities,sensors,alarms,cameras`);
      await waitForIdle(big, 180_000);
      // Panels sit inside the viewport and do not overlap each other.
      const boxes = await big.evaluate(() =>
        ['layer-panel', 'top-bar', 'status-bar', 'map-controls'].map((id) => {
          const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
          return { id, x: r.x, y: r.y, w: r.width, h: r.height };
        }));
      for (const b of boxes) {
        expect(b.x, b.id).toBeGreaterThanOrEqual(0);
        expect(b.x + b.w, b.id).toBeLessThanOrEqual(3840);
        expect(b.y + b.h, b.id).toBeLessThanOrEqual(2160);
      }
      // The chrome scales up with the display: the title is larger than at 1280 px.
      expect(await big.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeGreaterThan(14);
      await big.screenshot({ path: `${RESULTS_DIR}map-3840x2160.png`, timeout: 180_000 });
    } finally {
      await big.close();
    }
  }, 420_000);
});
