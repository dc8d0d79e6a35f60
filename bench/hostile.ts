// `npm run bench -- hostile [--clients 20] [--loops 3] [--streams 6] [--duration 30] [--warmup 5]
// [--ignore-retry-after] [--label L] [--db URL]`: whether a few anonymous clients asking for the dearest
// public answers starve everyone else. One normal client (anonymous, one request at a time: vector tiles,
// a bbox items page, nearest, details) is timed on a quiet server, then again while `clients` hostile
// anonymous clients, each its own address (X-Forwarded-For; the server trusts it, as behind a proxy),
// keep `loops` expensive requests in flight — CQL2 filters of many LIKE/OR terms, 10,000-feature pages,
// within over the district, upstream traces by recursive SQL, large exports, the drainage summary,
// search — and hold `streams` live streams each, reopened every 2 s with a Last-Event-ID 19,000 events
// back. Reported: the normal client's p95 quiet and under attack and their ratio (target ≤ 3×), and the
// hostile answers by status.
//
// The server runs in this process (pool of 16, the app's defaults); the clients in a child process
// (bench/hostile-client.ts). The database is a scratch copy, wuchang_bench_hostile, of the development
// database when it is seeded, else of the test template (both are the same synthetic seed): the run adds
// 20,000 live events to it for the streams to replay.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { buildApp } from '../server/app.ts';
import { createPool } from '../server/db/pool.ts';
import { migrate } from '../server/db/migrate.ts';
import { tracerFor } from '../server/network/tracer.ts';
import type { BenchRequest, HostileConfig, HostileOutput } from './hostile-client.ts';
import { arg, copyDatabase, loadAverage, machine, pointsInGrids, writeResults } from './shared.ts';
import { percentile } from './stats.ts';

const TARGET = 'bench_hostile';
const DB = `wuchang_${TARGET}`;
const LIVE_EVENTS = 20_000;
const REPLAY_FROM_BACK = 19_000;

/** The scratch database: made once from the seeded development database or the test template, then reused. */
async function database(override?: string): Promise<string> {
  if (override) return override;
  const { url } = await ensureServer();
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount) return adminUrl(url, DB);
    const dev = new pg.Client({ connectionString: adminUrl(url, 'wuchang') });
    await dev.connect();
    const seeded = (await dev.query(`SELECT to_regclass('public.pipes') IS NOT NULL AS t`)).rows[0].t
      && Number((await dev.query('SELECT count(*) AS n FROM pipes')).rows[0].n) > 0;
    await dev.end();
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^wuchang_tmpl_[0-9a-f]+$' ORDER BY datname LIMIT 1`);
    const source = seeded ? 'wuchang' : rows[0]?.datname;
    if (!source) throw new Error('no seeded database: run `npm run seed` (or any integration test, which seeds the test template) first');
    const how = await copyDatabase(admin, url, source, DB, 'hostile');
    console.log(`[hostile] ${DB}: ${how.method} in ${how.seconds.toFixed(1)} s`);
    return adminUrl(url, DB);
  } finally {
    await admin.end();
  }
}

interface Workload { normal: BenchRequest[]; hostile: BenchRequest[]; lastEventId: string; bigTrace: { from: string; reaches: number } }

