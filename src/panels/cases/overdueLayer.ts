// Overdue cases on the map: a red ring around every open case whose deadline has passed. The `cases` tiles
// carry each open case's deadline (Unix seconds) rather than an "overdue" flag, because time passes
// without the row changing and a cached tile would go stale; the comparison with the clock is done here,
// against a literal "now" in the layer's filter that is moved on once a minute (a filter change
// re-evaluates the loaded tiles; nothing is fetched again).
import type { FilterSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { isRaw } from '../../layers/filters.ts';

export const OVERDUE_LAYER = 'cases-overdue';
/** The open-case layer the ring is drawn over and whose visibility it follows. */
const BASE_LAYER = 'cases-point';
export const OVERDUE_RED = '#e03131';

export const overdueFilter = (nowSeconds: number): FilterSpecification =>
  ['all', isRaw, ['has', 'deadline'], ['<', ['to-number', ['get', 'deadline']], nowSeconds]] as FilterSpecification;

export function overdueLayer(nowSeconds: number, visible: boolean): LayerSpecification {
  return {
    id: OVERDUE_LAYER,
    type: 'circle',
    source: 'cases',
    'source-layer': 'cases',
    filter: overdueFilter(nowSeconds),
    layout: { visibility: visible ? 'visible' : 'none' },
    paint: {
      // Just outside the case's own dot (cases-point), so the dot's status colour still shows.
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 17, 11],
      'circle-color': 'rgba(0, 0, 0, 0)',
      'circle-stroke-color': OVERDUE_RED,
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 17, 3],
    },
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Keeps the ring in the map: added above the case dots once the style has them (and again after a fresh
 * style), shown and hidden with them, its "now" moved on every minute. Returns the cleanup.
 */
export function installOverdueRing(map: MapLibreMap, everyMs = 60_000): () => void {
  let removed = false;
  const sync = () => {
    if (removed || !map.getLayer(BASE_LAYER)) return;
    const visible = map.getLayoutProperty(BASE_LAYER, 'visibility') !== 'none';
    if (!map.getLayer(OVERDUE_LAYER)) {
      const order = map.getStyle().layers.map((l) => l.id);
      const before = order[order.indexOf(BASE_LAYER) + 1];
      map.addLayer(overdueLayer(nowSeconds(), visible), before);
      return;
    }
    if ((map.getLayoutProperty(OVERDUE_LAYER, 'visibility') !== 'none') !== visible) {
      map.setLayoutProperty(OVERDUE_LAYER, 'visibility', visible ? 'visible' : 'none');
    }
  };
  const tick = () => {
    if (map.getLayer(OVERDUE_LAYER)) map.setFilter(OVERDUE_LAYER, overdueFilter(nowSeconds()));
  };
  const safeSync = () => {
    try {
      sync();
    } catch {
      /* the style is still loading: its 'styledata' event comes next */
    }
  };
  map.on('styledata', safeSync);
  safeSync();
  const timer = setInterval(tick, everyMs);
  return () => {
    removed = true;
    clearInterval(timer);
    map.off('styledata', safeSync);
    if (map.getStyle() && map.getLayer(OVERDUE_LAYER)) map.removeLayer(OVERDUE_LAYER);
  };
}
