// Walls at three levels in Debian Chromium: a street's wall at 1920×1080 and 3840×2160 names the street and
// shows its own figures; the district's wall drills down to a street by its list and to a community by a
// click on the map, and back goes up; scenes switch the map's style layers; a pinned scene survives a
// reload; the playlist rotates scenes. Screenshots go to test-results/ (wall-street-*.png: look at them).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watchPage, RESULTS_DIR } from '../helpers/browser.ts';
import { useTestApp } from '../helpers/app.ts';
import { mkdir } from 'node:fs/promises';
import { createSession, createUser } from '../../server/auth/users.ts';
import { SESSION_COOKIE } from '../../server/auth/request-user.ts';

const ctx = useTestApp();
let browser: Browser;

async function wallPage(width: number, height: number, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  const page = await context.newPage();
  watchPage(page, errors);
  return page;
}

/** The wall shows `code` ('' = the district) with its figures and units read, and its map at rest. */
async function shows(page: Page, code: string): Promise<void> {
  await page.waitForFunction((c) => {
    const h = document.querySelector('[data-testid=wall-unit]');
    return window.__map !== undefined && h?.getAttribute('data-code') !== '' && (c === '' || h?.getAttribute('data-code') === c)
      && document.querySelectorAll('[data-testid=unit-item]').length > 0
      && document.querySelector('[data-testid=kpi-cases-open]')?.getAttribute('data-value') !== '';
  }, code, { timeout: 90_000 });
  await settle(page);
}

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !window.__map!.isMoving(), null, { timeout: 30_000 });
  await page.evaluate(() => new Promise<void>((r) => (window.__map!.loaded() ? r() : window.__map!.once('idle', () => r()))));
}

/** The map's centre lies inside the street's extent (as the wall's unit answer gives it). */
const centreInStreet = (page: Page, code: string) => page.evaluate(async (c) => {
  const u = await (await fetch(`/api/wall/unit?street=${c}`)).json() as { bbox: number[] };
  const m = window.__map!.getCenter();
  return m.lng > u.bbox[0] && m.lng < u.bbox[2] && m.lat > u.bbox[1] && m.lat < u.bbox[3];
}, code);
const visibility = (page: Page, layer: string) => page.evaluate((id) => window.__map!.getLayoutProperty(id, 'visibility') ?? 'visible', layer);
const kpi = async (page: Page, id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));

