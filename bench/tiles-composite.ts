// `npm run bench -- tiles-composite [--views N]`: tile requests and bytes per map view, before (one source
// per default layer, as the map was wired) and after (the default layers in one composite source), in one
// process against one server. Each view's tiles are replayed as MapLibre asks for them (512 px tiles at
// the floor of the zoom, every tile the 1280×800 viewport touches, brotli as Chromium accepts), cold
// (server cache cleared) and then warm; then the app itself is opened in Chromium at the default view
// and its /tiles requests are counted, to check the replay against what a browser asks.
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { buildFrontend } from '../scripts/build-frontend.ts';
import { buildApp } from '../server/app.ts';
import { tilesCovering } from '../server/tiles/tilemath.ts';
import { loadAverage, machine, migratedAndSeeded, writeResults } from './shared.ts';

const VIEWPORT = { width: 1280, height: 800 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'];
/** The map's home view and the zooms a planner works at, over the centre and the old town. */
const VIEWS = [
  { name: 'home z12.5', lon: 114.33, lat: 30.555, zoom: 12.5 },
  { name: 'z14', lon: 114.315, lat: 30.548, zoom: 14 },
  { name: 'z15.5', lon: 114.31, lat: 30.55, zoom: 15.5 },
  { name: 'z17', lon: 114.3123, lat: 30.5481, zoom: 17 },
];

interface Tally { requests: number; tileRequests: number; bytes: number; ms: number }
interface ViewResult { view: string; z: number; positions: number; before: Tally; after: Tally; beforeWarm: Tally; afterWarm: Tally }

/** The lon/lat box the viewport shows (Web Mercator, 512 px tiles as MapLibre's vector sources). */
function viewBox(lon: number, lat: number, zoom: number): [number, number, number, number] {
  const world = 512 * 2 ** zoom;
  const toY = (la: number) => (1 - Math.log(Math.tan(Math.PI / 4 + (la * Math.PI) / 360)) / Math.PI) / 2;
  const fromY = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  const dx = (VIEWPORT.width / 2 / world) * 360;
  const cy = toY(lat);
  const dy = VIEWPORT.height / 2 / world;
  return [lon - dx, fromY(cy + dy), lon + dx, fromY(cy - dy)];
}

async function get(url: string): Promise<{ bytes: number; json?: { tiles: string[]; minzoom: number; maxzoom: number } }> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
  // fetch decodes: the bytes on the wire are what the server sent, which content-length gives for tiles.
  const body = Buffer.from(await res.arrayBuffer());
  const wire = Number(res.headers.get('content-length') ?? body.length);
  if (url.endsWith('.json')) return { bytes: wire, json: JSON.parse(body.toString()) };
  if (res.status !== 200 && res.status !== 204) throw new Error(`${url}: ${res.status}`);
  return { bytes: wire };
}

/** The requests a map with these sources makes for one view: each TileJSON, then each source's tiles. */
async function replay(base: string, sources: string[], view: (typeof VIEWS)[number]): Promise<Tally & { positions: number; z: number }> {
  const t0 = performance.now();
  const z = Math.floor(view.zoom);
  const tiles = tilesCovering(viewBox(view.lon, view.lat, view.zoom), z);
  const tally = { requests: 0, tileRequests: 0, bytes: 0 };
  await Promise.all(sources.map(async (s) => {
    const tj = await get(`${base}/tiles/${s}.json`);
    tally.requests++;
    tally.bytes += tj.bytes;
    const { tiles: [template], minzoom, maxzoom } = tj.json!;
    if (z < minzoom || z > maxzoom) return;
    for (const t of tiles) {
      const r = await get(template.replace('{z}', String(z)).replace('{x}', String(t.x)).replace('{y}', String(t.y)));
      tally.requests++;
      tally.tileRequests++;
      tally.bytes += r.bytes;
    }
  }));
  return { ...tally, ms: Math.round(performance.now() - t0), positions: tiles.length, z };
}

