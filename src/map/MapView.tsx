import { useEffect, useRef } from 'react';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre finds its worker next to its own module, which a bundler moves; point it at the emitted file.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { LAYER_GROUPS, styleLayerIds } from '../layers/index.ts';
import { useT } from '../i18n/index.tsx';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from './fonts.ts';
import { buildStyle } from './style.ts';
import { MAP_HASH_PARAM } from './urlState.ts';
import { exposeMap, recordMapError } from './testHooks.ts';

setWorkerUrl(workerUrl);

/** Wuchang District, Wuhan: the view when the URL does not carry one. */
export const HOME_VIEW = { center: [114.33, 30.555] as [number, number], zoom: 12.5 };

function applyVisibility(map: MapLibreMap, visibleGroups: ReadonlySet<string>): void {
  for (const group of LAYER_GROUPS) {
    const visibility = visibleGroups.has(group.id) ? 'visible' : 'none';
    for (const id of styleLayerIds(group)) {
      if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== visibility) {
        map.setLayoutProperty(id, 'visibility', visibility);
      }
    }
  }
}

interface Props {
  visibleGroups: ReadonlySet<string>;
  /** Changes when the server comes back, so sources that failed meanwhile are loaded again. */
  reloadToken: number;
}

export function MapView({ visibleGroups, reloadToken }: Props) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const visibleRef = useRef(visibleGroups);
  visibleRef.current = visibleGroups;

  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      style: buildStyle(visibleRef.current),
      ...HOME_VIEW,
      minZoom: 9,
      maxZoom: 20,
      hash: MAP_HASH_PARAM,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      attributionControl: { compact: true },
    });
    map.addControl(new NavigationControl({ visualizePitch: true }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('error', (e) => {
      const message = e.error?.message ?? String(e.error ?? 'unknown map error');
      recordMapError(message);
      console.warn('[map]', message);
    });
    // Toggles made before the style finished loading would otherwise be lost.
    map.on('style.load', () => applyVisibility(map, visibleRef.current));
    mapRef.current = map;
    exposeMap(map);
    return () => {
      exposeMap(undefined);
      mapRef.current = null;
      // map.remove() also deletes `map=` from the URL; a remount (StrictMode, HMR) must keep the link.
      const { pathname, search, hash } = window.location;
      map.remove();
      window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
    };
  }, []);

  useEffect(() => {
    if (mapRef.current) applyVisibility(mapRef.current, visibleGroups);
  }, [visibleGroups]);

  useEffect(() => {
    if (reloadToken === 0) return;
    // A vector source whose TileJSON failed never retries by itself; a fresh style does.
    mapRef.current?.setStyle(buildStyle(visibleRef.current), { diff: false });
  }, [reloadToken]);

  return <div ref={container} className="map" data-testid="map" role="region" aria-label={t('map.label')} />;
}
