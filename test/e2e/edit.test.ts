// Editing on the map in Debian Chromium against the real server: a planner logs in from the edit tool,
// adds a camera by clicking the map, sets its heading by typing and by dragging the handle, sees its
// field of view, saves; drags the camera to move it and saves again; the API and the camera tiles then
// have it at the new position, turned as set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../server/auth/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { openMap, openPage, RESULTS_DIR, waitForIdle } from '../helpers/browser.ts';

/** The pixel of a position on the page (the map fills the window). */
const pixelOf = (page: Page, lonLat: [number, number]) => page.evaluate((ll) => {
  const p = window.__map!.project(ll);
  const r = window.__map!.getCanvas().getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
}, lonLat);
const lonLatOf = (page: Page, xy: { x: number; y: number }) => page.evaluate(({ x, y }) => {
  const r = window.__map!.getCanvas().getBoundingClientRect();
  const ll = window.__map!.unproject([x - r.left, y - r.top]);
  return [ll.lng, ll.lat] as [number, number];
}, xy);
/** Features of the edit overlay's sector drawn at a position. */
const fovAt = (page: Page, lonLat: [number, number]) => page.evaluate((ll) => {
  const p = window.__map!.project(ll);
  return window.__map!.queryRenderedFeatures([[p.x - 2, p.y - 2], [p.x + 2, p.y + 2]], { layers: ['draw-fill'] }).length;
}, lonLat);
const centreOf = async (page: Page, testId: string) => {
  const b = (await page.getByTestId(testId).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}
const M = 111_132.954;

describe('editing on the map (e2e)', () => {
  const ctx = useTestApp();
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const planner = { username: `edit-planner-${process.pid}`, password: 'Pw-planner-2026-long' };
  /** A spot in a grid with no camera within 60 m: the click places a new camera. */
  let spot: [number, number];

  beforeAll(async () => {
    await createUser(ctx.db, { ...planner, role: 'planner', display_name: '规划' });
    const { rows: [s] } = await ctx.db.query(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p, area_m2 FROM grids) g
       WHERE NOT EXISTS (SELECT 1 FROM cameras c WHERE ST_DWithin(c.geom::geography, g.p::geography, 60)) ORDER BY area_m2 DESC LIMIT 1`);
    spot = [s.lon, s.lat];
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', locale: 'zh-CN' }, problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a planner adds a camera by clicking, turns it, sees its view, drags it elsewhere; the API and the tiles follow', async () => {
    await openMap(page, ctx.app.baseUrl, `map=17.5/${spot[1]}/${spot[0]}&layers=basemap,grids,cameras,fov`);
    await page.getByTestId('tool-edit').click();
    const form = page.getByTestId('edit-panel').getByTestId('login-form');
    await form.waitFor();
    await form.getByTestId('login-username').fill(planner.username);
    await form.getByTestId('login-password').fill(planner.password);
    await form.getByTestId('login-submit').click();
    await page.getByTestId('edit-layers').waitFor();
    expect(await page.getByTestId('edit-layer-cameras').isChecked()).toBe(true);
    await page.screenshot({ path: `${RESULTS_DIR}i17-edit-1-start.png` });

    // A click on the map places the new camera there.
    const at = await pixelOf(page, spot);
    await page.mouse.click(at.x, at.y);
    await page.getByTestId('edit-form').waitFor();
    await page.getByTestId('edit-field-name').fill('编辑测试摄像机');
    await page.getByTestId('edit-field-code').fill('42010600001320099001');
    await page.getByTestId('edit-field-range_m').fill('40');
    await page.getByTestId('edit-field-azimuth_deg').fill('90');
    await waitForIdle(page);
    // The view opens east: drawn 20 m east of the camera, not 20 m west.
    const east = (d: number): [number, number] => [spot[0] + d / (M * Math.cos((spot[1] * Math.PI) / 180)), spot[1]];
    expect(await fovAt(page, east(20))).toBe(1);
    expect(await fovAt(page, east(-20))).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}i17-edit-2-new-camera-east.png` });

    // Dragging the handle to the south turns it to about 180°.
    const handle = await centreOf(page, 'edit-heading-handle');
    await drag(page, handle, { x: at.x, y: at.y + (handle.x - at.x) });
    await expect.poll(async () => Number(await page.getByTestId('edit-field-azimuth_deg').inputValue())).toBeGreaterThan(170);
    expect(Number(await page.getByTestId('edit-field-azimuth_deg').inputValue())).toBeLessThan(190);
    const south: [number, number] = [spot[0], spot[1] - 20 / M];
    // The drag's heading reaches the form first; the overlay follows in an effect after that render.
    await expect.poll(() => fovAt(page, south), { timeout: 15_000 }).toBe(1);
    await waitForIdle(page);
    expect(await fovAt(page, south)).toBe(1);
    expect(await fovAt(page, east(20))).toBe(0);

    await page.getByTestId('edit-save').click();
    await page.getByTestId('edit-saved').waitFor();
    const id = Number(await page.getByTestId('edit-form').getAttribute('data-feature-id'));
    expect(id).toBeGreaterThan(0);
    const { rows: [saved] } = await ctx.db.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, azimuth_deg, range_m, trim(code) AS code FROM cameras WHERE id = $1`, [id]);
    expect(saved.code).toBe('42010600001320099001');
    expect(saved.range_m).toBe(40);
    expect(saved.azimuth_deg).toBeGreaterThan(170);
    expect(Math.abs(saved.lon - spot[0]) * M).toBeLessThan(2);
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}i17-edit-3-saved-south.png` });

    // Dragged 120 px right and 60 px up, then saved: the API has it there.
    const marker = await centreOf(page, 'edit-marker');
    const target = { x: marker.x + 120, y: marker.y - 60 };
    // The marker's tip (its position) is at the bottom of its pin: the drag moves the tip by the same pixels.
    const tipBefore = await pixelOf(page, [saved.lon, saved.lat]);
    await drag(page, marker, target);
    const expected = await lonLatOf(page, { x: tipBefore.x + 120, y: tipBefore.y - 60 });
    const shown = async () => ((await page.getByTestId('edit-position').textContent()) ?? '').match(/(-?\d+\.\d+), (-?\d+\.\d+)/)!.slice(1).map(Number);
    await expect.poll(async () => (await shown())[0]).toBeCloseTo(expected[0], 5);
    expect((await shown())[1]).toBeCloseTo(expected[1], 5);
    await page.getByTestId('edit-save').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="edit-saved"]') !== null);
    await expect.poll(async () => (await (await fetch(`${ctx.app.baseUrl}/api/collections/cameras/items/${id}`)).json() as { geometry: { coordinates: number[] } }).geometry.coordinates[0])
      .toBeCloseTo(expected[0], 5);
    const item = await (await fetch(`${ctx.app.baseUrl}/api/collections/cameras/items/${id}`)).json() as { geometry: { coordinates: number[] } };
    expect(item.geometry.coordinates[1]).toBeCloseTo(expected[1], 5);
    // The camera tiles were asked for again: the map's own camera layer has it at the new place.
    await expect.poll(() => page.evaluate((cid) => window.__map!.querySourceFeatures('cameras', { sourceLayer: 'cameras' })
      .filter((f) => Number(f.id ?? f.properties.id) === cid).map((f) => (f.geometry as { coordinates: number[] }).coordinates[0])[0] ?? null, id), { timeout: 15_000 })
      .toBeCloseTo(expected[0], 4);
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}i17-edit-4-moved.png` });

    // Delete, with confirmation.
    await page.getByTestId('edit-delete').click();
    await page.getByTestId('edit-confirm-delete').click();
    await page.getByTestId('edit-deleted').waitFor();
    expect((await ctx.db.query(`SELECT 1 FROM cameras WHERE id = $1`, [id])).rowCount).toBe(0);
    const actions = (await ctx.db.query(`SELECT action FROM audit_log WHERE entity = 'camera' AND entity_id = $1 ORDER BY id`, [String(id)])).rows.map((r) => r.action);
    expect(actions).toEqual(['camera.create', 'camera.update', 'camera.delete']);
    expect(problems).toEqual([]);
  }, 180_000);
});
