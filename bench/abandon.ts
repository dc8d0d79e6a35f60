// Clients that pan quickly and abandon what has not come: each looks at a view for --pan-ms, asking for its
// tiles (cases and pipes, 2×2 at z11–14) and an items page of cases in it, then moves on; whatever is still
// on its way is abandoned (the browser aborts it). Measured: the pool's connection time per answered
// request (pg-pool's acquire→release, summed), with the queries of abandoned requests cancelled (the app as
// it runs) and without (the baseline: `cancelAbandoned: false`), alternately in this process, on the same
// database and the same sequence of views. DATABASE_URL names the database (else the app's own).
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ensureServer } from '../scripts/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { buildApp } from '../server/app.ts';
import { arg, AREA, loadAverage, machine, writeResults } from './shared.ts';

interface Run {
  cancel: boolean;
  seconds: number;
  views: number;
  requests: number;
  answered: number;
  abandoned: number;
  failed: Record<string, number>;
  /** Connection time held from the pool, all of it, in ms. */
  poolMs: number;
  poolMsPerAnswered: number;
  answeredPerSecond: number;
  latencyMs: { p50: number; p95: number };
  maxPoolWaiting: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]) : 0;
};

/** A deterministic sequence of views (centre, zoom), the same for every run. */
function views(n: number): { lon: number; lat: number; z: number }[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => ({ lon: AREA.w + rnd() * (AREA.e - AREA.w), lat: AREA.s + rnd() * (AREA.n - AREA.s), z: 11 + Math.floor(rnd() * 4) }));
}

function urlsOf(v: { lon: number; lat: number; z: number }): string[] {
  const n = 2 ** v.z;
  const x = Math.floor(((v.lon + 180) / 360) * n);
  const lat = (v.lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
  const tiles = [];
  for (const layer of ['cases', 'pipes']) for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) tiles.push(`/tiles/${layer}/${v.z}/${x + dx}/${y + dy}.mvt`);
  const half = 360 / n;
  const bbox = [v.lon - half, v.lat - half / 2, v.lon + half, v.lat + half / 2].map((c) => c.toFixed(5)).join(',');
  return [...tiles, `/api/collections/cases/items?bbox=${bbox}&limit=1000`];
}

async function runOnce(databaseUrl: string, cancel: boolean, opts: { clients: number; seconds: number; panMs: number }): Promise<Run> {
  const server = await buildApp({ databaseUrl, cancelAbandoned: cancel, trustProxy: true });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const held = new Map<pg.PoolClient, number>();
  let poolMs = 0;
  server.pool.on('acquire', (c) => held.set(c, performance.now()));
  server.pool.on('release', (_err, c) => {
    const t = held.get(c);
    if (t !== undefined) poolMs += performance.now() - t;
    held.delete(c);
  });
  let maxPoolWaiting = 0;
  const sampler = setInterval(() => { maxPoolWaiting = Math.max(maxPoolWaiting, server.pool.waitingCount); }, 50);

  const sequence = views(5000);
  const latencies: number[] = [];
  const run: Run = { cancel, seconds: opts.seconds, views: 0, requests: 0, answered: 0, abandoned: 0, failed: {}, poolMs: 0, poolMsPerAnswered: 0, answeredPerSecond: 0, latencyMs: { p50: 0, p95: 0 }, maxPoolWaiting: 0 };
  const until = Date.now() + opts.seconds * 1000;
  const client = async (id: number) => {
    for (let i = id; Date.now() < until; i += opts.clients) {
      run.views++;
      const controllers: AbortController[] = [];
      const asked = urlsOf(sequence[i % sequence.length]).map(async (u) => {
        const ac = new AbortController();
        controllers.push(ac);
        run.requests++;
        const t0 = performance.now();
        try {
          const res = await fetch(base + u, { signal: ac.signal });
          // Node 20's fetch may leave a body read pending past the abort: the abort ends the wait.
          const gone = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(new Error('abandoned')), { once: true }));
          await Promise.race([res.arrayBuffer(), gone]);
          if (res.status === 200 || res.status === 204) {
            run.answered++;
            latencies.push(performance.now() - t0);
          } else run.failed[res.status] = (run.failed[res.status] ?? 0) + 1;
        } catch {
          run.abandoned++;
        }
      });
      await new Promise((r) => setTimeout(r, opts.panMs));
      for (const c of controllers) c.abort();
      await Promise.allSettled(asked);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  // The baseline's abandoned queries still run: their connection time counts once they end.
  for (let waited = 0; server.pool.totalCount > server.pool.idleCount; waited += 20) {
    if (waited % 5000 === 0 && waited) console.log(`[abandon] waiting for the pool: ${server.pool.totalCount} open, ${server.pool.idleCount} idle, ${server.pool.waitingCount} waiting`);
    await new Promise((r) => setTimeout(r, 20));
  }
  clearInterval(sampler);
  // A connection whose client went away mid-body can keep Fastify's close waiting: the run is over, so every
  // connection goes now.
  server.app.server.closeAllConnections();
  await server.close();
  run.poolMs = Math.round(poolMs);
  run.poolMsPerAnswered = +(poolMs / Math.max(1, run.answered)).toFixed(2);
  run.answeredPerSecond = +(run.answered / opts.seconds).toFixed(1);
  run.latencyMs = { p50: pct(latencies, 50), p95: pct(latencies, 95) };
  run.maxPoolWaiting = maxPoolWaiting;
  return run;
}

