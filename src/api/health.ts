import { useEffect, useRef, useState } from 'react';
import type { Health } from '../../common/api/health.ts';

export type { Health };

export type ServerState = 'checking' | 'up' | 'down';

const HEALTH_URL = '/api/health';
const RETRY_MS = 3000;
/** While up, a slower poll still notices the server going away. */
const RECHECK_MS = 20000;
const TIMEOUT_MS = 5000;

export async function fetchHealth(signal?: AbortSignal): Promise<Health | null> {
  try {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const res = await fetch(HEALTH_URL, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (res.status !== 200) return null;
    return (await res.json()) as Health;
  } catch {
    return null;
  }
}

/**
 * Polls /api/health: every few seconds while the server is unreachable, rarely while it is fine.
 * `recoveries` counts down→up transitions so the map can reload what failed meanwhile.
 */
export function useServerHealth(): { state: ServerState; health: Health | null; recoveries: number } {
  const [state, setState] = useState<ServerState>('checking');
  const [health, setHealth] = useState<Health | null>(null);
  const [recoveries, setRecoveries] = useState(0);
  const wasDown = useRef(false);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const check = async () => {
      const result = await fetchHealth(abort.signal);
      if (abort.signal.aborted) return;
      setHealth(result);
      if (result) {
        if (wasDown.current) setRecoveries((n) => n + 1);
        wasDown.current = false;
        setState('up');
      } else {
        wasDown.current = true;
        setState('down');
      }
      timer = setTimeout(check, result ? RECHECK_MS : RETRY_MS);
    };
    void check();

    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, []);

  return { state, health, recoveries };
}
