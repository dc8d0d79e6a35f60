// `npm run bench -- network`: the planners' network tools on a copy of the seeded district — the
// longitudinal profile of a path of 250 reaches (a chain added to the copy, with levels and defects) and
// the design checks over the whole network — each timed next to a baseline run in the same process (a
// downstream /api/trace answer from the same start, which walks the same graph and reads what it crosses).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { runChecks } from '../server/network/checks.ts';
import { longitudinalProfile } from '../server/network/profile.ts';
import { Tracer } from '../server/network/tracer.ts';
import { percentile } from './stats.ts';

const CHAIN = 250;
const RUNS = 30;
const CHECK_RUNS = 5;
const r2 = (v: number) => Math.round(v * 100) / 100;

async function copyOfSeed(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'wuchang_tmpl_%' ORDER BY oid DESC LIMIT 1`);
  if (!rows[0]) throw new Error('no seeded template (wuchang_tmpl_*): run the tests once (npm test) so the global setup seeds it');
  const name = `network_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${rows[0].datname}" STRATEGY FILE_COPY`);
  await admin.end();
  return {
    url: adminUrl(url, name),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl(url) });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A sewer of CHAIN reaches falling 3‰ eastwards, 40 m each, a defect every tenth reach; returns its ends. */
async function addChain(db: pg.Pool): Promise<{ first: number; last: number }> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO manholes (code, kind, usage, ground_elev_m, invert_elev_m, depth_m, geom)
     SELECT 'BENCH-M' || i, CASE WHEN i = $1 THEN 'outfall' ELSE 'manhole' END, 'sewage', 22 - i * 0.01, 19 - i * 0.12, NULL,
            ST_SetSRID(ST_MakePoint(114.40 + i * 0.00042, 30.60), 4326)
       FROM generate_series(0, $1) i ORDER BY i RETURNING id`, [CHAIN]);
  const ids = rows.map((r) => r.id);
  await db.query(
    `INSERT INTO pipes (code, from_node, to_node, usage, diameter_mm, length_m, up_invert_m, down_invert_m, geom)
     SELECT 'BENCH-P' || i, a.id, b.id, 'sewage', 400 + (i / 50) * 100, ST_Length(ST_MakeLine(a.geom, b.geom)::geography),
            19 - i * 0.12, 19 - (i + 1) * 0.12, ST_MakeLine(a.geom, b.geom)
       FROM generate_series(0, $1 - 1) i JOIN manholes a ON a.id = ($2::int[])[i + 1] JOIN manholes b ON b.id = ($2::int[])[i + 2]`, [CHAIN, ids]);
  await db.query(
    `WITH i AS (INSERT INTO inspections (pipe_id, inspected_at, method) SELECT id, '2026-01-01', 'CCTV' FROM pipes WHERE code LIKE 'BENCH-P%' AND substr(code, 8)::int % 10 = 0 RETURNING id)
     INSERT INTO defects (inspection_id, code, grade, distance_m) SELECT id, 'CJ', 2, 12 FROM i`);
  return { first: ids[0], last: ids[ids.length - 1] };
}

async function timed(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

export async function run() {
  const { url } = await ensureServer();
  const copy = await copyOfSeed(url);
  const pool = new pg.Pool({ connectionString: copy.url, max: 4 });
  const loadBefore = os.loadavg()[0];
  try {
    const chain = await addChain(pool);
    const tracer = new Tracer(pool);
    await tracer.graph.get();
    tracer.graph.setFreshness(() => true);
    const profile = await longitudinalProfile(pool, tracer, { kind: 'manhole', id: chain.first }, chain.last);
    if (profile.reaches.length !== CHAIN) throw new Error(`the profile has ${profile.reaches.length} reaches, not ${CHAIN}`);
    const trace = await timed(RUNS, () => tracer.trace({ start: { kind: 'manhole', id: chain.first }, direction: 'downstream', method: 'memory' }));
    const prof = await timed(RUNS, () => longitudinalProfile(pool, tracer, { kind: 'manhole', id: chain.first }, chain.last));
    const follow = await timed(RUNS, () => longitudinalProfile(pool, tracer, { kind: 'manhole', id: chain.first }, null));
    const { rows: [n] } = await pool.query<{ pipes: number; manholes: number }>('SELECT (SELECT count(*)::int FROM pipes) AS pipes, (SELECT count(*)::int FROM manholes) AS manholes');
    const first = await runChecks(pool, {});
    const checks = await timed(CHECK_RUNS, () => runChecks(pool, {}));
    const { rows: [box] } = await pool.query<{ b: number[] }>(`SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMin(e) + (ST_XMax(e) - ST_XMin(e)) / 4, ST_YMin(e) + (ST_YMax(e) - ST_YMin(e)) / 4] AS b FROM (SELECT ST_Extent(geom) e FROM pipes) x`);
    const area = await timed(CHECK_RUNS, () => runChecks(pool, { bbox: box.b as [number, number, number, number] }));
    const loadAfter = os.loadavg()[0];

    const p = (xs: number[]) => ({ p50: r2(percentile(xs, 50)!), p95: r2(percentile(xs, 95)!) });
    const rows = [
      { what: `baseline: /api/trace downstream from the chain's head (memory walk + describe), ${CHAIN} reaches`, ...p(trace) },
      { what: `profile, ${CHAIN} reaches, from → to (path, read, build)`, ...p(prof) },
      { what: `profile, ${CHAIN} reaches, following the flow (no to)`, ...p(follow) },
      { what: `checks, whole network (${n.pipes.toLocaleString('en')} reaches, ${n.manholes.toLocaleString('en')} manholes)`, ...p(checks) },
      { what: 'checks, a quarter of the network\'s box (bbox)', ...p(area) },
    ];
    const base = rows[0].p50;
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB`;
    const stamp = new Date().toISOString().slice(0, 10);
    const dir = path.join(repoRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `network-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), machine, load: [loadBefore, loadAfter], rows, findings: first.counts, total: first.total }, null, 2));
    writeFileSync(path.join(dir, `network-${stamp}.md`), `# Network tools benchmark ${stamp}\n\n${machine}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (the cores are shared with other work). ` +
      `A copy of the seeded district plus a chain of ${CHAIN} reaches; ${RUNS} profiles and ${CHECK_RUNS} check runs each, one at a time, in process (no HTTP). Ratio: p50 over the baseline's p50.\n\n` +
      `| what | p50 ms | p95 ms | × baseline |\n|---|---|---|---|\n` +
      rows.map((r) => `| ${r.what} | ${r.p50} | ${r.p95} | ${r2(r.p50 / base)} |`).join('\n') +
      `\n\nFindings over the whole network: ${first.total.toLocaleString('en')} — ${Object.entries(first.counts).map(([k, v]) => `${k} ${v}`).join(', ')}.\n`);
    console.log(rows.map((r) => `[bench] ${r.what}: p50 ${r.p50} ms, p95 ${r.p95} ms`).join('\n'));
    console.log(`[bench] findings ${JSON.stringify(first.counts)}; written to bench/results/network-${stamp}.{json,md}`);
  } finally {
    await pool.end();
    await copy.drop();
  }
}
