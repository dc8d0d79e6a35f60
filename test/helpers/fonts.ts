// What the e2e tests read to prove that Chinese is drawn with the font the app ships (Noto Sans SC from
// @fontsource, src/main.tsx and src/map/fonts.ts), best in a Chromium that has no CJK font of its own
// (openPage(…, { systemCjkFonts: false })).
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

const FAMILY = 'Noto Sans SC';

interface RenderedFont {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

export interface UiFontUse {
  text: string;
  /** The element's computed font-family. */
  family: string;
  /** The shipped family's faces (one unicode-range subset of one weight each) the page has loaded. */
  loadedFaces: number;
  /** Faces of the family that failed to load. */
  failedFaces: number;
  /** document.fonts.check with the family alone, at the element's weight, for its text. */
  check: boolean;
  /** The fonts Chromium drew the element's own text with (DevTools' "Rendered Fonts"). */
  rendered: RenderedFont[];
}

/** How the element's text is drawn, once the page's fonts have settled. */
export async function uiFontUse(page: Page, selector: string): Promise<UiFontUse> {
  const seen = await page.evaluate(async ([sel, family]) => {
    await document.fonts.ready;
    const el = document.querySelector(sel);
    if (!el) throw new Error(`no element ${sel}`);
    const cs = getComputedStyle(el);
    const text = el.textContent ?? '';
    const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === family);
    return {
      text,
      family: cs.fontFamily,
      loadedFaces: faces.filter((f) => f.status === 'loaded').length,
      failedFaces: faces.filter((f) => f.status === 'error').length,
      check: document.fonts.check(`${cs.fontWeight} 16px "${family}"`, text),
    };
  }, [selector, FAMILY] as const);
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    await cdp.send('CSS.enable');
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return { ...seen, rendered: fonts };
  } finally {
    await cdp.detach();
  }
}

/** The element's Chinese is drawn with the shipped font and nothing else. */
export async function expectShippedUiFont(page: Page, selector: string): Promise<UiFontUse> {
  const use = await uiFontUse(page, selector);
  expect(use.text, selector).toMatch(/\p{Script=Han}/u);
  expect(use.family.startsWith(`"${FAMILY}"`), use.family).toBe(true);
  expect(use.loadedFaces).toBeGreaterThan(0);
  expect(use.failedFaces).toBe(0);
  expect(use.check).toBe(true);
  expect(use.rendered.length, JSON.stringify(use.rendered)).toBeGreaterThan(0);
  for (const f of use.rendered) expect(f, 'every glyph comes from the shipped font').toMatchObject({ familyName: expect.stringContaining(FAMILY), isCustomFont: true });
  return use;
}

export interface MapLabelFontUse {
  /** The distinct `text-font` stacks of the style's symbol layers. */
  textFonts: string[];
  /** Files the style's `font-faces` gives the shipped family. */
  declaredFaces: number;
  /** Chinese labels on screen (a few). */
  labels: string[];
  /** The files covering those labels' characters, and those of them the map has not fetched. */
  needed: number;
  notFetched: string[];
  /** Font faces MapLibre made of the files it fetched, by status. */
  mapFaces: Record<string, number>;
}