export async function run(args: string[]): Promise<void> {
  const opts = { clients: arg(args, 'clients', 20), seconds: arg(args, 'seconds', 15), panMs: arg(args, 'pan-ms', 300) };
  const rounds = arg(args, 'rounds', 2);
  const databaseUrl = process.env.DATABASE_URL ?? (await ensureServer()).url;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await migrate(db);
  const cases = Number((await db.query('SELECT count(*) FROM cases')).rows[0].count);
  await db.end();
  const loadBefore = loadAverage();
  console.log(`[abandon] ${cases} cases; ${opts.clients} clients, a view every ${opts.panMs} ms, ${opts.seconds} s per run; warming up…`);
  await runOnce(databaseUrl, true, { ...opts, seconds: Math.min(5, opts.seconds) });
  const runs: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const cancel of [false, true]) {
      const result = await runOnce(databaseUrl, cancel, opts);
      console.log(`[abandon] cancel ${cancel ? 'on ' : 'off'}: ${result.answered} answered, ${result.abandoned} abandoned, ${result.poolMsPerAnswered} pool ms per answered, p95 ${result.latencyMs.p95} ms`);
      runs.push(result);
    }
  }
  const sum = (cancel: boolean, k: 'poolMs' | 'answered' | 'abandoned' | 'requests') => runs.filter((r) => r.cancel === cancel).reduce((s, r) => s + r[k], 0);
  const perAnswered = (cancel: boolean) => sum(cancel, 'poolMs') / Math.max(1, sum(cancel, 'answered'));
  const ratio = +(perAnswered(false) / perAnswered(true)).toFixed(2);
  const loadAfter = loadAverage();
  const md = [
    `# Abandoned requests: pool time per answered request (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${machine()}; load average before ${loadBefore.join(' / ')}, after ${loadAfter.join(' / ')} (other work shares the cores).`,
    `Database: ${cases.toLocaleString('en')} cases. ${opts.clients} clients, each showing a view for ${opts.panMs} ms (8 tiles: cases and pipes 2×2 at z11–14,`,
    `and an items page of 1,000 cases in the view), then panning on: what has not come is abandoned. ${opts.seconds} s per run,`,
    `cancellation off (baseline) and on alternately, ${rounds} rounds, after a warm-up; the same views in every run.`,
    '',
    '| run | cancel | requests | answered | abandoned | failed | pool ms | pool ms / answered | answered/s | p50 ms | p95 ms | max pool queue |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r, i) => `| ${i + 1} | ${r.cancel ? 'on' : 'off'} | ${r.requests} | ${r.answered} | ${r.abandoned} | ${JSON.stringify(r.failed)} | ${r.poolMs} | ${r.poolMsPerAnswered} | ${r.answeredPerSecond} | ${r.latencyMs.p50} | ${r.latencyMs.p95} | ${r.maxPoolWaiting} |`),
    '',
    `Pool time per answered request: ${perAnswered(false).toFixed(2)} ms without cancelling, ${perAnswered(true).toFixed(2)} ms with: **${ratio}×** less.`,
    '',
  ].join('\n');
  writeResults('abandon', { date: new Date().toISOString(), machine: machine(), loadBefore, loadAfter, cases, opts, rounds, runs, ratio }, md);
  console.log(md);
}
