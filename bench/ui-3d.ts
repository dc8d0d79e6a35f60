// The 3D view's frame times next to the flat map's, for `npm run bench -- ui`: the same street-level view
// of the network flat, tilted (buildings standing) and in 3D (pipes at their depth, bounded by view),
// each orbiting (rotate, pan, zoom) through the same script; and how long the 3D network takes to load.
import type { Browser, Page } from 'playwright-core';
import { frameStats, r1, type FrameStats } from './frames.ts';

type OrbitStats = FrameStats;
export interface Frames3d {
  view: string;
  flat: OrbitStats;
  tilted: OrbitStats;
  threeD: OrbitStats & { firstLoadMs: number; reaches: number; manholes: number };
}

const VIEW = 'map=16.5/30.555/114.33';
const LAYERS = 'layers=basemap,pipes,manholes';

/** The camera turns half around, pans and zooms in and out. */
const orbit = (page: Page) => frameStats(page, `
    await move({ bearing: b + 90, duration: 2000 });
    await move({ center: [c.lng + 0.004, c.lat + 0.002], duration: 1500 });
    await move({ bearing: b + 180, zoom: z + 1, duration: 2000 });
    await move({ center: [c.lng, c.lat], bearing: b, zoom: z, duration: 2000 });`);

/** Polls an expression in the page (page.evaluate of a string passes the page's CSP; waitForFunction's does not). */
async function until(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function open(browser: Browser, base: string, viewport: { width: number; height: number }, hash: string) {
  // Not reduced motion: MapLibre would jump instead of easing, and there would be no frames to time.
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  const started = Date.now();
  await page.goto(`${base}/#${hash}`);
  await until(page, 'window.__map !== undefined');
  await page.evaluate(`new Promise((r) => { const m = window.__map; if (m.loaded() && !m.isMoving()) r(); else m.once('idle', () => r()); })`);
  return { ctx, page, started };
}

/** One warm-up orbit (tiles and the view's network cached), then the measured one. */
async function measured(page: Page): Promise<OrbitStats> {
  await orbit(page);
  return orbit(page);
}

export async function frames3d(browser: Browser, base: string, viewport: { width: number; height: number }): Promise<Frames3d> {
  const flatRun = await open(browser, base, viewport, `${VIEW}&${LAYERS}`);
  const flat = await measured(flatRun.page);
  await flatRun.ctx.close();

  const tiltedRun = await open(browser, base, viewport, `${VIEW}/0/60&${LAYERS}`);
  const tilted = await measured(tiltedRun.page);
  await tiltedRun.ctx.close();

  const run = await open(browser, base, viewport, `${VIEW}/0/60&${LAYERS}&view=3d`);
  await until(run.page, '(window.__onemap.network3d?.()?.counts().loads ?? 0) > 0');
  const firstLoadMs = Date.now() - run.started;
  const counts = (await run.page.evaluate('window.__onemap.network3d().counts()')) as { reaches: number; manholes: number };
  const threeD = await measured(run.page);
  await run.ctx.close();
  return { view: `${VIEW}/0/60`, flat, tilted, threeD: { ...threeD, firstLoadMs, reaches: counts.reaches, manholes: counts.manholes } };
}

/** The section of the benchmark's Markdown report. */
export function frames3dMarkdown(r: Frames3d): string {
  const row = (name: string, s: OrbitStats) => `| ${name} | ${s.frames} | ${s.fps} | ${s.meanMs} | ${s.p50Ms} | ${s.p95Ms} | ${s.maxMs} | ${s.over50ms} |`;
  const ratio = (a: number, b: number) => (b ? r1(a / b) : 0);
  return `
## 3D view: frame times next to the flat map (orbit: rotate 180°, pan, zoom; second pass)

View \`${r.view}\`, layers basemap, pipes, manholes. The 3D view drew ${r.threeD.reaches} reaches and ${r.threeD.manholes} manholes
(bounded per view); its network was on screen ${r.threeD.firstLoadMs} ms after navigation.

| view | frames | fps | mean ms | p50 ms | p95 ms | max ms | frames > 50 ms |
|---|---|---|---|---|---|---|---|
${row('2D flat', r.flat)}
${row('2D tilted 60° (buildings extruded)', r.tilted)}
${row('3D (pipes at depth, ×5)', r.threeD)}

p50 ratio 3D / tilted: ${ratio(r.threeD.p50Ms, r.tilted.p50Ms)}; 3D / flat: ${ratio(r.threeD.p50Ms, r.flat.p50Ms)}.
`;
}
