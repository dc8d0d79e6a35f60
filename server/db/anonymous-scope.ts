// Which database work is an anonymous client's: the statements a request makes after the cost limits
// (server/limits/expensive.ts) found no account behind it run with the pool's shorter statement timeout.
// AsyncLocalStorage carries the mark from the request to every connection it checks out, however deep in
// the catalog, the tracer or a transaction the checkout happens.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<true>();

/** Runs `fn` (and everything it starts) as an anonymous client's work. */
export function asAnonymous<T>(fn: () => T): T {
  return scope.run(true, fn);
}

export function isAnonymousWork(): boolean {
  return scope.getStore() === true;
}
