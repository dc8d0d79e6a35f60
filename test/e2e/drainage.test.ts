// The planner's drainage analysis in Debian Chromium, against the real server over a seeded copy: the
// hazard ranking (order, filters, a row flies to its reach and selects it), the per-street summary with
// its drill-down, a downstream trace (highlight, what it reaches, downloads), a misconnection traced to
// its outfall, the grade legend, and a (generated) town survey imported through the dialog. Screenshots in both languages.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import { type Browser, type Page } from 'playwright-core';
import { hashParam, openMap, RESULTS_DIR, waitForIdle, openPage } from '../helpers/browser.ts';
import pg from 'pg';
import { startApp } from '../helpers/app.ts';
import { createUser } from '../../server/auth/users.ts';
import { gradeColors } from '../../src/map/palette.ts';
import { bradfordLike } from '../helpers/bradford-like.ts';
import type { DrainageSummary, ReachPage, TraceResult } from '../../src/api/types.ts';

// A small town sewer survey (GeoJSON lines without node ids, US GIS attribute names) to import through the dialog.
const TOWN = bradfordLike({ trunks: 2, reaches: 5, branches: 2 });
const TOWN_FILE = 'town-sewer-lines.geojson';
const CENTER = { lon: 114.33, lat: 30.555 };

const getJson = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

/** The ranking's rows as the table shows them (data attributes written from the API's answer). */
async function rankingRows(page: Page) {
  return page.getByTestId('reach-row').evaluateAll((rows) =>
    rows.map((r) => {
      const d = (r as HTMLElement).dataset;
      return {
        id: Number(d.pipeId), ri: Number(d.ri), mi: Number(d.mi), street: d.street!, community: d.community!,
        diameter: Number(d.diameter), codes: d.codes ? d.codes.split(',') : [], code: r.querySelector('td.code')?.textContent ?? '',
      };
    }));
}

/** Waits for the ranking to finish a load that follows an action (its state leaves and returns to ready). */
async function rankingSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="ranking-view"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 });
}

const rangeTotal = async (page: Page) => Number((await page.getByTestId('pager-range').textContent())!.replace(/.*(共|of)\s*/, '').replace(/[^\d]/g, ''));

const nonIncreasing = (xs: number[]) => xs.every((v, k) => k === 0 || v <= xs[k - 1] + 1e-9);

