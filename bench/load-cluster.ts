// `npm run bench -- load --cluster [--clients 100] [--duration 20] [--warmup 3] [--fault-at 10] [--cases 20000]`:
// the load of `npm run bench -- load` (bench/load-client.ts, the same mix and clients) against `npm run cluster`
// on this machine, in one process: one instance addressed directly (the other idle), then HAProxy in front
// of two instances, then the same with instance 1 SIGKILLed mid-run. Both instances are restarted before
// each run (empty tile caches). The cluster is one of the benchmark's own (its primary seeded with
// --cases cases by the first instance once, reused later; its replica; ports of its own) and is stopped at the end.
//
// Reported per run: req/s, p50/p95/p99, answers other than 2xx, requests without an answer, every
// acknowledged case report found afterwards; around the kill: answers and failures per second, p95 before
// and after, how long HAProxy took to mark the instance down. All processes share the machine's cores: on
// 2 cores two instances cannot answer more than one, they share the same CPU (and PostgreSQL's).
import path from 'node:path';
import pg from 'pg';
import { CLUSTERS_DIR, postgresOwnedDir, repoRoot } from '../scripts/db.ts';
import { startClusterRun, stopClusterRun, type ClusterOptions, type ClusterState } from '../scripts/cluster/run.ts';
import { serverStates } from '../scripts/cluster/haproxy.ts';
import { sleep, stopPid } from '../scripts/cluster/processes.ts';
import { freePortFrom as freePort } from '../server/ports.ts';
import { checkReports, cleanUp, clientConfig, perKind, runClients, workload, type KindRow, type ReportCheck, type Workload } from './load.ts';
import { KINDS, type LoadOutput } from './load-client.ts';
import { arg, loadAverage, machine, writeResults } from './shared.ts';
import { percentile } from './stats.ts';

interface Kill { atMs: number; downAfterMs: number | null; restartedInS: number }

interface ClusterRun {
  label: string;
  target: string;
  rows: KindRow[];
  failures: Record<string, number>;
  reports: ReportCheck;
  loadAverageAfter: [number, number, number];
  kill?: Kill & {
    failedFirst2s: number; failedAfter2s: number; noAnswer: number;
    /** The failed requests after the kill by kind and status (0: no answer). */
    failedByKind: Record<string, number>;
    p95Before: number | null; p95After: number | null;
    timeline: { second: number; ok: number; failed: number; p95: number | null }[];
  };
}

const ok = (status: number) => status >= 200 && status < 400;
const p95 = (ms: number[]) => { const v = percentile(ms, 95); return v === null ? null : Math.round(v); };

function killFigures(o: LoadOutput, k: Kill, recordFrom: number): NonNullable<ClusterRun['kill']> {
  const all = o.kind.map((_, i) => i);
  const end = (i: number) => o.start[i] + o.ms[i];
  const failedIn = (from: number, to: number) => all.filter((i) => !ok(o.status[i]) && end(i) >= from && end(i) < to).length;
  const within = (from: number, to: number) => all.filter((i) => end(i) >= from && end(i) < to);
  const s0 = Math.floor((k.atMs - recordFrom) / 1000);
  const timeline = [];
  for (let s = s0 - 3; s <= s0 + 6; s++) {
    const idx = within(recordFrom + s * 1000, recordFrom + (s + 1) * 1000);
    timeline.push({ second: s, ok: idx.filter((i) => ok(o.status[i])).length, failed: idx.filter((i) => !ok(o.status[i])).length, p95: p95(idx.map((i) => o.ms[i])) });
  }
  const failedByKind: Record<string, number> = {};
  for (const i of all) {
    if (ok(o.status[i]) || end(i) < k.atMs) continue;
    const key = `${KINDS[o.kind[i]]} ${o.status[i]}`;
    failedByKind[key] = (failedByKind[key] ?? 0) + 1;
  }
  return {
    ...k,
    failedByKind,
    failedFirst2s: failedIn(k.atMs, k.atMs + 2000),
    failedAfter2s: failedIn(k.atMs + 2000, Infinity),
    noAnswer: all.filter((i) => o.status[i] === 0 && end(i) >= k.atMs).length,
    p95Before: p95(within(k.atMs - 5000, k.atMs).map((i) => o.ms[i])),
    p95After: p95(within(k.atMs, k.atMs + 5000).map((i) => o.ms[i])),
    timeline,
  };
}

