// The phone's position from the browser (navigator.geolocation, WGS84), followed while the app is open
// once the user has asked for it: the permission prompt should come from a tap on "locate me", not from
// opening the page.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Fix {
  lon: number;
  lat: number;
  /** Radius (m) of the 68 % circle the browser reports. */
  accuracy: number;
  /** Direction of travel (deg), when moving and known. */
  heading: number | null;
  at: number;
}

export type GeoState = 'idle' | 'locating' | 'tracking' | 'denied' | 'unavailable' | 'timeout';

export interface Geolocation {
  state: GeoState;
  fix: Fix | null;
  /** Start following the position (again after a refusal or a timeout). */
  locate(): void;
}

const OPTIONS: PositionOptions = { enableHighAccuracy: true, maximumAge: 5000, timeout: 20_000 };

function toFix(p: GeolocationPosition): Fix {
  const h = p.coords.heading;
  return {
    lon: p.coords.longitude,
    lat: p.coords.latitude,
    accuracy: p.coords.accuracy,
    heading: h !== null && Number.isFinite(h) ? h : null,
    at: p.timestamp,
  };
}

export function useGeolocation(): Geolocation {
  const [state, setState] = useState<GeoState>('idle');
  const [fix, setFix] = useState<Fix | null>(null);
  const watch = useRef<number | null>(null);

  const stop = () => {
    if (watch.current !== null) navigator.geolocation?.clearWatch(watch.current);
    watch.current = null;
  };

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setState('unavailable');
      return;
    }
    stop();
    setState((s) => (s === 'tracking' ? s : 'locating'));
    const onError = (e: GeolocationPositionError) => {
      // A lost signal while tracking keeps the last fix on screen; a refusal ends tracking.
      if (e.code === e.PERMISSION_DENIED) {
        stop();
        setState('denied');
      } else {
        setState((s) => (s === 'tracking' ? s : e.code === e.TIMEOUT ? 'timeout' : 'unavailable'));
      }
    };
    watch.current = navigator.geolocation.watchPosition((p) => {
      setFix(toFix(p));
      setState('tracking');
    }, onError, OPTIONS);
  }, []);

  useEffect(() => stop, []);
  return { state, fix, locate };
}
