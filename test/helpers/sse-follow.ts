// An SSE reader that behaves like a wall page's EventSource: when the stream ends or breaks it connects again
// (after `retryMs`) with Last-Event-ID, so the server replays what it missed. Records which instance served
// each connection (HAProxy's X-Served-By in the cluster) and every event.
import { sseBlocks, type Sse } from './sse.ts';

export function followStream(url: string, headers: Record<string, string> = {}, retryMs = 100) {
  const events: Sse[] = [];
  const servedBy: string[] = [];
  const ctrl = new AbortController();
  let lastId: string | null = null;
  const run = (async () => {
    while (!ctrl.signal.aborted) {
      try {
        const res: Response = await fetch(url, { signal: ctrl.signal, headers: { ...headers, ...(lastId ? { 'last-event-id': lastId } : {}) } });
        if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
        servedBy.push(res.headers.get('x-served-by') ?? '?');
        for await (const block of sseBlocks(res.body!)) {
          if (block.id) lastId = block.id;
          if (block.event) events.push(block.event);
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
