import type { Map as MapLibreMap } from 'maplibre-gl';
import type { SearchResult } from '../api/types.ts';
import { FEATURE_LAYERS } from '../layers/catalog.ts';

/** Layers whose hits open the details panel (those on the map); others (streets, communities) only fly and outline. */
export const DETAIL_LAYERS: ReadonlySet<string> = new Set(FEATURE_LAYERS.map((m) => m.id));

/** Zoom to show a search hit at when it has no extent of its own. */
const POINT_ZOOM: Record<string, number> = { streets: 13.5, communities: 15, grids: 16.5, pipes: 17.5 };

/** The on-screen boxes of the panels matching a selector (hidden ones left out). */
function panelRects(selector: string): DOMRect[] {
  return [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
}

/**
 * The map area no panel covers, as padding: the layer tree on the left, the right column's panels (or,
 * while it is empty, room for the details panel a selection opens), the table docked at the bottom
 * (selection results, analysis, cases), measured where they are so that a fit lands in what is left.
 */
export function panelPadding(): { top: number; bottom: number; left: number; right: number } {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;
  const gap = 20;
  const tree = panelRects('.layer-tree')[0];
  const left = tree ? tree.right + gap : 17.5 * rem + 40;
  const column = panelRects('.right-dock > .panel');
  const right = column.length ? window.innerWidth - Math.min(...column.map((r) => r.left)) + gap : 24 * rem + 90;
  const dock = panelRects('.bottom-dock > .panel')[0];
  const top = 4 * rem + 20;
  const bottom = dock ? Math.max(2 * rem + 30, window.innerHeight - dock.top + gap) : 2 * rem + 30;
  if (window.innerWidth - left - right < 240) return { top: 60, bottom: dock ? bottom : 60, left: 40, right: 40 };
  // A short map strip left between the bars and the dock: keep at least 120 px to fit into.
  if (window.innerHeight - top - bottom < 120) return { top, bottom: Math.max(40, window.innerHeight - top - 120), left, right };
  return { top, bottom, left, right };
}

export function flyToResult(map: MapLibreMap, r: Pick<SearchResult, 'layer' | 'lon' | 'lat' | 'bbox'>): void {
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const b = r.bbox;
  if (b && b[2] - b[0] > 1e-6 && b[3] - b[1] > 1e-6) {
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: panelPadding(), maxZoom: r.layer === 'grids' ? 17 : 17.5, duration: reduced ? 0 : 1200 });
  } else {
    map.flyTo({ center: [r.lon, r.lat], zoom: Math.max(map.getZoom(), POINT_ZOOM[r.layer] ?? 17.5), duration: reduced ? 0 : 1200 });
  }
}
