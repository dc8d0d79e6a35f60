// My duty (上岗/下岗) and the opt-in to share my position. While on duty and sharing, the phone watches its
// position and sends its latest fix at most every SEND_EVERY_MS; going off duty or turning sharing off stops the
// watch at once (the server also refuses positions then).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints.ts';
import type { MyDuty } from '../../common/api/personnel.ts';

const SEND_EVERY_MS = 10_000;

export interface Duty {
  duty: MyDuty | null;
  busy: boolean;
  error: string | null;
  /** Fixes sent since going on duty. */
  sent: number;
  set(onDuty: boolean, sharing: boolean): Promise<void>;
}

export function useDuty(enabled: boolean): Duty {
  const [duty, setDutyState] = useState<MyDuty | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(0);
  const lastSent = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    api.myDuty(abort.signal).then(setDutyState, () => { /* offline: the toggle shows off duty until known */ });
    return () => abort.abort();
  }, [enabled]);

  const sharing = !!duty?.on_duty && duty.sharing;
  useEffect(() => {
    if (!sharing || !navigator.geolocation) return;
    lastSent.current = 0;
    // A fix that arrives inside the interval is kept and sent when the interval ends: the watch reports
    // only changes, so a phone that moves once and then stands still would otherwise never send where it is.
    let pending: GeolocationPosition | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = () => {
      timer = undefined;
      const p = pending;
      if (!p) return;
      pending = null;
      lastSent.current = Date.now();
      api.sendPosition({ lon: p.coords.longitude, lat: p.coords.latitude, t: new Date(p.timestamp || Date.now()).toISOString() })
        .then(() => setSent((n) => n + 1), (e: Error) => setError(e.message));
    };
    const id = navigator.geolocation.watchPosition((p) => {
      pending = p;
      const wait = lastSent.current + SEND_EVERY_MS - Date.now();
      if (wait <= 0) send();
      else timer ??= setTimeout(send, wait);
    }, (e) => setError(e.message), { enableHighAccuracy: true, maximumAge: 5_000 });
    return () => {
      navigator.geolocation.clearWatch(id);
      if (timer) clearTimeout(timer);
    };
  }, [sharing]);

  const set = useCallback(async (onDuty: boolean, share: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setDutyState(await api.setDuty({ on_duty: onDuty, sharing: share }));
      if (!onDuty) setSent(0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);

  return { duty, busy, error, sent, set };
}
