// The desktop map in Debian Chromium (SwiftShader: software WebGL, so the numbers are relative, not what a
// GPU gives): time to interactive (the map's first `idle`), frame times while panning and zooming with
// default and with every layer on (requestAnimationFrame timestamps in the page), and the gzipped JS the
// first page requests before its first idle.
// `npm run bench -- ui [--runs N] [--width W --height H] [--frames 0] [--baseline DIR] [--tag NAME]`:
// --baseline serves another build (a `vite build --outDir DIR` of an older commit) from a second server in
// the same process and measures both alternately, so the two builds see the same machine load;
// --tag names the result files ui-<tag>-<date>.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { ensureServer, repoRoot } from '../scripts/db.ts';
import { buildFrontend } from '../scripts/build-frontend.ts';
import { buildApp } from '../server/app.ts';
import { frameStats, pct, r1, type FrameStats } from './frames.ts';
import { arg, migratedAndSeeded } from './shared.ts';
import { frames3d, frames3dMarkdown, type Frames3d } from './ui-3d.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'];
const HOME = 'map=12.5/30.555/114.33';
/** The default layers less the deck.gl one (alarm pulses), to show what deck.gl adds to the first page. */
const NO_DECK = 'basemap,grids,pipes,hazards,facilities,sensors';
const DIST = path.join(repoRoot, 'dist');

/**
 * Every layer id: src/layers/<id>.ts files that declare a tile or deck layer module. The browser's catalogue
 * (src/layers/catalog.ts) finds them with Vite's import.meta.glob, which Node does not have.
 */
function allLayerIds(): string[] {
  const dir = path.join(repoRoot, 'src', 'layers');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'types.ts')
    .filter((f) => /^\s+kind: '(tile|deck)',$/m.test(readFileSync(path.join(dir, f), 'utf8')))
    .map((f) => f.slice(0, -3))
    .sort();
}

function strArg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

interface LoadRun { idleMs: number; loadMs: number; firstRenderMs: number }


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
      m.once('idle', () => { t.idle = performance.now(); t.idleEpoch = performance.timeOrigin + t.idle; });
    },
  });
})();`;

// Functions, not strings: the page's CSP (no 'unsafe-eval') refuses the eval Playwright uses for a string predicate.
const idleReached = () => !!(window as unknown as { __benchTiming?: { idle?: number } }).__benchTiming?.idle;

/** One page load; `scripts` are the JS files requested before the map's first idle (the worker's too). */
async function measureLoad(browser: Browser, base: string, viewport: { width: number; height: number }, hash: string, warm: boolean): Promise<LoadRun & { scripts: string[] }> {
  const ctx = await browser.newContext({ viewport });
  await ctx.addInitScript(TIMING_SCRIPT);
  const page = await ctx.newPage();
  let requested: Request[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') requested.push(r);
  });
  if (warm) {
    // A first visit fills the browser cache; the measured one is a reload.
    await page.goto(`${base}/#${hash}`);
    await page.waitForFunction(idleReached, null, { timeout: 120_000 });
    requested = [];
    await page.reload();
  } else {
    await page.goto(`${base}/#${hash}`);
  }
  await page.waitForFunction(idleReached, null, { timeout: 120_000 });
  const t = (await page.evaluate('window.__benchTiming')) as { idle: number; idleEpoch: number; load: number; firstRender: number };
  await ctx.close();
  // The browser's own start time of each request (epoch ms, as idleEpoch): when this process hears of a
  // request it may be seconds later on a loaded machine.
  const scripts = [...new Set(requested.filter((r) => r.timing().startTime <= t.idleEpoch).map((r) => new URL(r.url()).pathname))];
  return { idleMs: r1(t.idle), loadMs: r1(t.load), firstRenderMs: r1(t.firstRender), scripts };
}

