// GET /api/live (Server-Sent Events) for a screen that runs unattended: one EventSource, kept open
// through server restarts and network drops. EventSource retries network errors by itself (every 2 s,
// the server's `retry:`) and sends Last-Event-ID, so the server replays what was missed. It gives up for
// good on an HTTP error (a proxy's 502 while the server restarts): then we open a new one with backoff,
// carrying the last id as `?last_event_id=`, which the server reads the same way.

import type { LiveKind, LivePayloads, RecentAnswer } from '../../common/api/live.ts';

export type { AlarmEvent, CameraEvent, CaseEvent, LiveKind, LivePayloads, ObservationEvent, PositionEvent, RecentEvent } from '../../common/api/live.ts';

export type LiveMessage = { [K in LiveKind]: { kind: K; data: LivePayloads[K]; id: string | null } }[LiveKind];

/** connecting: the first connection is being made; open: events flow; reconnecting: lost, trying again. */
export type LiveState = 'connecting' | 'open' | 'reconnecting';

export interface LiveHandlers {
  onMessage(m: LiveMessage): void;
  /** The server could not replay what was missed: every figure must be read again. */
  onReset(): void;
  onState(state: LiveState): void;
  /** Open again after a loss (the replay follows): figures that are not events should be re-read. */
  onReconnected(): void;
}

// The contract's list is in a module the bundle must not load; a record of every kind, in its order, is checked against it.
const KINDS: Record<LiveKind, true> = { observation: true, position: true, camera: true, alarm: true, case: true, liveness: true, facility: true, staff_position: true, device_position: true };
export const LIVE_KINDS = Object.keys(KINDS) as readonly LiveKind[];

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
/**
 * The server's heartbeats are SSE comments, which EventSource never shows to the page, so a connection that
 * died without a FIN (a switch rebooted) looks open until TCP gives up hours later. A stream that has been
 * silent this long is reopened; with the last id nothing is lost, and on a quiet system it costs one request.
 */
const WATCHDOG_MS = 120_000;

export interface LiveStats { opens: number; reconnects: number; events: number; resets: number }

export class LiveClient {
  private es: EventSource | null = null;
  private state: LiveState = 'connecting';
  private everOpen = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  /** The id of the last event seen, sent back on a reconnect so the server replays from there. */
  lastEventId: string | null = null;
  readonly stats: LiveStats = { opens: 0, reconnects: 0, events: 0, resets: 0 };

  constructor(
    private readonly handlers: LiveHandlers,
    private readonly url = '/api/live',
    private readonly kinds: readonly LiveKind[] = LIVE_KINDS,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchdog);
    this.close();
  }

  get connection(): LiveState {
    return this.state;
  }

  private setState(s: LiveState): void {
    if (s === this.state) return;
    this.state = s;
    this.handlers.onState(s);
  }

  private open(): void {
    this.close();
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    const params = new URLSearchParams();
    if (this.kinds.length !== LIVE_KINDS.length) params.set('kinds', this.kinds.join(','));
    if (this.lastEventId) params.set('last_event_id', this.lastEventId);
    const qs = params.toString();
    const es = new EventSource(qs ? `${this.url}?${qs}` : this.url);
    this.es = es;
    es.onopen = () => {
      if (this.es !== es) return;
      this.stats.opens++;
      this.attempt = 0;
      const wasLost = this.everOpen;
      this.everOpen = true;
      this.setState('open');
      this.armWatchdog();
      if (wasLost) {
        this.stats.reconnects++;
        this.handlers.onReconnected();
      }
    };
    es.onerror = () => {
      if (this.es !== es) return;
      clearTimeout(this.watchdog);
      this.setState('reconnecting');
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (HTTP error), so we retry.
      if (es.readyState === EventSource.CLOSED) this.retryLater();
    };
    for (const kind of this.kinds) {
      es.addEventListener(kind, (e) => this.onEvent(es, kind, e as MessageEvent<string>));
    }
    es.addEventListener('reset', () => {
      if (this.es !== es) return;
      this.stats.resets++;
      this.armWatchdog();
      this.handlers.onReset();
    });
  }

  private onEvent(es: EventSource, kind: LiveKind, e: MessageEvent<string>): void {
    if (this.es !== es) return;
    if (e.lastEventId) this.lastEventId = e.lastEventId;
    this.armWatchdog();
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return; // a malformed event is skipped, the stream goes on
    }
    this.stats.events++;
    this.handlers.onMessage({ kind, data, id: e.lastEventId || null } as LiveMessage);
  }

  private close(): void {
    clearTimeout(this.watchdog);
    if (!this.es) return;
    this.es.onopen = null;
    this.es.onerror = null;
    this.es.close();
    this.es = null;
  }

  private retryLater(): void {
    this.close();
    clearTimeout(this.retryTimer);
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.open(), WATCHDOG_MS);
  }

  // The browser knows before the socket does: drop the stream at once and reopen when the link is back.
  private onOffline = (): void => {
    this.setState('reconnecting');
    // Still retried with backoff, in case the 'online' event never comes.
    this.retryLater();
  };

  private onOnline = (): void => {
    this.attempt = 0;
    // The browser's own retry may have got there first.
    if (this.state !== 'open') this.open();
  };
}

/** The newest events of the log (oldest first), for a page that opens and should show what just happened. */
export async function fetchRecent(kinds: readonly LiveKind[], limit: number, signal?: AbortSignal): Promise<RecentAnswer> {
  const res = await fetch(`/api/live/recent?${new URLSearchParams({ kinds: kinds.join(','), limit: String(limit) })}`, { signal });
  if (!res.ok) throw new Error(`GET /api/live/recent: ${res.status}`);
  return (await res.json()) as RecentAnswer;
}
