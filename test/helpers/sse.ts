// An SSE reader over fetch for /api/live: collects events; `until` waits for a condition; `opened` resolves
// when the stream's ": connected" comment arrives, which the hub writes as it registers the page (from then on
// every event reaches it).

export interface Sse { id: string; event: string; data: any }

export function sseStream(url: string, headers: Record<string, string> = {}) {
  const events: Sse[] = [];
  const ctrl = new AbortController();
  let failure: Error | null = null;
  let connected!: () => void;
  const opened = new Promise<void>((resolve) => { connected = resolve; });
  const done = (async () => {
    const res = await fetch(url, { signal: ctrl.signal, headers });
    if (!/text\/event-stream/.test(res.headers.get('content-type') ?? '')) throw new Error(`not an event stream: ${res.status} ${await res.text()}`);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (block.split('\n').includes(': connected')) connected();
        const f = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
        if (f.event) events.push({ id: f.id, event: f.event, data: JSON.parse(f.data) });
      }
    }
  })().catch((err: Error) => { if (!ctrl.signal.aborted) failure = err; });
  return {
    events,
    /** Rejects when the stream failed before it opened. A getter: a stream meant to fail leaves it unread. */
    get opened() {
      return Promise.race([opened, done.then(() => { throw failure ?? new Error('the stream ended before it opened'); })]);
    },
    async until(check: () => boolean, ms = 5000) {
      const t0 = Date.now();
      while (!check()) {
        if (failure) throw failure;
        if (Date.now() - t0 > ms) throw new Error(`timed out; got ${events.map((e) => e.event).join(',')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() { ctrl.abort(); return done; },
  };
}
