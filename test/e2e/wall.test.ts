// The commander's wall (/wall) in Debian Chromium (SwiftShader WebGL) against the real server over a seeded
// copy: at 3840×2160 the map canvas is native size and the panels show what GET /api/wall/summary says; a
// reading above a waterlogging point's alarm level (posted as a dispatcher) puts the alarm in the list and
// on the map and flies the map there, a reading far below clears it; a network drop shows the reconnecting
// badge, and a reading posted during the drop arrives after it by Last-Event-ID replay. Screenshots at
// 3840×2160 and 1920×1080 go to test-results/ (look at them: readable from across a room, nothing cut off).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { watchPage, RESULTS_DIR, openPage } from '../helpers/browser.ts';
import { expectShippedFontEverywhere, expectShippedMapFont } from '../helpers/fonts.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';


interface Summary {
  cases_today: number; cases_open: number; cases_overdue: number; closed_today: number; closed_on_time_today: number;
  on_time_rate_today: number | null; alarms: Record<string, number>; sensors: Record<string, number>;
  cameras: { total: number; online: number }; camera_online_rate: number | null; vehicles: { total: number; on_duty: number };
  trend: { hour: string; reported: number }[]; at: string;
}

interface Stream { id: number; alarm_level: number; warn_level: number; station: string; lon: number; lat: number }

/** Metres between two WGS84 points (haversine). */
function metres(a: { lng: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** [west, south, east, north] of GeoJSON coordinates, however nested. */
function extent(coords: unknown): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1] as number); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(coords);
  return b;
}

/** Everything the wall must have on screen before the figures are compared. */
async function openWall(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.__map !== undefined && window.__wall?.deckReady() && window.__wall.live().state === 'open', null, { timeout: 90_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=kpi-cases-today]')?.getAttribute('data-value') !== ''
    && document.querySelectorAll('[data-testid=street-rate]').length > 0
    && document.querySelector('[data-testid=kpi-blind-grids]')?.getAttribute('data-value') !== '', null, { timeout: 60_000 });
}

const kpi = async (page: Page, id: string): Promise<number | null> => {
  const v = await page.getByTestId(id).getAttribute('data-value');
  return v === null || v === '' ? null : Number(v);
};

/** Boxes that leave the screen or cut their content, and text too small to read from the room. */
async function layoutProblems(page: Page, minFontPx: number): Promise<string[]> {
  return page.evaluate((minFont) => {
    const out: string[] = [];
    const W = window.innerWidth;
    const H = window.innerHeight;
    const name = (el: Element) => `${el.className}`.split(' ')[0] + (el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : '');
    for (const el of document.querySelectorAll('.wall-header, .wall-column, .wall-panel, .wall-view, .wall-legend, .wall-kpi')) {
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1) out.push(`${name(el)} leaves the screen`);
      if (el.scrollHeight > el.clientHeight + 2) out.push(`${name(el)} cut at the bottom (${el.scrollHeight} > ${el.clientHeight})`);
      if (el.scrollWidth > el.clientWidth + 2) out.push(`${name(el)} cut at the side (${el.scrollWidth} > ${el.clientWidth})`);
    }
    // The panels of a column stay inside it.
    for (const col of document.querySelectorAll('.wall-column')) {
      const c = col.getBoundingClientRect();
      for (const p of col.children) if (p.getBoundingClientRect().bottom > c.bottom + 1) out.push(`${name(p)} below its column`);
    }
    // What floats over the map stays clear of the columns and the header.
    const boxes = ['.wall-header', '.wall-left', '.wall-right', '.wall-view', '.wall-legend'].map((sel) => [sel, document.querySelector(sel)!.getBoundingClientRect()] as const);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i];
        const [b, rb] = boxes[j];
        if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1) out.push(`${a} overlaps ${b}`);
      }
    }
    // Header parts do not overlap.
    const parts = ['.wall-title', '.wall-badges', '.wall-header-end'].map((s) => document.querySelector(s)!.getBoundingClientRect());
    for (let i = 1; i < parts.length; i++) if (parts[i].left < parts[i - 1].right) out.push('header parts overlap');
    // Every piece of HTML text is at least minFont px (SVG text scales with its chart and is checked by eye).
    const walker = document.createTreeWalker(document.querySelector('.wall')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || el.closest('svg')) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < minFont) out.push(`"${n.textContent.trim().slice(0, 20)}" is ${px}px`);
    }
    return [...new Set(out)];
  }, minFontPx);
}