async function restartInstances(opts: ClusterOptions, s: ClusterState): Promise<ClusterState> {
  await Promise.all(s.instances.map((i) => stopPid(i.pid)));
  return startClusterRun(opts);
}

async function runOne(label: string, target: string, base: string, db: pg.Client, w: Workload, s: ClusterState, o: { clients: number; durationS: number; warmupS: number; killAtS: number | null }): Promise<ClusterRun> {
  console.log(`\n[load-cluster] ${label}: ${o.clients} clients, ${o.warmupS} s warm-up + ${o.durationS} s against ${target}`);
  const cfg = await clientConfig(base, w, o);
  const recordFrom = cfg.startAt + o.warmupS * 1000;
  const load = runClients(cfg);
  let kill: Kill | null = null;
  if (o.killAtS !== null) {
    await sleep(recordFrom + o.killAtS * 1000 - Date.now());
    const victim = s.instances[0];
    const atMs = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    let downAfterMs: number | null = null;
    while (downAfterMs === null && Date.now() - atMs < 10_000) {
      const st = await serverStates(s.balancer.socket);
      if (st?.some((x) => x.backend === 'app' && x.server === victim.name && x.status.startsWith('DOWN'))) downAfterMs = Date.now() - atMs;
      else await sleep(50);
    }
    kill = { atMs, downAfterMs, restartedInS: 0 };
    console.log(`[load-cluster] ${victim.name} SIGKILLed; HAProxy marked it down after ${downAfterMs ?? '?'} ms`);
  }
  const out = await load;
  const rows = perKind(out, o.durationS);
  const reports = await checkReports(db, out.reports, out.queuedAtEnd);
  const all = rows.at(-1)!;
  console.log(`[load-cluster] ${label}: ${all.n} requests, ${all.rps} req/s, p50 ${all.p50} ms, p95 ${all.p95} ms; non-2xx ${all.n - all.ok}; reports acknowledged ${reports.acknowledged}, lost ${reports.lost.length}`);
  return { label, target, rows, failures: out.failures, reports, loadAverageAfter: loadAverage(), ...(kill ? { kill: killFigures(out, kill, recordFrom) } : {}) };
}

