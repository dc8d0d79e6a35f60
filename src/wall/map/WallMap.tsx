// The wall's map: full-bleed under the panels, never touched (interactive: false), drawn at pixelRatio 1
// with MapLibre's canvas cap raised so a 4K or 8K wall gets a native-size canvas instead of a silently
// lowered resolution (maplibre-gl-js #8200); sizes come from the style instead (scaleStyle.ts). The
// panels are insets of the map (its padding), so "the centre" and fitted views are the visible middle.
import { useEffect, useRef } from 'react';
import { Map as MapLibreMap, LngLatBounds, setWorkerUrl, type PaddingOptions } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useT } from '../../i18n/index.tsx';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from '../../map/fonts.ts';
import { exposeMap, recordMapError } from '../../map/testHooks.ts';
import { followTileVersions } from '../../map/tileSources.ts';
import { CHILD_FILL, wallStyle, type WallStyleOptions } from './wallStyle.ts';
import { WallDeck } from './WallDeck.ts';

setWorkerUrl(workerUrl);

export type Bbox = [number, number, number, number];

/** Where the map should be: a view of the playlist, or the alarm(s) it is showing. */
export type WallTarget =
  | { kind: 'view'; key: string; bbox: Bbox }
  | { kind: 'alarms'; key: string; points: [number, number][] };

/** Wuchang before the first view of the playlist is known (the unit's outline is read first). */
const HOME = { center: [114.33, 30.555] as [number, number], zoom: 12.5 };
/** The zoom an alarm is shown at on a 1080p wall (+log2 of the scale on bigger ones). */
const ALARM_ZOOM = 15.5;
const MAX_CANVAS: [number, number] = [8192, 8192];

interface Props {
  scale: number;
  padding: PaddingOptions;
  target: WallTarget | null;
  /** What the map shows besides the scale: scene, unit and the units below it, blind spots, the highlighted unit. */
  look: Omit<WallStyleOptions, 'scale'>;
  /** A unit below the wall's unit was clicked on the map. */
  onUnit(code: string): void;
  reducedMotion: boolean;
  /** Changes after the server came back, so sources that failed meanwhile load again. */
  reloadToken: number;
  now(): number;
  onDeck(deck: WallDeck | null): void;
}

export function WallMap(props: Props) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const deckRef = useRef<WallDeck | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  /** What failed since the last reload (a network drop, a server restart). */
  const failed = useRef({ tiles: new Set<string>(), tileJson: false, warned: 0 });

  useEffect(() => {
    if (!container.current) return;
    const p = propsRef.current;
    const map = new MapLibreMap({
      container: container.current,
      style: wallStyle({ scale: p.scale, ...p.look }),
      center: HOME.center,
      zoom: HOME.zoom + Math.log2(p.scale),
      pixelRatio: 1,
      maxCanvasSize: MAX_CANVAS,
      interactive: false,
      attributionControl: false,
      renderWorldCopies: false,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
    });
    mapRef.current = map;
    map.setPadding(p.padding);
    map.on('error', (e) => {
      const message = e.error?.message ?? String(e.error ?? 'unknown map error');
      recordMapError(message);
      // Remembered for the next reload: a failed tile is fetched again, a failed TileJSON needs a new style.
      const ev = e as unknown as { sourceId?: string; tile?: unknown };
      if (ev.sourceId && ev.tile) failed.current.tiles.add(ev.sourceId);
      else if (ev.sourceId) failed.current.tileJson = true;
      if (failed.current.warned++ < 5) console.warn('[wall map]', message);
    });
    map.once('style.load', () => { styleLoaded.current = true; });
    map.on('click', CHILD_FILL, (e) => {
      const code = e.features?.[0]?.properties?.code;
      if (typeof code === 'string') propsRef.current.onUnit(code);
    });
    map.once('load', () => {
      const deck = new WallDeck(map, { scale: propsRef.current.scale, reducedMotion: propsRef.current.reducedMotion, now: () => propsRef.current.now() });
      deckRef.current = deck;
      propsRef.current.onDeck(deck);
    });
    exposeMap(map);
    // Tile URLs are versioned and cached for good: the wall's flights between units pick up new versions.
    const unfollow = followTileVersions(map);
    return () => {
      unfollow();
      deckRef.current?.destroy();
      deckRef.current = null;
      propsRef.current.onDeck(null);
      exposeMap(undefined);
      mapRef.current = null;
      map.remove();
    };
  }, []);

  const { scale, look, reloadToken } = props;
  // A new scale (the wall's resolution changed), scene, unit or highlight restyles, as a diff: only what
  // changed is touched (a layer's visibility or filter, a GeoJSON source's data).
  const styled = useRef({ scale, look });
  const styleLoaded = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || (styled.current.scale === scale && styled.current.look === look)) return;
    styled.current = { scale, look };
    // A diff needs the first style loaded; until then the newest options wait for it.
    const apply = () => map.setStyle(wallStyle({ scale: styled.current.scale, ...styled.current.look }), { diff: true });
    if (styleLoaded.current) apply();
    else map.once('style.load', apply);
    deckRef.current?.setScale(scale);
  }, [scale, look]);

  // Back after an outage: what failed meanwhile loads again, and only that. MapLibre never retries a failed
  // tile or TileJSON by itself, and a wall has nobody to pan the map.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || reloadToken === 0) return;
    const f = failed.current;
    if (f.tileJson) map.setStyle(wallStyle({ scale: propsRef.current.scale, ...propsRef.current.look }), { diff: false });
    else for (const id of f.tiles) if (map.getSource(id)) map.refreshTiles(id);
    failed.current = { tiles: new Set(), tileJson: false, warned: 0 };
  }, [reloadToken]);

  const { padding } = props;
  useEffect(() => {
    mapRef.current?.setPadding(padding);
  }, [padding.top, padding.right, padding.bottom, padding.left]);

  const { target } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !target) return;
    const dz = Math.log2(propsRef.current.scale);
    const duration = propsRef.current.reducedMotion ? 0 : undefined;
    if (target.kind === 'view') {
      const [w, s, e, n] = target.bbox;
      // A little air around the unit, proportional to the wall.
      map.fitBounds([[w, s], [e, n]], { padding: 24 * propsRef.current.scale, duration: duration ?? 2000, essential: true });
    } else if (target.points.length === 1) {
      map.flyTo({ center: target.points[0], zoom: ALARM_ZOOM + dz, duration: duration ?? 3000, essential: true });
    } else if (target.points.length > 1) {
      const b = new LngLatBounds();
      for (const pt of target.points) b.extend(pt);
      map.fitBounds(b, { padding: 80 * propsRef.current.scale, maxZoom: ALARM_ZOOM + dz, duration: duration ?? 3000, essential: true });
    }
  }, [target?.key]);

  return <div ref={container} className="wall-map" data-testid="wall-map" role="region" aria-label={t('map.label')} />;
}