describe('walls at three levels (e2e)', () => {
  let street: { code: string; name: string };
  let community: { code: string; name: string; lon: number; lat: number };

  beforeAll(async () => {
    [street] = (await ctx.db.query(`SELECT s.code, s.name FROM streets s JOIN communities c ON c.street_code = s.code GROUP BY s.code ORDER BY count(*) DESC, s.code LIMIT 1`)).rows;
    [community] = (await ctx.db.query(`SELECT code, name, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT code, name, ST_PointOnSurface(geom) AS p, ST_Area(geom) AS a FROM communities WHERE street_code = $1) c ORDER BY a DESC LIMIT 1`, [street.code])).rows;
    browser = await launchChromium();
    await mkdir(RESULTS_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('a street wall at 1920×1080 and 3840×2160: its name and level, its figures, its communities, its extent', async () => {
    const errors: string[] = [];
    const summary = await (await fetch(`${ctx.app.baseUrl}/api/wall/summary?street=${street.code}`)).json() as { cases_open: number; cameras: { total: number } };
    for (const [w, h] of [[1920, 1080], [3840, 2160]] as const) {
      const page = await wallPage(w, h, errors);
      await page.goto(`${ctx.app.baseUrl}/wall?street=${street.code}&every=600`);
      await shows(page, street.code);
      const heading = page.getByTestId('wall-unit');
      expect(await heading.textContent()).toContain(street.name);
      expect(await heading.textContent()).toContain('街道');
      expect(await heading.getAttribute('data-level')).toBe('street');
      await expect.poll(() => kpi(page, 'kpi-cases-open'), { timeout: 30_000 }).toBe(summary.cases_open);
      const communities = (await ctx.db.query('SELECT code FROM communities WHERE street_code = $1 ORDER BY code', [street.code])).rows.map((r) => r.code);
      expect(await page.getByTestId('unit-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(communities);
      // The map shows the street: its centre inside the street's extent; outside it is dimmed. The flight there
      // starts in an effect after the unit's render, so a still map at first may not have begun it.
      await expect.poll(() => centreInStreet(page, street.code), { timeout: 30_000 }).toBe(true);
      await settle(page);
      expect(await centreInStreet(page, street.code)).toBe(true);
      expect(await visibility(page, 'wall-mask')).toBe('visible');
      // Nothing on the panels is cut off.
      const cut = await page.evaluate(() => [...document.querySelectorAll('.wall-panel, .wall-header, .wall-scenes')]
        .filter((el) => el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2).map((el) => el.className));
      expect(cut).toEqual([]);
      await page.screenshot({ path: `${RESULTS_DIR}wall-street-${w}x${h}.png` });
      await page.context().close();
    }
    expect(errors).toEqual([]);
  }, 240_000);

  it('drills down district → street (list) → community (map), and back goes up', async () => {
    const errors: string[] = [];
    const page = await wallPage(1920, 1080, errors);
    await page.goto(`${ctx.app.baseUrl}/wall?every=600`);
    await shows(page, '');
    expect(await page.getByTestId('wall-unit').getAttribute('data-level')).toBe('district');
    await page.locator(`[data-testid=unit-item][data-code="${street.code}"] button`).click();
    await shows(page, street.code);
    expect(new URL(page.url()).searchParams.get('street')).toBe(street.code);
    expect(await page.getByTestId('crumb').count()).toBe(1);

    // A click on the community's area on the map opens its wall: once the map has come to the street.
    await expect.poll(() => centreInStreet(page, street.code), { timeout: 30_000 }).toBe(true);
    await settle(page);
    const pt = await page.evaluate(([lon, lat]) => window.__map!.project([lon, lat]), [community.lon, community.lat]);
    await page.mouse.click(pt.x, pt.y);
    await shows(page, community.code);
    expect(new URL(page.url()).searchParams.get('community')).toBe(community.code);
    expect(await page.getByTestId('wall-unit').textContent()).toContain(community.name);
    expect(await page.getByTestId('crumb').evaluateAll((els) => els.map((e) => e.textContent))).toEqual([expect.any(String), street.name]);
    const grids = (await ctx.db.query('SELECT count(*)::int AS n FROM grids WHERE community_code = $1', [community.code])).rows[0].n;
    expect(await page.getByTestId('unit-item').count()).toBe(grids);
    await page.screenshot({ path: `${RESULTS_DIR}wall-community-1920x1080.png` });

    await page.goBack();
    await shows(page, street.code);
    // The breadcrumb goes up to the district.
    await page.getByTestId('crumb').first().click();
    await shows(page, '');
    expect(await page.getByTestId('wall-unit').getAttribute('data-level')).toBe('district');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('scenes switch the style layers; 城管 shows staff and devices; a pinned scene survives a reload; the playlist rotates scenes', async () => {
    const errors: string[] = [];
    const page = await wallPage(1920, 1080, errors);
    // A commander's wall: where people are is drawn for the roles that may see it.
    const commander = await createUser(ctx.db, { username: `wall-commander-${process.pid}`, password: 'pw-wall-commander-long', role: 'commander', display_name: '指挥员' });
    await page.context().addCookies([{ name: SESSION_COOKIE, value: (await createSession(ctx.db, commander.id, null)).token, url: ctx.app.baseUrl }]);
    await page.goto(`${ctx.app.baseUrl}/wall?street=${street.code}&every=600`);
    await shows(page, street.code);
    const layers = async () => Object.fromEntries(await Promise.all(['pipes-line', 'facilities-point', 'sensors-point', 'cases-point', 'cameras-point', 'wall-blind-fill']
      .map(async (id) => [id, await visibility(page, id)] as const)));
    await page.getByTestId('scene-flood').click();
    await expect.poll(layers).toEqual({ 'pipes-line': 'visible', 'facilities-point': 'visible', 'sensors-point': 'visible', 'cases-point': 'none', 'cameras-point': 'none', 'wall-blind-fill': 'none' });
    await settle(page);
    await page.screenshot({ path: `${RESULTS_DIR}wall-street-flood-1920x1080.png` });
    await page.getByTestId('scene-city').click();
    await expect.poll(layers).toEqual({ 'pipes-line': 'none', 'facilities-point': 'none', 'sensors-point': 'none', 'cases-point': 'visible', 'cameras-point': 'none', 'wall-blind-fill': 'none' });
    // The street's staff on duty and devices: counted in the scene's figures, drawn on the map (the seed puts them in their grids).
    const { staff, devices } = await (await fetch(`${ctx.app.baseUrl}/api/wall/summary?street=${street.code}`)).json() as { staff: { on_duty: number }; devices: { online: number } };
    expect(staff.on_duty).toBeGreaterThan(0);
    await expect.poll(() => kpi(page, 'kpi-staff-on-duty'), { timeout: 30_000 }).toBe(staff.on_duty);
    expect(await kpi(page, 'kpi-devices-online')).toBe(devices.online);
    await expect(page.getByTestId('legend-staff').isVisible()).resolves.toBe(true);
    await expect.poll(() => page.evaluate(() => window.__wall!.deckPickCount('personnel')), { timeout: 30_000 }).toBeGreaterThan(0);
    await settle(page);
    await page.screenshot({ path: `${RESULTS_DIR}wall-street-city-1920x1080.png` });
    await page.getByTestId('scene-video').click();
    await expect.poll(layers).toEqual({ 'pipes-line': 'none', 'facilities-point': 'none', 'sensors-point': 'none', 'cases-point': 'none', 'cameras-point': 'visible', 'wall-blind-fill': 'visible' });
    await settle(page);
    await page.screenshot({ path: `${RESULTS_DIR}wall-street-video-1920x1080.png` });

    // Pinned, then opened again without scene= in the URL: still the video scene, still pinned.
    await page.getByTestId('scene-pin').click();
    expect(new URL(page.url()).searchParams.get('scene')).toBe('video');
    await page.goto(`${ctx.app.baseUrl}/wall?street=${street.code}&every=600`);
    await shows(page, street.code);
    expect(await page.getByTestId('scene-bar').getAttribute('data-scene')).toBe('video');
    expect(await page.getByTestId('scene-bar').getAttribute('data-pinned')).toBe('true');
    expect(await visibility(page, 'cameras-point')).toBe('visible');
    // A pinned scene holds even where the playlist rotates scenes.
    await page.goto(`${ctx.app.baseUrl}/wall?street=${street.code}&rotate=scenes&every=5`);
    await shows(page, street.code);
    expect(await page.evaluate(() => window.__wall!.view().steps)).toBe(1);
    await page.getByTestId('scene-pin').click();

    // Unpinned: the scenes rotate every 5 s, the unit stays.
    await page.goto(`${ctx.app.baseUrl}/wall?street=${street.code}&rotate=scenes&every=5`);
    await shows(page, street.code);
    expect(await page.evaluate(() => window.__wall!.view().steps)).toBe(4);
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 3; i++) {
      seen.add(await page.evaluate(() => window.__wall!.view().scene));
      await page.waitForTimeout(500);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => window.__wall!.view().id)).toBe(street.code);
    // Both: each view in each scene.
    await page.goto(`${ctx.app.baseUrl}/wall?street=${street.code}&rotate=both&every=5`);
    await shows(page, street.code);
    const communities = await page.getByTestId('unit-item').count();
    expect(await page.evaluate(() => window.__wall!.view().steps)).toBe((communities + 1) * 4);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);
});
