// A figure the wall re-reads on a timer: read now, then every `intervalMs`; a failed read is retried with
// backoff (1 s … 30 s, never later than the interval) and the last good answer stays on screen meanwhile.
// `refresh()` reads at once (after a reconnect). One timer and one request at a time, whatever happens.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from '../../api/client.ts';

export interface Polled<T> {
  data: T | null;
  /** The last read failed (the data shown is older). */
  failing: boolean;
  refresh(): void;
}

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/** `key` names what is read (the wall's unit): when it changes, the last answer goes and it is read anew. */
export function usePolled<T>(fetcher: (signal: AbortSignal) => Promise<T>, intervalMs: number, onData?: (data: T) => void, key = ''): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [failing, setFailing] = useState(false);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const onDataRef = useRef(onData);
  onDataRef.current = onData;
  const readRef = useRef<() => void>(() => {});

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let abort: AbortController | null = null;
    let attempt = 0;
    let stopped = false;
    setData(null);
    const read = async () => {
      clearTimeout(timer);
      abort?.abort();
      const mine = (abort = new AbortController());
      try {
        const value = await fetcherRef.current(mine.signal);
        if (stopped || mine.signal.aborted) return;
        attempt = 0;
        setData(value);
        setFailing(false);
        onDataRef.current?.(value);
        timer = setTimeout(read, intervalMs);
      } catch (e) {
        if (stopped || mine.signal.aborted || isAbort(e)) return;
        setFailing(true);
        timer = setTimeout(read, Math.min(intervalMs, BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]));
      }
    };
    readRef.current = () => void read();
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
      readRef.current = () => {};
    };
  }, [intervalMs, key]);

  const refresh = useCallback(() => readRef.current(), []);
  return { data, failing, refresh };
}
