// The queue of submissions made on the phone. Everything goes through it, online or not: a submission is
// first written to the device, then sent; so a report is never lost between "tap" and "server has it", and
// one code path handles the good network and the bad. Sending runs one item at a time, oldest first,
// when the page opens, when the connection returns (the `online` event), when something is queued, and on
// a backoff timer after failures. A Web Lock keeps two open tabs from sending the same item at once.
import { backoffMs, sendItem } from './send.ts';
import { outboxStore } from './store.ts';
import type { OutboxItem, SentNotice } from './types.ts';

type Listener = () => void;

export class Outbox {
  private items: OutboxItem[] = [];
  private loaded = false;
  private user: string | null = null;
  private flushing: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<Listener>();
  private sentListeners = new Set<(n: SentNotice) => void>();
  private readonly onOnline = () => this.kick(true);
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.kick();
  };

  constructor() {
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  /** Load what is queued on the device and start sending for this account. */
  async start(user: string): Promise<void> {
    this.user = user;
    if (!this.loaded) {
      this.items = await outboxStore.all();
      this.loaded = true;
    }
    // Started for an account means that account has a session (again): what waited for a login may go.
    this.items = this.items.map((i) => (i.user === user && i.needsLogin ? { ...i, needsLogin: false } : i));
    this.emit();
    this.kick(true);
  }

  destroy(): void {
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.timer);
    this.listeners.clear();
    this.sentListeners.clear();
  }

  snapshot(): readonly OutboxItem[] {
    return this.items;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onSent(fn: (n: SentNotice) => void): () => void {
    this.sentListeners.add(fn);
    return () => this.sentListeners.delete(fn);
  }

  /** Writes the submission to the device (resolves once it is durable), then tries to send it. */
  async add(item: OutboxItem): Promise<void> {
    await outboxStore.put(item);
    this.items = [...this.items.filter((i) => i.id !== item.id), item];
    this.emit();
    this.kick(true);
  }

  /** Drop a submission the server refused (or the user no longer wants). */
  async discard(id: string): Promise<void> {
    await outboxStore.remove(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.emit();
  }

  /** Try again now: after "retry" in the UI, or a new login. */
  async retry(id?: string): Promise<void> {
    const again = this.items.filter((i) => id === undefined || i.id === id).map((i) => ({ ...i, failed: false, needsLogin: false, nextAt: 0 }));
    for (const i of again) await outboxStore.put(i);
    const byId = new Map(again.map((i) => [i.id, i]));
    this.items = this.items.map((i) => byId.get(i.id) ?? i);
    this.emit();
    this.kick(true);
  }

  /** Start a flush if none is running; `now` ignores the backoff (a fresh reason to try). */
  kick(now = false): void {
    if (now) this.items = this.items.map((i) => (i.failed || i.needsLogin ? i : { ...i, nextAt: 0 }));
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = this.lockAndFlush().finally(() => {
      this.flushing = null;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.schedule();
      }
    });
  }

  private lockAndFlush(): Promise<void> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request('onemap-field-outbox', () => this.flush()) : this.flush();
  }

  private async flush(): Promise<void> {
    // Another tab may have sent (and removed) items meanwhile: start from what the device holds.
    // What this page knows of an item wins (its backoff, a retry asked for); what is new comes in.
    const stored = await outboxStore.all().catch(() => null);
    if (stored) {
      const local = new Map(this.items.map((i) => [i.id, i]));
      this.items = stored.map((s) => local.get(s.id) ?? s);
      this.emit();
    }
    for (;;) {
      const due = this.items.find((i) => i.user === this.user && !i.failed && !i.needsLogin && i.nextAt <= Date.now());
      if (!due) return;
      const item: OutboxItem = { ...due, photos: due.photos.map((p) => ({ ...p })) };
      const result = await sendItem(item, (it) => outboxStore.put(it));
      if (result.kind === 'done') {
        await outboxStore.remove(item.id);
        this.items = this.items.filter((i) => i.id !== item.id);
        this.emit();
        for (const fn of this.sentListeners) fn({ item, caseId: result.caseId, caseNo: result.caseNo, duplicate: result.duplicate });
        continue;
      }
      const attempts = item.attempts + 1;
      const next: OutboxItem = {
        ...item,
        attempts,
        error: result.message,
        failed: result.kind === 'failed',
        needsLogin: result.kind === 'login',
        nextAt: result.kind === 'retry' ? Date.now() + backoffMs(attempts) : item.nextAt,
      };
      await outboxStore.put(next);
      this.items = this.items.map((i) => (i.id === next.id ? next : i));
      this.emit();
      // No connection, or no session: the rest would fail the same way; wait for the timer, the `online`
      // event or a new login.
      if (result.kind === 'retry') return;
      if (result.kind === 'login') {
        this.items = this.items.map((i) => (i.user === this.user ? { ...i, needsLogin: true } : i));
        this.emit();
        return;
      }
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const waiting = this.items.filter((i) => i.user === this.user && !i.failed && !i.needsLogin);
    if (!waiting.length) return;
    const at = Math.min(...waiting.map((i) => i.nextAt));
    this.timer = setTimeout(() => this.kick(), Math.max(1000, at - Date.now()));
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}
