// Clustered layers at district and street zooms in Debian Chromium, against the real server over a test
// database of its own: clusters never overlap and every count is drawn; the case density shows through the
// case clusters; the layer tree counts the features in view once (= SQL over the view) for cases, cameras
// and the density.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import sharp from 'sharp';
import { type Browser, type Page } from 'playwright-core';
import { openMap, RESULTS_DIR, waitForIdle, openPage } from '../helpers/browser.ts';
import { startApp } from '../helpers/app.ts';
import { CLUSTER_INSET_PX } from '../../common/clusters.ts';

const CENTER = { lon: 114.33, lat: 30.555 };
/** Cases stacked into a 3 km square around the centre: every z11–z13 tile there is clusters. */
const STACKED = 40_000;

/** Distinct clusters of a style layer drawn in the viewport, at their screen positions. */
const clustersOn = (page: Page, layer: string) =>
  page.evaluate((id) => {
    const map = window.__map!;
    const seen = new Map<string, { x: number; y: number; count: number }>();
    for (const f of map.queryRenderedFeatures({ layers: [id] })) {
      if (f.geometry.type !== 'Point') continue;
      const p = map.project(f.geometry.coordinates as [number, number]);
      seen.set(`${Math.round(p.x)},${Math.round(p.y)}`, { x: p.x, y: p.y, count: Number(f.properties.count) });
    }
    return [...seen.values()];
  }, layer);

async function jumpTo(page: Page, zoom: number): Promise<void> {
  await page.evaluate(([z, x, y]) => new Promise<void>((resolve) => {
    const map = window.__map!;
    map.once('idle', () => resolve());
    map.jumpTo({ center: [x, y], zoom: z });
  }), [zoom, CENTER.lon, CENTER.lat] as const);
}

/** RGB at a screen point of a screenshot (device scale 1). */
async function pixel(png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (Math.round(y) * info.width + Math.round(x)) * 3;
  return [data[i], data[i + 1], data[i + 2]];
}

const treeCount = async (page: Page, id: string) => Number(((await page.getByTestId(`layer-count-${id}`).textContent()) ?? '').replace(/\D/g, ''));

