// Facility state on the map in Debian Chromium: a pumping station running, a flood gate open and a lake past
// 警戒水位 (reported through the ingest code) drawn with their state rings, readings and level outline; the
// station's details say its state in Chinese with the record's chart. Screenshots in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { openMap, openPage, RESULTS_DIR } from '../helpers/browser.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { ingestFacilityState } from '../../server/live/ingest-facilities.ts';

describe('facility state on the map (e2e)', () => {
  let app: RunningApp;
  let pool: pg.Pool;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    pool = new pg.Pool({ connectionString: app.db.url, max: 2 });
    ({ browser } = await openPage({}, problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pool?.end();
    await app?.stop();
  });

  it('shows pumps running, a gate open and a lake past its warning level', async () => {
    const one = async (kind: string) => (await pool.query<{ id: number; lon: number; lat: number }>(
      `SELECT f.id, ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat FROM facilities f
       JOIN facility_state s ON s.facility_id = f.id WHERE f.kind = $1 ORDER BY f.id LIMIT 1`, [kind])).rows[0];
    const pump = await one('pumping_station');
    const lake = await one('lake');
    const { rows: gates } = await pool.query<{ id: number }>(
      `SELECT g.id FROM facilities g JOIN facilities p ON p.id = $1 WHERE g.kind = 'flood_gate' ORDER BY g.geom <-> p.geom LIMIT 1`, [pump.id]);
    const actor = { name: 'e2e', role: 'system' } as const;
    await ingestFacilityState(pool, [
      { facility_id: pump.id, pump_status: 'running', flow_m3s: 18.5, units_running: 3 },
      { facility_id: gates[0].id, open_pct: 60 },
      { facility_id: lake.id, water_level_m: 20.0 },
    ], actor, null);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await openMap(page, app.baseUrl, `map=15/${pump.lat}/${pump.lon}&sel=facilities:${pump.id}`);
    const section = page.getByTestId('facility-state');
    await expect.poll(() => section.textContent(), { timeout: 20_000 }).toContain('泵站运行');
    expect(await section.textContent()).toContain('18.5 m³/s');
    await page.screenshot({ path: `${RESULTS_DIR}facility-state-pump.png` });

    await openMap(page, app.baseUrl, `map=14/${lake.lat}/${lake.lon}&sel=facilities:${lake.id}`);
    await expect.poll(() => page.getByTestId('facility-state').textContent(), { timeout: 20_000 }).toContain('超警戒水位');
    expect(await page.getByTestId('facility-state').textContent()).toContain('20.00 m');
    await page.screenshot({ path: `${RESULTS_DIR}facility-state-lake.png` });
    // Unselected, the lake's outline is the level's colour (orange: past 警戒水位).
    await openMap(page, app.baseUrl, `map=13/${lake.lat}/${lake.lon}`);
    await page.screenshot({ path: `${RESULTS_DIR}facility-state-lake-map.png` });
    await context.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
