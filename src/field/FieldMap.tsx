// The field map: the desktop's map component and layer modules with a compact set of layers (what a
// grid inspector looks for on the street), my position, the line to where I am going, and a pin for a
// report. A tap either picks the report's position (while picking) or identifies what is under it.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useI18n } from '../i18n/index.tsx';
import { MapView, type IdentifyHit } from '../map/MapView.tsx';
import type { Theme } from '../map/palette.ts';
import { PositionOverlay, type OverlayState } from './positionOverlay.ts';

/** Basemap, grids, the network and its manholes, cameras, sensors and cases: nothing computed, nothing animated. */
export const FIELD_LAYERS: ReadonlySet<string> = new Set(['basemap', 'grids', 'pipes', 'manholes', 'cameras', 'sensors', 'cases']);

interface Props {
  theme: Theme;
  overlay: OverlayState;
  /** Taps choose the report's position instead of identifying features. */
  picking: boolean;
  onPick(lon: number, lat: number): void;
  onIdentify(hit: IdentifyHit): void;
  onReady(map: MapLibreMap | null): void;
}

const noop = () => {};

export function FieldMap({ theme, overlay, picking, onPick, onIdentify, onReady }: Props) {
  const { t } = useI18n();
  const style = useMemo(() => ({ theme, pipeColor: 'usage' as const, visible: FIELD_LAYERS, opacity: {} }), [theme]);
  // No deck.gl layer is on, so its options never matter; one stable object keeps MapView from updating it.
  const deck = useMemo(() => ({ densityMode: 'hex' as const, playing: false, speed: 1 }), []);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<PositionOverlay | null>(null);
  const pickRef = useRef({ picking, onPick });
  pickRef.current = { picking, onPick };

  const ready = useCallback((map: MapLibreMap | null) => {
    overlayRef.current?.destroy();
    overlayRef.current = null;
    mapRef.current = map;
    if (map) {
      overlayRef.current = new PositionOverlay(map, { me: t('fm.me'), target: t('fm.navTarget'), pin: t('fm.reportPin') });
      // MapView ignores clicks while a "tool" is active; picking is ours, so the tap is handled here.
      map.on('click', (e) => {
        if (pickRef.current.picking) pickRef.current.onPick(e.lngLat.lng, e.lngLat.lat);
      });
    }
    onReady(map);
  }, [onReady, t]);

  useEffect(() => {
    overlayRef.current?.update(overlay);
  }, [overlay]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = picking ? 'crosshair' : '';
  }, [picking]);

  return (
    <MapView
      style={style}
      deck={deck}
      reloadToken={0}
      toolActive={picking}
      selection={null}
      trace={null}
      onReady={ready}
      onDeck={noop}
      onIdentify={onIdentify}
      onHover={noop}
      onDeckStatus={noop}
      onReplayTime={noop}
      onCounts={noop}
      onLoading={noop}
      onSourceError={noop}
    />
  );
}