/** The app at its default view in Chromium: its /tiles requests and their encoded bytes. */
async function browserCount(base: string): Promise<{ requests: number; tileRequests: number; bytes: number; urls: string[]; layers: string[] }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // Strings are evaluated in the page (the TypeScript loader's helpers do not exist there): the CSP must let them.
    const ctx = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
    const page = await ctx.newPage();
    const seen: { url: string; size: Promise<number> }[] = [];
    page.on('requestfinished', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/tiles/')) seen.push({ url: u.pathname + u.search, size: r.sizes().then((s) => s.responseBodySize) });
    });
    const v = VIEWS[0];
    await page.goto(`${base}/#map=${v.zoom}/${v.lat}/${v.lon}`);
    await page.waitForFunction('window.__map !== undefined', null, { timeout: 60_000 });
    await page.evaluate(`new Promise((r) => { const m = window.__map; const done = () => m.loaded() && !m.isMoving() && m.areTilesLoaded(); if (done()) r(); else m.on('idle', () => done() && r()); })`);
    const sizes = await Promise.all(seen.map((s) => s.size));
    // The layers of the map's composite source: the ones the map shows by default (src/map/tileSources.ts).
    const composite = await page.evaluate(`window.__map.getStyle().sources.composite.url`) as string;
    await ctx.close();
    return {
      layers: decodeURIComponent(new URL(composite).pathname).replace(/^\/tiles\/|\.json$/g, '').split(','),
      requests: seen.length,
      tileRequests: seen.filter((s) => s.url.includes('.mvt')).length,
      bytes: sizes.reduce((a, b) => a + b, 0),
      urls: seen.map((s) => s.url),
    };
  } finally {
    await browser.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => (b ? `${(a / b).toFixed(2)}×` : '—');

export async function run(): Promise<void> {
  const { url } = await ensureServer();
  // The seeded test template when there is one (a copy takes seconds; seeding minutes), else a seed.
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  const target = 'wuchang_bench_composite';
  const { rows: have } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [target]);
  if (!have.length) {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'wuchang_tmpl_%' AND datname NOT LIKE '%_building_%' ORDER BY datname LIMIT 1`);
    await admin.query(rows.length ? `CREATE DATABASE ${target} TEMPLATE "${rows[0].datname}"` : `CREATE DATABASE ${target}`);
  }
  await admin.end();
  const dbUrl = adminUrl(url, target);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const cases = await migratedAndSeeded(db);
  await db.end();

  const load0 = loadAverage();
  const server = await buildApp({ databaseUrl: dbUrl });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const results: ViewResult[] = [];
  try {
    buildFrontend();
    if (!existsSync(path.join(repoRoot, 'dist', 'index.html'))) throw new Error('dist/ was not built');
    const browser = await browserCount(base);
    const { layers } = browser;
    console.log(`[bench] Chromium at ${VIEWS[0].name}: ${browser.requests} /tiles requests (${browser.tileRequests} tiles), ${kb(browser.bytes)}; composite of ${layers.join(',')}`);
    for (const view of VIEWS) {
      server.tiles.cache.clear();
      const before = await replay(base, layers, view);
      const beforeWarm = await replay(base, layers, view);
      server.tiles.cache.clear();
      const after = await replay(base, [layers.join(',')], view);
      const afterWarm = await replay(base, [layers.join(',')], view);
      results.push({ view: view.name, z: before.z, positions: before.positions, before, after, beforeWarm, afterWarm });
      console.log(`[bench] ${view.name}: ${before.requests} → ${after.requests} requests, ${kb(before.bytes)} → ${kb(after.bytes)}`);
    }
    const load1 = loadAverage();
    const sum = (k: 'before' | 'after', f: keyof Tally) => results.reduce((s, r) => s + r[k][f], 0);
    const md = [
      '# Composite tiles: requests and bytes per map view',
      '',
      `${new Date().toISOString()} · ${machine()} · load average ${load0.join(' / ')} at start, ${load1.join(' / ')} at the end (other helpers share the cores) · ${cases} cases`,
      '',
      `Default layers (${layers.length}): ${layers.join(', ')}. Before: one source per layer (its TileJSON, then its tiles); after: one composite source`,
      `(\`/tiles/${layers.join(',')}/{z}/{x}/{y}.mvt?v=…\`). Viewport ${VIEWPORT.width}×${VIEWPORT.height}, 512 px tiles at the floor of the zoom, brotli.`,
      'Bytes are as sent (compressed), TileJSON included. Cold: the server\'s tile cache cleared first; warm: the same view again.',
      '',
      '| view | z | tile positions | requests before | requests after | fewer | bytes before | bytes after | cold ms before | cold ms after | warm ms before | warm ms after |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map((r) => `| ${r.view} | ${r.z} | ${r.positions} | ${r.before.requests} (${r.before.tileRequests} tiles) | ${r.after.requests} (${r.after.tileRequests} tiles) | ${ratio(r.before.requests, r.after.requests)} | ${kb(r.before.bytes)} | ${kb(r.after.bytes)} | ${r.before.ms} | ${r.after.ms} | ${r.beforeWarm.ms} | ${r.afterWarm.ms} |`),
      `| **all views** | | | ${sum('before', 'requests')} | ${sum('after', 'requests')} | ${ratio(sum('before', 'requests'), sum('after', 'requests'))} | ${kb(sum('before', 'bytes'))} | ${kb(sum('after', 'bytes'))} | | | | |`,
      '',
      `Chromium, the app at ${VIEWS[0].name} (composite wiring, server cache cold), until the map is idle: ${browser.requests} /tiles requests (${browser.tileRequests} tiles), ${kb(browser.bytes)} of response bodies as sent; the replay of the same view after: ${results[0].after.requests} (${results[0].after.tileRequests} tiles). MapLibre may also ask for tiles just outside the viewport, so the browser count can be a little higher.`,
      '',
      'Times are wall-clock on a shared 2-core machine and only indicative; the counts and bytes are the point.',
      '',
    ].join('\n');
    writeResults('tiles-composite', { layers, cases, load: [load0, load1], views: results, browser }, md);
  } finally {
    await server.close();
  }
}
