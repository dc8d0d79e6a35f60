// One selection at city scale, in Debian Chromium (1280×800) against the real server over a seeded copy:
// a case opened from the list is the map's selection (ringed there, one details panel, the list's units);
// a click on stacked cases offers a chooser; panels share the screen so that the trace's export links and
// a polygon selection stay in sight.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { hashParam, openMap, RESULTS_DIR, waitForIdle, openPage } from '../helpers/browser.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { createUser } from '../../server/auth/users.ts';
import type { ReachPage, TraceResult } from '../../src/api/types.ts';

const CENTER = { lon: 114.33, lat: 30.555 };
const getJson = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

/** Features of a style layer drawn within `r` px of a position. */
const renderedNear = (page: Page, layer: string, lonLat: [number, number], r = 6) => page.evaluate(({ layer, lonLat, r }) => {
  const map = window.__map!;
  const p = map.project(lonLat);
  return map.queryRenderedFeatures([[p.x - r, p.y - r], [p.x + r, p.y + r]], { layers: [layer] }).length;
}, { layer, lonLat, r });

/** True when the element's centre is on screen and nothing (scrolling, another panel) hides it there. */
const reallyVisible = (page: Page, testId: string) => page.evaluate((id) => {
  const el = document.querySelector(`[data-testid="${id}"]`);
  if (!el) return false;
  const b = el.getBoundingClientRect();
  const x = b.left + b.width / 2;
  const y = b.top + b.height / 2;
  if (b.width === 0 || x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return top !== null && (top === el || el.contains(top));
}, testId);

describe('one selection, stacked features and panels sharing the screen (e2e)', () => {
  const ctx = useTestApp();
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const dispatcher = { username: `sel-dispatcher-${process.pid}`, password: 'Pw-dispatcher-2026-long' };

  beforeAll(async () => {
    await createUser(ctx.db, { ...dispatcher, role: 'dispatcher', display_name: '派遣' });
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'zh-CN' }, pageErrors));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a case opened from the list is the selection: ringed on the map, one details panel, hours in words', async () => {
    await openMap(page, ctx.app.baseUrl, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,grids,cases`);
    await page.getByTestId('tool-cases').click();
    const form = page.getByTestId('cases-panel').getByTestId('login-form');
    await form.waitFor();
    await form.getByTestId('login-username').fill(dispatcher.username);
    await form.getByTestId('login-password').fill(dispatcher.password);
    await form.getByTestId('login-submit').click();
    await page.getByTestId('cases-account').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="case-list-view"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 });

    const row = page.getByTestId('case-row').first();
    const id = (await row.getAttribute('data-case-id'))!;
    const { rows } = await ctx.db.query<{ lon: number; lat: number; deadline_hours: number }>(
      'SELECT ST_X(c.geom) lon, ST_Y(c.geom) lat, i.deadline_hours FROM cases c JOIN case_items i ON i.code = c.item_code WHERE c.id = $1', [id]);
    const at: [number, number] = [rows[0].lon, rows[0].lat];
    await row.click();
    await page.getByTestId('case-detail-title').waitFor();
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}i15-3-list-selection.png` });
    await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('sel') !== null);
    expect(hashParam(page, 'sel')).toBe(`cases:${id}`);
    await waitForIdle(page);
    // The ring is drawn at the case, and the case's own dot is under it.
    expect(await renderedNear(page, 'selection-point', at)).toBe(1);
    expect(await renderedNear(page, 'selection-halo', at)).toBe(1);
    // The list's detail is the one details panel, also after "show on the map".
    expect(await page.getByTestId('details-panel').count()).toBe(0);
    await page.getByTestId('case-locate').click();
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}i15-3-locate.png` });
    expect(await page.getByTestId('details-panel').count()).toBe(0);
    expect(await page.getByTestId('case-detail').count()).toBe(1);
    expect(await renderedNear(page, 'selection-point', at)).toBe(1);

    // Closing the cases panel keeps the selection: the map's details panel takes it, with hours as the list says them.
    await page.getByTestId('cases-close').click();
    const details = page.getByTestId('details-panel');
    await details.getByTestId('details-content').waitFor({ timeout: 20_000 });
    const deadline = await details.getByTestId('case-deadline').textContent();
    expect(deadline).toContain(`${rows[0].deadline_hours} 小时`);
    expect(deadline).not.toMatch(/\d h\b/);
    await page.screenshot({ path: `${RESULTS_DIR}i15-3-details.png` });
    await details.getByTestId('details-close').click();
    expect(hashParam(page, 'sel')).toBeNull();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('a click on stacked cases offers a chooser; hovering a row rings it, choosing opens it', async () => {
    // Nine reports at one coordinate, through the API, in the middle of a grid.
    const { headers } = await loginAs(ctx, 'dispatcher');
    const spot = (await ctx.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) lon, ST_Y(p) lat FROM grids g, ST_PointOnSurface(g.geom) p ORDER BY g.code LIMIT 1 OFFSET 40`)).rows[0];
    const item = (await ctx.db.query<{ code: string }>('SELECT code FROM case_items ORDER BY code LIMIT 1')).rows[0].code;
    const ids: string[] = [];
    for (let k = 0; k < 9; k++) {
      const res = await fetch(`${ctx.app.baseUrl}/api/cases`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ item_code: item, lon: spot.lon, lat: spot.lat, description: `叠放 ${k}` }) });
      expect(res.status).toBe(201);
      ids.push(String(((await res.json()) as { id: number }).id));
    }
    await openMap(page, ctx.app.baseUrl, `map=20/${spot.lat}/${spot.lon}&layers=basemap,cases`);
    await page.waitForFunction((n) => {
      const map = window.__map!;
      const p = map.project([map.getCenter().lng, map.getCenter().lat]);
      return map.queryRenderedFeatures([[p.x - 3, p.y - 3], [p.x + 3, p.y + 3]], { layers: ['cases-point'] }).length >= n;
    }, 9, { timeout: 30_000 });
    const box = (await page.getByTestId('map').boundingBox())!;
    const center = await page.evaluate(() => { const m = window.__map!; const p = m.project(m.getCenter()); return [p.x, p.y]; });
    await page.mouse.click(box.x + center[0], box.y + center[1]);
    const chooser = page.getByTestId('hit-chooser');
    await chooser.waitFor();
    const choices = await chooser.getByTestId('hit-choice').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.layer}:${(e as HTMLElement).dataset.id}`));
    expect(new Set(choices).size).toBe(choices.length); // one row per feature, not per tile copy
    for (const id of ids) expect(choices).toContain(`cases:${id}`);
    expect(await page.getByTestId('details-panel').count()).toBe(0);

    // Hovering a row rings it on the map before anything is chosen.
    const target = chooser.locator(`[data-testid="hit-choice"][data-id="${ids[4]}"]`);
    await target.hover();
    // The hover is a continuous event: React renders it, and the map gets the ring, a task or more later.
    await expect.poll(() => renderedNear(page, 'selection-point', [spot.lon, spot.lat]), { timeout: 15_000 }).toBe(1);
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}i15-4-chooser-hover.png` });

    await target.click();
    expect(await chooser.count()).toBe(0);
    expect(hashParam(page, 'sel')).toBe(`cases:${ids[4]}`);
    const caseNo = (await ctx.db.query<{ case_no: string }>('SELECT case_no FROM cases WHERE id = $1', [ids[4]])).rows[0].case_no;
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('details-title').textContent()).toContain(caseNo);
    await page.getByTestId('details-close').click();

    // Eleven reports crowded within 8 px of each other at z18 (a ring of 1.5 m around a point): all offered.
    const crowd = (await ctx.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) lon, ST_Y(p) lat FROM grids g, ST_PointOnSurface(g.geom) p ORDER BY g.code LIMIT 1 OFFSET 90`)).rows[0];
    const crowdIds: string[] = [];
    for (let k = 0; k < 11; k++) {
      const a = (2 * Math.PI * k) / 11;
      const lon = crowd.lon + (1.5 * Math.cos(a)) / (111_320 * Math.cos((crowd.lat * Math.PI) / 180));
      const lat = crowd.lat + (1.5 * Math.sin(a)) / 110_540;
      const res = await fetch(`${ctx.app.baseUrl}/api/cases`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ item_code: item, lon, lat, description: `拥挤 ${k}` }) });
      expect(res.status).toBe(201);
      crowdIds.push(String(((await res.json()) as { id: number }).id));
    }
    await openMap(page, ctx.app.baseUrl, `map=18/${crowd.lat}/${crowd.lon}&layers=basemap,cases`);
    await page.waitForFunction((n) => {
      const map = window.__map!;
      const p = map.project(map.getCenter());
      return map.queryRenderedFeatures([[p.x - 8, p.y - 8], [p.x + 8, p.y + 8]], { layers: ['cases-point'] }).length >= n;
    }, 11, { timeout: 30_000 });
    const mid = await page.evaluate(() => { const m = window.__map!; const p = m.project(m.getCenter()); return [p.x, p.y]; });
    await page.mouse.click(box.x + mid[0], box.y + mid[1]);
    await chooser.waitFor();
    const crowded = await chooser.getByTestId('hit-choice').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id));
    for (const id of crowdIds) expect(crowded).toContain(id);
    await page.screenshot({ path: `${RESULTS_DIR}i15-4-crowd.png` });
    await page.keyboard.press('Escape');
    expect(await chooser.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('the trace panel keeps its export links in sight with the analysis open', async () => {
    const ranked = await getJson<ReachPage>(page, '/api/drainage/reaches?sort=ri&limit=40');
    let pipe: number | null = null;
    for (const r of ranked.items) {
      const t = await getJson<TraceResult>(page, `/api/trace?from=pipe:${r.pipe_id}&direction=downstream`);
      if (t.pipes.count >= 5) {
        pipe = r.pipe_id;
        break;
      }
    }
    expect(pipe).not.toBeNull();
    await openMap(page, ctx.app.baseUrl, `map=13/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,facilities&sel=pipes:${pipe}`);
    await page.getByTestId('details-content').waitFor({ timeout: 20_000 });
    await page.getByTestId('tool-analysis').click();
    await page.getByTestId('analysis-panel').waitFor();
    await page.getByTestId('trace-downstream').click();
    const panel = page.getByTestId('trace-panel');
    await panel.getByTestId('trace-result').waitFor({ timeout: 30_000 });
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}i15-6-trace-analysis.png` });
    for (const f of ['geojson', 'gpkg', 'csv', 'inp']) expect(await reallyVisible(page, `trace-export-${f}`), f).toBe(true);
    // The panel has room to read: more than a third of the column.
    const h = (await panel.boundingBox())!.height;
    expect(h).toBeGreaterThan(300);
    expect(await page.getByTestId('analysis-panel').isVisible()).toBe(true);
    await panel.getByTestId('trace-clear').click();
    await page.getByTestId('analysis-close').click();
  }, 180_000);

  it('after a polygon selection the polygon lies in the map area the results panel leaves free', async () => {
    await openMap(page, ctx.app.baseUrl, `map=16.5/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes,manholes`);
    await page.getByTestId('tool-select-polygon').click();
    await page.getByTestId('tool-panel').waitFor();
    const box = (await page.getByTestId('map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // Drawn just above the panel as it is while drawing: its results table, taller, would cover the lower part.
    const corners = [[-160, -30], [160, -30], [170, 95], [-150, 90]];
    const lonLats: [number, number][] = [];
    for (const [dx, dy] of corners) {
      lonLats.push(await page.evaluate(([x, y]) => window.__map!.unproject([x, y]).toArray() as [number, number], [cx + dx - box.x, cy + dy - box.y]));
      await page.mouse.click(cx + dx, cy + dy);
      await page.waitForTimeout(400); // not a double click
    }
    await page.getByTestId('tool-finish').click();
    await page.getByTestId('selection-result').waitFor({ timeout: 30_000 });
    // The map moves a frame after the table opens (and only then): wait for a still map with the shape above the
    // table, up to a limit, then check every corner against the panels.
    await page.waitForFunction((ll) => {
      const map = window.__map!;
      const panel = document.querySelector('[data-testid="tool-panel"]')?.getBoundingClientRect();
      const top = map.getContainer().getBoundingClientRect().top;
      return !!panel && !map.isMoving() && ll.every((p) => map.project(p).y + top < panel.top);
    }, lonLats, { timeout: 15_000 }).catch(() => undefined);
    await waitForIdle(page);
    const results = (await page.getByTestId('tool-panel').boundingBox())!;
    const tree = (await page.getByTestId('layer-panel').boundingBox())!;
    const points = await page.evaluate((ll) => ll.map((p) => window.__map!.project(p)).map((p) => [p.x, p.y]), lonLats);
    await page.screenshot({ path: `${RESULTS_DIR}i15-6-polygon.png` });
    for (const [x, y] of points) {
      expect(y + box.y).toBeLessThan(results.y);
      expect(y + box.y).toBeGreaterThan(0);
      expect(x + box.x).toBeGreaterThan(tree.x + tree.width);
      expect(x + box.x).toBeLessThan(box.x + box.width);
    }
    await page.getByTestId('tool-close').click();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
