// The desktop map in Debian Chromium (SwiftShader: software WebGL, so the numbers are relative, not what a
// GPU gives): time to interactive (the map's first `idle`), frame times while panning and zooming with
// default and with every layer on (requestAnimationFrame timestamps in the page), and the gzipped JS the
// first page loads. `npm run bench -- ui [--runs N] [--width W --height H]`.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureServer, repoRoot } from '../scripts/db.ts';
import { buildFrontend } from '../scripts/build-frontend.ts';
import { migrate } from '../server/db/migrate.ts';
import { runSeed } from '../scripts/seed/run.ts';
import { buildApp } from '../server/app.ts';
import { ALL_LAYER_IDS } from '../src/layers/catalog.ts';
import { arg } from './shared.ts';
import { frames3d, frames3dMarkdown } from './ui-3d.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'];
const HOME = 'map=12.5/30.555/114.33';
/** The default layers less the deck.gl one (alarm pulses), to show what deck.gl adds to the first page. */
const NO_DECK = 'basemap,grids,pipes,hazards,facilities,sensors';
const DIST = path.join(repoRoot, 'dist');

interface LoadRun { idleMs: number; loadMs: number; firstRenderMs: number }
interface FrameStats { frames: number; durationMs: number; fps: number; meanMs: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; over50ms: number }

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
};
const r1 = (v: number) => Math.round(v * 10) / 10;

/** Records the times of the map's first render, `load` and first `idle` from navigation start. */
const TIMING_SCRIPT = `(() => {
  let map;
  Object.defineProperty(window, '__map', {
    configurable: true,
    get() { return map; },
    set(m) {
      map = m;
      if (!m || window.__benchTiming) return;
      const t = (window.__benchTiming = {});
      m.once('render', () => { t.firstRender = performance.now(); });
      m.once('load', () => { t.load = performance.now(); });
      m.once('idle', () => { t.idle = performance.now(); });
    },
  });
})();`;

async function measureLoad(browser: Browser, base: string, viewport: { width: number; height: number }, hash: string, warm: boolean): Promise<LoadRun & { scripts: string[] }> {
  const ctx = await browser.newContext({ viewport });
  await ctx.addInitScript(TIMING_SCRIPT);
  const page = await ctx.newPage();
  const scripts = new Set<string>();
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
  });
  if (warm) {
    // A first visit fills the browser cache; the measured one is a reload.
    await page.goto(`${base}/#${hash}`);
    await page.waitForFunction('window.__benchTiming && window.__benchTiming.idle', null, { timeout: 120_000 });
    await page.reload();
  } else {
    await page.goto(`${base}/#${hash}`);
  }
  await page.waitForFunction('window.__benchTiming && window.__benchTiming.idle', null, { timeout: 120_000 });
  const t = (await page.evaluate('window.__benchTiming')) as { idle: number; load: number; firstRender: number };
  await ctx.close();
  return { idleMs: r1(t.idle), loadMs: r1(t.load), firstRenderMs: r1(t.firstRender), scripts: [...scripts] };
}

/** Frame intervals from requestAnimationFrame while the map pans and zooms through a fixed script. */
async function measureFrames(page: Page): Promise<FrameStats> {
  // A string, not a function: the TypeScript loader adds helpers (__name) that do not exist in the page.
  const intervals = (await page.evaluate(`(async () => {
    const map = window.__map;
    const stamps = [];
    let running = true;
    const tick = (t) => { stamps.push(t); if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const move = (o) => new Promise((resolve) => { map.once('moveend', () => resolve()); map.easeTo({ ...o, easing: (x) => x }); });
    const start = map.getCenter();
    const z = map.getZoom();
    await move({ center: [start.lng + 0.02, start.lat], duration: 1500 });
    await move({ center: [start.lng + 0.02, start.lat - 0.015], duration: 1500 });
    await move({ zoom: z + 1.5, duration: 1500 });
    await move({ zoom: z, duration: 1500 });
    await move({ center: [start.lng - 0.02, start.lat + 0.01], duration: 2000 });
    await move({ center: [start.lng, start.lat], zoom: z - 1, duration: 1500 });
    await move({ zoom: z, duration: 1000 });
    running = false;
    return stamps.slice(1).map((t, i) => t - stamps[i]);
  })()`)) as number[];
  const total = intervals.reduce((s, x) => s + x, 0);
  return {
    frames: intervals.length,
    durationMs: Math.round(total),
    fps: r1((intervals.length / total) * 1000),
    meanMs: r1(total / intervals.length),
    p50Ms: r1(pct(intervals, 50)),
    p95Ms: r1(pct(intervals, 95)),
    p99Ms: r1(pct(intervals, 99)),
    maxMs: r1(Math.max(...intervals)),
    over50ms: intervals.filter((x) => x > 50).length,
  };
}

