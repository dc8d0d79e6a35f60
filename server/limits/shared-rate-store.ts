// Rate limits shared by every instance behind the balancer: @fastify/rate-limit's counters kept in
// PostgreSQL (the UNLOGGED table rate_limits), one upsert per limited request, so ten logins a minute are
// ten whichever instance answers them. The limiter has a small pool of its own with short timeouts: it
// never waits behind the app's queries, and a database that is away costs a request at most one short try.
//
// While the database is away each instance counts in its own memory (as a single instance always did)
// rather than letting requests through: limits then hold per instance (N × the limit across N instances)
// instead of not at all, and no request fails for the limiter's sake. The database is tried again after
// RETRY_AFTER_MS; counts made in memory meanwhile are not carried over.
import pg from 'pg';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { Housekeeping } from '../db/housekeeping.ts';

type Counted = { current: number; ttl: number };
type Done = (err: Error | null, res?: Counted) => void;
/** What the plugin passes a store (its options, merged with a route's and naming the route, for a child). */
type StoreOptions = { continueExceeding?: boolean; exponentialBackoff?: boolean; routeInfo?: { method?: string | string[]; url?: string } };

/** How long the limiter counts in memory after the database failed it, before trying it again. */
export const RETRY_AFTER_MS = 2_000;
/** A hit waits at most this long for a connection and for its statement, then counts in memory. */
const DB_WAIT_MS = 1_000;
/** Expired counters are swept this often. */
export const SWEEP_EVERY_MS = 60_000;
/** Clients counted in memory per route at most while the database is away (the oldest forgotten first). */
const MEMORY_KEYS = 5_000;
/** The exponential backoff's exponent at most (2^40 windows is already forever). */
const MAX_BACKOFF_EXPONENT = 40;

// The window starts at the first hit and restarts at the first hit after it ended; continueExceeding
// and exponentialBackoff move its end as @fastify/rate-limit's own stores do.
const HIT_SQL = `
  INSERT INTO rate_limits AS r (key, hits, expires_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN r.expires_at <= now() THEN 1 ELSE r.hits + 1 END,
    expires_at = CASE
      WHEN r.expires_at <= now() THEN excluded.expires_at
      WHEN $3 AND r.hits + 1 > $4 THEN excluded.expires_at
      WHEN $5 AND r.hits + 1 > $4 THEN now() + $2 * 2 ^ least(r.hits - $4, ${MAX_BACKOFF_EXPONENT}) * interval '1 millisecond'
      ELSE r.expires_at END
  RETURNING hits AS current, greatest(0, ceil(extract(epoch FROM r.expires_at - now()) * 1000))::float8 AS ttl`;

const READ_SQL = `
  SELECT hits AS current, ceil(extract(epoch FROM expires_at - now()) * 1000)::float8 AS ttl
  FROM rate_limits WHERE key = $1 AND expires_at > now()`;

/** Counts in this process's memory: the limiter's stand-in while the database is away. */
class MemoryCounts {
  private readonly counts = new Map<string, { hits: number; ends: number }>();

  hit(key: string, windowMs: number): Counted {
    const now = Date.now();
    let c = this.counts.get(key);
    if (!c || c.ends <= now) {
      c = { hits: 0, ends: now + windowMs };
      if (this.counts.size >= MEMORY_KEYS) this.counts.delete(this.counts.keys().next().value!);
    }
    c.hits++;
    this.counts.delete(key);
    this.counts.set(key, c);
    return { current: c.hits, ttl: c.ends - now };
  }

  read(key: string): Counted {
    const c = this.counts.get(key);
    const ttl = c ? c.ends - Date.now() : 0;
    return ttl > 0 ? { current: c!.hits, ttl } : { current: 0, ttl: 0 };
  }
}

/** What every route's store of one app shares: the pool, and whether the database answers. */
class Limiter {
  /** Until when hits are counted in memory (the database failed the last try). */
  private downUntil = 0;
  /** Hits counted in memory, for tests and the benchmark. */
  memoryHits = 0;

  constructor(readonly pool: pg.Pool) {}

  async count(sql: string, values: unknown[], inMemory: () => Counted): Promise<Counted> {
    if (Date.now() < this.downUntil) return this.fallBack(inMemory);
    try {
      const { rows } = await this.pool.query<Counted>(sql, values);
      return rows[0] ?? { current: 0, ttl: 0 };
    } catch {
      this.downUntil = Date.now() + RETRY_AFTER_MS;
      return this.fallBack(inMemory);
    }
  }

  private fallBack(inMemory: () => Counted): Counted {
    this.memoryHits++;
    return inMemory();
  }
}

/** One route's counters: keys are the route's and the client's, as @fastify/rate-limit's own stores keep them apart. */
class SharedRateStore implements FastifyRateLimitStore {
  private readonly memory = new MemoryCounts();

  constructor(
    private readonly limiter: Limiter,
    private readonly options: StoreOptions,
    private readonly scope = '',
  ) {}

  incr(key: string, done: Done, timeWindow: number, max: number): void {
    const k = this.scope + key;
    this.limiter.count(HIT_SQL, [k, timeWindow, !!this.options.continueExceeding, max, !!this.options.exponentialBackoff], () => this.memory.hit(k, timeWindow))
      .then((r) => done(null, r), (err: Error) => done(err));
  }

  /** The count without counting (`{ increment: false }`). */
  read(key: string, done: Done): void {
    const k = this.scope + key;
    this.limiter.count(READ_SQL, [k], () => this.memory.read(k)).then((r) => done(null, r), (err: Error) => done(err));
  }

  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    // Typed as the route's options, given (at run time) the limit's options merged with the route's.
    const route = routeOptions as unknown as StoreOptions;
    const info = route.routeInfo ?? {};
    return new SharedRateStore(this.limiter, route, `${[info.method ?? ''].flat().join(',')} ${info.url ?? ''} `);
  }
}

export interface SharedRateLimits {
  /** The class to give @fastify/rate-limit as its `store`. */
  store: FastifyRateLimitStoreCtor;
  /** Hits counted in memory because the database did not answer. */
  readonly memoryHits: number;
  /** Deletes the expired counters every SWEEP_EVERY_MS. */
  sweeper: Housekeeping<number>;
  close(): Promise<void>;
}

export function sharedRateLimits(databaseUrl: string, onError?: (err: unknown) => void): SharedRateLimits {
  const pool = new pg.Pool({
    connectionString: databaseUrl, max: 4, connectionTimeoutMillis: DB_WAIT_MS, idleTimeoutMillis: 30_000,
    statement_timeout: DB_WAIT_MS, application_name: 'wuchang-onemap-limits',
  });
  // A connection the database dropped must not crash the process; the next hit fails over to memory.
  pool.on('error', () => {});
  const limiter = new Limiter(pool);
  const sweeper = new Housekeeping(async () => (await pool.query('DELETE FROM rate_limits WHERE expires_at < now()')).rowCount ?? 0, 0, onError);
  return {
    store: class extends SharedRateStore {
      constructor(options: FastifyRateLimitOptions) {
        super(limiter, options as StoreOptions);
      }
    },
    get memoryHits() {
      return limiter.memoryHits;
    },
    sweeper,
    async close() {
      await sweeper.stop();
      await pool.end();
    },
  };
}
