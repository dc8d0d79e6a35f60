// Camera video in Debian Chromium: a camera whose stream address is an HLS playlist (made here with Debian's
// ffmpeg, H.264 in MPEG-TS segments, served from another origin as a video platform would) plays in its
// details, through the browser's own HLS and through hls.js on Media Source Extensions; an HTTP-FLV address
// plays through mpegts.js; a stream that cannot be fetched says so in words. The page's policy admits the
// stream origin because ONEMAP_STREAM_ORIGINS names it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { openMap, openPage, RESULTS_DIR } from '../helpers/browser.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { ensureDebianTool } from '../helpers/packages.ts';
import { createSession, createUser } from '../../server/auth/users.ts';
import { SESSION_COOKIE } from '../../server/auth/request-user.ts';

const TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t', '.flv': 'video/x-flv' };

/** Four seconds of ffmpeg's test card, H.264 baseline, as HLS (1 s segments, a finished playlist) and as FLV. */
function makeStreams(dir: string): void {
  const src = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-t', '4',
    '-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '25'];
  for (const out of [['-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', path.join(dir, 'cam.m3u8')], ['-f', 'flv', path.join(dir, 'cam.flv')]]) {
    const r = spawnSync('/usr/bin/ffmpeg', ['-y', ...src, ...out], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  }
}

/** The "video platform": the files of `dir`, readable from any page (hls.js and mpegts.js fetch them). */
function serveDir(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
    readFile(path.join(dir, name)).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' }).end(body),
      () => res.writeHead(404, { 'access-control-allow-origin': '*' }).end('not found'),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address() as { port: number };
    resolve({ server, origin: `http://127.0.0.1:${a.port}` });
  }));
}

describe('camera video (e2e)', () => {
  let dir: string;
  let platform: { server: Server; origin: string };
  let app: RunningApp;
  let db: pg.Client;
  let browser: Browser;
  let camera: number;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureDebianTool('/usr/bin/ffmpeg', 'ffmpeg');
    dir = await mkdtemp(path.join(tmpdir(), 'onemap-video-'));
    makeStreams(dir);
    platform = await serveDir(dir);
    app = await startApp({ streamOrigins: [platform.origin] });
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    camera = (await db.query<{ id: number }>(`SELECT id FROM cameras WHERE status = 'online' ORDER BY id LIMIT 1`)).rows[0].id;
    ({ browser } = await openPage({}, problems));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
    platform?.server.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A logged-in dispatcher's page (stream addresses are for staff) with the camera's details open on `url`. */
  async function openCamera(url: string, opts: { noNativeHls?: boolean } = {}): Promise<Page> {
    await db.query('UPDATE cameras SET stream_url = $2 WHERE id = $1', [camera, url]);
    const user = await createUser(db, { username: `video-${process.pid}-${Date.now()}`, password: 'pw-video-long-enough', role: 'dispatcher' });
    const { token } = await createSession(db, user.id, null);
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: app.baseUrl }]);
    // A browser without HLS of its own (Firefox, older Chrome): the page must fall back to hls.js.
    if (opts.noNativeHls) {
      await context.addInitScript(() => {
        const can = HTMLMediaElement.prototype.canPlayType;
        HTMLMediaElement.prototype.canPlayType = function (type: string) { return /mpegurl/i.test(type) ? '' : can.call(this, type); };
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`); });
    await openMap(page, app.baseUrl, `map=16/30.55/114.33&sel=cameras:${camera}`);
    await page.getByTestId('stream-play').click();
    return page;
  }

  /** Waits until the element has frames to show (readyState ≥ 2) and its clock has run past `seconds`. */
  async function plays(page: Page, seconds = 1.5): Promise<{ readyState: number; currentTime: number; src: string }> {
    await page.waitForFunction((s) => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="stream-video"]');
      return !!v && v.readyState >= 2 && v.currentTime > s;
    }, seconds, { timeout: 30_000 });
    return page.getByTestId('stream-video').evaluate((v: HTMLVideoElement) => ({ readyState: v.readyState, currentTime: v.currentTime, src: v.currentSrc }));
  }

  it('plays an HLS stream with the browser\'s own HLS where it has it', async () => {
    const page = await openCamera(`${platform.origin}/cam.m3u8`);
    const native = await page.evaluate(() => document.createElement('video').canPlayType('application/vnd.apple.mpegurl'));
    const v = await plays(page);
    expect(v.readyState).toBeGreaterThanOrEqual(2);
    // Native HLS loads the playlist itself; hls.js feeds a MediaSource (a blob: address).
    expect(v.src).toBe(native ? `${platform.origin}/cam.m3u8` : expect.stringMatching(/^blob:/));
    await expect.poll(() => page.getByTestId('camera-stream').getAttribute('data-state')).toBe('playing');
    await page.getByTestId('details-panel').screenshot({ path: `${RESULTS_DIR}video-hls.png` });
    await page.screenshot({ path: `${RESULTS_DIR}video-hls-page.png` });
    await page.context().close();
  }, 90_000);

  it('plays the same stream through hls.js where the browser has no HLS', async () => {
    const page = await openCamera(`${platform.origin}/cam.m3u8`, { noNativeHls: true });
    const v = await plays(page);
    expect(v.src).toMatch(/^blob:/);
    await page.context().close();
  }, 90_000);

  it('plays an HTTP-FLV stream through mpegts.js', async () => {
    const page = await openCamera(`${platform.origin}/cam.flv`);
    const v = await plays(page, 1);
    expect(v.src).toMatch(/^blob:/);
    await page.context().close();
  }, 90_000);

  it('a stream that cannot be fetched says why, in Chinese first; an RTSP address says it does not play here', async () => {
    const page = await openCamera(`${platform.origin}/gone.m3u8`, { noNativeHls: true });
    await expect.poll(() => page.getByTestId('camera-stream').getAttribute('data-state'), { timeout: 30_000 }).toBe('network');
    expect(await page.getByTestId('stream-status').textContent()).toContain('无法获取视频流');
    await page.getByTestId('details-panel').screenshot({ path: `${RESULTS_DIR}video-error.png` });
    await page.context().close();

    await db.query('UPDATE cameras SET stream_url = $2 WHERE id = $1', [camera, 'rtsp://10.0.0.1/cam']);
    const ctx2 = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const user = await createUser(db, { username: `video-rtsp-${process.pid}`, password: 'pw-video-long-enough', role: 'dispatcher' });
    await ctx2.addCookies([{ name: SESSION_COOKIE, value: (await createSession(db, user.id, null)).token, url: app.baseUrl }]);
    const p2 = await ctx2.newPage();
    await openMap(p2, app.baseUrl, `map=16/30.55/114.33&sel=cameras:${camera}`);
    expect(await p2.getByTestId('stream-unplayable').textContent()).toContain('RTSP');
    expect(await p2.getByTestId('stream-play').count()).toBe(0);
    await ctx2.close();
  }, 90_000);

  it('the page\'s policy admits the stream origin, and nothing broke it', async () => {
    const res = await fetch(`${app.baseUrl}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`media-src 'self' blob: ${platform.origin}`);
    expect(csp).toContain(`connect-src 'self' ${platform.origin}`);
    expect(problems).toEqual([]);
  });
});
