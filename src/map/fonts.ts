import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';

/**
 * The map's labels are drawn with the CJK font the app ships (@fontsource/noto-sans-sc, loaded by
 * src/main.tsx), so Chinese renders on a machine with no CJK font of its own (a Linux wall kiosk).
 *
 * There is no glyph server: MapLibre rasterises every glyph in the browser with TinySDF. It draws a glyph
 * once and keeps it, so a glyph drawn before its font file arrived would stay in the fallback (a box).
 * `localIdeographFontFamily` alone gives exactly that: MapLibre awaits only `document.fonts.load` of a
 * space, which fetches none of the CJK subsets. The style's `font-faces` instead names, per unicode range,
 * the file that draws it; MapLibre fetches a file when a label first needs one of its codepoints and draws
 * only once it has loaded. So every symbol layer names the shipped family in `text-font`, and `font-faces`
 * lists the same subset files the page's CSS declares (read from its @font-face rules, so the URLs are
 * this build's hashed files and the ranges are the package's). The browser's HTTP cache serves a file the
 * UI already loaded.
 */
export const SHIPPED_FONT = 'Noto Sans SC';

/** Labels are regular weight: only the 400 files are given to the map. */
const LABEL_WEIGHT = '400';

/**
 * For glyphs no `font-faces` file covers, and for any symbol layer left on MapLibre's default stack:
 * the shipped family first, then the usual system CJK fonts.
 */
export const LOCAL_IDEOGRAPH_FONT_FAMILY =
  `'${SHIPPED_FONT}', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif`;

type FontFaces = NonNullable<StyleSpecification['font-faces']>;
type FontFaceList = Extract<FontFaces[string], unknown[]>;

const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');

/** The woff2 file of an @font-face `src` (the package also lists a woff, which every browser we serve can skip). */
const woff2Url = (src: string) => /url\(\s*(['"]?)([^'")]+\.woff2(?:[?#][^'")]*)?)\1\s*\)/.exec(src)?.[2];

/** The shipped family's label-weight faces as the page's stylesheets declare them. */
function readShippedFaces(): FontFaceList {
  const faces: FontFaceList = [];
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // another origin's stylesheet (an external basemap's) cannot be read, and holds none of ours
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      const s = rule.style;
      if (unquote(s.getPropertyValue('font-family')) !== SHIPPED_FONT || s.getPropertyValue('font-weight').trim() !== LABEL_WEIGHT) continue;
      const url = woff2Url(s.getPropertyValue('src'));
      const ranges = s.getPropertyValue('unicode-range').split(',').map((r) => r.trim()).filter(Boolean);
      if (url) faces.push({ url: new URL(url, sheet.href ?? document.baseURI).href, ...(ranges.length ? { 'unicode-range': ranges } : {}) });
    }
  }
  return faces;
}

let known: FontFaces | undefined;

/**
 * The style's `font-faces` for the shipped family; empty where there is no page (unit tests) or its CSS
 * holds none (then labels fall back to LOCAL_IDEOGRAPH_FONT_FAMILY). Read once: the rules never change.
 */
function shippedFontFaces(): FontFaces {
  if (known) return known;
  if (typeof document === 'undefined') return {};
  const faces = readShippedFaces();
  if (!faces.length) return {};
  known = { [SHIPPED_FONT]: faces };
  return known;
}

/** A symbol layer names the shipped family unless it chose a font of its own. */
function labelledWithShippedFont(layer: LayerSpecification): LayerSpecification {
  if (layer.type !== 'symbol' || layer.layout?.['text-font']) return layer;
  return { ...layer, layout: { ...layer.layout, 'text-font': [SHIPPED_FONT] } };
}

/** The style with its labels drawn in the shipped font (see above). */
export function withShippedFont(style: StyleSpecification): StyleSpecification {
  const faces = shippedFontFaces();
  if (!Object.keys(faces).length) return style;
  return { ...style, 'font-faces': faces, layers: style.layers.map(labelledWithShippedFont) };
}
