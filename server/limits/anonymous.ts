// What a client without an account may ask at once and in one request. Accounts (a session cookie or a
// Bearer token) are staff the city knows: they are held only by the database's own limits. The statement
// timeouts and the share of the pool anonymous work may hold are the pool's (server/db/pool.ts), the CQL2
// filter limits the parser's (features/cql2.ts).
export const ANONYMOUS = {
  /** Expensive requests (see expensive.ts) one client address may have in flight. */
  inFlightPerClient: 2,
  /** Expensive requests all anonymous clients together may have in flight, as a share of the pool's connections. */
  inFlightShareOfPool: 1 / 8,
  /** How long one waits for its turn among them before it is refused (as long as its statements may run). */
  queueWaitMs: 5_000,
  /** Features in one items page or one layer of a within answer (accounts: params.ts MAX_LIMIT). */
  features: 1000,
  /** Reaches in one network export (accounts: export.ts MAX_EXPORT). */
  exportReaches: 2000,
  /** Live (SSE) streams one client address may hold open. */
  streamsPerClient: 4,
  /** Events replayed to a reconnecting anonymous stream; beyond, it is told to reload (accounts: hub.ts MAX_REPLAY). */
  replayEvents: 1000,
} as const;