function markdown(runs: ClusterRun[], meta: Record<string, unknown>): string {
  const row = (r: ClusterRun) => { const a = r.rows.at(-1)!; return `| ${r.label} | ${a.n} | ${a.rps} | ${a.p50} | ${a.p95} | ${a.p99} | ${a.n - a.ok} | ${Object.values(r.failures).reduce((x, y) => x + y, 0)} | ${r.reports.acknowledged} / ${r.reports.lost.length} | ${r.loadAverageAfter.join(', ')} |`; };
  const parts = [`# Load benchmark against the cluster ${String(meta.date).slice(0, 10)}\n`,
    `${meta.machine}. Load average before: ${(meta.loadAverageBefore as number[]).join(', ')}. Command: \`${meta.command}\`. ${meta.database}.\n`,
    `One process drives three runs of the load of \`npm run bench -- load\` (bench/load-client.ts: the same closed-loop clients, mix and roles): one instance addressed directly (the second idle), HAProxy in front of two instances, and the same with instance 1 SIGKILLed mid-run. Both instances are restarted before each run (empty tile caches). **Everything — PostgreSQL primary and replica, both instances, HAProxy, the load generator — shares the machine's ${meta.cores} cores** (with other work: see the load averages): two instances cannot answer more than one here, they compete for the same CPU; the cluster buys surviving an instance's death, not throughput, on this machine.\n`,
    `| run | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | no answer | reports acknowledged / lost | load average after |\n|---|---|---|---|---|---|---|---|---|---|\n${runs.map(row).join('\n')}\n`];
  for (const r of runs) {
    if (!r.kill) continue;
    const k = r.kill;
    parts.push(`## ${r.label}\n`);
    parts.push(`HAProxy marked the killed instance down ${k.downAfterMs ?? '–'} ms after SIGKILL (health checks every 500 ms, 2 failures). Failed answers (non-2xx/3xx or none) in the 2 s after the kill: **${k.failedFirst2s}**, later: **${k.failedAfter2s}**; requests without an answer after the kill: ${k.noAnswer}${Object.keys(k.failedByKind).length ? ` (failed by kind and status, 0 = no answer: ${Object.entries(k.failedByKind).map(([x, n]) => `${x}: ${n}`).join(', ')})` : ''}. p95 in the 5 s before the kill ${k.p95Before} ms, in the 5 s after ${k.p95After} ms. Acknowledged case reports lost: **${r.reports.lost.length}** of ${r.reports.acknowledged}. The instance was started again after the run in ${k.restartedInS} s.\n`);
    parts.push(`| s of the run (kill in second ${k.timeline[3]?.second}) | 2xx/3xx | failed | p95 ms |\n|---|---|---|---|\n${k.timeline.map((t) => `| ${t.second} | ${t.ok} | ${t.failed} | ${t.p95 ?? '–'} |`).join('\n')}\n`);
  }
  return parts.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const clients = arg(args, 'clients', 100);
  const durationS = arg(args, 'duration', 20);
  const warmupS = arg(args, 'warmup', 3);
  const killAtS = arg(args, 'fault-at', 10);
  const cases = arg(args, 'cases', 20_000);
  if (killAtS >= durationS) throw new Error(`--fault-at ${killAtS} must fall inside --duration ${durationS}`);
  const loadAverageBefore = loadAverage();
  const port = await freePort(18400);
  const runDir = path.join(repoRoot, '.data', 'cluster-bench');
  const opts: ClusterOptions = {
    runDir, host: '127.0.0.1', port, instances: 2, instanceFirstPort: port + 1,
    primaryDir: postgresOwnedDir(`${CLUSTERS_DIR}/load-cluster/primary`), primaryFirstPort: 54540, replicaFirstPort: 54560,
    env: { SEED_CASES: String(cases) }, log: (m) => console.log(`[cluster] ${m}`),
  };
  let s = await startClusterRun(opts);
  const db = new pg.Client({ connectionString: s.primary.url });
  await db.connect();
  try {
    const { rows: [c] } = await db.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    await cleanUp(db);
    const w = await workload(db);
    const base = s.url.replace(/\/$/, '');
    const runs: ClusterRun[] = [];
    const timing = { clients, durationS, warmupS };
    s = await restartInstances(opts, s);
    runs.push(await runOne('One instance', `app-1 directly (127.0.0.1:${s.instances[0].port})`, `http://127.0.0.1:${s.instances[0].port}`, db, w, s, { ...timing, killAtS: null }));
    s = await restartInstances(opts, s);
    runs.push(await runOne('Cluster: HAProxy + 2 instances', `HAProxy (${base})`, base, db, w, s, { ...timing, killAtS: null }));
    s = await restartInstances(opts, s);
    const killed = await runOne(`Cluster, app-1 SIGKILLed at ${killAtS} s`, `HAProxy (${base})`, base, db, w, s, { ...timing, killAtS });
    const t0 = Date.now();
    s = await startClusterRun(opts);
    killed.kill!.restartedInS = +((Date.now() - t0) / 1000).toFixed(1);
    runs.push(killed);
    const meta = {
      date: new Date().toISOString(), machine: `${machine()}, Node ${process.version}`, cores: (await import('node:os')).cpus().length,
      loadAverageBefore, command: `npm run bench -- load ${args.join(' ')}`.trim(),
      database: `The cluster's own primary (${opts.primaryDir}, ${c.n} cases, seeded once by the first instance with SEED_CASES=${cases}) and its streaming replica`,
      clients, durationS, warmupS, killAtS,
    };
    writeResults('load-cluster', { ...meta, workload: w.describe, runs }, markdown(runs, meta));
    await cleanUp(db);
  } finally {
    await db.end();
    await stopClusterRun(runDir, (m) => console.log(`[cluster] ${m}`));
  }
}
