// The live stream for React: one LiveClient for the component's life; events go to the latest handler
// (kept in a ref, so a re-render never reopens the stream) and the connection state is React state.
import { useEffect, useRef, useState } from 'react';
import { LiveClient, type LiveMessage, type LiveState } from '../../api/live.ts';

export interface LiveCallbacks {
  onMessage(m: LiveMessage): void;
  onReset(): void;
  onReconnected(): void;
}

export function useLive(callbacks: LiveCallbacks): { state: LiveState; client: LiveClient | null } {
  const [state, setState] = useState<LiveState>('connecting');
  const [client, setClient] = useState<LiveClient | null>(null);
  const cb = useRef(callbacks);
  cb.current = callbacks;
  useEffect(() => {
    const c = new LiveClient({
      onMessage: (m) => cb.current.onMessage(m),
      onReset: () => cb.current.onReset(),
      onReconnected: () => cb.current.onReconnected(),
      onState: setState,
    });
    c.start();
    setClient(c);
    return () => {
      c.stop();
      setClient(null);
    };
  }, []);
  return { state, client };
}
