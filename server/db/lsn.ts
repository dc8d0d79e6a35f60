// PostgreSQL's WAL positions ("16/B374D848": the high and low 32 bits in hex) as bigints, to compare them.

/** Past any position a server can reach: "not known yet", which no standby has replayed. */
export const UNKNOWN_LSN = 1n << 64n;

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** The position, or null when `text` is not one (a client's header or cookie is only a hint). */
export function parseLsn(text: string | null | undefined): bigint | null {
  const m = LSN.exec(text?.trim() ?? '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : null;
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xFFFFFFFFn).toString(16).toUpperCase()}`;
}

/**
 * The primary's WAL position now: past every commit made so far. The insert position, not
 * pg_current_wal_lsn() (written so far): with synchronous_commit = off a commit may still wait in the WAL
 * buffers, behind the written position, and a standby that has replayed up to it would not have it.
 */
export const CURRENT_LSN_SQL = 'SELECT pg_current_wal_insert_lsn()::text AS lsn';
