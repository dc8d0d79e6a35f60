/**
 * Labels are drawn with no glyph server at all. Since GL JS 5.11 a style without a `glyphs` URL has
 * every glyph rasterised in the browser with TinySDF from local fonts (maplibre-gl-js#4564), so
 * Chinese, Latin and digits all render offline and nothing is fetched for text.
 *
 * CJK ideographs use `localIdeographFontFamily`. MapLibre applies it only to the default `text-font`
 * stack, so symbol layers leave `text-font` unset; Latin and digits then fall back through that
 * default stack to the browser's `sans-serif`.
 */
export const LOCAL_IDEOGRAPH_FONT_FAMILY =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
