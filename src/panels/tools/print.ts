// Screenshot / print of the map with its legend: the WebGL canvas is copied inside a 'render' event
// (its drawing buffer is valid until the frame ends, so no preserveDrawingBuffer is needed), then a
// title, the legend of every layer on, a scale bar, a north arrow and the data note are drawn around it.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { I18n, Lang } from '../../i18n/index.tsx';
import { ALL_ENTRIES, isDrawn, type LayerId } from '../../layers/catalog.ts';
import type { LegendItem } from '../../layers/types.ts';
import type { PipeColorMode } from '../../layers/types.ts';
import type { Theme } from '../../map/palette.ts';
import { styleContext } from '../../map/style.ts';
import { formatLength, scaleBar } from '../StatusBar.tsx';
import { download, timestamp } from './download.ts';
import { isoDate } from '../format.ts';

interface Options {
  mode: 'png' | 'print';
  theme: Theme;
  lang: Lang;
  visible: ReadonlySet<LayerId>;
  pipeColor: PipeColorMode;
  t: I18n['t'];
  /** Some data is still synthetic: the sheet says so (a district's own data carries no badge). */
  synthetic?: boolean;
  /** For tests: resolve with the PNG data URL instead of saving it. */
  returnDataUrl?: boolean;
}

// The font the app ships first (main.tsx), as on the page, then system CJK fonts.
const FONT = "'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** Copies the map's current frame into a new 2D canvas. */
function grabMapCanvas(map: MapLibreMap): Promise<HTMLCanvasElement> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the map did not render')), 10_000);
    map.once('render', () => {
      clearTimeout(timer);
      const src = map.getCanvas();
      const copy = document.createElement('canvas');
      copy.width = src.width;
      copy.height = src.height;
      copy.getContext('2d')!.drawImage(src, 0, 0);
      resolve(copy);
    });
    map.triggerRepaint();
  });
}

function drawSymbol(ctx: CanvasRenderingContext2D, item: LegendItem, x: number, y: number, s: number): void {
  const colors = Array.isArray(item.color) ? item.color : [item.color as string];
  const c = colors[0];
  ctx.save();
  ctx.lineWidth = 2 * s;
  switch (item.shape) {
    case 'line':
    case 'trail':
      ctx.strokeStyle = c;
      ctx.lineWidth = 4 * s;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 18 * s, y);
      ctx.stroke();
      break;
    case 'dash':
      ctx.strokeStyle = c;
      ctx.setLineDash([4 * s, 3 * s]);
      ctx.strokeRect(x + 1 * s, y - 6 * s, 16 * s, 12 * s);
      break;
    case 'circle':
    case 'pulse':
      ctx.fillStyle = c;
      ctx.beginPath();
      ctx.arc(x + 9 * s, y, 5.5 * s, 0, Math.PI * 2);
      ctx.fill();
      if (item.shape === 'pulse') {
        ctx.strokeStyle = c;
        ctx.globalAlpha = 0.5;
        ctx.beginPath();
        ctx.arc(x + 9 * s, y, 8.5 * s, 0, Math.PI * 2);
        ctx.stroke();
      }
      break;
    case 'ring':
      ctx.strokeStyle = c;
      ctx.beginPath();
      ctx.arc(x + 9 * s, y, 5 * s, 0, Math.PI * 2);
      ctx.stroke();
      break;
    case 'fill':
      ctx.fillStyle = c;
      ctx.fillRect(x + 1 * s, y - 6 * s, 16 * s, 12 * s);
      break;
    case 'sector':
      ctx.fillStyle = c;
      ctx.globalAlpha = 0.4;
      ctx.beginPath();
      ctx.moveTo(x + 9 * s, y + 7 * s);
      ctx.arc(x + 9 * s, y + 7 * s, 14 * s, -Math.PI * 0.75, -Math.PI * 0.25);
      ctx.closePath();
      ctx.fill();
      break;
    case 'ramp': {
      const g = ctx.createLinearGradient(x, 0, x + 18 * s, 0);
      colors.forEach((col, i) => g.addColorStop(colors.length > 1 ? i / (colors.length - 1) : 0, col));
      ctx.fillStyle = g;
      ctx.fillRect(x, y - 5 * s, 18 * s, 10 * s);
      break;
    }
  }
  ctx.restore();
}

