import { useEffect, useRef, useState } from 'react';
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre finds its worker next to its own module, which a bundler moves; point it at the emitted file.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useT } from '../i18n/index.tsx';
import { DECK_LAYER_IDS, isDrawn, type DeckLayerId } from '../layers/catalog.ts';
import { PITCH_3D, PITCHED } from '../layers/buildings-style.ts';
import { SELECTION_SOURCE, TRACE_SOURCE } from '../layers/overlays.ts';
import { renderedCounts, type LayerCount } from './counts.ts';
import type { DeckController, DeckPick, DeckState, FeedState } from './deck/DeckController.ts';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from './fonts.ts';
import { featureKey, hitsAt, hitTest, interactiveLayerIds, isCluster, type FeatureKey } from './identify.ts';
import { buildStyle, styleContext, type StyleState } from './style.ts';
import { syncStyle } from './syncStyle.ts';
import { followTileVersions, layersOfSource, tileLayerOf } from './tileSources.ts';
import { MAP_HASH_PARAM } from './urlState.ts';
import { hitOf, useNetwork3D } from './three/useNetwork3D.ts';
import { exposeHooks, exposeMap, recordMapError } from './testHooks.ts';

setWorkerUrl(workerUrl);

/** Wuchang District, Wuhan: the view when the URL does not carry one. */
export const HOME_VIEW = { center: [114.33, 30.555] as [number, number], zoom: 12.5 };
export const WUCHANG_BOUNDS: [number, number, number, number] = [114.26, 30.49, 114.41, 30.62];

export interface FeatureHit {
  kind: 'feature';
  key: FeatureKey;
  properties: Record<string, unknown>;
  geometry: Geometry;
  lngLat: [number, number];
}

export type IdentifyHit =
  | FeatureHit
  /** Several features under the click (stacked cases, a crowd of dots): the user picks one. */
  | { kind: 'choose'; hits: FeatureHit[]; point: [number, number]; lngLat: [number, number] }
  | { kind: 'deck'; pick: DeckPick; lngLat: [number, number] }
  | { kind: 'none'; lngLat: [number, number] };

export type HoverHit =
  | { kind: 'feature'; layer: string; properties: Record<string, unknown>; x: number; y: number }
  | { kind: 'deck'; pick: DeckPick; x: number; y: number };

interface Props {
  style: StyleState;
  deck: Omit<DeckState, 'drawn' | 'opacity' | 'theme'>;
  /** Changes when the server comes back, so sources that failed meanwhile are loaded again. */
  reloadToken: number;
  /** A tool owns clicks while active: no identify, no hover tooltip. */
  toolActive: boolean;
  selection: Geometry | null;
  /** A traced network to highlight (reaches and the start point), or null. */
  trace: FeatureCollection | null;
  /** The network drawn at its depth (`#view=3d`), with its vertical exaggeration. */
  view3d?: { on: boolean; exaggeration: number };
  onReady(map: MapLibreMap | null): void;
  onDeck(deck: DeckController | null): void;
  onIdentify(hit: IdentifyHit): void;
  onHover(hit: HoverHit | null): void;
  onDeckStatus(id: DeckLayerId, status: FeedState): void;
  onReplayTime(t: number, from: number, to: number): void;
  onCounts(counts: Partial<Record<string, LayerCount>>): void;
  onLoading(loading: boolean): void;
  /** A tile source failed (message) or loaded again (null). */
  onSourceError(source: string, message: string | null): void;
}

function setSelectionData(map: MapLibreMap, selection: Geometry | null): void {
  const src = map.getSource(SELECTION_SOURCE) as GeoJSONSource | undefined;
  const features: Feature[] = selection ? [{ type: 'Feature', geometry: selection, properties: {} }] : [];
  src?.setData({ type: 'FeatureCollection', features });
}

function setTraceData(map: MapLibreMap, trace: FeatureCollection | null): void {
  const src = map.getSource(TRACE_SOURCE) as GeoJSONSource | undefined;
  src?.setData(trace ?? { type: 'FeatureCollection', features: [] });
}