describe('command wall (e2e)', () => {
  const ctx = useTestApp();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let headers: Record<string, string>;
  let streams: Stream[];
  const pageErrors: string[] = [];

  const post = async (ds: number, value: number) => {
    const res = await fetch(`${ctx.app.baseUrl}/api/ingest/observations`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ datastream_id: ds, t: new Date().toISOString(), value }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { alarms: { raised: number; cleared: number }; cases_opened: number };
  };
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${ctx.app.baseUrl}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const alarmItem = (station: string) => page.locator('[data-testid=alarm-item]', { hasText: station });

  beforeAll(async () => {
    ({ headers } = await loginAs(ctx, 'dispatcher'));
    // Waterlogging points inside a unit grid, not alarming now: an alarm there also opens a case.
    const { rows } = await ctx.db.query<Stream>(`
      SELECT d.id, d.alarm_level, d.warn_level, s.name AS station, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
      FROM datastreams d JOIN sensor_stations s ON s.id = d.station_id
      WHERE s.kind = 'ponding' AND d.quantity = 'ponding_depth' AND d.level = 'normal' AND d.direction = 'above'
        AND d.alarm_level IS NOT NULL AND d.warn_level IS NOT NULL
        AND EXISTS (SELECT 1 FROM grids g WHERE ST_Contains(g.geom, s.geom))
        AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.station_id = s.id AND a.cleared_at IS NULL)
      ORDER BY d.id LIMIT 3`);
    expect(rows.length).toBe(3);
    streams = rows;
    // Reduced motion at 4K: nothing pulses and flights are jumps, so software WebGL draws only on change.
    // A kiosk without CJK fonts: every Chinese glyph must come from the font the app ships.
    ({ browser, context, page } = await openPage({ viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 1, reducedMotion: 'reduce' }, pageErrors, { systemCjkFonts: false }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders at 3840×2160 with a native-size canvas and the figures of /api/wall/summary', async () => {
    // A long interval: the district view stays while the figures are compared.
    await openWall(page, `${ctx.app.baseUrl}/wall?interval=600`);
    const canvas = await page.evaluate(() => {
      const c = window.__map!.getCanvas();
      const r = c.getBoundingClientRect();
      return { w: c.width, h: c.height, cssW: r.width, cssH: r.height, ratio: window.__map!.getPixelRatio(), vw: window.innerWidth, vh: window.innerHeight };
    });
    expect(canvas).toEqual({ w: 3840, h: 2160, cssW: 3840, cssH: 2160, ratio: 1, vw: 3840, vh: 2160 });
    expect(await page.evaluate(() => window.__wall!.scale())).toBe(2);

    // Every figure is the summary's. Compared until they agree, because the page re-reads every 30 s and a
    // figure can move between two reads (a case passes its deadline): a wrong figure never agrees.
    let s!: Summary;
    const mismatches = async () => {
      s = await getJson<Summary>('/api/wall/summary');
      const want: [string, number | null][] = [
        ['kpi-cases-today', s.cases_today], ['kpi-cases-open', s.cases_open], ['kpi-cases-overdue', s.cases_overdue],
        ['kpi-on-time', s.on_time_rate_today], ['kpi-alarms-alarm', s.alarms.alarm ?? 0], ['kpi-alarms-warning', s.alarms.warning ?? 0],
        ...['normal', 'warning', 'alarm', 'offline'].map((k) => [`kpi-sensors-${k}`, s.sensors[k] ?? 0] as [string, number]),
        ['kpi-camera-rate', s.camera_online_rate], ['kpi-vehicles-on-duty', s.vehicles.on_duty],
      ];
      const out: string[] = [];
      for (const [id, v] of want) {
        const shown = await kpi(page, id);
        if (v === null ? shown !== null : shown === null || Math.abs(shown - v) > 1e-9) out.push(`${id}: shows ${shown}, summary ${v}`);
      }
      return out;
    };
    await expect.poll(mismatches, { timeout: 45_000, interval: 2_000 }).toEqual([]);
    // The figures are on the screen as text, not only in attributes.
    const fmt = new Intl.NumberFormat('zh-CN');
    expect(await page.getByTestId('kpi-cases-open').textContent()).toContain(fmt.format(s.cases_open));
    expect(await page.getByTestId('kpi-camera-rate').textContent()).toContain(`${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(s.camera_online_rate! * 100)}%`);
    expect(await page.getByTestId('panel-cameras').textContent()).toContain(fmt.format(s.cameras.online));

    // The trend: one bar per hour of the last 24, each the summary's count for that hour.
    const bars = await page.locator('[data-testid=trend-chart] rect[data-hour]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-hour')!, Number(e.getAttribute('data-value'))] as const));
    expect(bars.length).toBe(24);
    const byHour = new Map(s.trend.map((t) => [t.hour, t.reported]));
    for (const [hour, n] of bars) expect(n, hour).toBe(byHour.get(hour) ?? 0);
    expect(bars.reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(0);

    // Cameras: the online rate of each street and the blind-spot grids.
    const online = await getJson<{ units: { code: string; now: { online_rate: number } }[] }>('/api/cameras/online?level=street&days=7');
    const rows = await page.getByTestId('street-rate').evaluateAll((els) => els.map((e) => [e.getAttribute('data-code')!, Number(e.getAttribute('data-value'))] as const));
    expect(rows.length).toBe(online.units.length);
    expect(rows.length).toBe(14);
    for (const u of online.units) expect(rows.find(([c]) => c === u.code)?.[1], u.code).toBeCloseTo(u.now.online_rate, 9);
    const coverage = await getJson<{ blind_grids: unknown[] }>('/api/cameras/coverage?level=street');
    expect(await kpi(page, 'kpi-blind-grids')).toBe(coverage.blind_grids.length);

    // Active alarms: listed as many as fit, the rest counted; together the count of /api/alarms.
    const { items } = await getJson<{ items: unknown[] }>('/api/alarms');
    const listed = await page.getByTestId('alarm-item').count();
    const more = (await page.getByTestId('alarms-more').count()) ? Number((await page.getByTestId('alarms-more').textContent())!.replace(/\D/g, '')) : 0;
    expect(listed).toBeGreaterThan(0);
    expect(listed + more).toBe(items.length);

    // The badge follows /api/data/layers, a read of its own.
    const badge = page.getByTestId('synthetic-badge');
    await badge.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await badge.isVisible()).toBe(true);
    expect(await badge.textContent()).toContain('合成数据');
    expect(await page.getByTestId('reconnecting').count()).toBe(0);
    expect(await page.getByTestId('view-indicator').getAttribute('data-index')).toBe('0');

    // Vehicles are drawn; alarms are drawn.
    await expect.poll(() => page.evaluate(() => window.__wall!.deckPickCount('vehicles')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(() => window.__wall!.deckPickCount('alarms')), { timeout: 30_000 }).toBeGreaterThan(0);

    await page.evaluate(() => new Promise<void>((r) => (window.__map!.loaded() ? r() : window.__map!.once('idle', () => r()))));
    expect(await layoutProblems(page, 24)).toEqual([]);
    await expectShippedFontEverywhere(page);
    await expectShippedMapFont(page);
    await page.screenshot({ path: `${RESULTS_DIR}wall-3840x2160.png` });
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('an injected alarm is listed and drawn, the map flies to it, and a reading far below clears it', async () => {
    const st = streams[0];
    const todayBefore = await kpi(page, 'kpi-cases-today');
    const result = await post(st.id, st.alarm_level * 1.5 + 7.3);
    expect(result.alarms.raised).toBe(1);

    const item = alarmItem(st.station);
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await item.getAttribute('data-state')).toBe('active');
    expect(await item.getAttribute('data-level')).toBe('alarm');
    const id = (await item.getAttribute('data-alarm-id'))!;
    // The newest alarm-level alarm heads the list, and it is the one the map is showing.
    expect((await page.evaluate(() => window.__wall!.alarms())).focus).toEqual([id]);
    expect(await page.getByTestId('alarm-item').first().getAttribute('data-alarm-id')).toBe(id);
    expect(await page.getByTestId('view-indicator').getAttribute('data-paused')).toBe('true');

    // An alarm at a waterlogging point opens a case: it is counted and named at once, from the event.
    if (result.cases_opened === 1) {
      const { rows: [c] } = await ctx.db.query<{ case_no: string }>('SELECT c.case_no FROM alarms a JOIN cases c ON c.id = a.case_id WHERE a.id = $1', [id]);
      await expect.poll(() => page.getByTestId('latest-case').textContent({ timeout: 500 }).catch(() => ''), { timeout: 15_000 }).toContain(c.case_no);
      await expect.poll(() => kpi(page, 'kpi-cases-today'), { timeout: 15_000 }).toBe(todayBefore! + 1);
    }
    // The map centre (the middle of the area between the panels) is at the station, zoomed in.
    await expect.poll(async () => metres(await page.evaluate(() => window.__map!.getCenter()), st), { timeout: 30_000 }).toBeLessThan(1000);
    expect(await page.evaluate(() => window.__map!.getZoom())).toBeGreaterThan(15);
    await page.evaluate(() => new Promise<void>((r) => (window.__map!.loaded() ? r() : window.__map!.once('idle', () => r()))));
    // deck.gl draws it at the station.
    await expect.poll(() => page.evaluate(([lon, lat]) => window.__wall!.alarmAt(lon, lat), [st.lon, st.lat]), { timeout: 30_000 }).toBe(id);

    await page.screenshot({ path: `${RESULTS_DIR}wall-alarm-3840x2160.png` });

    const cleared = await post(st.id, st.warn_level * 0.05);
    expect(cleared.alarms.cleared).toBe(1);
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 30_000 }).toBe('cleared');
    expect(await item.textContent()).toContain('已解除');
    // It fades, then leaves the list; the map is free to rotate again.
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    expect((await page.evaluate(() => window.__wall!.alarms())).ids).not.toContain(id);
    await expect.poll(() => page.getByTestId('view-indicator').getAttribute('data-paused'), { timeout: 15_000 }).toBe('false');
    // deck.gl gets the shorter list in an effect after the panel's render and draws it on its next frame.
    await expect.poll(() => page.evaluate(([lon, lat]) => window.__wall!.alarmAt(lon, lat), [st.lon, st.lat]), { timeout: 15_000 }).toBeNull();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('a network drop shows the reconnecting badge; a reading posted meanwhile arrives after it by replay', async () => {
    const st = streams[1];
    const before = await page.evaluate(() => window.__wall!.live());
    // The earlier readings gave the stream an id to resume from.
    expect(before.lastEventId).not.toBeNull();

    await context.setOffline(true);
    await page.getByTestId('reconnecting').waitFor({ state: 'visible', timeout: 20_000 });
    const value = Math.round((st.alarm_level * 1.4 + 3.3) * 10) / 10;
    expect((await post(st.id, value)).alarms.raised).toBe(1);
    // A deliberate wait: nothing reaches the page while it is offline, however long it waits.
    await page.waitForTimeout(3000);
    expect(await alarmItem(st.station).count()).toBe(0);

    // From here on the alarm may only come from the stream's replay: the list is not read again.
    const listReads: string[] = [];
    const onRequest = (r: Request) => {
      if (new URL(r.url()).pathname === '/api/alarms') listReads.push(r.url());
    };
    page.on('request', onRequest);
    await context.setOffline(false);
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 45_000 });
    const item = alarmItem(st.station);
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    expect(Number(await item.getByTestId('alarm-value').getAttribute('data-value'))).toBe(value);
    page.off('request', onRequest);
    expect(listReads).toEqual([]);

    const after = await page.evaluate(() => window.__wall!.live());
    expect(after.state).toBe('open');
    expect(after.reconnects).toBe(before.reconnects + 1);
    expect(after.resets).toBe(before.resets);
    expect(BigInt(after.lastEventId!)).toBeGreaterThan(BigInt(before.lastEventId!));

    expect((await post(st.id, 0)).alarms.cleared).toBe(1);
    await alarmItem(st.station).waitFor({ state: 'detached', timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('at 1920×1080 with motion on: the same layout, nothing cut off, and the playlist rotates', async () => {
    const small = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, reducedMotion: 'no-preference' });
    try {
      const p = await small.newPage();
      const errors: string[] = [];
      watchPage(p, errors);
      await openWall(p, `${ctx.app.baseUrl}/wall?interval=10`);
      const canvas = await p.evaluate(() => [window.__map!.getCanvas().width, window.__map!.getCanvas().height, window.__map!.getPixelRatio()]);
      expect(canvas).toEqual([1920, 1080, 1]);
      expect(await p.evaluate(() => window.__wall!.scale())).toBe(1);
      // District first, then the streets in code order, one every 10 s (the page may be a few views in by now).
      const streetsFc = await getJson<{ features: { properties: { code: string; name: string }; geometry: { coordinates: unknown } }[] }>('/api/collections/streets/items?limit=100');
      const codes = streetsFc.features.map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code));
      const expected = (i: number) => (i === 0 ? 'district' : codes[i - 1].code);
      const first = await p.evaluate(() => window.__wall!.view());
      expect(first.count).toBe(15);
      expect(first.id).toBe(expected(first.index));
      await p.waitForFunction((i) => window.__wall!.view().index !== i, first.index, { timeout: 20_000 });
      const next = await p.evaluate(() => window.__wall!.view());
      expect(next.index).toBe((first.index + 1) % 15);
      expect(next.id).toBe(expected(next.index));
      if (next.index === 0) await p.waitForFunction(() => window.__wall!.view().index === 1, null, { timeout: 20_000 });
      // The street's name is shown and its row in the camera panel is highlighted (read at one instant: the
      // playlist moves on every 10 s).
      const shown = await p.evaluate(() => ({
        id: window.__wall!.view().id,
        name: document.querySelector('[data-testid=view-name]')!.textContent,
        current: [...document.querySelectorAll('[data-testid=street-rate].current')].map((e) => e.getAttribute('data-code')),
      }));
      expect(shown.id).toMatch(/^\d{9}$/);
      expect(shown.name).toBe(codes.find((c) => c.code === shown.id)!.name);
      expect(shown.current).toEqual([shown.id]);
      expect(await layoutProblems(p, 12)).toEqual([]);
      // Once a flight has settled, the map shows the street the indicator names: its centre inside the street's
      // extent, the street outlined. That moment is the screenshot.
      const extents = Object.fromEntries(streetsFc.features.map((f) => [f.properties.code, extent(f.geometry.coordinates)]));
      await p.waitForFunction((ext) => {
        const m = window.__map!;
        const v = window.__wall!.view();
        if (!v.id || v.id === 'district' || m.isMoving() || !m.loaded()) return false;
        const c = m.getCenter();
        const [w, s, e, n] = ext[v.id];
        return c.lng > w && c.lng < e && c.lat > s && c.lat < n && JSON.stringify(m.getFilter('wall-street-line')).includes(v.id)
          && document.querySelector('[data-testid=view-name]')!.textContent === document.querySelector(`[data-testid=street-rate][data-code="${v.id}"] .wall-street-name`)!.textContent;
      }, extents, { timeout: 40_000, polling: 250 });
      await p.screenshot({ path: `${RESULTS_DIR}wall-1920x1080.png` });
      expect(errors).toEqual([]);
    } finally {
      await small.close();
    }
  }, 180_000);

  it('a wall that opens or reloads shows what happened a moment before in its live feed, from the live log', async () => {
    const st = streams[2];
    // Before the wall opens: an alarm through the ingest API and a case reported by the centre.
    expect((await post(st.id, st.alarm_level * 1.3 + 2.1)).alarms.raised).toBe(1);
    const made = await fetch(`${ctx.app.baseUrl}/api/cases`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ item_code: 'E0101', lon: st.lon, lat: st.lat, description: 'wall feed replay' }),
    });
    expect(made.status).toBe(201);
    const { case_no: caseNo } = (await made.json()) as { case_no: string };

    const fresh = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
    try {
      const p = await fresh.newPage();
      const errors: string[] = [];
      watchPage(p, errors);
      const feedLines = () => p.getByTestId('feed-item').allTextContents();
      const expectBoth = async () => {
        await expect.poll(async () => {
          const lines = await feedLines();
          return [lines.some((l) => l.includes(`${st.station} 报警`)), lines.some((l) => l.includes(`新案件 ${caseNo}`))];
        }, { timeout: 30_000 }).toEqual([true, true]);
        expect(await p.getByTestId('panel-feed').textContent()).not.toContain('等待实时数据');
      };
      await openWall(p, `${ctx.app.baseUrl}/wall?interval=600`);
      // Both happened before the stream opened (it starts at the present): the lines can only come from the log.
      await expectBoth();
      await p.screenshot({ path: `${RESULTS_DIR}i15-7-wall-feed-after.png` });

      // A reload (as a kiosk's nightly one): the same again.
      await openWall(p, `${ctx.app.baseUrl}/wall?interval=600`);
      await expectBoth();
      // Each line once.
      const lines = await feedLines();
      expect(lines.filter((l) => l.includes(`新案件 ${caseNo}`))).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
    expect((await post(st.id, 0)).alarms.cleared).toBe(1);
  }, 180_000);
});
