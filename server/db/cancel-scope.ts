// Which request's work a statement is: AsyncLocalStorage carries the request's AbortSignal from the HTTP
// hook (server/http/abandoned.ts) to every connection the request checks out (db/pool.ts), however deep in
// the catalog, the tracer or the tile service the checkout happens — so no route or data module passes it.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` (and everything it starts) as work wanted until `signal` aborts. */
export function whileWanted<T>(signal: AbortSignal, fn: () => T): T {
  return scope.run(signal, fn);
}

/** The signal of the work running now; undefined for work nobody can abandon (sweeps, writes, scripts). */
export function currentSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/**
 * The waiters of one piece of shared work (concurrent identical tiles): its signal aborts only once every
 * waiter that joined has gone. A waiter that cannot go away (no signal: a sweep, a script) keeps it wanted.
 */
export class Waiters {
  private readonly controller = new AbortController();
  private waiting = 0;
  private kept = false;

  constructor(private readonly onAllGone: () => void = () => {}) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Adds the work running now (its signal) as a waiter; a waiter already gone counts for nothing. */
  join(signal = currentSignal()): void {
    if (!signal) this.kept = true;
    else if (!signal.aborted) {
      this.waiting++;
      signal.addEventListener('abort', () => {
        this.waiting--;
        this.check();
      }, { once: true });
    }
    this.check();
  }

  /** Runs the shared work under the waiters' signal. */
  run<T>(fn: () => T): T {
    return whileWanted(this.signal, fn);
  }

  private check(): void {
    if (this.waiting > 0 || this.kept || this.signal.aborted) return;
    this.controller.abort();
    this.onAllGone();
  }
}