/** How the labels of the map on `window.__map` are drawn, once it is idle. */
export function mapLabelFontUse(page: Page): Promise<MapLabelFontUse> {
  return page.evaluate(async (family) => {
    await document.fonts.ready;
    const map = window.__map!;
    const style = map.getStyle();
    const declared = style['font-faces']?.[family];
    const faces = Array.isArray(declared) ? declared : [];
    const symbols = style.layers.filter((l) => l.type === 'symbol');
    const textFonts = [...new Set(symbols.map((l) => JSON.stringify(l.layout?.['text-font'] ?? null)))];
    const byId = new Map(symbols.map((l) => [l.id, l]));
    const shown = symbols.filter((l) => l.layout?.visibility !== 'none').map((l) => l.id);
    const labels = new Set<string>();
    for (const f of map.queryRenderedFeatures({ layers: shown })) {
      const field = byId.get(f.layer.id)?.layout?.['text-field'];
      const text = Array.isArray(field) && field[0] === 'get' ? f.properties[field[1] as string] : null;
      if (typeof text === 'string' && /\p{Script=Han}/u.test(text)) labels.add(text);
    }
    const ranges = faces.map((face) => ({
      url: face.url,
      spans: (face['unicode-range'] ?? []).map((r) => {
        const [a, b] = r.replace(/^u\+/i, '').split('-');
        return [parseInt(a, 16), parseInt(b ?? a, 16)];
      }),
    }));
    const needed = new Set<string>();
    for (const ch of new Set([...labels].join(''))) {
      const cp = ch.codePointAt(0)!;
      const face = ranges.find((r) => r.spans.some(([a, b]) => cp >= a && cp <= b));
      if (face && /\p{Script=Han}/u.test(ch)) needed.add(face.url);
    }
    const fetched = new Set(performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'fetch').map((e) => e.name));
    const mapFaces: Record<string, number> = {};
    for (const f of document.fonts) if (f.family.startsWith('maplibre-gl-font-face')) mapFaces[f.status] = (mapFaces[f.status] ?? 0) + 1;
    return {
      textFonts,
      declaredFaces: faces.length,
      labels: [...labels].slice(0, 8),
      needed: needed.size,
      notFetched: [...needed].filter((u) => !fetched.has(u)),
      mapFaces,
    };
  }, FAMILY);
}

/** The map's Chinese labels are drawn from the shipped font's files, each loaded before it drew. */
export async function expectShippedMapFont(page: Page): Promise<MapLabelFontUse> {
  const use = await mapLabelFontUse(page);
  expect(use.textFonts).toEqual([JSON.stringify([FAMILY])]);
  expect(use.declaredFaces).toBeGreaterThan(50);
  expect(use.labels.length, 'Chinese labels on the map').toBeGreaterThan(0);
  expect(use.needed).toBeGreaterThan(0);
  expect(use.notFetched).toEqual([]);
  expect(use.mapFaces.loaded ?? 0).toBeGreaterThanOrEqual(use.needed);
  expect(Object.keys(use.mapFaces).filter((s) => s !== 'loaded')).toEqual([]);
  return use;
}

/** Bytes of woff2 the page has fetched so far (its own and the map's requests; cached answers count 0). */
export function woff2Bytes(page: Page): Promise<{ files: number; transferred: number; body: number }> {
  return page.evaluate(() => {
    const fonts = performance.getEntriesByType('resource').filter((e) => /\.woff2(\?|$)/.test(e.name)) as PerformanceResourceTiming[];
    return {
      files: new Set(fonts.map((e) => e.name)).size,
      transferred: fonts.reduce((n, e) => n + e.transferSize, 0),
      body: fonts.reduce((n, e) => n + e.encodedBodySize, 0),
    };
  });
}

/**
 * Every visible element whose own text holds Chinese is drawn with the shipped font (a system font may draw
 * its Latin part). Returns how many elements were looked at.
 */
export async function expectShippedFontEverywhere(page: Page): Promise<number> {
  const texts = await page.evaluate(async () => {
    await document.fonts.ready;
    const found: string[] = [];
    // A form control's text is drawn in its own (user-agent) tree, out of reach here.
    for (const el of document.querySelectorAll('body *:not(textarea, input, select, option, script, style)')) {
      const own = [...el.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join('');
      if (!/\p{Script=Han}/u.test(own) || !el.getClientRects().length) continue;
      el.setAttribute('data-font-probe', String(found.length));
      found.push(own.trim().slice(0, 40));
    }
    return found;
  });
  const cdp = await page.context().newCDPSession(page);
  const offenders: string[] = [];
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-font-probe]' });
    await cdp.send('CSS.enable');
    await Promise.all(nodeIds.map(async (nodeId) => {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      if (fonts.some((f) => f.isCustomFont && f.familyName.includes(FAMILY))) return;
      const { attributes } = await cdp.send('DOM.getAttributes', { nodeId });
      const probe = Number(attributes[attributes.indexOf('data-font-probe') + 1]);
      offenders.push(`${texts[probe]} → ${fonts.map((f) => f.familyName).join(', ') || 'nothing'}`);
    }));
  } finally {
    await cdp.detach();
    await page.evaluate(() => document.querySelectorAll('[data-font-probe]').forEach((el) => el.removeAttribute('data-font-probe')));
  }
  expect(texts.length).toBeGreaterThan(0);
  expect(offenders, 'Chinese drawn without the shipped font').toEqual([]);
  return texts.length;
}