export function MapView(props: Props) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const deckRef = useRef<DeckController | null>(null);
  const styleRef = useRef<StyleSpecification | null>(null);
  /** Set on 'style.load', cleared while a fresh style loads: style edits wait for it. */
  const styleReady = useRef(false);
  const pendingStyle = useRef<(() => void)[]>([]);
  const whenStyleReady = (fn: () => void) => {
    if (styleReady.current) fn();
    else pendingStyle.current.push(fn);
  };
  /** Set at the map's first idle: deck.gl is not fetched before the first view is drawn (see ensureDeck). */
  const loadedRef = useRef(false);
  const propsRef = useRef(props);
  propsRef.current = props;
  const [loadedMap, setLoadedMap] = useState<MapLibreMap | null>(null);
  const threeRef = useNetwork3D(loadedMap, props.view3d?.on ?? false, props.view3d?.exaggeration ?? 1);

  const deckState = (): DeckState => {
    const p = propsRef.current;
    return {
      ...p.deck,
      drawn: new Set(DECK_LAYER_IDS.filter((id) => isDrawn(id, p.style.visible))),
      opacity: p.style.opacity,
      theme: p.style.theme,
    };
  };

  // The map, once.
  useEffect(() => {
    if (!container.current) return;
    const initial = buildStyle(propsRef.current.style, undefined, undefined, 'composite');
    styleRef.current = initial;
    const map = new MapLibreMap({
      container: container.current,
      style: initial,
      center: HOME_VIEW.center,
      zoom: HOME_VIEW.zoom,
      minZoom: 9,
      maxZoom: 20,
      hash: MAP_HASH_PARAM,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      attributionControl: false,
      // Click-and-hold rotates; a planner's map stays north-up unless they ask (the north arrow resets it).
      dragRotate: true,
      // Tools draw with double clicks; zoom by double click would fight them (the wheel and buttons zoom).
      doubleClickZoom: false,
      // No MSAA (MapLibre's default): with software WebGL it multiplies the cost of every frame.
    });
    mapRef.current = map;
    let destroyed = false;
    map.on('style.load', () => {
      styleReady.current = true;
      const queued = pendingStyle.current.splice(0);
      for (const fn of queued) fn();
      // A fresh style (after the server came back) has empty overlay sources: draw the selection again.
      setSelectionData(map, propsRef.current.selection);
      setTraceData(map, propsRef.current.trace);
      followPitch();
    });
    // Buildings stand up once the map is tilted (buildings-style.ts); a fresh style starts flat again.
    let pitched = false;
    const followPitch = (force = true) => {
      const now = map.getPitch() >= PITCH_3D;
      if (now === pitched && !force) return;
      pitched = now;
      map.setGlobalStateProperty(PITCHED, now);
    };
    map.on('pitch', () => followPitch(false));

    const failed = new Set<string>();
    map.on('error', (e) => {
      const message = e.error?.message ?? String(e.error ?? 'unknown map error');
      recordMapError(message);
      console.warn('[map]', message);
      const source = (e as unknown as { sourceId?: string }).sourceId;
      if (source) {
        failed.add(source);
        for (const layer of layersOfSource(source)) propsRef.current.onSourceError(layer, message);
      }
    });
    // A tile of a failed source that loads again clears its error in the tree.
    map.on('data', (e) => {
      const ev = e as unknown as { dataType?: string; sourceId?: string; tile?: unknown };
      if (ev.dataType === 'source' && ev.sourceId && ev.tile && failed.has(ev.sourceId)) {
        failed.delete(ev.sourceId);
        for (const layer of layersOfSource(ev.sourceId)) propsRef.current.onSourceError(layer, null);
      }
    });

    // --- deck.gl, lazily -------------------------------------------------------------------------
    // Its chunk (a third of the app's JavaScript, and WebGL programs to compile) waits for the map's first
    // idle even when a deck layer is on from the start (the alarm pulses are a default layer): the stations
    // are already drawn in their alarm colours by the sensor tiles, the pulse follows. A deck layer switched
    // on later loads it at once.
    let deckLoading = false;
    const ensureDeck = () => {
      if (deckRef.current || deckLoading || destroyed || !loadedRef.current) return;
      if (!DECK_LAYER_IDS.some((id) => isDrawn(id, propsRef.current.style.visible))) return;
      deckLoading = true;
      void import('./deck/DeckController.ts').then(({ DeckController }) => {
        if (destroyed) return;
        const run = () => {
          const deck = new DeckController(map, deckState(), {
            onStatus: (id, s) => propsRef.current.onDeckStatus(id, s),
            onReplayTime: (tt, from, to) => propsRef.current.onReplayTime(tt, from, to),
            onHover: (pick, x, y) => {
              if (propsRef.current.toolActive) return;
              deckHover = pick ? { kind: 'deck', pick, x, y } : null;
              scheduleHover();
            },
          });
          deckRef.current = deck;
          propsRef.current.onDeck(deck);
        };
        run();
      }).catch((e: unknown) => {
        deckLoading = false;
        recordMapError(`deck.gl failed to load: ${(e as Error).message}`);
        for (const id of DECK_LAYER_IDS) propsRef.current.onDeckStatus(id, { state: 'error', message: 'deck.gl' });
      });
    };
    (map as unknown as { __ensureDeck: () => void }).__ensureDeck = ensureDeck;
    map.once('idle', () => {
      loadedRef.current = true;
      setLoadedMap(map);
      ensureDeck();
    });

    // --- identify and hover ----------------------------------------------------------------------
    const layerIds = () => interactiveLayerIds(styleContext(propsRef.current.style));
    map.on('click', (e) => {
      if (propsRef.current.toolActive) return;
      const lngLat: [number, number] = [e.lngLat.lng, e.lngLat.lat];
      // In 3D the pipes under the ground are what the user sees at the click, not the map's features.
      const pick3d = threeRef.current?.pick(e.point.x, e.point.y);
      if (pick3d) {
        propsRef.current.onIdentify(hitOf(pick3d, lngLat));
        return;
      }
      const pick = deckRef.current?.pick(e.point.x, e.point.y);
      if (pick && pick.kind !== 'density') {
        propsRef.current.onIdentify({ kind: 'deck', pick, lngLat });
        return;
      }
      const found = hitsAt(map, e.point.x, e.point.y, layerIds());
      const f = found[0];
      if (f && isCluster(f)) {
        // A cluster stands for many features: zoom in on it instead of identifying one.
        map.easeTo({ center: e.lngLat, zoom: Math.min(map.getMaxZoom(), map.getZoom() + 2) });
        return;
      }
      const hits = found.flatMap((h): FeatureHit[] => {
        const key = featureKey(h);
        return key ? [{ kind: 'feature', key, properties: { ...h.properties }, geometry: h.geometry, lngLat }] : [];
      });
      if (hits.length > 1) {
        propsRef.current.onIdentify({ kind: 'choose', hits, point: [e.point.x, e.point.y], lngLat });
        return;
      }
      if (hits.length === 1) {
        propsRef.current.onIdentify(hits[0]);
        return;
      }
      if (pick) {
        propsRef.current.onIdentify({ kind: 'deck', pick, lngLat });
        return;
      }
      propsRef.current.onIdentify({ kind: 'none', lngLat });
    });

    let deckHover: HoverHit | null = null;
    let pointer: { x: number; y: number } | null = null;
    let hoverFrame = 0;
    const scheduleHover = () => {
      if (hoverFrame) return;
      hoverFrame = requestAnimationFrame(() => {
        hoverFrame = 0;
        if (destroyed) return;
        const p = propsRef.current;
        if (p.toolActive || !pointer) {
          p.onHover(null);
          map.getCanvas().style.cursor = p.toolActive ? 'crosshair' : '';
          return;
        }
        let hit: HoverHit | null = deckHover && deckHover.kind === 'deck' && deckHover.pick.kind !== 'density' ? deckHover : null;
        if (!hit) {
          const f = hitTest(map, pointer.x, pointer.y, layerIds(), 3);
          if (f) hit = { kind: 'feature', layer: tileLayerOf(f), properties: { ...f.properties }, x: pointer.x, y: pointer.y };
        }
        if (!hit && deckHover) hit = deckHover;
        map.getCanvas().style.cursor = hit ? 'pointer' : '';
        p.onHover(hit);
      });
    };
    map.on('mousemove', (e) => {
      pointer = { x: e.point.x, y: e.point.y };
      if (deckHover) deckHover = { ...deckHover, x: e.point.x, y: e.point.y };
      scheduleHover();
    });
    map.on('mouseout', () => {
      pointer = null;
      deckHover = null;
      scheduleHover();
    });
    map.on('movestart', () => propsRef.current.onHover(null));

    // --- counts in view and loading --------------------------------------------------------------
    // 'idle' fires after every frame once everything is loaded, and deck.gl's animations draw frames
    // continuously: count only when the view or the data changed since the last count.
    let countsDirty = true;
    let countTimer: ReturnType<typeof setTimeout> | undefined;
    const markDirty = () => {
      countsDirty = true;
    };
    map.on('moveend', markDirty);
    map.on('sourcedata', (e) => {
      if (e.isSourceLoaded) countsDirty = true;
    });
    map.on('styledata', markDirty);
    map.on('idle', () => {
      propsRef.current.onLoading(false);
      if (!countsDirty || countTimer) return;
      countTimer = setTimeout(() => {
        countTimer = undefined;
        if (destroyed || !styleReady.current) return;
        countsDirty = false;
        propsRef.current.onCounts(renderedCounts(map, styleContext(propsRef.current.style), propsRef.current.style.visible));
      }, 200);
    });
    map.on('dataloading', () => propsRef.current.onLoading(true));
    const unfollow = followTileVersions(map);

    exposeMap(map);
    exposeHooks({
      renderedCounts: () => renderedCounts(map, styleContext(propsRef.current.style)) as ReturnType<NonNullable<typeof window.__onemap>['renderedCounts']>,
      deckCounts: () => {
        const deck = deckRef.current;
        if (!deck) return null;
        return Object.fromEntries(DECK_LAYER_IDS.map((id) => [id, deck.countInView(id)]));
      },
      deckPickCount: (id) => deckRef.current?.pickCount(id as DeckLayerId) ?? 0,
      deckReady: () => deckRef.current !== null,
      network3d: () => threeRef.current,
    });
    propsRef.current.onReady(map);

    return () => {
      destroyed = true;
      setLoadedMap(null);
      unfollow();
      clearTimeout(countTimer);
      cancelAnimationFrame(hoverFrame);
      deckRef.current?.destroy();
      deckRef.current = null;
      propsRef.current.onDeck(null);
      propsRef.current.onReady(null);
      exposeMap(undefined);
      exposeHooks(undefined);
      mapRef.current = null;
      // map.remove() also deletes `map=` from the URL; a remount (StrictMode, HMR) must keep the link.
      const { pathname, search, hash } = window.location;
      map.remove();
      window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
    };
  }, []);

  // The style follows the state: the layer modules rebuild it, syncStyle applies the difference.
  const { style } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleRef.current) return;
    const next = buildStyle(style, undefined, undefined, 'composite');
    const apply = () => {
      if (!styleRef.current) return;
      syncStyle(map, styleRef.current, next);
      styleRef.current = next;
    };
    whenStyleReady(apply);
    map.getContainer().dataset.theme = style.theme;
    (map as unknown as { __ensureDeck?: () => void }).__ensureDeck?.();
    deckRef.current?.update(deckState());
  }, [style]);

  const { deck } = props;
  useEffect(() => {
    deckRef.current?.update(deckState());
  }, [deck]);

  useEffect(() => {
    if (props.reloadToken === 0) return;
    const map = mapRef.current;
    if (!map) return;
    // A vector source whose TileJSON failed never retries by itself; a fresh style does.
    const fresh = buildStyle(propsRef.current.style, undefined, undefined, 'composite');
    styleRef.current = fresh;
    styleReady.current = false;
    map.setStyle(fresh, { diff: false });
  }, [props.reloadToken]);

  const { selection } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (map) whenStyleReady(() => setSelectionData(map, selection));
  }, [selection]);

  const { trace } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (map) whenStyleReady(() => setTraceData(map, trace));
  }, [trace]);

  useEffect(() => {
    if (props.toolActive) props.onHover(null);
  }, [props.toolActive]);

  return <div ref={container} className="map" data-testid="map" role="region" aria-label={t('map.label')} />;
}
