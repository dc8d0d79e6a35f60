// Debian's Chromium for the end-to-end tests and the UI benchmark, and what a test watches on a page.
import { mkdir } from 'node:fs/promises';
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
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
export async function openPage(options: BrowserContextOptions, problems: string[]): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext(options);
  const page = await context.newPage();
  watchPage(page, problems);
  await mkdir(RESULTS_DIR, { recursive: true });
  return { browser, context, page };
}

/** Resolves once the desktop map has rendered everything it asked for (MapLibre's `idle`). */
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
