// Where a request's statements read: AsyncLocalStorage carries, from the HTTP hooks and the data modules
// to every connection checked out (db/pool.ts), the WAL position the client must see (read-your-writes:
// it has just written) and, inside a read a data module let the standby serve (db/replica.ts), that
// standby. Everything else — writes, transactions, LISTEN, sessions — never sees a standby; nor does any
// read a write request makes (its answer must show the write it has just made).
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

/** The standby chosen for one read; `served` is set once a connection to it was checked out. */
export interface StandbyTarget {
  readonly pool: pg.Pool;
  served: boolean;
  /** The standby refused a connection: the read goes on on the primary, the standby is asked again later. */
  down(err: unknown): void;
}

interface ReadScope {
  /** The client's last write (0n: none known): a standby serves it only once it has replayed this far. */
  readonly need: bigint;
  readonly standby?: StandbyTarget;
  /** Reads stay on the primary: a write request's, or those of a read already sent there. */
  readonly primary?: boolean;
}

const scope = new AsyncLocalStorage<ReadScope>();

/** Runs `fn` (a request's work) for a client whose last write is at `lsn`. */
export function needingLsn<T>(lsn: bigint, fn: () => T): T {
  return scope.run({ need: lsn }, fn);
}

/** Runs `fn` (a write request's work, `lsn` as for needingLsn) with every read on the primary. */
export function writing<T>(lsn: bigint, fn: () => T): T {
  return scope.run({ need: lsn, primary: true }, fn);
}

export function neededLsn(): bigint {
  return scope.getStore()?.need ?? 0n;
}

/** Runs `fn` with its connections checked out of the standby (the primary when it refuses). */
export function onStandby<T>(standby: StandbyTarget, fn: () => T): T {
  return scope.run({ need: neededLsn(), standby }, fn);
}

/**
 * Runs `fn` on the primary, reads it nests included: the primary was chosen for the read, or what it loads is
 * kept past this read (an in-memory copy), even inside a standby's read.
 */
export function onPrimary<T>(fn: () => T): T {
  return scope.run({ need: neededLsn(), primary: true }, fn);
}

/** Whether the work running now has its place already: on a standby, or kept on the primary. */
export function placed(): 'standby' | 'primary' | null {
  const s = scope.getStore();
  return s?.standby ? 'standby' : s?.primary ? 'primary' : null;
}

/** The standby the statement checked out now should go to, if any. */
export function standbyTarget(): StandbyTarget | undefined {
  return scope.getStore()?.standby;
}