/** The map pans and zooms through a fixed script. */
const measureFrames = (page: Page) => frameStats(page, `
    await move({ center: [c.lng + 0.02, c.lat], duration: 1500 });
    await move({ center: [c.lng + 0.02, c.lat - 0.015], duration: 1500 });
    await move({ zoom: z + 1.5, duration: 1500 });
    await move({ zoom: z, duration: 1500 });
    await move({ center: [c.lng - 0.02, c.lat + 0.01], duration: 2000 });
    await move({ center: [c.lng, c.lat], zoom: z - 1, duration: 1500 });
    await move({ zoom: z, duration: 1000 });`);

async function framesFor(browser: Browser, base: string, viewport: { width: number; height: number }, hash: string): Promise<FrameStats> {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await page.goto(`${base}/#${hash}`);
  await page.waitForFunction(() => (window as unknown as { __map?: unknown }).__map !== undefined, null, { timeout: 60_000 });
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

interface JsSizes { firstPageKB: number; files: { file: string; gzKB: number }[]; allJsKB: number; entryAndPreloadsKB: number }

/** Gzipped size of the JS a page requested before its first idle (paths as requested), and of everything in dist/assets. */
function jsSizes(dist: string, loaded: string[]): JsSizes {
  const files = loaded
    .filter((p) => p.endsWith('.js') || p.endsWith('.mjs'))
    .map((p) => ({ file: p.replace(/^\//, ''), gzKB: r1(gz(path.join(dist, p)) / 1024) }))
    .sort((a, b) => b.gzKB - a.gzKB);
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const all = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
  return {
    firstPageKB: r1(files.reduce((s, f) => s + f.gzKB, 0)),
    files,
    entryAndPreloadsKB: r1(initial.reduce((s, f) => s + gz(path.join(dist, f)), 0) / 1024),
    allJsKB: r1(all.reduce((s, f) => s + gz(path.join(dist, 'assets', f)), 0) / 1024),
  };
}

const summarise = (xs: LoadRun[]) => ({
  idleMedianMs: pct(xs.map((x) => x.idleMs), 50),
  idleMinMs: Math.min(...xs.map((x) => x.idleMs)),
  idleMaxMs: Math.max(...xs.map((x) => x.idleMs)),
  loadMedianMs: pct(xs.map((x) => x.loadMs), 50),
  firstRenderMedianMs: pct(xs.map((x) => x.firstRenderMs), 50),
  runs: xs,
});
type Summary = ReturnType<typeof summarise>;

interface Build {
  name: string;
  dist: string;
  base: string;
  cold: LoadRun[];
  warm: LoadRun[];
  noDeck: LoadRun[];
  basemapOnly: LoadRun[];
  scripts: string[];
}

function loadTable(b: { load: Record<'cold' | 'warm' | 'warmWithoutDeck' | 'warmBasemapOnly', Summary> }): string {
  const row = (label: string, s: Summary) => `| ${label} | ${s.idleMedianMs} ms | ${s.idleMinMs} ms | ${s.idleMaxMs} ms | ${s.loadMedianMs} ms | ${s.firstRenderMedianMs} ms |`;
  return `| | median | min | max | map \`load\` median | first render median |
|---|---|---|---|---|---|
${row('cold (new browser profile)', b.load.cold)}
${row('warm (reload, cached JS and tiles)', b.load.warm)}
${row('warm, default layers without deck.gl', b.load.warmWithoutDeck)}
${row('warm, basemap only', b.load.warmBasemapOnly)}`;
}

export async function run(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 3);
  const viewport = { width: arg(args, 'width', 1280), height: arg(args, 'height', 800) };
  const withFrames = arg(args, 'frames', 1) !== 0;
  const baselineDir = strArg(args, 'baseline');
  const tag = strArg(args, 'tag');
  const layerIds = allLayerIds();
  const loadBefore = os.loadavg();

  const { url } = await ensureServer();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const cases = await migratedAndSeeded(db);
  await db.end();
  buildFrontend();
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ was not built');
  if (baselineDir && !existsSync(path.join(baselineDir, 'index.html'))) throw new Error(`${baselineDir}/index.html: no baseline build there`);

  const servers = [await buildApp({ databaseUrl: url })];
  const builds: Build[] = [];
  const empty = { cold: [], warm: [], noDeck: [], basemapOnly: [], scripts: [] };
  builds.push({ name: 'this build', dist: DIST, base: await servers[0].app.listen({ port: 0, host: '127.0.0.1' }), ...structuredClone(empty) });
  if (baselineDir) {
    const baseline = await buildApp({ databaseUrl: url, distDir: path.resolve(baselineDir) });
    servers.push(baseline);
    builds.unshift({ name: 'baseline', dist: path.resolve(baselineDir), base: await baseline.app.listen({ port: 0, host: '127.0.0.1' }), ...structuredClone(empty) });
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    console.log(`[bench] ${builds.map((b) => `${b.name} ${b.base}`).join(', ')}; ${cases} cases, viewport ${viewport.width}×${viewport.height}, ${runs} runs, load ${loadBefore.map(r1).join(' ')}`);
    for (let i = 0; i < runs; i++) {
      // Alternate which build goes first, so neither always meets the warmer server or the quieter machine.
      const order = i % 2 === 0 ? builds : [...builds].reverse();
      for (const b of order) {
        const c = await measureLoad(browser, b.base, viewport, HOME, false);
        b.scripts = c.scripts;
        b.cold.push(c);
        b.warm.push(await measureLoad(browser, b.base, viewport, HOME, true));
        b.noDeck.push(await measureLoad(browser, b.base, viewport, `${HOME}&layers=${NO_DECK}`, true));
        b.basemapOnly.push(await measureLoad(browser, b.base, viewport, `${HOME}&layers=basemap`, true));
        console.log(`[bench] ${b.name} run ${i + 1}: cold idle ${c.idleMs} ms, warm idle ${b.warm[i].idleMs} ms, warm without deck.gl ${b.noDeck[i].idleMs} ms, warm basemap only ${b.basemapOnly[i].idleMs} ms`);
      }
    }
    const current = builds[builds.length - 1];
    let frames: { defaultLayers: FrameStats; allLayers: FrameStats & { layers: string[] } } | null = null;
    if (withFrames) {
      const all = `${HOME.replace('12.5', '14')}&layers=${layerIds.join(',')}`;
      const framesDefault = await framesFor(browser, current.base, viewport, `${HOME.replace('12.5', '14')}`);
      console.log(`[bench] frames, default layers: p50 ${framesDefault.p50Ms} ms, p95 ${framesDefault.p95Ms} ms, ${framesDefault.fps} fps`);
      const framesAll = await framesFor(browser, current.base, viewport, all);
      console.log(`[bench] frames, all layers: p50 ${framesAll.p50Ms} ms, p95 ${framesAll.p95Ms} ms, ${framesAll.fps} fps`);
      frames = { defaultLayers: framesDefault, allLayers: { layers: layerIds, ...framesAll } };
    }
    // The 3D view's frames beside the tilted and flat 2D ones (ui-3d.ts).
    let threeD: Frames3d | null = null;
    if (withFrames) {
      threeD = await frames3d(browser, current.base, viewport);
      console.log(`[bench] frames, 3D view: p50 ${threeD.threeD.p50Ms} ms (tilted 2D ${threeD.tilted.p50Ms} ms, flat ${threeD.flat.p50Ms} ms)`);
    }
    const loadAfter = os.loadavg();
    const perBuild = builds.map((b) => {
      const js = jsSizes(b.dist, b.scripts);
      console.log(`[bench] ${b.name}: JS before first idle ${js.firstPageKB} KB gzipped (${js.files.length} files); all JS ${js.allJsKB} KB`);
      return {
        name: b.name,
        dist: path.relative(repoRoot, b.dist) || '.',
        load: { cold: summarise(b.cold), warm: summarise(b.warm), warmWithoutDeck: summarise(b.noDeck), warmBasemapOnly: summarise(b.basemapOnly) },
        js,
      };
    });
    const now = perBuild[perBuild.length - 1];
    const base = perBuild.length > 1 ? perBuild[0] : null;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const ratios = base
      ? {
          coldIdle: ratio(now.load.cold.idleMedianMs, base.load.cold.idleMedianMs),
          warmIdle: ratio(now.load.warm.idleMedianMs, base.load.warm.idleMedianMs),
          warmWithoutDeckIdle: ratio(now.load.warmWithoutDeck.idleMedianMs, base.load.warmWithoutDeck.idleMedianMs),
          jsBeforeIdle: ratio(now.js.firstPageKB, base.js.firstPageKB),
        }
      : null;
    const results = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, Debian Chromium, SwiftShader (software WebGL), loopback server`,
      loadAverage: { before: loadBefore.map(r1), after: loadAfter.map(r1) },
      viewport,
      cases,
      view: HOME,
      // The current build's figures where the single-build result kept them, for older readers of the JSON.
      load: now.load,
      js: now.js,
      builds: perBuild,
      ratios,
      frames,
      frames3d: threeD,
      targets: { coldIdleMs: 2500, firstPageJsKB: 600 },
    };
    const dir = path.join(repoRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 10);
    const file = `ui-${tag ? `${tag}-` : ''}${stamp}`;
    writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(results, null, 2));
    const f = (s: FrameStats) => `| ${s.frames} | ${s.fps} | ${s.meanMs} | ${s.p50Ms} | ${s.p95Ms} | ${s.p99Ms} | ${s.maxMs} | ${s.over50ms} |`;
    const buildSection = (b: (typeof perBuild)[number]) => `### ${b.name} (\`${b.dist}\`)

${loadTable(b)}

JavaScript requested before the first idle: **${b.js.firstPageKB} KB gzipped** in ${b.js.files.length} files (target ≤ 600 KB).
Entry script and its modulepreloads alone: ${b.js.entryAndPreloadsKB} KB. All JS in dist/assets (incl. lazy chunks): ${b.js.allJsKB} KB.

| file | gzip KB |
|---|---|
${b.js.files.map((x) => `| ${x.file} | ${x.gzKB} |`).join('\n')}
`;
    const md = `# UI benchmark ${stamp}${tag ? ` (${tag})` : ''}

Debian Chromium with SwiftShader (software WebGL on ${os.cpus().length} CPU cores, shared with the server, PostGIS and
other work): times are for comparing builds measured together, not absolute. Viewport
${viewport.width}×${viewport.height}, ${cases.toLocaleString('en')} cases, view \`${HOME}\`, ${runs} runs per build.
Load average (1, 5, 15 min): ${loadBefore.map(r1).join(', ')} at the start, ${loadAfter.map(r1).join(', ')} at the end.

## First idle (the map's first \`idle\`: style, tiles and the layers drawn)

Targets: cold first idle under 2.5 s, JavaScript before the first idle ≤ 600 KB gzipped.
${ratios ? `
Ratios this build / baseline (medians, same process, runs alternated): cold idle **${ratios.coldIdle}**, warm idle
**${ratios.warmIdle}**, warm without deck.gl ${ratios.warmWithoutDeckIdle}, JS before first idle **${ratios.jsBeforeIdle}**.
` : ''}
${perBuild.map(buildSection).join('\n')}
${frames ? `## Frame times while panning and zooming (10.5 s scripted easeTo path, second pass, this build)

| layers | frames | fps | mean ms | p50 ms | p95 ms | p99 ms | max ms | frames > 50 ms |
|---|---|---|---|---|---|---|---|---|
| default ${f(frames.defaultLayers)}
| all ${layerIds.length} layers ${f(frames.allLayers)}
` : ''}${threeD ? `
${frames3dMarkdown(threeD)}` : ''}`;
    writeFileSync(path.join(dir, `${file}.md`), md);
    console.log(`[bench] written to bench/results/${file}.{json,md}`);
  } finally {
    await browser.close();
    for (const s of servers) await s.close();
  }
}
