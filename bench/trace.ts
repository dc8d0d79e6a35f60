// `npm run bench -- trace`: upstream and downstream traces from random starts, three ways — the
// in-memory graph (what the API uses), a recursive CTE and pgRouting — on the seed network and on a
// generated network of 100 000 reaches (schema trace_bench in the dev database, rebuilt each run, dropped
// after). Each method traces the same starts; the answers are compared, and the walk alone is timed
// (the description of what a trace crosses is timed separately on the seed network).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { Tracer, TRACE_METHODS, type TraceMethod } from '../server/network/tracer.ts';
import type { Direction } from '../server/network/graph.ts';
import { mulberry32 as rng } from '../scripts/seed/random.ts';
import { percentile } from './stats.ts';

/** Times in the report: to 0.01 ms. */
const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

const STARTS = 100;


/**
 * A drainage-like network: nodes on a square lattice (the smallest holding `reaches` + outfalls), drained to `outfalls` outlets along the bottom
 * edge by a random breadth-first spanning forest (each node one outflow, as in the seed), so upstream
 * catchments are large and downstream paths long, like a real district's.
 */
async function generate(db: pg.Client, reaches: number, outfalls = 8): Promise<number> {
  const side = Math.ceil(Math.sqrt(reaches + outfalls));
  const n = side * side;
  const random = rng(42);
  const parent = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let k = 0; k < outfalls; k++) {
    const v = (side - 1) * side + Math.floor(((k + 0.5) * side) / outfalls);
    parent[v] = v;
    queue.push(v);
  }
  for (let q = 0; q < queue.length; q++) {
    // Random order of the frontier's growth: shuffle the tail a little so basins have ragged borders.
    const j = q + Math.floor(random() * Math.min(8, queue.length - q));
    [queue[q], queue[j]] = [queue[j], queue[q]];
    const v = queue[q];
    const [x, y] = [v % side, Math.floor(v / side)];
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const [nx, ny] = [x + dx, y + dy];
      if (nx < 0 || ny < 0 || nx >= side || ny >= side) continue;
      const u = ny * side + nx;
      if (parent[u] === -1) { parent[u] = v; queue.push(u); }
    }
  }
  const from: number[] = [];
  const to: number[] = [];
  for (let v = 0; v < n; v++) if (parent[v] !== v) { from.push(v + 1); to.push(parent[v] + 1); }
  await db.query('DROP SCHEMA IF EXISTS trace_bench CASCADE; CREATE SCHEMA trace_bench');
  await db.query('CREATE TABLE trace_bench.edges (id integer PRIMARY KEY, from_node integer NOT NULL, to_node integer NOT NULL, length_m real NOT NULL)');
  await db.query(
    `INSERT INTO trace_bench.edges SELECT i, f, t, 30 FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS u(f, t, i)`, [from, to]);
  await db.query('CREATE INDEX ON trace_bench.edges (from_node); CREATE INDEX ON trace_bench.edges (to_node); ANALYZE trace_bench.edges');
  return from.length;
}


interface Row { network: string; direction: Direction; from: string; method: TraceMethod; p50: number | null; p95: number | null; max: number | null; meanReaches: number; maxReaches: number }

