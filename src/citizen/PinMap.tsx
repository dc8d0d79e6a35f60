// Where the problem is: a small MapLibre map with the basemap's own layers from our tiles, and one pin. A
// tap moves the pin, the pin can be dragged, and "use my location" puts it at the phone's fix. No deck.gl,
// no other layer. The page loads this module lazily (React.lazy): its first paint needs no map.
import { useEffect, useRef } from 'react';
import { Map as MapLibreMap, Marker, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre finds its worker next to its own module, which a bundler moves; point it at the emitted file.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { LOCAL_IDEOGRAPH_FONT_FAMILY, withShippedFont } from '../map/fonts.ts';
import { basemapPalettes } from '../map/palette.ts';
import { vectorSource } from '../map/sources.ts';
import basemap from '../layers/basemap.ts';
import { useI18n } from '../i18n/index.tsx';

setWorkerUrl(workerUrl);

/** The district, before a pin is placed. */
const HOME = { center: [114.33, 30.555] as [number, number], zoom: 12.5 };
const PIN_ZOOM = 17;

export interface Pin {
  lon: number;
  lat: number;
}

export default function PinMap({ pin, onPin }: { pin: Pin | null; onPin(p: Pin): void }) {
  const { t } = useI18n();
  const el = useRef<HTMLDivElement | null>(null);
  const map = useRef<MapLibreMap | null>(null);
  const marker = useRef<Marker | null>(null);
  const onPinRef = useRef(onPin);
  onPinRef.current = onPin;
  const pinRef = useRef(pin);
  pinRef.current = pin;

  useEffect(() => {
    {
      if (!el.current) return;
      const ctx = { theme: 'light' as const, base: basemapPalettes.light, pipeColor: 'usage' as const };
      const m = new MapLibreMap({
        container: el.current,
        style: withShippedFont({ version: 8, sources: { basemap: vectorSource('basemap') }, layers: [...basemap.layers(ctx), ...(basemap.labels?.(ctx) ?? [])] }),
        center: pinRef.current ? [pinRef.current.lon, pinRef.current.lat] : HOME.center,
        zoom: pinRef.current ? PIN_ZOOM : HOME.zoom,
        localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
      });
      m.touchZoomRotate.disableRotation();
      const mk = new Marker({ draggable: true, color: '#e8590c' });
      mk.on('dragend', () => {
        const p = mk.getLngLat();
        onPinRef.current({ lon: p.lng, lat: p.lat });
      });
      m.on('click', (e) => onPinRef.current({ lon: e.lngLat.lng, lat: e.lngLat.lat }));
      m.once('idle', () => { if (el.current) el.current.dataset.ready = 'true'; });
      map.current = m;
      marker.current = mk;
      if (pinRef.current) mk.setLngLat([pinRef.current.lon, pinRef.current.lat]).addTo(m);
    }
    return () => {
      map.current?.remove();
      map.current = null;
      marker.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const mk = marker.current;
    if (!m || !mk || !pin) return;
    const was = mk.getLngLat?.();
    mk.setLngLat([pin.lon, pin.lat]).addTo(m);
    if (!was || m.getZoom() < PIN_ZOOM - 1) m.jumpTo({ center: [pin.lon, pin.lat], zoom: PIN_ZOOM });
    else if (!m.getBounds().contains([pin.lon, pin.lat])) m.panTo([pin.lon, pin.lat]);
  }, [pin]);

  return <div ref={el} className="cz-map" data-testid="cz-map" role="application" aria-label={t('citizen.tapMap')} />;
}
