// Listens to the database's change feed (NOTIFY onemap_changes, sent by statement triggers on every data
// table) so that a change made by any process — the API, an import, a script, another server — reaches
// this one. On reconnect, changes may have been missed: listeners are told to drop everything.
import { EventEmitter } from 'node:events';
import pg from 'pg';

export interface DataChange {
  table: string;
  op: 'insert' | 'update' | 'delete' | 'truncate';
  rows: number;
  /** [west, south, east, north] in lon/lat, or null when unknown (truncate). */
  bbox: [number, number, number, number] | null;
}

export class ChangeFeed extends EventEmitter<{ change: [DataChange]; reset: []; connected: []; disconnected: []; condition: []; live: [] }> {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private wasConnected = false;

  constructor(private readonly url: string) {
    super();
  }

  get connected(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect().catch(() => this.scheduleReconnect());
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'wuchang-onemap-listen' });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await this.listen(client);
    } catch (err) {
      // Connected but not listening (the database went away again in between): close it, or every retry
      // during an outage would leave a connection behind.
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopped) return void (await client.end());
    this.client = client;
    this.retryMs = 250;
    if (this.wasConnected) this.emit('reset');
    this.wasConnected = true;
    this.emit('connected');
  }

  private async listen(client: pg.Client): Promise<void> {
    await client.connect();
    client.on('notification', (msg) => {
      // Reaches queued for CJJ 181 rescoring (migration 008).
      if (msg.channel === 'onemap_condition') return void this.emit('condition');
      // New rows in live_events (migration 010).
      if (msg.channel === 'onemap_live') return void this.emit('live');
      if (msg.channel !== 'onemap_changes' || !msg.payload) return;
      try {
        this.emit('change', JSON.parse(msg.payload) as DataChange);
      } catch {
        this.emit('reset');
      }
    });
    await client.query('LISTEN onemap_changes; LISTEN onemap_condition; LISTEN onemap_live');
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.emit('disconnected');
    this.emit('reset');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) this.connect().catch(() => this.scheduleReconnect());
    }, this.retryMs).unref();
    // At most half a second between attempts (a refused connection costs next to nothing): until the feed
    // is back, the in-memory copies are not used, and tiles made meanwhile are dropped when it returns
    // (the 'reset'), so every second it lags behind the database is extra load on a recovering server.
    this.retryMs = Math.min(this.retryMs * 2, 500);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => {});
  }
}
