// The 3D view's life in the map view: loaded (its own chunk) when the view is switched on, tilted into
// and back out of, and its picks turned into the same hits a click on the flat map gives.
import { useEffect, useRef, type RefObject } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureHit } from '../MapView.tsx';
import { recordMapError } from '../testHooks.ts';
import type { Network3D, Pick3d } from './Network3D.ts';

/** Pitch the view opens with, and the least zoom at which pipes read as pipes. */
const PITCH = 60;
const MIN_ZOOM = 15;

export function useNetwork3D(map: MapLibreMap | null, on: boolean, exaggeration: number): RefObject<Network3D | null> {
  const ref = useRef<Network3D | null>(null);
  const exRef = useRef(exaggeration);
  exRef.current = exaggeration;

  useEffect(() => {
    if (!map || !on) return;
    let cancelled = false;
    // A link with its own pitch keeps it; switching on from a flat map tilts it.
    if (map.getPitch() < PITCH / 2) map.easeTo({ pitch: PITCH, zoom: Math.max(map.getZoom(), MIN_ZOOM), duration: 600 });
    import('./Network3D.ts').then(({ Network3D }) => {
      if (!cancelled) ref.current = new Network3D(map, exRef.current);
    }).catch((e: unknown) => recordMapError(`3D view failed to load: ${(e as Error).message}`));
    return () => {
      cancelled = true;
      ref.current?.destroy();
      ref.current = null;
      try {
        map.easeTo({ pitch: 0, duration: 400 });
      } catch {
        /* the map is already gone */
      }
    };
  }, [map, on]);

  useEffect(() => ref.current?.setExaggeration(exaggeration), [exaggeration]);
  return ref;
}

/** A 3D pick as the identify hit of the reach's or manhole's tile feature (the details panel takes it). */
export function hitOf(p: Pick3d, lngLat: [number, number]): FeatureHit {
  if (p.kind === 'reach') {
    const r = p.reach;
    return { kind: 'feature', key: { layer: 'pipes', id: String(r.id) }, properties: { id: r.id, code: r.code }, geometry: { type: 'LineString', coordinates: r.path }, lngLat };
  }
  const m = p.manhole;
  return { kind: 'feature', key: { layer: 'manholes', id: String(m.id) }, properties: { id: m.id, code: m.code }, geometry: { type: 'Point', coordinates: [m.lon, m.lat] }, lngLat };
}
