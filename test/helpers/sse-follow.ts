// An SSE reader that behaves like a wall page's EventSource: when the stream ends or breaks it connects again
// (after `retryMs`) with Last-Event-ID, so the server replays what it missed. Records which instance served
// each connection (HAProxy's X-Served-By in the cluster) and every event.
import type { Sse } from './sse.ts';

export function followStream(url: string, headers: Record<string, string> = {}, retryMs = 100) {
  const events: Sse[] = [];
  const servedBy: string[] = [];
  const ctrl = new AbortController();
  let lastId: string | null = null;
  const run = (async () => {
    while (!ctrl.signal.aborted) {
      try {
        const res = await fetch(url, { signal: ctrl.signal, headers: { ...headers, ...(lastId ? { 'last-event-id': lastId } : {}) } });
        if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
        servedBy.push(res.headers.get('x-served-by') ?? '?');
        const reader = res.body!.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const f = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
            if (f.id) lastId = f.id;
            if (f.event) events.push({ id: f.id, event: f.event, data: JSON.parse(f.data) });
          }
        }
      } catch {
        // Broken (the instance died) or refused: connect again, as EventSource does.
      }
      if (!ctrl.signal.aborted) await new Promise((r) => setTimeout(r, retryMs));
    }
  })();
  return {
    events,
    servedBy,
    async until(check: () => boolean, ms = 10_000) {
      const t0 = Date.now();
      while (!check()) {
        if (Date.now() - t0 > ms) throw new Error(`timed out; served by ${servedBy.join(',')}, got ${events.map((e) => e.id).join(',')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() { ctrl.abort(); return run; },
  };
}
