// Stops the statements of work nobody waits for any more. pg 8 has no per-query cancel on a pooled client,
// so this sends PostgreSQL's own cancel request (a separate short connection carrying the backend's pid and
// secret key; no pool connection is spent on it, unlike SELECT pg_cancel_backend). The cancelled statement
// fails with 57014 and its connection is healthy again. Two rules keep the cancel from hitting anybody
// else's statement on that backend: the connection goes back to the pool only once the backend has taken
// the signal — a statement failed with it, or PostgreSQL has closed the cancel connection (it signals the
// backend before closing it; a backend that is idle by then ignores the signal) — and after the abort the checkout runs no new statement except the ones that end a
// transaction or a cursor (so a read-only transaction still rolls back cleanly).
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import pg from 'pg';
import { isCancelled, QueryCancelled } from './errors.ts';

type Callback = (err: Error | null, res?: unknown) => void;
interface Target { processID: number | null; secretKey: number | null; host?: string; port?: number; readyForQuery?: boolean }
/** What pg's Connection does and its typings leave out. */
interface CancelConnection {
  stream: Duplex;
  connect(portOrSocket: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: 'connect' | 'error', fn: () => void): void;
}

/** Allowed after an abort: they only end what the cancelled work opened. */
const ENDING = /^\s*(ROLLBACK|CLOSE)\b/i;

/** Sends the cancel request for `client`'s backend; resolves when PostgreSQL has closed that connection. */
export function sendCancel(client: pg.PoolClient): Promise<void> {
  const t = client as unknown as Target;
  return new Promise((resolve) => {
    const con = new pg.Connection() as unknown as CancelConnection;
    const host = t.host ?? 'localhost';
    // A socket directory is reached as pg itself reaches it.
    if (host.startsWith('/')) con.connect(`${host}/.s.PGSQL.${t.port ?? 5432}`);
    else con.connect(t.port ?? 5432, host);
    con.on('connect', () => con.cancel(t.processID ?? 0, t.secretKey ?? 0));
    // Not being able to cancel costs only the time the statement would have run anyway.
    con.on('error', () => resolve());
    con.stream.once('close', () => resolve());
  });
}

/**
 * How long a statement must have run before an abort cancels it. Cancelling costs a connection to the
 * server (a process forked for it) and holds the pooled connection until the backend has the signal: for
 * a statement about to finish anyway that is more than it saves, and most abandoned statements are such.
 */
export const CANCEL_AFTER_MS = 50;

/**
 * Ties a checked-out connection to the signal of the work that checked it out, until it is released:
 * on abort, a statement running (for CANCEL_AFTER_MS or more) is cancelled and later ones are refused with
 * QueryCancelled.
 */
export function cancelOnAbort(client: pg.PoolClient, signal: AbortSignal): pg.PoolClient {
  const target = client as unknown as Target;
  let cancelling: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // The statement submitted last (its number and start): a timer cancels only that one, still running.
  let statement = 0;
  let startedAt = 0;
  const cancelIfRunning = (n: number) => {
    timer = undefined;
    if (n === statement && !target.readyForQuery && !cancelling) cancelling = sendCancel(client);
  };
  const onAbort = () => {
    if (target.readyForQuery) return;
    const wait = startedAt + CANCEL_AFTER_MS - performance.now();
    if (wait <= 0) cancelIfRunning(statement);
    else timer = setTimeout(cancelIfRunning, wait, statement);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  // A statement that failed with our cancel shows the backend has taken the signal: nothing is left to
  // arrive, and the connection may go back at once instead of after the cancel connection closes.
  let delivered = false;
  const observe = (err: unknown) => {
    if (cancelling && !(err instanceof QueryCancelled) && isCancelled(err)) delivered = true;
  };
  const query = client.query;
  client.query = function refuseWhenAbandoned(this: pg.PoolClient, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | null)?.text;
    if (!signal.aborted || (typeof text === 'string' && ENDING.test(text))) {
      statement++;
      startedAt = performance.now();
      const cb = args.at(-1);
      if (typeof cb === 'function') {
        args[args.length - 1] = (err: Error | null, res?: unknown) => {
          if (err) observe(err);
          (cb as Callback)(err, res);
        };
      }
      const out = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (out instanceof Promise) out.then(undefined, observe);
      return out;
    }
    const err = new QueryCancelled();
    const cb = args.at(-1);
    if (typeof cb === 'function') {
      process.nextTick(cb as Callback, err);
      return undefined;
    }
    return Promise.reject(err);
  } as typeof client.query;

  const release = client.release;
  client.release = (err?: Error | boolean) => {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
    // The prototype's query again, for the next checkout.
    delete (client as { query?: unknown }).query;
    client.release = release;
    // pg-pool discards a connection released with an error (pool.query does so on any failed statement):
    // one whose statement we cancelled is healthy and idle, and goes back for the next request.
    const keep = signal.aborted && isCancelled(err) ? undefined : err;
    if (!cancelling || delivered) return release(keep);
    void cancelling.then(() => release(keep));
  };
  return client;
}
