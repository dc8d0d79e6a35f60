// People live in Debian Chromium: a field worker on a phone (390×844) goes on duty (上岗) with 共享位置
// ticked; the phone's position (Playwright geolocation) is sent and moves when the phone moves; a
// dispatcher's desktop map shows the person on the personnel layer; 下岗 stops the sending.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { type Browser } from 'playwright-core';
import { openMap, openPage, RESULTS_DIR } from '../helpers/browser.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { createSession, createUser } from '../../server/auth/users.ts';
import { SESSION_COOKIE } from '../../server/auth/request-user.ts';

describe('people live (e2e)', () => {
  let app: RunningApp;
  let db: pg.Client;
  let browser: Browser;
  const problems: string[] = [];
  const HERE = { longitude: 114.3105, latitude: 30.5452 };

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
  });

  const sessionFor = async (role: 'field' | 'dispatcher', name: string) => {
    const user = await createUser(db, { username: `${role}-people-${process.pid}`, password: 'pw-people-long-enough', role, display_name: name });
    return (await createSession(db, user.id, null)).token;
  };

  it('goes on duty with sharing on a phone, and a dispatcher sees the person on the map', async () => {
    const opened = await openPage({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
      geolocation: { ...HERE, accuracy: 8 }, permissions: ['geolocation'], reducedMotion: 'reduce',
    }, problems);
    browser = opened.browser;
    const phone = opened.page;
    await opened.context.addCookies([{ name: SESSION_COOKIE, value: await sessionFor('field', '网格员甲'), url: app.baseUrl }]);
    await phone.goto(`${app.baseUrl}/field`);
    const bar = phone.getByTestId('field-duty');
    await bar.waitFor();
    expect(await bar.getAttribute('data-on-duty')).toBe('false');
    expect(await phone.getByTestId('field-duty-share').isChecked()).toBe(true);
    await phone.getByTestId('field-duty-on').tap();
    await expect.poll(() => bar.getAttribute('data-sharing')).toBe('true');
    // The phone's position reaches the server.
    const positionOf = async () => (await db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM staff WHERE name = '网格员甲'`)).rows[0];
    // The phone moves (Chromium's emulation serves a new position to every watcher): the fix is sent.
    const MOVED = { longitude: 114.3112, latitude: 30.5457 };
    await opened.context.setGeolocation({ ...MOVED, accuracy: 8 });
    await expect.poll(positionOf, { timeout: 20_000 }).toEqual({ lon: MOVED.longitude, lat: MOVED.latitude });
    await expect.poll(() => phone.getByTestId('field-duty-status').textContent()).toContain('共享位置');
    await phone.screenshot({ path: `${RESULTS_DIR}personnel-field-390-on-duty.png` });

    // A dispatcher's map, personnel layer on: the person is drawn where the phone is. The seed's people and
    // devices on duty are taken off the map first, so that the one drawn is this one.
    await db.query(`UPDATE staff SET on_duty = false, sharing = false, status = 'off_duty', last_position = NULL WHERE synthetic`);
    await db.query('UPDATE devices SET geom = NULL WHERE synthetic');
    const desk = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    await desk.addCookies([{ name: SESSION_COOKIE, value: await sessionFor('dispatcher', '调度员'), url: app.baseUrl }]);
    const page = await desk.newPage();
    await openMap(page, app.baseUrl, `map=16/${MOVED.latitude}/${MOVED.longitude}&layers=basemap`);
    await page.getByTestId('layer-toggle-personnel').check();
    await page.waitForFunction(() => window.__onemap?.deckReady(), null, { timeout: 60_000 });
    await expect.poll(async () => (await page.evaluate(() => window.__onemap!.deckCounts()))?.personnel ?? 0, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => window.__onemap!.deckPickCount('personnel')), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: `${RESULTS_DIR}personnel-desktop-dispatcher.png` });

    // 下岗: the position is forgotten and no more is sent.
    await phone.getByTestId('field-duty-off').tap();
    await expect.poll(() => bar.getAttribute('data-on-duty')).toBe('false');
    expect(await positionOf()).toEqual({ lon: null, lat: null });
    expect(problems).toEqual([]);
  }, 180_000);
});