async function framesFor(browser: Browser, base: string, viewport: { width: number; height: number }, hash: string): Promise<FrameStats> {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await page.goto(`${base}/#${hash}`);
  await page.waitForFunction('window.__map !== undefined', null, { timeout: 60_000 });
  await page.evaluate(`new Promise((r) => { const m = window.__map; if (m.loaded() && !m.isMoving()) r(); else m.once('idle', () => r()); })`);
  await page.waitForTimeout(1000);
  // One unmeasured pass warms the tile cache along the path; the second is measured.
  await measureFrames(page);
  const stats = await measureFrames(page);
  await ctx.close();
  return stats;
}

function gz(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

/** Gzipped size of the JS a page loaded (paths as requested), and of everything in dist/assets. */
function jsSizes(loaded: string[]): { firstPageKB: number; files: { file: string; gzKB: number }[]; allJsKB: number; entryAndPreloadsKB: number } {
  const files = loaded
    .filter((p) => p.endsWith('.js') || p.endsWith('.mjs'))
    .map((p) => ({ file: p.replace(/^\//, ''), gzKB: r1(gz(path.join(DIST, p)) / 1024) }))
    .sort((a, b) => b.gzKB - a.gzKB);
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const all = readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
  return {
    firstPageKB: r1(files.reduce((s, f) => s + f.gzKB, 0)),
    files,
    entryAndPreloadsKB: r1(initial.reduce((s, f) => s + gz(path.join(DIST, f)), 0) / 1024),
    allJsKB: r1(all.reduce((s, f) => s + gz(path.join(DIST, 'assets', f)), 0) / 1024),
  };
}

export async function run(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 3);
  const viewport = { width: arg(args, 'width', 1280), height: arg(args, 'height', 800) };

  const { url } = await ensureServer();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await migrate(db);
  if ((await db.query('SELECT NOT EXISTS (SELECT 1 FROM streets) AS empty')).rows[0].empty) {
    console.log('[bench] seeding the database (once)…');
    await runSeed(db, { cases: 200_000, log: (m) => console.log(`[seed] ${m}`) });
  }
  const cases = Number((await db.query('SELECT count(*) FROM cases')).rows[0].count);
  await db.end();
  buildFrontend();
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ was not built');

  const server = await buildApp({ databaseUrl: url });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    console.log(`[bench] ${base}, ${cases} cases, viewport ${viewport.width}×${viewport.height}, ${runs} runs`);
    const cold: LoadRun[] = [];
    const warm: LoadRun[] = [];
    const noDeck: LoadRun[] = [];
    const basemapOnly: LoadRun[] = [];
    let scripts: string[] = [];
    for (let i = 0; i < runs; i++) {
      const c = await measureLoad(browser, base, viewport, HOME, false);
      scripts = c.scripts;
      cold.push(c);
      warm.push(await measureLoad(browser, base, viewport, HOME, true));
      noDeck.push(await measureLoad(browser, base, viewport, `${HOME}&layers=${NO_DECK}`, true));
      basemapOnly.push(await measureLoad(browser, base, viewport, `${HOME}&layers=basemap`, true));
      console.log(`[bench] load run ${i + 1}: cold idle ${c.idleMs} ms, warm idle ${warm[i].idleMs} ms, warm without deck.gl ${noDeck[i].idleMs} ms, warm basemap only ${basemapOnly[i].idleMs} ms`);
    }
    const all = `${HOME.replace('12.5', '14')}&layers=${ALL_LAYER_IDS.join(',')}`;
    const framesDefault = await framesFor(browser, base, viewport, `${HOME.replace('12.5', '14')}`);
    console.log(`[bench] frames, default layers: p50 ${framesDefault.p50Ms} ms, p95 ${framesDefault.p95Ms} ms, ${framesDefault.fps} fps`);
    const framesAll = await framesFor(browser, base, viewport, all);
    console.log(`[bench] frames, all layers: p50 ${framesAll.p50Ms} ms, p95 ${framesAll.p95Ms} ms, ${framesAll.fps} fps`);
    // The 3D view next to the flat map (bench/ui-3d.ts).
    const threeD = await frames3d(browser, base, viewport);
    console.log(`[bench] frames, 3D view: p50 ${threeD.threeD.p50Ms} ms (tilted 2D ${threeD.tilted.p50Ms} ms, flat ${threeD.flat.p50Ms} ms)`);
    const js = jsSizes(scripts);
    console.log(`[bench] first page JS ${js.firstPageKB} KB gzipped (${js.files.length} files); all JS ${js.allJsKB} KB`);

    const summarise = (xs: LoadRun[]) => ({
      idleMedianMs: pct(xs.map((x) => x.idleMs), 50),
      idleMinMs: Math.min(...xs.map((x) => x.idleMs)),
      idleMaxMs: Math.max(...xs.map((x) => x.idleMs)),
      loadMedianMs: pct(xs.map((x) => x.loadMs), 50),
      firstRenderMedianMs: pct(xs.map((x) => x.firstRenderMs), 50),
      runs: xs,
    });
    const results = {
      date: new Date().toISOString(),
      machine: '2 cores, Debian Chromium, SwiftShader (software WebGL), loopback server',
      viewport,
      cases,
      view: HOME,
      load: { cold: summarise(cold), warm: summarise(warm), warmWithoutDeck: summarise(noDeck), warmBasemapOnly: summarise(basemapOnly) },
      frames: { defaultLayers: framesDefault, allLayers: { layers: ALL_LAYER_IDS, ...framesAll } },
      frames3d: threeD,
      js,
      targets: { interactiveMs: 2000, firstPageJsKB: 1024 },
    };
    const dir = path.join(repoRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 10);
    writeFileSync(path.join(dir, `ui-${stamp}.json`), JSON.stringify(results, null, 2));
    const f = (s: FrameStats) => `| ${s.frames} | ${s.fps} | ${s.meanMs} | ${s.p50Ms} | ${s.p95Ms} | ${s.p99Ms} | ${s.maxMs} | ${s.over50ms} |`;
    const md = `# UI benchmark ${stamp}

Debian Chromium with SwiftShader (software WebGL on 2 CPU cores, shared with the server and PostGIS):
frame times are far above what a GPU gives and are for comparing versions, not absolute. Viewport
${viewport.width}×${viewport.height}, ${cases.toLocaleString('en')} cases, view \`${HOME}\`.

## Time to interactive (first map \`idle\`: style, tiles and deck.gl layers drawn)

| | median | min | max | map \`load\` median | first render median |
|---|---|---|---|---|---|
| cold (new browser profile) | ${results.load.cold.idleMedianMs} ms | ${results.load.cold.idleMinMs} ms | ${results.load.cold.idleMaxMs} ms | ${results.load.cold.loadMedianMs} ms | ${results.load.cold.firstRenderMedianMs} ms |
| warm (reload, cached JS and tiles) | ${results.load.warm.idleMedianMs} ms | ${results.load.warm.idleMinMs} ms | ${results.load.warm.idleMaxMs} ms | ${results.load.warm.loadMedianMs} ms | ${results.load.warm.firstRenderMedianMs} ms |
| warm, default layers without deck.gl | ${results.load.warmWithoutDeck.idleMedianMs} ms | ${results.load.warmWithoutDeck.idleMinMs} ms | ${results.load.warmWithoutDeck.idleMaxMs} ms | ${results.load.warmWithoutDeck.loadMedianMs} ms | ${results.load.warmWithoutDeck.firstRenderMedianMs} ms |
| warm, basemap only | ${results.load.warmBasemapOnly.idleMedianMs} ms | ${results.load.warmBasemapOnly.idleMinMs} ms | ${results.load.warmBasemapOnly.idleMaxMs} ms | ${results.load.warmBasemapOnly.loadMedianMs} ms | ${results.load.warmBasemapOnly.firstRenderMedianMs} ms |

Target: interactive within 2 s on localhost.

## Frame times while panning and zooming (10.5 s scripted easeTo path, second pass)

| layers | frames | fps | mean ms | p50 ms | p95 ms | p99 ms | max ms | frames > 50 ms |
|---|---|---|---|---|---|---|---|---|
| default (${'basemap, grids, pipes, hazards, facilities, sensors, alarms'}) ${f(framesDefault)}
| all ${ALL_LAYER_IDS.length} layers ${f(framesAll)}

## JavaScript

First page (default layers, until the map is idle): **${js.firstPageKB} KB gzipped** in ${js.files.length} files (target < 1024 KB).
Entry script and its modulepreloads alone: ${js.entryAndPreloadsKB} KB. All JS in dist/assets (incl. lazy tools): ${js.allJsKB} KB.

| file | gzip KB |
|---|---|
${js.files.map((x) => `| ${x.file} | ${x.gzKB} |`).join('\n')}
${frames3dMarkdown(threeD)}`;
    writeFileSync(path.join(dir, `ui-${stamp}.md`), md);
    console.log(`[bench] written to bench/results/ui-${stamp}.{json,md}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
