// The server of `npm run bench -- load`, in a process of its own (as in production: the load generator and
// the benchmark's database restarts do not share its event loop). `tsx bench/load-server.ts` with
// DATABASE_URL; prints `listening <url>` on stdout, and on stderr one line per error that became a 500
// (with its stack), so the benchmark can tell what went wrong. It trusts X-Forwarded-For, as behind a
// proxy: each simulated client has its own address (rate limits and the audit log see it). Every second it
// samples its event-loop delay, the pool's queue and the tile cache; on SIGTERM it prints them as
// `stats <json>` on stdout, then closes.
import diagnostics from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../server/app.ts';
import { isDbUnavailable } from '../server/db/errors.ts';

export interface ServerStats {
  /** Per second: the longest event-loop delay (ms), requests waiting for a pooled connection (most seen), connections open. */
  seconds: { t: number; loopMaxMs: number; poolWaiting: number; poolTotal: number }[];
  loop: { p50: number; p99: number; max: number };
  tileCache: { hits: number; misses: number; entries: number; evictions: number };
  /** What the change feed told the server: resets (every cached tile dropped) and changes per table. */
  feed: { resets: number; changes: Record<string, number> };
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set');
const server = await buildApp({ databaseUrl, trustProxy: true });
// The app logs nothing with its logger off, and hooks added now would not reach the route plugins
// registered already: Fastify's diagnostics channel sees every handler's error. Those the app's error
// handler turns into a 500 are printed (not a client's mistake, not the database being away).
diagnostics.tracingChannel('fastify.request.handler').subscribe({
  error(message: unknown) {
    const { request, error } = message as { request?: { method: string; url: string }; error: Error & { code?: string; statusCode?: number; validation?: unknown } };
    if (error.validation || (error.statusCode && error.statusCode < 500) || isDbUnavailable(error)) return;
    process.stderr.write(`[load-server] 500 ${request?.method} ${request?.url.slice(0, 120)}: ${error.code ?? ''} ${error.message}\n${error.stack?.split('\n').slice(1, 8).join('\n') ?? ''}\n`);
  },
  start() {}, end() {}, asyncStart() {}, asyncEnd() {},
});

const feed: ServerStats['feed'] = { resets: 0, changes: {} };
server.changes.on('reset', () => feed.resets++);
server.changes.on('change', (c) => { feed.changes[c.table] = (feed.changes[c.table] ?? 0) + 1; });

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const total = monitorEventLoopDelay({ resolution: 10 });
total.enable();
const seconds: ServerStats['seconds'] = [];
let waiting = 0;
const sampleWaiting = setInterval(() => { waiting = Math.max(waiting, server.pool.waitingCount); }, 50);
const sample = setInterval(() => {
  seconds.push({ t: Date.now(), loopMaxMs: Math.round(loop.max / 1e6), poolWaiting: waiting, poolTotal: server.pool.totalCount });
  loop.reset();
  waiting = 0;
}, 1000);

const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${url}\n`);
let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  clearInterval(sample);
  clearInterval(sampleWaiting);
  const { hits, misses, entries, evictions } = server.tiles.cache.stats;
  const stats: ServerStats = {
    seconds,
    loop: { p50: Math.round(total.percentile(50) / 1e5) / 10, p99: Math.round(total.percentile(99) / 1e5) / 10, max: Math.round(total.max / 1e5) / 10 },
    tileCache: { hits, misses, entries, evictions },
    feed,
  };
  process.stdout.write(`stats ${JSON.stringify(stats)}\n`, () => {
    server.close().then(() => process.exit(0), (err) => { process.stderr.write(`[load-server] close failed: ${err}\n`); process.exit(1); });
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
