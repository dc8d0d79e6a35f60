// Tells "the database is unreachable" (→ 503, retry later) from every other database error (→ 500).
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

export function isDbUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; message?: string };
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i
    .test(e.message ?? '');
}

/**
 * Every pooled connection stayed checked out for the pool's whole wait: the database is there, this server is
 * saturated. Also "unavailable" above (retry later); told apart so the answer can say which.
 */
export function isPoolBusy(err: unknown): boolean {
  return err instanceof Error && /timeout exceeded when trying to connect/.test(err.message);
}

/** The statement ran past its statement_timeout (query_canceled, and not by someone cancelling it). */
export function isStatementTimeout(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: string }).code === '57014'
    && /statement timeout/.test((err as { message?: string }).message ?? '');
}

/** Anonymous work waited as long as for a connection for its share of the pool (db/pool.ts): busy, like isPoolBusy. */
export class AnonymousShareBusy extends Error {
  constructor(readonly share: number) {
    super(`anonymous work holds its ${share} connections of the pool`);
  }
}

/** Refused: the work that asked for the statement was abandoned (its client went away; db/cancel.ts). */
export class QueryCancelled extends Error {
  readonly code = 'ONEMAP_CANCELLED';
  constructor() {
    super('the statement was not run: nobody waits for its answer any more');
  }
}

/** The statement was cancelled or refused because nobody waited for it (not a statement timeout). */
export function isCancelled(err: unknown): boolean {
  if (err instanceof QueryCancelled) return true;
  return !!err && typeof err === 'object' && (err as { code?: string }).code === '57014'
    && /user request/.test((err as { message?: string }).message ?? '');
}
