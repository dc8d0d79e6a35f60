// Alarm handling across pages in Debian Chromium: two walls open (one with a dispatcher logged in, one a
// kiosk without a session); an alarm raised by a reading shows on both as 待确认; acknowledged on the first
// page, it shows acknowledged on the second from the alarm's live event over SSE. The kiosk
// offers no actions. Screenshots of the alarm panel go to test-results/ (look at them).
import { mkdir } from 'node:fs/promises';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, RESULTS_DIR, watchPage } from '../helpers/browser.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

describe('alarm handling on two pages (e2e)', () => {
  const ctx = useTestApp();
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let operator: Page;
  let kiosk: Page;
  let headers: Record<string, string>;

  const wallPage = async (token: string | null): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    contexts.push(context);
    if (token) await context.addCookies([{ name: 'onemap_session', value: token, url: ctx.app.baseUrl }]);
    const page = await context.newPage();
    watchPage(page, problems);
    await page.goto(`${ctx.app.baseUrl}/wall?interval=600`);
    await page.waitForFunction(() => window.__wall?.live().state === 'open', null, { timeout: 90_000 });
    return page;
  };

  beforeAll(async () => {
    ({ headers } = await loginAs(ctx, 'dispatcher'));
    await mkdir(RESULTS_DIR, { recursive: true });
    browser = await launchChromium();
    operator = await wallPage(headers.authorization.slice('Bearer '.length));
    kiosk = await wallPage(null);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });

  it('acknowledged on one page shows acknowledged on the other within a second', async () => {
    const { rows: [d] } = await ctx.db.query<{ id: number; alarm_level: number; station: string }>(`
      SELECT d.id, d.alarm_level, s.name AS station FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id
      WHERE s.kind = 'ponding' AND d.level = 'normal' AND d.alarm_level IS NOT NULL
        AND EXISTS (SELECT 1 FROM grids g WHERE ST_Contains(g.geom, s.geom))
        AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.station_id = s.id AND a.cleared_at IS NULL)
      ORDER BY d.id LIMIT 1`);
    const res = await fetch(`${ctx.app.baseUrl}/api/ingest/observations`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ datastream_id: d.id, t: new Date().toISOString(), value: d.alarm_level + 10 }),
    });
    expect(res.status).toBe(200);
    const { rows: [a] } = await ctx.db.query<{ id: string }>('SELECT id::text FROM alarms WHERE datastream_id = $1 AND cleared_at IS NULL', [d.id]);
    const item = (p: Page) => p.locator(`[data-testid=alarm-item][data-alarm-id="${a.id}"]`);
    for (const p of [operator, kiosk]) await expect.poll(() => item(p).getAttribute('data-handling'), { timeout: 10_000 }).toBe('new');
    expect(await item(kiosk).getByTestId('alarm-handling').textContent()).toBe('待确认');
    // A kiosk without a session offers no actions; the operator's wall does.
    expect(await item(kiosk).getByTestId('alarm-handle').count()).toBe(0);
    await item(operator).getByTestId('alarm-handle').click();
    const ack = item(operator).getByTestId('alarm-acknowledge');
    await ack.waitFor({ timeout: 10_000 });
    await operator.screenshot({ path: `${RESULTS_DIR}alarm-panel-actions-1920.png`, clip: (await operator.getByTestId('panel-alarms').boundingBox())! });

    const answered = operator.waitForResponse((r) => r.url().endsWith(`/api/alarms/${a.id}/actions/acknowledge`));
    await ack.click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const t0 = Date.now();
    await kiosk.waitForFunction((id) => document.querySelector(`[data-testid=alarm-item][data-alarm-id="${id}"]`)?.getAttribute('data-handling') === 'acknowledged', a.id, { timeout: 5_000, polling: 20 });
    // Within 5 s proves it came with the live event (the wall re-reads its alarms every 5 minutes); how fast
    // is a figure for the live benchmark, not a test (wall-clock on a shared machine).
    console.log(`[alarm-handling] acknowledged on the other page after ${Date.now() - t0} ms`);
    expect(await item(kiosk).getByTestId('alarm-handling').textContent()).toBe('已确认');
    // On the operator's page the actions now offer what follows an acknowledgement.
    await item(operator).getByTestId('alarm-assign').waitFor({ timeout: 5_000 });

    // 督办: the sweep, run as if the district's time had passed, marks a new alarm supervised on every wall.
    const { rows: [s] } = await ctx.db.query<{ id: string }>(`UPDATE alarms SET unit_since = now() - interval '2 hours'
      WHERE id = (SELECT id FROM alarms WHERE handling = 'new' AND cleared_at IS NULL AND level = 'alarm' ORDER BY raised_at DESC LIMIT 1) RETURNING id::text`);
    await ctx.app.server.alarmSweep.run();
    await expect.poll(() => kiosk.locator(`[data-testid=alarm-item][data-alarm-id="${s.id}"] [data-testid=alarm-supervised]`).count(), { timeout: 5_000 }).toBe(1);
    await kiosk.screenshot({ path: `${RESULTS_DIR}alarm-panel-kiosk-1920.png`, clip: (await kiosk.getByTestId('panel-alarms').boundingBox())! });
    expect(problems).toEqual([]);
  }, 120_000);
});
