// Stops the statements of work nobody waits for any more. pg 8 has no per-query cancel on a pooled client,
// so this sends PostgreSQL's own cancel request (a separate short connection carrying the backend's pid and
// secret key; no pool connection is spent on it, unlike SELECT pg_cancel_backend). The cancelled statement
// fails with 57014 and its connection is healthy again. Two rules keep the cancel from hitting anybody
// else's statement on that backend: the connection goes back to the pool only after PostgreSQL has closed
// the cancel connection (it signals the backend before closing it; a backend that is idle by then ignores
// the signal), and after the abort the checkout runs no new statement except the ones that end a
// transaction or a cursor (so a read-only transaction still rolls back cleanly).
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
 * Ties a checked-out connection to the signal of the work that checked it out, until it is released:
 * on abort, a running statement is cancelled and later ones are refused with QueryCancelled.
 */
export function cancelOnAbort(client: pg.PoolClient, signal: AbortSignal): pg.PoolClient {
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    if (!(client as unknown as Target).readyForQuery) cancelling = sendCancel(client);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const query = client.query;
  client.query = function refuseWhenAbandoned(this: pg.PoolClient, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | null)?.text;
    if (!signal.aborted || (typeof text === 'string' && ENDING.test(text))) return (query as (...a: unknown[]) => unknown).apply(this, args);
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
    // The prototype's query again, for the next checkout.
    delete (client as { query?: unknown }).query;
    client.release = release;
    // pg-pool discards a connection released with an error (pool.query does so on any failed statement):
    // one whose statement we cancelled is healthy and idle, and goes back for the next request.
    const keep = signal.aborted && isCancelled(err) ? undefined : err;
    if (!cancelling) return release(keep);
    void cancelling.then(() => release(keep));
  };
  return client;
}
