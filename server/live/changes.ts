// Listens to the database's change feed (NOTIFY onemap_changes, sent by statement triggers on every data
// table) so that a change made by any process — the API, an import, a script, another server — reaches
// this one. On reconnect, changes may have been missed: listeners are told to drop everything.
// NOTIFY exists only on the primary: the feed listens there even when a standby serves reads. With a
// standby (trackLsn), each batch of notifications comes with the primary's WAL position once they were
// heard, so a tile read on the standby can be told from one made before it had replayed a change.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { CURRENT_LSN_SQL, parseLsn, UNKNOWN_LSN } from '../db/lsn.ts';

export interface DataChange {
  table: string;
  op: 'insert' | 'update' | 'delete' | 'truncate';
  rows: number;
  /** [west, south, east, north] in lon/lat, or null when unknown (truncate). */
  bbox: [number, number, number, number] | null;
  /** The writing transaction (functions/change_feed.sql); absent for a change a process applies itself. */
  xid?: string;
}

/**
 * The primary's WAL position once a change was heard (past its commit): resolved a moment after the change
 * event, shared by the changes heard together; UNKNOWN_LSN when it could not be read.
 */
export type ChangeLsn = Promise<bigint>;
const UNTRACKED: ChangeLsn = Promise.resolve(UNKNOWN_LSN);

export class ChangeFeed extends EventEmitter<{ change: [DataChange, ChangeLsn]; reset: []; connected: []; disconnected: []; condition: []; live: [] }> {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private wasConnected = false;
  private batch: ChangeLsn | null = null;
  /** With trackLsn: the primary's position when the feed began listening (every later change is heard); UNKNOWN_LSN before. */
  listeningSince = UNKNOWN_LSN;

  constructor(private readonly url: string, private readonly trackLsn = false) {
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
    let since = UNKNOWN_LSN;
    try {
      await this.listen(client);
      if (this.trackLsn) since = await this.positionOn(client);
    } catch (err) {
      // Connected but not listening (the database went away again in between): close it, or every retry
      // during an outage would leave a connection behind.
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopped) return void (await client.end());
    this.listeningSince = since;
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
        this.emit('change', JSON.parse(msg.payload) as DataChange, this.batchLsn(client));
      } catch {
        this.emit('reset');
      }
    });
    await client.query('LISTEN onemap_changes; LISTEN onemap_condition; LISTEN onemap_live');
  }

  /** Notifications that arrive together (one read from the socket) share one position query, asked right after them. */
  private batchLsn(client: pg.Client): ChangeLsn {
    if (!this.trackLsn) return UNTRACKED;
    this.batch ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.batch = null;
      // Lost meanwhile: the feed's reset drops what was kept, and nothing a standby makes is kept until it listens again.
      return this.positionOn(client).catch(() => UNKNOWN_LSN);
    });
    return this.batch;
  }

  private async positionOn(client: pg.Client): Promise<bigint> {
    const { rows: [r] } = await client.query<{ lsn: string }>(CURRENT_LSN_SQL);
    return parseLsn(r.lsn) ?? UNKNOWN_LSN;
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