async function workload(url: string): Promise<Workload> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await migrate(db);
  const have = Number((await db.query(`SELECT count(*) AS n FROM live_events WHERE at > now() - interval '12 hours'`)).rows[0].n);
  if (have < LIVE_EVENTS) {
    await db.query(`INSERT INTO live_events (kind, payload)
      SELECT 'observation', jsonb_build_object('datastream_id', 1, 't', now(), 'value', g, 'note', repeat('x', 200)) FROM generate_series(1, $1) g`, [LIVE_EVENTS - have]);
  }
  const maxId = BigInt((await db.query('SELECT max(id)::text AS m FROM live_events')).rows[0].m);
  const pts = await pointsInGrids(db, 60);
  const manholes = (await db.query<{ id: number }>('SELECT id FROM manholes ORDER BY id LIMIT 60 OFFSET 500')).rows.map((r) => r.id);
  const pipes = (await db.query<{ id: number }>('SELECT id FROM pipes ORDER BY id LIMIT 60 OFFSET 500')).rows.map((r) => r.id);
  const pipeIds = (await db.query<{ id: number }>('SELECT id FROM pipes ORDER BY id LIMIT 2000')).rows.map((r) => r.id);
  const outfalls = (await db.query<{ id: number }>(`SELECT id FROM manholes WHERE kind = 'outfall' ORDER BY id`)).rows.map((r) => r.id);
  await db.end();

  // The largest upstream catchments: the dearest traces and exports a client can ask for.
  const pool = createPool({ url, max: 2 });
  const sizes: { id: number; reaches: number }[] = [];
  for (const id of outfalls) sizes.push({ id, reaches: (await tracerFor(pool).walk({ start: { kind: 'manhole', id }, direction: 'upstream', method: 'memory' })).reaches.length });
  await pool.end();
  const big = sizes.sort((a, b) => b.reaches - a.reaches).slice(0, 3);

  const tile = (layer: string, z: number, [lon, lat]: [number, number]) => {
    const n = 2 ** z;
    const x = Math.floor(((lon + 180) / 360) * n);
    const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
    return `/tiles/${layer}/${z}/${x}/${y}.mvt`;
  };
  const bbox = ([x, y]: [number, number], d: number) => [x - d, y - d, x + d, y + d].map((v) => v.toFixed(5)).join(',');
  const normal: BenchRequest[] = pts.flatMap((p, i) => [
    { kind: 'tile', path: tile('pipes', 15, p) },
    { kind: 'tile', path: tile('cases', 15, p) },
    { kind: 'tile', path: tile('manholes', 16, p) },
    { kind: 'items', path: `/api/collections/${i % 2 ? 'manholes' : 'cases'}/items?limit=100&bbox=${bbox(p, 0.005)}` },
    { kind: 'nearest', path: `/api/query/nearest?lon=${p[0]}&lat=${p[1]}&layers=manholes,cameras&k=5` },
    { kind: 'details', path: `/api/details/${i % 2 ? 'pipes' : 'manholes'}/${i % 2 ? pipes[i] : manholes[i]}` },
  ]);

  const q = (f: string) => encodeURIComponent(f);
  const or = (n: number, term: (i: number) => string) => Array.from({ length: n }, (_, i) => term(i)).join(' OR ');
  const district = [[114.25, 30.48], [114.40, 30.48], [114.40, 30.62], [114.25, 30.62], [114.25, 30.48]];
  const hostile: BenchRequest[] = [
    // 200 terms, 20 of them LIKE with leading wildcards, matching nothing: every case row read (refused now: over the term limit).
    { kind: 'cql2 200 terms / 20 LIKE, limit 10000', path: `/api/collections/cases/items?limit=10000&filter=${q(`${or(20, (i) => `address LIKE '%zz${i}%'`)} OR ${or(180, (i) => `address = 'nowhere ${i}'`)}`)}` },
    // The most a filter may hold now: 50 terms, 5 LIKE.
    { kind: 'cql2 50 terms / 5 LIKE, limit 1000', path: `/api/collections/cases/items?limit=1000&filter=${q(`${or(5, (i) => `address LIKE '%zq${i}%'`)} OR ${or(45, (i) => `address = 'nowhere ${i}'`)}`)}` },
    { kind: 'items cases limit 10000', path: '/api/collections/cases/items?limit=10000' },
    { kind: 'items pipes limit 10000', path: '/api/collections/pipes/items?limit=10000' },
    { kind: 'within district, limit 10000', method: 'POST', path: '/api/query/within', body: JSON.stringify({ layers: ['cases', 'pipes'], geometry: { type: 'Polygon', coordinates: [district] }, limit: 10000 }) },
    ...big.map((b) => ({ kind: 'trace upstream, method=cte', path: `/api/trace?from=manhole:${b.id}&direction=upstream&method=cte` })),
    { kind: `export trace (${big[0].reaches} reaches) geojson`, path: `/api/network/export?format=geojson&from=manhole:${big[0].id}&direction=upstream` },
    { kind: 'export 2000 ids geojson', method: 'POST', path: '/api/network/export', body: JSON.stringify({ format: 'geojson', ids: pipeIds }) },
    { kind: 'drainage summary by community', path: '/api/drainage/summary?by=community' },
    { kind: 'search', path: `/api/search?q=${q('路')}&limit=50` },
  ];
  return { normal, hostile, lastEventId: String(maxId - BigInt(REPLAY_FROM_BACK)), bigTrace: { from: `manhole:${big[0].id}`, reaches: big[0].reaches } };
}

