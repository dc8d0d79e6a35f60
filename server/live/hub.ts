// The live hub: tails live_events (written by triggers in any process, announced by NOTIFY onemap_live)
// and streams them to every open page as Server-Sent Events. A page that reconnects sends the last id
// it saw (Last-Event-ID) and first gets what it missed from the table. A page that cannot keep up (its
// socket buffer passes MAX_BUFFERED) is disconnected rather than allowed to hold the others up; it
// reconnects and catches up from the table.
import type { ServerResponse } from 'node:http';
import type pg from 'pg';

export const MAX_BUFFERED = 1024 * 1024;
export const HEARTBEAT_MS = 15_000;
/** Events replayed to a reconnecting page at most; beyond that it is told to reload ('reset'). */
export const MAX_REPLAY = 20_000;

export interface LiveEvent { id: string; kind: string; payload: string }

/** Which events a page may have (a field worker's: no case outside their grids); null: all. */
export type EventFilter = ((e: LiveEvent) => boolean) | null;

interface Client {
  res: ServerResponse;
  kinds: Set<string> | null;
  admits: EventFilter;
  /** Events queued while the client's replay is being read. */
  pending: LiveEvent[] | null;
}

export class LiveHub {
  private readonly clients = new Set<Client>();
  /** The last event sent; null until the table has been read once (the database may be away at start). */
  private lastId: bigint | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  /** A page whose unsent bytes pass this is dropped (a field so tests can lower it). */
  maxBuffered = MAX_BUFFERED;
  /** Counters for tests and the benchmark. */
  readonly stats = { broadcast: 0, dropped: 0 };

  constructor(private readonly db: pg.Pool, private readonly log: (err: unknown) => void = () => {}) {}

  async start(): Promise<void> {
    await this.poke();
    this.timers.push(setInterval(() => this.heartbeat(), HEARTBEAT_MS).unref());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  get size(): number { return this.clients.size; }

  /** Called on NOTIFY onemap_live (and after a reconnect of the feed): read and send what is new. */
  poke(): Promise<void> {
    if (this.reading) { this.again = true; return this.reading; }
    this.reading = (async () => {
      do {
        this.again = false;
        try { await this.readNew(); } catch (err) { this.log(err); }
      } while (this.again);
      this.reading = null;
    })();
    return this.reading;
  }

  private async readNew(): Promise<void> {
    if (this.lastId === null) {
      // First contact: pages opened from now on get what comes next.
      const { rows } = await this.db.query<{ id: string | null }>('SELECT max(id)::text AS id FROM live_events');
      this.lastId = BigInt(rows[0].id ?? 0);
      return;
    }
    for (;;) {
      // Annotated: rows feeds this.lastId, which the query reads, and TypeScript 6 calls that circular.
      const { rows }: pg.QueryResult<LiveEvent> = await this.db.query<LiveEvent>(
        { name: 'live_tail', text: 'SELECT e.id::text AS id, e.kind, e.payload::text AS payload FROM live_events e WHERE e.id > $1 ORDER BY e.id LIMIT 5000', values: [this.lastId!.toString()] });
      if (!rows.length) return;
      this.broadcast(rows);
      this.lastId = BigInt(rows[rows.length - 1].id);
      if (rows.length < 5000) return;
    }
  }

  /**
   * Each event is framed once, and each page gets the events it wants of the batch in one write: a write per
   * event per page was where the server's time went once positions came (2,000 events a second to 100 pages).
   */
  private broadcast(events: LiveEvent[]): void {
    this.stats.broadcast += events.length;
    const frames = events.map(frame);
    // A write is kept well under what a page may hold unsent, so a page that stops reading is still dropped in time.
    const flushAt = this.maxBuffered / 8;
    for (const c of this.clients) {
      let out = '';
      for (let i = 0; i < events.length; i++) {
        if (!wants(c, events[i])) continue;
        if (c.pending) { c.pending.push(events[i]); continue; }
        out += frames[i];
        if (out.length >= flushAt) {
          this.send(c, out);
          out = '';
          if (!this.clients.has(c)) break; // dropped
        }
      }
      if (out) this.send(c, out);
    }
  }

  private write(c: Client, e: LiveEvent): void {
    this.send(c, frame(e));
  }

  private send(c: Client, text: string): void {
    if (c.res.writableLength > this.maxBuffered) {
      this.stats.dropped++;
      this.clients.delete(c);
      c.res.destroy();
      return;
    }
    c.res.write(text);
  }

  private heartbeat(): void {
    for (const c of this.clients) if (!c.pending) c.res.write(`: ${Date.now()}\n\n`);
  }

  /** A new page: headers, the replay after `lastEventId` (if any, at most `maxReplay` events), then live events. */
  async open(res: ServerResponse, kinds: Set<string> | null, lastEventId: string | null, admits: EventFilter = null, maxReplay = MAX_REPLAY): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    // The current id: a page that drops before its first event can still resume from here.
    res.write(`retry: 2000\n: connected\n${lastEventId === null && this.lastId !== null ? `id: ${this.lastId}\n` : ''}\n`);
    const client: Client = { res, kinds, admits, pending: lastEventId !== null ? [] : null };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (lastEventId === null) return;
    try {
      const upTo = this.lastId ?? 0n;
      const { rows: [{ min }] } = await this.db.query<{ min: string | null }>('SELECT min(id)::text AS min FROM live_events');
      const from = BigInt(lastEventId);
      if ((min !== null && from + 1n < BigInt(min)) || upTo - from > BigInt(maxReplay)) {
        // Too far behind (pruned, or a long outage): the page reloads its state instead.
        res.write(`event: reset\ndata: {"reason":"too far behind"}\n\n`);
      } else if (upTo > from) {
        const { rows } = await this.db.query<LiveEvent>(
          'SELECT e.id::text AS id, e.kind, e.payload::text AS payload FROM live_events e WHERE e.id > $1 AND e.id <= $2 ORDER BY e.id', [from.toString(), upTo.toString()]);
        for (const e of rows) if (wants(client, e)) this.write(client, e);
      }
    } finally {
      const queued = client.pending ?? [];
      client.pending = null;
      for (const e of queued) this.write(client, e);
    }
  }
}

const frame = (e: LiveEvent) => `id: ${e.id}\nevent: ${e.kind}\ndata: ${e.payload}\n\n`;
const wants = (c: Client, e: LiveEvent) => (!c.kinds || c.kinds.has(e.kind)) && (!c.admits || c.admits(e));