async function measure(pool: pg.Pool, edges: string, label: string, rows: Row[]): Promise<void> {
  const tracer = new Tracer(pool, edges);
  tracer.graph.setFreshness(() => true);
  const { rows: ids } = await pool.query<{ id: number }>(`SELECT id FROM ${edges} ORDER BY id`);
  const random = rng(7);
  const starts = Array.from({ length: STARTS }, () => ids[Math.floor(random() * ids.length)].id);
  await tracer.graph.get(); // built once, outside the timings (as in the server, where it stays built)
  // The hardest upstream traces: whole catchments, from the nodes nothing leaves (outfalls).
  const { rows: sinks } = await pool.query<{ id: number }>(
    `SELECT DISTINCT e.to_node AS id FROM ${edges} e WHERE NOT EXISTS (SELECT 1 FROM ${edges} x WHERE x.from_node = e.to_node) ORDER BY id LIMIT 20`);
  const cases: { direction: Direction; kind: 'pipe' | 'manhole'; what: string; ids: number[] }[] = [
    { direction: 'downstream', kind: 'pipe', what: 'random reaches', ids: starts },
    { direction: 'upstream', kind: 'pipe', what: 'random reaches', ids: starts },
    { direction: 'upstream', kind: 'manhole', what: `${sinks.length} outfalls (whole catchments)`, ids: sinks.map((r) => r.id) },
  ];
  for (const { direction, kind, what, ids: from } of cases) {
    const answers = new Map<number, number>();
    for (const method of TRACE_METHODS) {
      const times: number[] = [];
      const sizes: number[] = [];
      for (const [i, id] of from.entries()) {
        const t = performance.now();
        const r = await tracer.walk({ start: { kind, id }, direction, method });
        times.push(performance.now() - t);
        sizes.push(r.reaches.length);
        const expected = answers.get(i);
        if (expected === undefined) answers.set(i, r.reaches.length);
        else if (expected !== r.reaches.length) throw new Error(`${method} ${direction} from pipe ${id}: ${r.reaches.length} reaches, memory found ${expected}`);
      }
      const row = { network: label, direction, from: what, method, p50: round2(percentile(times, 50)), p95: round2(percentile(times, 95)), max: round2(percentile(times, 100)),
        meanReaches: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length), maxReaches: Math.max(...sizes) };
      rows.push(row);
      console.log(`[bench] ${label} ${direction} from ${what} ${method}: p50 ${row.p50} ms, p95 ${row.p95} ms (mean ${row.meanReaches} reaches, max ${row.maxReaches})`);
    }
  }
}

export async function run() {
  const { url } = await ensureServer();
  const dbUrl = adminUrl(url, 'wuchang');
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await migrate(db);
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  const rows: Row[] = [];
  const { rows: [seed] } = await db.query<{ n: string }>('SELECT count(*) AS n FROM pipes');
  await measure(pool, 'pipes', `seed (${Number(seed.n).toLocaleString('en')} reaches)`, rows);

  // Whole answer (walk + what it crosses) on the seed network, as /api/trace gives it.
  const tracer = new Tracer(pool);
  tracer.graph.setFreshness(() => true);
  const { rows: outs } = await db.query<{ id: number }>(`SELECT manhole_id AS id FROM facilities WHERE kind = 'outfall' ORDER BY id LIMIT 40`);
  const full: number[] = [];
  for (const o of outs) {
    const t = performance.now();
    await tracer.trace({ start: { kind: 'manhole', id: o.id }, direction: 'upstream', method: 'memory' });
    full.push(performance.now() - t);
  }

  try {
    const n = await generate(db, 100_000);
    await measure(pool, 'trace_bench.edges', `generated (${n.toLocaleString('en')} reaches)`, rows);
  } finally {
    await db.query('DROP SCHEMA IF EXISTS trace_bench CASCADE');
  }
  await pool.end();
  await db.end();

  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB`;
  const fullRow = { upstreamFromOutfalls: outs.length, p50: round2(percentile(full, 50)), p95: round2(percentile(full, 95)) };
  writeFileSync(path.join(dir, `trace-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), machine, starts: STARTS, rows, full: fullRow }, null, 2));
  const target = (r: Row) => (r.network.startsWith('generated') ? ((r.p95 ?? Infinity) < 50 ? 'met' : 'missed') : '');
  writeFileSync(path.join(dir, `trace-${stamp}.md`), `# Trace benchmark ${stamp}\n\n${machine}. ${STARTS} random start reaches per network, and the outfalls for whole-catchment traces, the same for every method (and checked to give the same number of reaches); the walk only, one at a time. Target: p95 < 50 ms on 100,000 reaches.\n\n` +
    `| network | direction | from | method | p50 ms | p95 ms | max ms | mean reaches | max reaches | target |\n|---|---|---|---|---|---|---|---|---|---|\n` +
    rows.map((r) => `| ${r.network} | ${r.direction} | ${r.from} | ${r.method} | ${r.p50} | ${r.p95} | ${r.max} | ${r.meanReaches} | ${r.maxReaches} | ${target(r)} |`).join('\n') +
    `\n\nWhole /api/trace answer (walk + outfalls, grids, communities, sensors, cameras, hazards, misconnections) upstream from ${fullRow.upstreamFromOutfalls} outfalls of the seed network: p50 ${fullRow.p50} ms, p95 ${fullRow.p95} ms.\n`);
  console.log(`[bench] written to bench/results/trace-${stamp}.{json,md}`);
}