function runClients(cfg: Omit<HostileConfig, 'out'>): Promise<HostileOutput> {
  const out = path.join(os.tmpdir(), `onemap-hostile-${process.pid}-${Date.now()}.json`);
  const file = `${out}.config.json`;
  writeFileSync(file, JSON.stringify({ ...cfg, out }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'hostile-client.ts'), file], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`the clients exited with ${code}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')) as HostileOutput);
      } catch (err) {
        reject(err);
      } finally {
        rmSync(out, { force: true });
        rmSync(file, { force: true });
      }
    });
  });
}

interface Summary { requests: number; non200: number; p50: number | null; p95: number | null; p99: number | null; byKind: Record<string, { n: number; p50: number | null; p95: number | null }> }

function summarise(rows: HostileOutput['normal']): Summary {
  const ok = rows.filter((r) => r.status === 200);
  const byKind: Summary['byKind'] = {};
  for (const kind of [...new Set(rows.map((r) => r.kind))]) {
    const ms = ok.filter((r) => r.kind === kind).map((r) => r.ms);
    byKind[kind] = { n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95) };
  }
  const ms = ok.map((r) => r.ms);
  // A request the normal client did not get answered counts as its slowest: it is no faster for failing.
  const all = [...ms, ...rows.filter((r) => r.status !== 200).map(() => Infinity)];
  return { requests: rows.length, non200: rows.length - ok.length, p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99), byKind };
}

export async function run(args: string[]) {
  const clients = arg(args, 'clients', 20);
  const loops = arg(args, 'loops', 3);
  const streams = arg(args, 'streams', 6);
  const durationS = arg(args, 'duration', 30);
  const warmupS = arg(args, 'warmup', 5);
  const honourRetryAfter = !args.includes('--ignore-retry-after');
  const l = args.indexOf('--label');
  const label = l >= 0 ? args[l + 1] : '';
  const d = args.indexOf('--db');
  const url = await database(d >= 0 ? args[d + 1] : undefined);
  console.log(`[hostile] database ${url.replace(/\/\/[^@]*@/, '//')}`);
  const w = await workload(url);

  const server = await buildApp({ databaseUrl: url, trustProxy: true });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const common = { base, warmupS, durationS, honourRetryAfter, normal: { ip: '198.51.100.1', requests: w.normal } };
  const hostileCfg = { loops, streams, ipPrefix: '10.66.0', requests: w.hostile, livePath: '/api/live?kinds=observation', lastEventId: w.lastEventId };
  const loadBefore = loadAverage();
  console.log(`[hostile] quiet: the normal client alone, ${warmupS} s warm-up + ${durationS} s`);
  const quiet = await runClients({ ...common, hostile: { ...hostileCfg, clients: 0 } });
  const loadQuiet = loadAverage();
  console.log(`[hostile] attack: ${clients} hostile clients × ${loops} requests in flight + ${streams} streams each (${honourRetryAfter ? 'honouring' : 'ignoring'} Retry-After)`);
  const poolWait: number[] = [];
  const sampler = setInterval(() => poolWait.push(server.pool.waitingCount), 100);
  const attack = await runClients({ ...common, hostile: { ...hostileCfg, clients } });
  clearInterval(sampler);
  const loadAttack = loadAverage();
  await server.close();

  const q = summarise(quiet.normal);
  const a = summarise(attack.normal);
  const ratio = q.p95 && a.p95 !== null ? +(a.p95 / q.p95).toFixed(2) : null;
  const met = ratio !== null && ratio <= 3;
  const results = {
    date: new Date().toISOString(),
    label: label || undefined,
    machine: `${machine()}; server, PostgreSQL and the clients on the same machine (loopback); the machine is shared with other work`,
    options: { clients, loops, streams, durationS, warmupS, honourRetryAfter, poolSize: 16 },
    loadAverage: { before: loadBefore, afterQuiet: loadQuiet, afterAttack: loadAttack },
    normal: { quiet: q, attack: a, p95Ratio: ratio, target: 'attack p95 ≤ 3 × quiet p95', met },
    hostile: { answers: attack.hostile, meanMs: Object.fromEntries(Object.entries(attack.hostileMs).map(([k, ms]) => [k, Math.round(ms / Object.values(attack.hostile[k]).reduce((s, n) => s + n, 0))])), streams: attack.streams },
    poolWaitingMax: Math.max(0, ...poolWait),
    bigTrace: w.bigTrace,
  };
  const f = (v: number | null) => (v === null ? '–' : v === Infinity ? '∞' : v.toFixed(1));
  const kinds = [...new Set([...Object.keys(q.byKind), ...Object.keys(a.byKind)])];
  const statuses = [...new Set(Object.values(attack.hostile).flatMap((s) => Object.keys(s)))].sort();
  const md = `# Hostile clients benchmark ${results.date.slice(0, 10)}${label ? ` (${label})` : ''}

${results.machine}. One normal anonymous client (one request at a time: tiles, a bbox items page of 100, nearest, details), timed for ${durationS} s after ${warmupS} s of warm-up, first alone, then while ${clients} hostile anonymous clients (each its own address) keep ${loops} expensive requests in flight each and ${streams} live streams each (reopened every 2 s, replaying from ${REPLAY_FROM_BACK.toLocaleString('en')} events back). Hostile clients ${honourRetryAfter ? 'wait the Retry-After of a 429/503 (at most 5 s)' : 'ignore Retry-After and ask again at once'}. A normal request that failed counts as slower than any answered one. Load average (1, 5, 15 min) before: ${loadBefore.join(', ')}; after the quiet run: ${loadQuiet.join(', ')}; after the attack: ${loadAttack.join(', ')}.

## The normal client

| | requests | not 200 | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|
| quiet | ${q.requests} | ${q.non200} | ${f(q.p50)} | ${f(q.p95)} | ${f(q.p99)} |
| under attack | ${a.requests} | ${a.non200} | ${f(a.p50)} | ${f(a.p95)} | ${f(a.p99)} |

**p95 under attack / quiet: ${ratio ?? '–'}×** (target ≤ 3×: **${met ? 'met' : 'missed'}**). Most requests waiting for a pooled connection during the attack: ${results.poolWaitingMax}.

| kind | quiet n | quiet p50 | quiet p95 | attack n | attack p50 | attack p95 |
|---|---|---|---|---|---|---|
${kinds.map((k) => `| ${k} | ${q.byKind[k]?.n ?? 0} | ${f(q.byKind[k]?.p50 ?? null)} | ${f(q.byKind[k]?.p95 ?? null)} | ${a.byKind[k]?.n ?? 0} | ${f(a.byKind[k]?.p50 ?? null)} | ${f(a.byKind[k]?.p95 ?? null)} |`).join('\n')}

## Hostile answers by status (warm-up included)

| request | ${statuses.join(' | ')} | mean ms |
|---|${statuses.map(() => '---|').join('')}---|
${Object.entries(attack.hostile).map(([k, s]) => `| ${k} | ${statuses.map((st) => s[st] ?? 0).join(' | ')} | ${results.hostile.meanMs[k]} |`).join('\n')}

Live streams: ${attack.streams.opened} opened, refused ${JSON.stringify(attack.streams.refused)}, ${(attack.streams.bytes / 2 ** 20).toFixed(1)} MB sent to them.
`;
  console.log(md);
  writeResults(`hostile${label ? `-${label}` : ''}`, results, md);
}
