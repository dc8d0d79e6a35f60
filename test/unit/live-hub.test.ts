// The live hub without a database: events go to every page in id order, filtered by kind; a page whose
// unsent bytes pass the limit is dropped and the others carry on; a reconnecting page gets the missed
// events before the new ones.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LiveHub, type LiveEvent } from '../../server/live/hub.ts';

class FakeRes extends EventEmitter {
  chunks: string[] = [];
  writableLength = 0;
  destroyed = false;
  stuck = false;
  writeHead() { return this; }
  write(s: string) { this.chunks.push(s); if (this.stuck) this.writableLength += s.length; return true; }
  end() { this.emit('close'); }
  destroy() { this.destroyed = true; this.emit('close'); }
  // A write may carry several events (the hub writes a page its batch at once).
  ids() { return this.chunks.flatMap((c) => [...c.matchAll(/^id: (\d+)\nevent:/gm)].map((m) => Number(m[1]))); }
}

function fakeDb(events: LiveEvent[]) {
  return {
    async query(q: string | { text: string; values?: unknown[] }, values?: unknown[]) {
      const text = typeof q === 'string' ? q : q.text;
      const v = (typeof q === 'string' ? values : q.values) ?? [];
      if (text.includes('max(id)')) return { rows: [{ id: '0' }] };
      if (text.includes('min(id)')) return { rows: [{ min: events[0]?.id ?? null }] };
      const after = BigInt(v[0] as string);
      const upTo = v[1] !== undefined ? BigInt(v[1] as string) : null;
      return { rows: events.filter((e) => BigInt(e.id) > after && (upTo === null || BigInt(e.id) <= upTo)) };
    },
  };
}
const ev = (id: number, kind = 'observation'): LiveEvent => ({ id: String(id), kind, payload: `{"n":${id}}` });

describe('LiveHub', () => {
  it('sends new events to every page in order, by kind, and drops a page that stops reading', async () => {
    const events: LiveEvent[] = [];
    const hub = new LiveHub(fakeDb(events) as never);
    await hub.start();
    hub.maxBuffered = 200;
    const all = new FakeRes(); const alarms = new FakeRes(); const slow = new FakeRes();
    slow.stuck = true;
    await hub.open(all as never, null, null);
    await hub.open(alarms as never, new Set(['alarm']), null);
    await hub.open(slow as never, null, null);
    for (let i = 1; i <= 20; i++) events.push(ev(i, i % 5 === 0 ? 'alarm' : 'observation'));
    await hub.poke();
    expect(all.ids()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(alarms.ids()).toEqual([5, 10, 15, 20]);
    expect(slow.destroyed).toBe(true);
    expect(hub.stats.dropped).toBe(1);
    expect(hub.size).toBe(2);
    hub.stop();
  });

  it('a page reconnecting with Last-Event-ID gets the missed events first, then the new ones, no gaps or repeats', async () => {
    const events: LiveEvent[] = Array.from({ length: 10 }, (_, i) => ev(i + 1));
    const hub = new LiveHub(fakeDb([]) as never);
    await hub.start();
    // The hub has sent up to 10 (as if running); the page saw up to 4.
    (hub as unknown as { lastId: bigint }).lastId = 10n;
    (hub as unknown as { db: unknown }).db = fakeDb(events);
    const page = new FakeRes();
    const opening = hub.open(page as never, null, '4');
    events.push(ev(11), ev(12));
    await opening;
    await hub.poke();
    expect(page.ids()).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    hub.stop();
  });
});