describe('clustered layers at city zooms (e2e)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let db: pg.Client;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    await db.query('SELECT setseed(0.15)');
    await db.query(
      `INSERT INTO cases (case_no, class_code, item_code, source, status, reported_at, geom)
       SELECT 'STACK-' || g, it.class_code, it.code, 'citizen', CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'reported' END, now(),
              ST_SetSRID(ST_MakePoint($1 + (random() - 0.5) * 0.031, $2 + (random() - 0.5) * 0.027), 4326)
       FROM generate_series(1, $3::int) g,
            (SELECT s.class_code, i.code FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code ORDER BY i.code LIMIT 1) it`,
      [CENTER.lon, CENTER.lat, STACKED],
    );
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' }, problems));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
  });

  it('at z11–z13 clusters never overlap and every count is drawn; points from where they can be told apart', async () => {
    await openMap(page, app.baseUrl, `map=12/${CENTER.lat}/${CENTER.lon}&layers=basemap,cases`);
    for (const zoom of [12, 13]) {
      await jumpTo(page, zoom);
      await page.screenshot({ path: `${RESULTS_DIR}/i15-1-clusters-z${zoom}-after.png` });
    }
    // All three clustered layers at once: each owns a quadrant of the cell, so no circle meets another's.
    await openMap(page, app.baseUrl, `map=12/${CENTER.lat}/${CENTER.lon}&layers=basemap,cases,cameras,manholes`);
    for (const zoom of [11, 11.6, 12, 12.5, 13, 13.7]) {
      await jumpTo(page, zoom);
      if (zoom === 12) await page.screenshot({ path: `${RESULTS_DIR}/i15-1-three-layers-z12-after.png` });
      const all: { x: number; y: number; count: number; layer: string }[] = [];
      for (const layer of ['cases', 'cameras', 'manholes']) {
        const clusters = await clustersOn(page, `${layer}-cluster`);
        if (layer === 'cases') expect(clusters.length, `z${zoom}`).toBeGreaterThan(5);
        all.push(...clusters.map((c) => ({ ...c, layer })));
        // Every cluster's count is placed (none hidden by a neighbour); one on the edge may have its label off the canvas.
        const inside = (c: { x: number; y: number }) => c.x > 20 && c.x < 1260 && c.y > 20 && c.y < 780;
        expect((await clustersOn(page, `${layer}-cluster-count`)).filter(inside).length, `${layer} z${zoom}`).toBe(clusters.filter(inside).length);
      }
      expect(new Set(all.map((c) => c.layer)).size, `z${zoom}`).toBe(3);
      // A circle with its stroke is at most CLUSTER_INSET_PX in radius: centres that far apart twice never overlap.
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          const d = Math.hypot(all[i].x - all[j].x, all[i].y - all[j].y);
          expect(d, `z${zoom}: ${JSON.stringify([all[i], all[j]])}`).toBeGreaterThanOrEqual(2 * CLUSTER_INSET_PX - 0.5);
        }
      }
    }
    // Deeper, the stacked square is points again, told apart.
    await openMap(page, app.baseUrl, `map=16.5/${CENTER.lat}/${CENTER.lon}&layers=basemap,cases`);
    expect((await page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['cases-point'] }).length))).toBeGreaterThan(0);
    expect(await clustersOn(page, 'cases-cluster')).toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);

  it('with the case density on, its hexagons show through the case clusters', async () => {
    await openMap(page, app.baseUrl, `map=12/${CENTER.lat}/${CENTER.lon}&layers=basemap,density`);
    await page.waitForFunction(() => window.__onemap?.deckReady() && (window.__onemap.deckCounts()?.density ?? 0) > 0, null, { timeout: 60_000 });
    // The basemap's names give way to cluster counts: without them, what differs under a cluster is the cluster.
    const hideNames = () => page.evaluate(() => {
      const map = window.__map!;
      for (const l of map.getStyle().layers) if (l.type === 'symbol' && !l.id.startsWith('cases')) map.setLayoutProperty(l.id, 'visibility', 'none');
    });
    await hideNames();
    await waitForIdle(page);
    const densityOnly = await page.screenshot();
    await page.getByTestId('layer-toggle-cases').check();
    await page.waitForFunction(() => window.__map!.queryRenderedFeatures({ layers: ['cases-cluster'] }).length > 0, null, { timeout: 60_000 });
    await waitForIdle(page);
    await page.screenshot({ path: `${RESULTS_DIR}/i15-1-density-after.png` });
    await hideNames();
    await waitForIdle(page);
    const both = await page.screenshot();
    // Inside big clusters, below the count: the colour there is still the hexagon's.
    const big = (await clustersOn(page, 'cases-cluster')).filter((c) => c.count >= 100 && c.x > 400 && c.x < 1240 && c.y > 40 && c.y < 760);
    expect(big.length).toBeGreaterThan(3);
    for (const c of big) {
      // Three points 3 px apart, so that one is off the hexagons' white edges.
      const diffs: string[] = [];
      for (const dx of [-3, 0, 3]) {
        const [a, b] = [await pixel(densityOnly, c.x + dx, c.y + 8.5), await pixel(both, c.x + dx, c.y + 8.5)];
        diffs.push(`${Math.max(...a.map((v, k) => Math.abs(v - b[k])))}: ${a} vs ${b}`);
      }
      expect(Math.min(...diffs.map((d) => Number(d.split(':')[0]))), `${JSON.stringify(c)}: ${diffs.join('; ')}`).toBeLessThan(60);
    }
  }, 240_000);

  it('with clusters on the view\'s edge, the tree still counts what lies inside the view (= SQL), and the density agrees', async () => {
    for (const zoom of [13.2, 14.4]) {
      await openMap(page, app.baseUrl, `map=${zoom}/${CENTER.lat + 0.004}/${CENTER.lon - 0.006}&layers=basemap,cases,cameras,manholes`);
      // The bounds the tree asks the server about, rounded as the client rounds them.
      const view = await page.evaluate(() => {
        const b = window.__map!.getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Number(v.toFixed(6)));
      });
      const env = `ST_MakeEnvelope(${view.join(', ')}, 4326)`;
      const sqlCount = async (table: string) => Number((await db.query(`SELECT count(*) FROM ${table} WHERE ST_Intersects(geom, ${env})`)).rows[0].count);
      // Clusters straddle the edge: what they stand for is more than what lies inside.
      const rendered = await page.evaluate(() => window.__onemap!.renderedCounts());
      const sql = { cases: await sqlCount('cases'), cameras: await sqlCount('cameras'), manholes: await sqlCount('manholes') };
      expect(rendered.cases.aggregated).toBe(true);
      expect(rendered.cases.total, `z${zoom}`).toBeGreaterThan(sql.cases);
      for (const id of ['cases', 'cameras', 'manholes'] as const) {
        await expect.poll(() => treeCount(page, id), { timeout: 20_000, message: `${id} z${zoom}` }).toBe(sql[id]);
        expect(await page.getByTestId(`layer-count-${id}`).textContent(), id).not.toContain('≈');
      }
      await page.getByTestId('layer-toggle-density').check();
      await expect.poll(() => treeCount(page, 'density'), { timeout: 60_000 }).toBe(sql.cases);
      await page.getByTestId('layer-panel').screenshot({ path: `${RESULTS_DIR}/i15-2-tree-edge-z${zoom}-after.png` });
    }
  }, 240_000);

  it('counts in view are the features in view: the tree = rendered = SQL over the view, for cases, cameras and the density', async () => {
    await openMap(page, app.baseUrl, `map=12.3/${CENTER.lat}/${CENTER.lon}&layers=basemap,cases,cameras`);
    // Nothing straddles the view's edge: empty a frame 150 px either side of it (wider than any cluster cell,
    // which is at most 128 px on screen), so every case and camera is either wholly in view or wholly out.
    const frame = await page.evaluate(() => {
      const map = window.__map!;
      const w = map.getCanvas().clientWidth;
      const h = map.getCanvas().clientHeight;
      const box = (a: number) => [map.unproject([a, h - a]).toArray(), map.unproject([w - a, a]).toArray()].flat();
      return { view: box(0), inner: box(150), outer: box(-150) };
    });
    const env = (b: number[]) => `ST_MakeEnvelope(${b.map(Number).join(', ')}, 4326)`;
    for (const table of ['cases', 'cameras']) {
      await db.query(`DELETE FROM ${table} WHERE ST_Intersects(geom, ${env(frame.outer)}) AND NOT ST_Intersects(geom, ${env(frame.inner)})`);
    }
    const inView = async (table: string) => Number((await db.query(`SELECT count(*) FROM ${table} WHERE ST_Intersects(geom, ${env(frame.view)})`)).rows[0].count);
    const sql = { cases: await inView('cases'), cameras: await inView('cameras') };
    expect(sql.cases).toBeGreaterThan(STACKED);
    expect(sql.cameras).toBeGreaterThan(100);

    await openMap(page, app.baseUrl, `map=12.3/${CENTER.lat}/${CENTER.lon}&layers=basemap,cases,cameras`);
    await page.screenshot({ path: `${RESULTS_DIR}/i15-2-counts-after.png` });
    await page.getByTestId('layer-panel').screenshot({ path: `${RESULTS_DIR}/i15-2-tree-after.png` });
    const rendered = await page.evaluate(() => window.__onemap!.renderedCounts());
    expect(rendered.cases.aggregated).toBe(true);
    expect(rendered.cameras.aggregated).toBe(true);
    for (const id of ['cases', 'cameras'] as const) {
      expect(rendered[id].total, id).toBe(sql[id]);
      await expect.poll(() => treeCount(page, id), { timeout: 20_000 }).toBe(sql[id]);
    }

    await page.getByTestId('layer-toggle-density').check();
    await expect.poll(() => page.evaluate(() => window.__onemap!.deckCounts()?.density ?? 0), { timeout: 60_000 }).toBe(sql.cases);
    await expect.poll(() => treeCount(page, 'density'), { timeout: 20_000 }).toBe(sql.cases);
    expect(await treeCount(page, 'cases')).toBe(sql.cases);
    await page.screenshot({ path: `${RESULTS_DIR}/i15-2-counts-density-after.png` });
  }, 240_000);
});