export async function composeMapImage(map: MapLibreMap, opts: Options): Promise<HTMLCanvasElement> {
  const mapImg = await grabMapCanvas(map);
  const sheet = drawSheet(map, mapImg, opts);
  // Text drawn on a canvas asks for the shipped font's subsets it needs but is drawn in the fallback
  // meanwhile (boxes where the system has no CJK font): once they have arrived the sheet is drawn again.
  if (document.fonts.status !== 'loading') return sheet;
  await document.fonts.ready;
  return drawSheet(map, mapImg, opts);
}

/** The sheet: a title, the map's frame with a north arrow and a scale bar, the legend, a footer. */
function drawSheet(map: MapLibreMap, mapImg: HTMLCanvasElement, opts: Options): HTMLCanvasElement {
  const dpr = mapImg.width / Math.max(1, map.getCanvas().clientWidth);
  const s = dpr;
  const dark = opts.theme === 'dark';
  const ink = dark ? '#dce6f2' : '#1f2f46';
  const muted = dark ? '#94a6bd' : '#5a6b82';
  const paper = dark ? '#0b1320' : '#ffffff';
  const ctxStyle = styleContext({ theme: opts.theme, pipeColor: opts.pipeColor });

  // The legend: every layer drawn, with its items.
  const entries = ALL_ENTRIES.filter((e) => isDrawn(e.id, opts.visible));
  const legendW = 250 * s;
  const rowH = 20 * s;
  const titleH = 56 * s;
  const footH = 34 * s;
  const legendRows = entries.reduce((n, e) => n + 1 + e.legend(ctxStyle).length, 0);
  const legendH = legendRows * rowH + entries.length * 6 * s + 40 * s;
  const W = mapImg.width + legendW;
  const H = titleH + Math.max(mapImg.height, legendH) + footH;

  const out = document.createElement('canvas');
  out.width = W;
  out.height = H;
  const c = out.getContext('2d')!;
  c.fillStyle = paper;
  c.fillRect(0, 0, W, H);

  // Title.
  c.fillStyle = ink;
  c.font = `600 ${22 * s}px ${FONT}`;
  c.textBaseline = 'middle';
  c.fillText(opts.t('app.title'), 16 * s, 22 * s);
  c.font = `${12 * s}px ${FONT}`;
  c.fillStyle = muted;
  c.fillText(`${opts.t('app.subtitle')} · ${isoDate(new Date())}`, 16 * s, 44 * s);
  if (opts.synthetic !== false) {
    const badge = opts.t('badge.synthetic');
    c.font = `600 ${12 * s}px ${FONT}`;
    const bw = c.measureText(badge).width + 16 * s;
    c.fillStyle = '#ffd43b';
    c.fillRect(W - bw - 16 * s, 14 * s, bw, 22 * s);
    c.fillStyle = '#3b2f00';
    c.fillText(badge, W - bw - 8 * s, 25 * s);
  }

  // The map, framed.
  c.drawImage(mapImg, 0, titleH);
  c.strokeStyle = dark ? '#34445b' : '#c5ced9';
  c.lineWidth = 1 * s;
  c.strokeRect(0.5 * s, titleH + 0.5 * s, mapImg.width - s, mapImg.height - s);

  // North arrow (turned with the map) in the map's top-right corner.
  const nx = mapImg.width - 34 * s;
  const ny = titleH + 40 * s;
  c.save();
  c.translate(nx, ny);
  c.fillStyle = dark ? 'rgba(20,32,51,0.85)' : 'rgba(255,255,255,0.85)';
  c.beginPath();
  c.arc(0, 0, 22 * s, 0, Math.PI * 2);
  c.fill();
  c.rotate((-map.getBearing() * Math.PI) / 180);
  c.fillStyle = '#c92a2a';
  c.beginPath();
  c.moveTo(0, -17 * s);
  c.lineTo(7 * s, 2 * s);
  c.lineTo(0, -2 * s);
  c.lineTo(-7 * s, 2 * s);
  c.closePath();
  c.fill();
  c.fillStyle = muted;
  c.beginPath();
  c.moveTo(0, 17 * s);
  c.lineTo(7 * s, 2 * s);
  c.lineTo(0, 5 * s);
  c.lineTo(-7 * s, 2 * s);
  c.closePath();
  c.fill();
  c.restore();
  c.fillStyle = ink;
  c.font = `700 ${11 * s}px ${FONT}`;
  c.textAlign = 'center';
  c.fillText('N', nx, ny + 30 * s);
  c.textAlign = 'left';

  // Scale bar in the map's bottom-left corner.
  const lat = map.getCenter().lat;
  const mpp = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
  const bar = scaleBar(mpp, 140);
  const sx = 16 * s;
  const sy = titleH + mapImg.height - 20 * s;
  c.fillStyle = dark ? 'rgba(20,32,51,0.85)' : 'rgba(255,255,255,0.85)';
  c.fillRect(sx - 6 * s, sy - 18 * s, bar.px * s + 70 * s, 28 * s);
  c.strokeStyle = ink;
  c.lineWidth = 2 * s;
  c.beginPath();
  c.moveTo(sx, sy - 6 * s);
  c.lineTo(sx, sy);
  c.lineTo(sx + bar.px * s, sy);
  c.lineTo(sx + bar.px * s, sy - 6 * s);
  c.stroke();
  c.fillStyle = ink;
  c.font = `${12 * s}px ${FONT}`;
  c.fillText(formatLength(bar.metres), sx + bar.px * s + 8 * s, sy - 3 * s);

  // Legend column.
  const lx = mapImg.width + 16 * s;
  let ly = titleH + 14 * s;
  c.fillStyle = ink;
  c.font = `600 ${14 * s}px ${FONT}`;
  c.fillText(opts.t('legend.title'), lx, ly);
  ly += 24 * s;
  for (const e of entries) {
    c.fillStyle = ink;
    c.font = `600 ${12.5 * s}px ${FONT}`;
    c.fillText(opts.t(e.labelKey), lx, ly);
    ly += rowH;
    for (const item of e.legend(ctxStyle)) {
      drawSymbol(c, item, lx + 4 * s, ly, s);
      c.fillStyle = muted;
      c.font = `${11.5 * s}px ${FONT}`;
      c.fillText(item.labelKey ? opts.t(item.labelKey) : item.label ?? '', lx + 30 * s, ly);
      ly += rowH;
    }
    ly += 6 * s;
  }

  // Footer: where and how.
  const center = map.getCenter();
  c.fillStyle = muted;
  c.font = `${11 * s}px ${FONT}`;
  c.fillText(
    `${center.lng.toFixed(5)}°E ${center.lat.toFixed(5)}°N · z${map.getZoom().toFixed(1)} · WGS84 / CGCS2000 · ${opts.t('status.attribution')}`,
    16 * s, H - footH / 2,
  );
  return out;
}

