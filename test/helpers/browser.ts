// Debian's Chromium for the end-to-end tests and the UI benchmark, and what a test watches on a page.
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

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
