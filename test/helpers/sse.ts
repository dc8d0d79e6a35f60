// An SSE reader over fetch for /api/live: collects events; `until` waits for a condition; `opened` resolves
// when the stream's ": connected" comment arrives, which the hub writes as it registers the page (from then on
// every event reaches it).

export interface Sse { id: string; event: string; data: any }

/** The blocks of an event stream as they arrive: its comments, and its event if it names one. */
export async function* sseBlocks(body: ReadableStream<Uint8Array>): AsyncGenerator<{ comments: string[]; id?: string; event?: Sse }> {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const lines = buf.slice(0, i).split('\n');
      buf = buf.slice(i + 2);
      const f = Object.fromEntries(lines.filter((l) => !l.startsWith(':') && l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      yield { comments: lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).trim()), id: f.id, event: f.event ? { id: f.id, event: f.event, data: JSON.parse(f.data) } : undefined };
    }
  }
}

export function sseStream(url: string, headers: Record<string, string> = {}) {
  const events: Sse[] = [];
  const ctrl = new AbortController();
  let failure: Error | null = null;
  let connected!: () => void;
  const opened = new Promise<void>((resolve) => { connected = resolve; });
  const done = (async () => {
    const res = await fetch(url, { signal: ctrl.signal, headers });
    if (!/text\/event-stream/.test(res.headers.get('content-type') ?? '')) throw new Error(`not an event stream: ${res.status} ${await res.text()}`);
    for await (const block of sseBlocks(res.body!)) {
      if (block.comments.includes('connected')) connected();
      if (block.event) events.push(block.event);
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
