// Bring an extent into the part of the map that no panel covers.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Bbox } from '../../map/geom.ts';
import { panelPadding } from '../searchTarget.ts';

export function flyToBbox(map: MapLibreMap, b: Bbox, maxZoom = 18): void {
  const duration = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 0 : 900;
  if (b[2] - b[0] > 1e-6 || b[3] - b[1] > 1e-6) {
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: panelPadding(), maxZoom, duration });
  } else {
    const p = panelPadding();
    map.easeTo({ center: [b[0], b[1]], zoom: Math.max(map.getZoom(), Math.min(maxZoom, 17)), padding: p, duration });
  }
}

/** Moves the map only when part of the extent lies under a panel; never zooms in. */
export function keepInFreeArea(map: MapLibreMap, b: Bbox): void {
  const p = panelPadding();
  const c = map.getContainer().getBoundingClientRect();
  const corners = [map.project([b[0], b[1]]), map.project([b[2], b[3]])];
  const inside = corners.every((q) => q.x + c.left >= p.left && q.x + c.left <= window.innerWidth - p.right
    && q.y + c.top >= p.top && q.y + c.top <= window.innerHeight - p.bottom);
  if (!inside) flyToBbox(map, b, map.getZoom());
}
