// Basemaps in the browser: an external XYZ basemap configured as ONEMAP_BASEMAPS would configure it, its
// tiles served by a small HTTP server of the test (no internet), chosen in the layer panel, drawn (tiles
// asked for, allowed by the content security policy) and remembered after a reload; and the embedded
// basemap's buildings flat from above and extruded when the map is pitched. Screenshots for a person to look at.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseBasemaps } from '../../server/basemaps.ts';
import { startApp } from '../helpers/app.ts';
import { openMap, openPage, RESULTS_DIR, waitForIdle } from '../helpers/browser.ts';

const CENTER = { lon: 114.33, lat: 30.555 };

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A 256×256 PNG: a pale checkerboard with a dark edge, so its tiles are unmistakable on a screenshot. */
function tilePng(): Buffer {
  const size = 256;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const edge = x < 2 || y < 2;
      const light = ((x >> 5) + (y >> 5)) % 2 === 0;
      const [r, g, b] = edge ? [120, 40, 120] : light ? [250, 224, 250] : [236, 200, 236];
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

describe('basemaps (e2e)', () => {
  let tiles: Server;
  const asked: string[] = [];
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const png = tilePng();
    tiles = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (!/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(png);
    });
    await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
    const port = (tiles.address() as AddressInfo).port;
    const basemaps = parseBasemaps({ ONEMAP_BASEMAPS: JSON.stringify([{ id: 'local', name_zh: '本地瓦片', name_en: 'Local tiles', type: 'xyz', url: `http://127.0.0.1:${port}/tiles/{z}/{x}/{y}.png`, attribution: 'test tiles', maxzoom: 18 }]) });
    app = await startApp({ basemaps });
    // Buildings round the centre, 10 to 90 m high, a few with levels only, one with neither.
    await app.server.pool.query(`INSERT INTO buildings (name, height_m, levels, synthetic, geom)
      SELECT NULL, CASE WHEN i % 5 = 4 THEN NULL ELSE 10 + (i * 37) % 80 END, CASE WHEN i % 5 = 4 AND i <> 9 THEN 4 + i % 20 END, true,
        ST_Multi(ST_MakeEnvelope($1 + (i % 6) * 0.0006, $2 + (i / 6) * 0.0005, $1 + (i % 6) * 0.0006 + 0.0003, $2 + (i / 6) * 0.0005 + 0.0003, 4326))
      FROM generate_series(0, 35) i`, [CENTER.lon - 0.0018, CENTER.lat - 0.0015]);
    ({ browser, page } = await openPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' }, problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await new Promise((r) => tiles?.close(r));
  });

  it('the server lists the basemap and its page allows images and connections to its host alone', async () => {
    const port = (tiles.address() as AddressInfo).port;
    const list = await (await fetch(`${app.baseUrl}/api/basemaps`)).json();
    expect(list.items.map((b: { id: string; origins: string[] }) => [b.id, b.origins])).toEqual([['local', [`http://127.0.0.1:${port}`]]]);
    const csp = (await fetch(`${app.baseUrl}/`)).headers.get('content-security-policy')!;
    expect(csp).toContain(`img-src 'self' data: blob: http://127.0.0.1:${port};`);
    expect(csp).toContain(`connect-src 'self' http://127.0.0.1:${port};`);
    expect(csp.match(/127\.0\.0\.1/g)).toHaveLength(2);
  });

  it('buildings: flat footprints from above, extruded when the map is pitched', async () => {
    await openMap(page, app.baseUrl, `map=16.5/${CENTER.lat}/${CENTER.lon}&layers=basemap`);
    const drawn = (layer: string) => page.evaluate((l) => window.__map!.queryRenderedFeatures({ layers: [l] }).length, layer);
    expect(await drawn('basemap-buildings')).toBeGreaterThan(10);
    expect(await drawn('basemap-buildings-3d')).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}basemap-buildings-flat.png` });
    await page.evaluate(() => new Promise<void>((r) => { const m = window.__map!; m.once('idle', () => r()); m.jumpTo({ pitch: 60, bearing: -20 }); }));
    await waitForIdle(page);
    expect(await drawn('basemap-buildings-3d')).toBeGreaterThan(10);
    expect(await drawn('basemap-buildings')).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}basemap-buildings-3d.png` });
    await page.evaluate(() => window.__map!.jumpTo({ pitch: 0, bearing: 0 }));
  }, 120_000);

  it('an external XYZ basemap is chosen in the layer panel, drawn from its own host, and remembered', async () => {
    await openMap(page, app.baseUrl, `map=14/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
    const select = page.getByTestId('basemap-source');
    expect(await select.inputValue()).toBe('embedded');
    expect(await select.locator('option').allTextContents()).toEqual(['内置底图', '本地瓦片']);
    await select.selectOption('local');
    await waitForIdle(page);
    const layers = () => page.evaluate(() => window.__map!.getStyle().layers.filter((l) => l.layout?.visibility !== 'none').map((l) => l.id));
    expect(await layers()).toContain('ext-local-0');
    expect(await layers()).not.toContain('basemap-water');
    expect(await layers()).toContain('basemap-place-labels');
    expect(asked.filter((u) => /^\/tiles\/1[45]\//.test(u)).length, asked.join(' ')).toBeGreaterThan(0);
    await page.screenshot({ path: `${RESULTS_DIR}basemap-external.png` });
    // Without the embedded labels over it.
    await page.getByTestId('basemap-labels').uncheck();
    await waitForIdle(page);
    expect(await layers()).not.toContain('basemap-place-labels');

    asked.length = 0;
    await openMap(page, app.baseUrl, `map=14/${CENTER.lat}/${CENTER.lon}&layers=basemap,pipes`);
    await page.waitForFunction(() => window.__map!.getLayer('ext-local-0') !== undefined);
    await waitForIdle(page);
    expect(await page.getByTestId('basemap-source').inputValue()).toBe('local');
    expect(await page.getByTestId('basemap-labels').isChecked()).toBe(false);
    expect(asked.length).toBeGreaterThan(0);

    await page.getByTestId('basemap-source').selectOption('embedded');
    await waitForIdle(page);
    expect(await layers()).toContain('basemap-water');
    expect(await layers()).not.toContain('ext-local-0');
    expect(problems).toEqual([]);
  }, 120_000);
});