describe('drainage analysis (e2e)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, reducedMotion: 'reduce' }, pageErrors));
    await openMap(page, app.baseUrl, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,facilities`);
    // Scores are computed by the server's worker after start: wait until the ranking has its reaches.
    const until = Date.now() + 120_000;
    while ((await getJson<ReachPage>(page, '/api/drainage/reaches?limit=1')).total < 100) {
      if (Date.now() > until) throw new Error('the ranking stayed empty: were the CJJ 181 scores computed?');
      await page.waitForTimeout(1000);
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the ranking lists inspected reaches by RI, highest first, with grade colours; MI re-ranks them', async () => {
    await page.getByTestId('tool-analysis').click();
    await page.getByTestId('analysis-panel').waitFor();
    await page.getByTestId('reach-row').first().waitFor({ timeout: 30_000 });
    await rankingSettled(page);
    const rows = await rankingRows(page);
    const api = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=50&offset=0');
    expect(rows.length).toBe(api.items.length);
    expect(rows.length).toBeGreaterThan(10);
    expect(nonIncreasing(rows.map((r) => r.ri))).toBe(true);
    expect(rows[0].ri).toBeGreaterThan(rows[rows.length - 1].ri); // not all equal: the order means something
    expect(rows.map((r) => r.id)).toEqual(api.items.map((r) => r.pipe_id));
    expect(await rangeTotal(page)).toBe(api.total);
    // The first row's badge is its RI grade, in the map's grade colour.
    const badge = page.getByTestId('reach-index').first();
    expect(Number(await badge.getAttribute('data-grade'))).toBe(api.items[0].ri_grade);
    const bg = await badge.locator('.grade-badge').evaluate((el) => getComputedStyle(el).backgroundColor);
    const hex = gradeColors[api.items[0].ri_grade! - 1];
    expect(bg).toBe(`rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`);
    // The advice is the API's, in the UI language.
    expect(await page.getByTestId('reach-row').first().locator('td.advice').textContent()).toBe(api.items[0].sadvice?.zh ?? '—');

    // The next page continues the order.
    await page.getByTestId('pager-next').click();
    await expect.poll(async () => (await rankingRows(page))[0]?.id).not.toBe(rows[0].id);
    await rankingSettled(page);
    const page2 = await rankingRows(page);
    expect(page2[0].ri).toBeLessThanOrEqual(rows[rows.length - 1].ri);
    expect(page2.some((r) => rows.some((x) => x.id === r.id))).toBe(false);

    await page.getByTestId('sort-mi').click();
    const byMi = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=mi&limit=50&offset=0');
    await expect.poll(async () => (await rankingRows(page)).map((r) => r.id).join(), { timeout: 20_000 }).toBe(byMi.items.map((r) => r.pipe_id).join());
    expect(await page.getByTestId('pager-range').textContent()).toMatch(/^第 1–/);
    const mi = await rankingRows(page);
    expect(nonIncreasing(mi.map((r) => r.mi))).toBe(true);
    expect(mi[0].mi).toBeGreaterThan(mi[mi.length - 1].mi);
    await page.screenshot({ path: `${RESULTS_DIR}drainage-ranking-mi.png` });
    await page.getByTestId('sort-ri').click();
    await rankingSettled(page);
  }, 120_000);

  it('filters narrow the ranking: street, then community, defect code, grade and diameter', async () => {
    await rankingSettled(page);
    const all = await rangeTotal(page);
    const first = (await rankingRows(page))[0];
    expect(first.street).toMatch(/^\d{9}$/);

    await page.getByTestId('filter-street').selectOption(first.street);
    await expect.poll(() => rangeTotal(page), { timeout: 20_000 }).toBeLessThan(all);
    await rankingSettled(page);
    const byStreet = await rangeTotal(page);
    expect(byStreet).toBeGreaterThan(0);
    const streetRows = await rankingRows(page);
    expect(streetRows.every((r) => r.street === first.street)).toBe(true);
    expect(nonIncreasing(streetRows.map((r) => r.ri))).toBe(true);

    // Communities follow the street.
    expect(await page.getByTestId('filter-community').isEnabled()).toBe(true);
    const communities = await page.getByTestId('filter-community').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter(Boolean));
    expect(communities.length).toBeGreaterThan(0);
    expect(communities.every((c) => c.startsWith(first.street))).toBe(true);
    await page.getByTestId('filter-community').selectOption(first.community);
    await expect.poll(() => rangeTotal(page), { timeout: 20_000 }).toBeLessThanOrEqual(byStreet);
    await rankingSettled(page);
    expect((await rankingRows(page)).every((r) => r.community === first.community)).toBe(true);

    // Back to the whole district, then a defect code: every row has it.
    await page.getByTestId('filter-reset').click();
    await expect.poll(() => rangeTotal(page), { timeout: 20_000 }).toBe(all);
    const code = first.codes[0];
    await page.getByTestId('filter-code').selectOption(code);
    await expect.poll(() => rangeTotal(page), { timeout: 20_000 }).toBeLessThan(all);
    await rankingSettled(page);
    expect((await rankingRows(page)).every((r) => r.codes.includes(code))).toBe(true);

    // Structural grade Ⅳ and a diameter range.
    await page.getByTestId('filter-code').selectOption('');
    await page.getByTestId('filter-sgrade').selectOption('4');
    await rankingSettled(page);
    await expect.poll(async () => (await page.getByTestId('reach-row').evaluateAll((r) => r.map((x) => (x as HTMLElement).dataset.sgrade))).every((g) => g === '4')).toBe(true);
    await page.getByTestId('filter-sgrade').selectOption('');
    await page.getByTestId('filter-dmin').fill('800');
    await page.getByTestId('filter-dmax').fill('1200');
    await page.getByTestId('filter-dmax').press('Enter');
    await expect.poll(async () => (await rankingRows(page)).every((r) => r.diameter >= 800 && r.diameter <= 1200), { timeout: 20_000 }).toBe(true);
    await rankingSettled(page);
    const api = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&diameter_min=800&diameter_max=1200&limit=1');
    expect(await rangeTotal(page)).toBe(api.total);
    await page.getByTestId('filter-reset').click();
    await expect.poll(() => rangeTotal(page), { timeout: 20_000 }).toBe(all);
  }, 120_000);

  it('a click on a row flies to the reach and opens its details like a map click', async () => {
    await rankingSettled(page);
    const row = (await rankingRows(page))[3];
    await page.getByTestId('reach-row').nth(3).click();
    const panel = page.getByTestId('details-panel');
    await panel.getByTestId('details-content').waitFor({ timeout: 20_000 });
    expect(await panel.getAttribute('data-layer')).toBe('pipes');
    expect(await panel.getByTestId('details-title').textContent()).toContain(row.code);
    expect(hashParam(page, 'sel')).toBe(`pipes:${row.id}`);
    expect(await page.getByTestId('reach-row').nth(3).getAttribute('class')).toContain('selected');
    // Its CJJ 181 assessment in the details is the one the ranking ranked it by.
    expect(await panel.getByTestId('condition-ri').textContent()).toContain(row.ri.toFixed(2));
    // The reach is drawn as the selection, in the part of the map no panel covers. Its geometry comes with the
    // details and reaches the map in an effect after they render, then through MapLibre's worker.
    await expect.poll(() => page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['selection-line'] }).length), { timeout: 15_000 }).toBeGreaterThan(0);
    await waitForIdle(page);
    const api = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=50');
    const center = api.items.find((r) => r.pipe_id === row.id)!.center;
    const p = await page.evaluate((c) => window.__map!.project(c as [number, number]), center);
    const dock = await page.getByTestId('analysis-panel').boundingBox();
    const details = await panel.boundingBox();
    const tree = await page.getByTestId('layer-panel').boundingBox();
    expect(p.y).toBeLessThan(dock!.y);
    expect(p.y).toBeGreaterThan(50);
    expect(p.x).toBeLessThan(details!.x);
    expect(p.x).toBeGreaterThan(tree!.x + tree!.width);
    expect(await page.evaluate(() => window.__map!.getZoom())).toBeGreaterThan(15);
    await page.screenshot({ path: `${RESULTS_DIR}drainage-ranking-zh.png` });
    await page.getByTestId('details-close').click();
  }, 120_000);

  it('the summary lists every street and drills down into its communities', async () => {
    await page.getByTestId('analysis-tab-summary').click();
    await page.getByTestId('summary-row').first().waitFor({ timeout: 30_000 });
    const api = await getJson<DrainageSummary>(page, '/api/drainage/summary?by=street');
    const codes = await page.getByTestId('summary-row').evaluateAll((r) => r.map((x) => (x as HTMLElement).dataset.code));
    expect(codes).toEqual(api.rows.map((r) => r.code));
    expect(codes.length).toBeGreaterThanOrEqual(10);
    // One bar per street in the chart, stacked from the grades (Ⅰ–Ⅳ and not inspected).
    expect(await page.getByTestId('summary-chart').getByTestId('chart-row').count()).toBe(api.rows.length);
    expect(await page.getByTestId('summary-chart').locator('rect[fill]').count()).toBeGreaterThan(api.rows.length);
    const totalKm = api.rows.reduce((s, r) => s + r.km.total, 0);
    expect(Math.abs(totalKm - api.total.km.total)).toBeLessThan(0.5);
    expect(await page.getByTestId('summary-total').textContent()).toContain(String(api.total.hazards.total));

    // The street with the most pipe: its communities.
    const street = [...api.rows].sort((a, b) => b.km.total - a.km.total)[0];
    await page.locator(`[data-testid="summary-row"][data-code="${street.code}"]`).click();
    await expect.poll(() => page.getByTestId('summary-view').getAttribute('data-level')).toBe('community');
    await page.waitForFunction(() => document.querySelector('[data-testid="summary-view"]')?.getAttribute('data-state') === 'ready');
    expect(await page.getByTestId('summary-breadcrumb').textContent()).toContain(street.name);
    const rows = await page.getByTestId('summary-row').evaluateAll((r) => r.map((x) => ({ code: (x as HTMLElement).dataset.code!, km: Number((x as HTMLElement).dataset.km) })));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.code.startsWith(street.code) && r.code.length === 12)).toBe(true);
    const sum = rows.reduce((s, r) => s + r.km, 0);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(street.km.total + 0.5);

    // Misconnections by kind and status.
    await page.getByTestId('measure-misconnections').click();
    const head = await page.getByTestId('summary-table').locator('thead').textContent();
    for (const word of ['污水混入雨水', '雨水混入污水', '已发现', '已确认', '已整改']) expect(head).toContain(word);
    await page.screenshot({ path: `${RESULTS_DIR}drainage-summary-zh.png` });
    await page.getByTestId('summary-back').click();
    await expect.poll(() => page.getByTestId('summary-view').getAttribute('data-level')).toBe('street');
    await page.getByTestId('measure-sgrade').click();
    await page.getByTestId('analysis-tab-ranking').click();
  }, 120_000);

  it('traces downstream from a pipe: the reaches light up, the map fits them, the panel lists the outfall', async () => {
    // A ranked reach whose downstream trace ends at a facility (an outfall, pumping station or plant).
    const ranked = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=40');
    let pipe: number | null = null;
    let expected: TraceResult | null = null;
    for (const r of ranked.items) {
      const t = await getJson<TraceResult>(page, `/api/trace?from=pipe:${r.pipe_id}&direction=downstream`);
      if (t.facilities.length > 0 && t.pipes.count >= 3) {
        pipe = r.pipe_id;
        expected = t;
        break;
      }
    }
    expect(pipe, 'no ranked reach drains to a facility').not.toBeNull();
    await page.getByTestId('analysis-close').click();
    await openMap(page, app.baseUrl, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,facilities&sel=pipes:${pipe}`);
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    await page.getByTestId('trace-downstream').click();
    const panel = page.getByTestId('trace-panel');
    await panel.getByTestId('trace-result').waitFor({ timeout: 30_000 });
    expect(await panel.getByTestId('trace-pipes').textContent()).toContain(String(expected!.pipes.count));
    expect(await panel.getByTestId('trace-length').textContent()).toContain((expected!.pipes.length_m / 1000).toFixed(2));
    const names = await panel.getByTestId('trace-facility').allTextContents();
    for (const f of expected!.facilities) expect(names.some((n) => n.includes(f.name || f.code))).toBe(true);
    // How it was traced and how long it took (the panel once showed "NaN ms": timing_ms is an object).
    expect(await panel.getByTestId('trace-meta').textContent()).toMatch(/· \w+ \d+ ms$/);

    // The highlight: every traced reach is drawn in the trace layer, the map fitted around them.
    await expect.poll(() => panel.getAttribute('data-geometry'), { timeout: 30_000 }).toBe('ready');
    // The panel hands the geometry to the map and fits it in an effect after that render: a still map right
    // after 'ready' may not have begun. Wait for the traced reaches themselves, then for the map to settle.
    const drawnTrace = () => page.evaluate(() => {
      const map = window.__map!;
      const lines = map.queryRenderedFeatures({ layers: ['trace-line'] });
      return { ids: [...new Set(lines.map((f) => Number(f.properties.id)))].sort((a, b) => a - b), start: map.queryRenderedFeatures({ layers: ['trace-start'] }).length };
    });
    const want = [...expected!.pipes.ids].sort((a, b) => a - b);
    await expect.poll(async () => (await drawnTrace()).ids, { timeout: 30_000 }).toEqual(want);
    await page.waitForFunction(() => !window.__map!.isMoving(), null, { timeout: 20_000 });
    await waitForIdle(page);
    const drawn = await drawnTrace();
    expect(drawn.ids).toEqual(want);
    expect(drawn.start).toBe(1);
    // The highlight is its own colour, not the pipes'.
    expect(await page.evaluate(() => window.__map!.getPaintProperty('trace-line', 'line-color'))).not.toEqual(await page.evaluate(() => window.__map!.getPaintProperty('pipes-line', 'line-color')));
    await page.screenshot({ path: `${RESULTS_DIR}drainage-trace-zh.png` });

    // A facility in the list flies there and opens it.
    await panel.getByTestId('trace-facility').first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('details-panel').getAttribute('data-layer')).toBe('facilities');
    expect(hashParam(page, 'sel')).toBe(`facilities:${expected!.facilities[0].id}`);
  }, 180_000);

  it('a trace opens its longitudinal profile under the map, linked with the map both ways, exported as SVG, PNG and CSV', async () => {
    const from = await page.getByTestId('trace-panel').getAttribute('data-direction');
    expect(from).toBe('downstream');
    await page.getByTestId('trace-profile').click();
    const panel = page.getByTestId('profile-panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    const reaches = await panel.getByTestId('profile-reach').count();
    expect(reaches).toBeGreaterThan(1);
    expect(await panel.getByTestId('profile-station').count()).toBeGreaterThan(1);
    expect(await panel.getByTestId('profile-ground').count()).toBe(1);
    // The chart's reaches are the path the map draws; hovering one picks it out on the map.
    const ids = await panel.getByTestId('profile-reach').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.reach)));
    // The path's layer is added to the map in an effect after the chart renders.
    const pathOnMap = () => page.evaluate(() => (window.__map!.getLayer('profile-path')
      ? [...new Set(window.__map!.queryRenderedFeatures({ layers: ['profile-path'] }).map((f) => Number(f.id)))] : []));
    await expect.poll(async () => (await pathOnMap()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await waitForIdle(page);
    const onMap = await pathOnMap();
    expect(onMap.length).toBeGreaterThan(0);
    expect(onMap.every((id) => ids.includes(id))).toBe(true);
    await panel.getByTestId('profile-hover-target').nth(1).hover();
    await panel.getByTestId('profile-highlight').waitFor();
    // The map's filter follows the hovered reach in an effect after the chart marks it.
    await expect.poll(() => page.evaluate(() => JSON.stringify(window.__map!.getFilter('profile-hover'))), { timeout: 10_000 }).toContain(String(ids[1]));
    await page.screenshot({ path: `${RESULTS_DIR}drainage-profile-zh.png` });
    // A reach hovered on the map is marked in the chart.
    // The middle of a path reach that is not under a panel.
    const hit = await page.evaluate((ids) => {
      const map = window.__map!;
      const r = map.getCanvas().getBoundingClientRect();
      for (const f of map.queryRenderedFeatures({ layers: ['pipes-line'] })) {
        if (!ids.includes(Number(f.id)) || f.geometry.type !== 'LineString') continue;
        const c = f.geometry.coordinates;
        for (let k = 1; k < c.length; k++) {
          const p = map.project(c[k - 1] as [number, number]);
          const q = map.project(c[k] as [number, number]);
          const x = r.left + (p.x + q.x) / 2;
          const y = r.top + (p.y + q.y) / 2;
          if (document.elementFromPoint(x, y) === map.getCanvas()) return { id: Number(f.id), x, y };
        }
      }
      return null;
    }, onMap);
    expect(hit, 'no reach of the path in sight on the map').not.toBeNull();
    await page.mouse.move(hit!.x, hit!.y);
    await expect.poll(() => panel.locator(`[data-reach="${hit!.id}"] [data-testid="profile-highlight"]`).count(), { timeout: 5000 }).toBe(1);
    const saved: Record<string, { name: string; text: string }> = {};
    for (const f of ['svg', 'png', 'csv']) {
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId(`profile-export-${f}`).click()]);
      const file = await download.path();
      saved[f] = { name: download.suggestedFilename(), text: (await readFile(file)).toString(f === 'png' ? 'latin1' : 'utf8') };
    }
    expect(saved.svg.name).toMatch(/\.svg$/);
    expect(saved.svg.text).toContain('<svg');
    expect(saved.svg.text).toContain('data-testid="profile-ground"');
    expect(saved.png.text.slice(1, 4)).toBe('PNG');
    const lines = saved.csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toContain('桩号');
    expect(lines.length - 1).toBe(reaches + 1);
    // Two manholes picked in their details: the profile from the first down to the second.
    const manholes = await panel.getByTestId('profile-station').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.manhole)));
    await panel.getByTestId('profile-close').click();
    expect(await page.getByTestId('profile-panel').count()).toBe(0);
    const [a, b] = [manholes[1], manholes[3]];
    const selectManhole = (id: number) => page.evaluate((m) => {
      const h = new URLSearchParams(location.hash.slice(1));
      h.set('sel', `manholes:${m}`);
      location.hash = h.toString();
    }, id);
    await selectManhole(a);
    await page.getByTestId('profile-pick-start').click();
    await selectManhole(b);
    await page.getByTestId('profile-to-here').click({ timeout: 20_000 });
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    expect(await panel.getByTestId('profile-station').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.manhole)))).toEqual(manholes.slice(1, 4));
    await panel.getByTestId('profile-close').click();
  }, 120_000);

  it('the design checks list what the seeded network breaks, filter it and show it on the map', async () => {
    const expected = await getJson<{ total: number; counts: Record<string, number> }>(page, '/api/network/checks?limit=1');
    await page.getByTestId('checks-button').click();
    const panel = page.getByTestId('checks-panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    expect((await panel.getByTestId('checks-total').textContent())!.replace(/[^\d]/g, '')).toMatch(new RegExp(`^${expected.total}`));
    const codes = await panel.getByTestId('check-finding').evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLElement).dataset.code))]);
    expect(codes.sort()).toEqual(Object.keys(expected.counts).sort());
    await panel.getByTestId('checks-severity-warning').uncheck();
    if (!Object.keys(expected.counts).some((c) => ['reverse_slope', 'manhole_too_shallow', 'no_outfall', 'rain_to_sewage', 'sewage_to_rain', 'zero_length'].includes(c))) {
      await panel.getByTestId('checks-none').waitFor();
    }
    await panel.getByTestId('checks-severity-warning').check();
    expect(await page.evaluate(() => !!window.__map!.getLayer('network-checks-point'))).toBe(true);
    await panel.getByTestId('check-finding').first().getByRole('button').click();
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => !window.__map!.isMoving(), null, { timeout: 20_000 });
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}drainage-checks-zh.png` });
    await page.getByTestId('checks-button').click();
    expect(await page.getByTestId('checks-panel').count()).toBe(0);
  }, 120_000);

  it('the export links of a trace return GeoJSON, GeoPackage, CSV and SWMM files of the traced reaches', async () => {
    const panel = page.getByTestId('trace-panel');
    const count = Number((await panel.getByTestId('trace-pipes').textContent())!.replace(/[^\d]/g, ''));
    expect(count).toBeGreaterThan(0);
    const files = await page.evaluate(async (formats) => {
      const out: Record<string, { status: number; disposition: string | null; text: string; head: number[] }> = {};
      for (const f of formats) {
        const a = document.querySelector(`[data-testid="trace-export-${f}"]`) as HTMLAnchorElement;
        const res = await fetch(a.href);
        const buf = new Uint8Array(await res.arrayBuffer());
        out[f] = { status: res.status, disposition: res.headers.get('content-disposition'), text: f === 'gpkg' ? '' : new TextDecoder().decode(buf), head: [...buf.slice(0, 16)] };
      }
      return out;
    }, ['geojson', 'gpkg', 'csv', 'inp']);
    for (const [f, r] of Object.entries(files)) {
      expect(r.status, f).toBe(200);
      expect(r.disposition, f).toMatch(/attachment/);
    }
    const fc = JSON.parse(files.geojson.text);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(count);
    expect(String.fromCharCode(...files.gpkg.head.slice(0, 15))).toBe('SQLite format 3');
    const csvLines = files.csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(csvLines.length - 1).toBe(count);
    expect(files.inp.text).toMatch(/\[CONDUITS\]/);
    // One conduit line per reach (comments start with ;).
    const conduits = files.inp.text.split(/\[CONDUITS\]/)[1].split(/\n\[/)[0].split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith(';'));
    expect(conduits.length).toBe(count);

    // Clear removes the panel and the highlight.
    await panel.getByTestId('trace-clear').click();
    expect(await page.getByTestId('trace-panel').count()).toBe(0);
    await waitForIdle(page);
    expect(await page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['trace-line'] }).length)).toBe(0);
  }, 120_000);

  it('a misconnection is traced to the outfall it pollutes', async () => {
    const items = await getJson<{ features: { id: number; properties: { pipe_id: number } }[] }>(page, '/api/collections/misconnections/items?limit=30');
    let chosen: { id: number; target: string } | null = null;
    for (const f of items.features) {
      const t = await getJson<TraceResult>(page, `/api/trace?from=pipe:${f.properties.pipe_id}&direction=downstream`);
      const fac = t.facilities.find((x) => ['outfall', 'pumping_station', 'wwtp'].includes(x.kind));
      if (fac) {
        chosen = { id: Number(f.id), target: fac.name || fac.code };
        break;
      }
    }
    expect(chosen, 'no misconnection drains to a facility').not.toBeNull();
    await openMap(page, app.baseUrl, `map=14/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,misconnections,facilities&sel=misconnections:${chosen!.id}`);
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    await page.getByTestId('trace-outfall').click();
    const discharge = page.getByTestId('trace-discharge');
    await discharge.waitFor({ timeout: 30_000 });
    expect(await discharge.getByTestId('discharge-target').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(chosen!.target)]));
    expect(await page.getByTestId('trace-panel').getAttribute('data-direction')).toBe('downstream');
    await page.screenshot({ path: `${RESULTS_DIR}drainage-misconnection-outfall.png` });
    await page.getByTestId('trace-clear').click();
    await page.getByTestId('details-close').click();
  }, 120_000);

  it('the pipe legend in a grade mode reads Ⅰ–Ⅳ and not inspected', async () => {
    await page.getByTestId('pipe-color-sgrade').click();
    await page.getByTestId('layer-expand-pipes').click();
    const legend = await page.getByTestId('layer-pipes').locator('.legend-list').textContent();
    for (const g of ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', '未检测']) expect(legend).toContain(g);
    await page.getByTestId('layer-expand-pipes').click();
    await page.getByTestId('pipe-color-usage').click();
  }, 60_000);

  it('imports a town sewer survey through the dialog and shows its report', async () => {
    const t = TOWN.truth.alone;
    // Importing needs a planner: an account of the test's own, logged in through the dialog.
    const username = `e2e-planner-${process.pid}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-long`;
    const db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    try {
      await createUser(db, { username, password, role: 'planner', display_name: '规划测试' });
    } finally {
      await db.end();
    }
    await page.getByTestId('tool-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('login-form').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('import-start').isDisabled()).toBe(true);
    await dialog.getByTestId('login-username').fill(username);
    await dialog.getByTestId('login-password').fill('not the password');
    await dialog.getByTestId('login-submit').click();
    await dialog.getByTestId('login-error').waitFor();
    await dialog.getByTestId('login-password').fill(password);
    await dialog.getByTestId('login-submit').click();
    await dialog.getByTestId('import-account').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('login-form').count()).toBe(0);
    await dialog.getByTestId('import-file').setInputFiles({ name: TOWN_FILE, mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(TOWN.lines)) });
    expect(await dialog.getByTestId('import-format').inputValue()).toBe('geojson');
    await dialog.getByTestId('import-tolerance').fill('1');
    await dialog.getByTestId('import-start').click();
    await dialog.locator('[data-testid="import-report"], [data-testid="import-error"], [data-testid="panel-failed"]').first().waitFor({ timeout: 120_000 });
    expect(await dialog.getByTestId('import-error').count(), (await dialog.textContent()) ?? '').toBe(0);
    expect(await page.getByTestId('panel-failed').count()).toBe(0);
    const num = async (id: string) => Number((await dialog.getByTestId(id).locator('dd').textContent())!.replace(/[^\d]/g, ''));
    expect(await num('report-read-links')).toBe(TOWN.truth.lines);
    // Each trunk is split where its branches end: more reaches written than lines read.
    expect(await num('report-written-pipes')).toBe(t.pipes);
    expect(Number(await dialog.getByTestId('report-split-links').textContent())).toBe(t.split_links);
    expect(await dialog.getByTestId('report-skipped-row').count()).toBe(0);
    expect(await num('report-written-manholes')).toBe(t.manholes);
    expect(Number(await dialog.getByTestId('report-components').textContent())).toBe(t.components);
    // No from/to fields in the file: the direction is the digitised one.
    expect(await dialog.getByTestId('report-direction').textContent()).toContain('绘制方向');
    // The list of imports knows it.
    const list = await getJson<{ items: { id: number; filename: string; report: { bbox: number[] } }[] }>(page, '/api/imports');
    const mine = list.items.find((x) => x.filename === TOWN_FILE);
    expect(mine).toBeDefined();
    // The design checks ran over what was written, and the report says what they found.
    await dialog.getByTestId('report-checks').waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}drainage-import-report-zh.png` });

    // Fly there: the imported pipes are in the pipe tiles.
    await dialog.getByTestId('import-fly').click();
    expect(await page.getByTestId('import-dialog').count()).toBe(0);
    await page.waitForFunction(() => !window.__map!.isMoving(), null, { timeout: 20_000 });
    await waitForIdle(page);
    const c = await page.evaluate(() => window.__map!.getCenter());
    const [w, s, e, n] = mine!.report.bbox;
    expect(c.lng).toBeGreaterThan(w - 0.05);
    expect(c.lng).toBeLessThan(e + 0.05);
    expect(c.lat).toBeGreaterThan(s - 0.05);
    expect(c.lat).toBeLessThan(n + 0.05);
    await page.screenshot({ path: `${RESULTS_DIR}drainage-import-town.png` });
    // MapLibre asks only for tiles inside the TileJSON's bounds: they must grow with what was imported.
    const tilejson = await getJson<{ bounds: number[] }>(page, '/tiles/pipes.json');
    const covered = tilejson.bounds[0] <= w && tilejson.bounds[1] <= s && tilejson.bounds[2] >= e && tilejson.bounds[3] >= n;
    expect(covered, `/tiles/pipes.json bounds ${tilejson.bounds.join(',')} do not cover the import ${mine!.report.bbox.join(',')}`).toBe(true);
    await expect.poll(() => page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['pipes-line'] }).length), { timeout: 30_000 }).toBeGreaterThan(0);
  }, 240_000);

  it('reads well in English (screenshots of the analysis and a trace)', async () => {
    await openMap(page, app.baseUrl, `map=14/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,facilities`);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('app-title').textContent()).toBe('Wuchang One-Map');
    await page.getByTestId('tool-analysis').click();
    await page.getByTestId('reach-row').first().waitFor({ timeout: 30_000 });
    await rankingSettled(page);
    expect(await page.getByTestId('analysis-panel').textContent()).toContain('Repair index RI');
    const en = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=1');
    expect(await page.getByTestId('reach-row').first().locator('td.advice').textContent()).toBe(en.items[0].sadvice?.en ?? '—');
    await page.getByTestId('reach-row').first().click();
    await page.getByTestId('trace-upstream').click();
    await page.getByTestId('trace-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('trace-panel').textContent()).toContain('Upstream trace');
    await page.screenshot({ path: `${RESULTS_DIR}drainage-ranking-trace-en.png` });
    await page.getByTestId('analysis-tab-summary').click();
    await page.getByTestId('summary-row').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${RESULTS_DIR}drainage-summary-en.png` });
    await page.getByTestId('trace-clear').click();
    await page.getByTestId('lang-switch').click();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