export async function exportMapImage(map: MapLibreMap, opts: Options): Promise<string | void> {
  const canvas = await composeMapImage(map, opts);
  const url = canvas.toDataURL('image/png');
  if (opts.returnDataUrl) return url;
  if (opts.mode === 'png') {
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
    if (!blob) throw new Error('could not encode the image');
    download(`wuchang-map-${timestamp()}.png`, 'image/png', blob);
    (window as unknown as { __onemapLastScreenshot?: { width: number; height: number } }).__onemapLastScreenshot = { width: canvas.width, height: canvas.height };
    return;
  }
  // Print: the image alone on a landscape page, through a hidden frame (no pop-up to block).
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0';
  document.body.appendChild(frame);
  const doc = frame.contentDocument!;
  doc.open();
  doc.write(`<!doctype html><html><head><title>${opts.t('app.title')}</title><style>@page{size:landscape;margin:10mm}html,body{margin:0}img{width:100%;height:auto}</style></head><body><img src="${url}"></body></html>`);
  doc.close();
  await new Promise<void>((r) => {
    const img = doc.querySelector('img')!;
    if (img.complete) r();
    else img.onload = () => r();
  });
  frame.contentWindow!.focus();
  frame.contentWindow!.print();
  setTimeout(() => frame.remove(), 60_000);
}
