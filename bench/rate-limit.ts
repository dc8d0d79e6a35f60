// What counting rate limits in PostgreSQL (server/limits/shared-rate-store.ts: one upsert per limited
// request) costs against @fastify/rate-limit's in-memory store, and against no limit at all: a Fastify
// app with the plugin and one limited route that does nothing else, driven in process (inject: no HTTP
// client to share the cores with) one request at a time and --concurrency at a time, for --seconds per run, the three set-ups alternated for --rounds in this process on
// one scratch database. Two spreads of clients: 1,000 addresses (each hit its own row) and one address
// (every hit the same row, the worst case: the upserts queue on its row lock).
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimits } from '../server/limits/shared-rate-store.ts';
import { arg, freshMigratedDatabase, loadAverage, machine, writeResults } from './shared.ts';

type Setup = 'none' | 'memory' | 'shared';
const SETUPS: Setup[] = ['none', 'memory', 'shared'];
const SPREADS = { '1,000 clients': 1000, 'one client': 1 } as const;
type Spread = keyof typeof SPREADS;

interface Run { setup: Setup; spread: Spread; concurrency: number; requests: number; perSecond: number; p50: number; p95: number; p99: number; failed: number }

const pct = (s: number[], p: number) => s.length ? +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(3) : 0;

async function runOnce(url: string, setup: Setup, spread: Spread, opts: { seconds: number; concurrency: number }): Promise<Run> {
  const app = Fastify();
  const rates = setup === 'shared' ? sharedRateLimits(url) : null;
  await app.register(rateLimit, { global: false, ...(rates && { store: rates.store }) });
  const limit = { max: 1e9, timeWindow: 60_000, keyGenerator: (req: { headers: Record<string, unknown> }) => String(req.headers['x-client']) };
  app.post('/limited', setup === 'none' ? {} : { config: { rateLimit: limit } }, async () => ({ ok: true }));
  await app.ready();
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const clients = SPREADS[spread];
  const until = performance.now() + opts.seconds * 1000;
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/limited', headers: { 'x-client': `c${n++ % clients}` } });
      if (res.statusCode !== 200) failed++;
      latencies.push(performance.now() - t0);
    }
  }));
  await app.close();
  const memoryHits = rates?.memoryHits ?? 0;
  await rates?.close();
  if (memoryHits) throw new Error(`${memoryHits} hits were counted in memory: the database did not answer`);
  latencies.sort((a, b) => a - b);
  return { setup, spread, concurrency: opts.concurrency, requests: latencies.length, perSecond: Math.round(latencies.length / opts.seconds), p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), failed };
}

export async function run(args: string[]): Promise<void> {
  const opts = { seconds: arg(args, 'seconds', 4), concurrency: arg(args, 'concurrency', 16), rounds: arg(args, 'rounds', 3) };
  const { url, db, drop } = await freshMigratedDatabase('onemap_bench_rate_limit');
  const loadBefore = loadAverage();
  const runs: Run[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    for (const concurrency of [1, opts.concurrency]) {
      for (const spread of Object.keys(SPREADS) as Spread[]) {
        for (const setup of round % 2 ? [...SETUPS].reverse() : SETUPS) {
          await db.query('TRUNCATE rate_limits');
          const r = await runOnce(url, setup, spread, { seconds: opts.seconds, concurrency });
          console.log(`[rate-limit] round ${round + 1} ×${concurrency} ${spread} ${setup}: ${r.perSecond} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms`);
          runs.push(r);
        }
      }
    }
  }
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rate_limits');
  const loadAfter = loadAverage();
  await drop();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = [1, opts.concurrency].flatMap((concurrency) => (Object.keys(SPREADS) as Spread[]).map((spread) => {
    const of = (setup: Setup) => runs.filter((r) => r.concurrency === concurrency && r.spread === spread && r.setup === setup);
    const med = (setup: Setup, k: 'perSecond' | 'p50' | 'p95') => median(of(setup).map((r) => r[k]));
    return {
      concurrency,
      spread,
      ...Object.fromEntries(SETUPS.map((s) => [s, { perSecond: med(s, 'perSecond'), p50: med(s, 'p50'), p95: med(s, 'p95') }])),
      addedP50Ms: +(med('shared', 'p50') - med('memory', 'p50')).toFixed(3),
      addedP95Ms: +(med('shared', 'p95') - med('memory', 'p95')).toFixed(3),
      throughputSharedVsMemory: +(med('shared', 'perSecond') / med('memory', 'perSecond')).toFixed(2),
    } as Record<string, unknown> & { concurrency: number; spread: Spread; addedP50Ms: number; addedP95Ms: number; throughputSharedVsMemory: number };
  }));
  const json = { machine: machine(), load: { before: loadBefore, after: loadAfter }, options: opts, summary, runs, rowsLeft: rows.rows[0].n };
  const cell = (s: Record<string, unknown>, setup: Setup) => {
    const v = s[setup] as { perSecond: number; p50: number; p95: number };
    return `${v.perSecond} req/s, p50 ${v.p50} ms, p95 ${v.p95} ms`;
  };
  const md = [
    `# Rate limits: counted in PostgreSQL vs in memory (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${machine()}; load average before ${loadBefore.join(' / ')}, after ${loadAfter.join(' / ')} (1/5/15 min; other work shares the cores).`,
    `One limited route that does nothing else, requests injected in process one at a time and ${opts.concurrency} at a time, ${opts.seconds} s per run, the three set-ups alternated over ${opts.rounds} rounds in one process; medians of the rounds.`,
    '`none`: the route without a limit; `memory`: @fastify/rate-limit\'s own store; `shared`: one upsert per request into the UNLOGGED `rate_limits` (server/limits/shared-rate-store.ts, a pool of 4).',
    '',
    '| in flight | clients | none | memory | shared | shared − memory p50 / p95 | shared / memory req/s |',
    '|---|---|---|---|---|---|---|',
    ...summary.map((s) => `| ${s.concurrency} | ${s.spread} | ${cell(s, 'none')} | ${cell(s, 'memory')} | ${cell(s, 'shared')} | +${s.addedP50Ms} / +${s.addedP95Ms} ms | ${s.throughputSharedVsMemory} |`),
    '',
    'The limited routes (login: scrypt; reports and edits: a transaction with its audit row) cost milliseconds of their own, so the upsert is added to requests that are never the cheap ones.',
    '',
  ].join('\n');
  writeResults('rate-limit', json, md);
}
