// Debian's Chromium for the end-to-end tests and the UI benchmark, and what a test watches on a page.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  // No GPU in CI: WebGL through SwiftShader, which Chromium only allows when asked explicitly.
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Screenshots and downloads of the e2e tests (git-ignored). */
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

export interface LaunchOptions {
  /**
   * false: Chromium sees no system font that covers Chinese, as on a kiosk or a fresh machine without CJK
   * fonts, so every Chinese glyph on the page must come from the font the app ships.
   */
  systemCjkFonts?: boolean;
}

let noCjkConfig: string | undefined;

/**
 * A fontconfig file: the system's configuration less every font that supports Chinese. Checked with
 * fc-list under the same file, so a test that relies on it cannot pass with CJK fonts still visible.
 */
function fontconfigWithoutCjk(): string {
  if (noCjkConfig) return noCjkConfig;
  const file = path.join(tmpdir(), `onemap-fonts-no-cjk-${process.pid}.conf`);
  writeFileSync(file, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern><patelt name="lang"><string>zh-cn</string></patelt></pattern></rejectfont></selectfont>
</fontconfig>
`);
  const left = execFileSync('fc-list', [':lang=zh', 'family'], { env: { ...process.env, FONTCONFIG_FILE: file }, encoding: 'utf8' }).trim();
  if (left) throw new Error(`fontconfig still offers CJK fonts: ${left}`);
  noCjkConfig = file;
  return file;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  const env = opts.systemCjkFonts === false
    ? { ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)), FONTCONFIG_FILE: fontconfigWithoutCjk() }
    : undefined;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, ...(env ? { env } : {}) });
  const lateMs = Number(process.env.E2E_LATE_EFFECTS_MS ?? 0);
  if (lateMs > 0) delayDeferredWork(browser, lateMs);
  return browser;
}

/**
 * A stress switch for finding checks that read too early (E2E_LATE_EFFECTS_MS=40 npx vitest run test/e2e/x):
 * every page of the browser gets React's deferred work (renders of non-discrete updates, effects after a
 * paint: scheduled through MessageChannel) that many milliseconds late, as on a busy CI machine, while the
 * test's own reads stay prompt. A CPU hog alone rarely shows these races; this does.
 */
function delayDeferredWork(browser: Browser, ms: number): void {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript((late: number) => {
      const Channel = window.MessageChannel;
      window.MessageChannel = class {
        port1: MessagePort;
        port2: MessagePort;
        constructor() {
          const real = new Channel();
          this.port1 = real.port1;
          this.port2 = { postMessage: (m: unknown) => void setTimeout(() => real.port2.postMessage(m), late) } as unknown as MessagePort;
        }
      } as unknown as typeof MessageChannel;
    }, ms);
    return context;
  };
}

/**
 * Collects what must never happen on our pages: uncaught errors, and anything the Content-Security-Policy
 * blocked (the policy is only safe to ship while the app runs entirely inside it).
 */
export function watchPage(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
}

/** Chromium, one context with `options` and one page in it, watched for `problems`; RESULTS_DIR made. */
export async function openPage(options: BrowserContextOptions, problems: string[], launch: LaunchOptions = {}): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchChromium(launch);
  const context = await browser.newContext(options);
  const page = await context.newPage();
  watchPage(page, problems);
  await mkdir(RESULTS_DIR, { recursive: true });
  return { browser, context, page };
}

/**
 * Resolves once the desktop map has rendered everything it asked for (MapLibre's `idle`). It resolves at once
 * on a loaded, still map: it does not wait for a move or new data the app has not handed to the map yet (an
 * effect after a fetch, a hover, a requestAnimationFrame). Wait for that state itself first (expect.poll,
 * waitForFunction), then call this.
 */
export async function waitForIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => window.__map !== undefined && window.__onemap !== undefined, null, { timeout });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__map!;
        if (map.loaded() && !map.isMoving()) resolve();
        else map.once('idle', () => resolve());
      }),
  );
}

/** Opens the desktop app in the state a hash describes, and waits until it has drawn. */
export async function openMap(page: Page, base: string, hash: string): Promise<void> {
  await page.goto('about:blank'); // a hash-only change would not reload the app
  await page.goto(`${base}/#${hash}`);
  await waitForIdle(page);
}

/** One parameter of the app state in the page's hash. */
export const hashParam = (page: Page, name: string) => new URLSearchParams(new URL(page.url()).hash.slice(1)).get(name);
