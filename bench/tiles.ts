// Tiles against a baseline in the same process on the same database: the query Martin generates for a
// table source (ST_AsMVTGeom on ST_TileEnvelope, extent 4096, buffer 64, ST_AsMVT, no cache, no
// aggregation). Cold = our layer's tile function with an empty cache; warm = served from our cache over
// HTTP, compared with a bare Node HTTP server returning the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { runSeed } from '../scripts/seed/run.ts';
import { buildApp } from '../server/app.ts';
import { discoverLayers } from '../server/tiles/registry.ts';
import { TileService } from '../server/tiles/service.ts';
import { tilesCovering } from '../server/tiles/tilemath.ts';

const ZOOMS = [8, 10, 12, 14, 16, 18];
const PLACES: [number, number][] = [[114.31, 30.55], [114.298, 30.565], [114.345, 30.585], [114.33, 30.525], [114.25, 30.48]];
let REPEATS = 3;

/**
 * Martin's table-source query for each of our layers' tables, all columns as properties except free text
 * (a case's description and address): with them, Martin's z8 case tile at 5.32 M cases exceeds PostgreSQL's
 * 1 GB allocation limit and fails outright.
 */
const BASELINE_TABLES: Record<string, string[]> = {
  basemap: ['water', 'districts', 'streets', 'communities', 'roads', 'labels'],
  pipes: ['pipes'], manholes: ['manholes'], hazards: ['hazards'], misconnections: ['misconnections'], grids: ['grids'],
  cameras: ['cameras'], sensors: ['sensor_stations'], facilities: ['facilities'], cases: ['cases'],
};

/** Cases publish the same properties as our layer: with every column, the baseline's z8 tile passes 1 GB. */
const BASELINE_COLUMNS: Record<string, string[]> = { cases: ['id', 'case_no', 'status', 'class_code', 'item_code', 'reported_at'] };

async function martinSql(db: pg.Pool, table: string): Promise<string> {
  const only = BASELINE_COLUMNS[table];
  if (only) {
    return `(SELECT coalesce(ST_AsMVT(tile, '${table}', 4096, 'geom', 'id'), ''::bytea) FROM (
      SELECT ST_AsMVTGeom(ST_Transform(ST_CurveToLine(geom::geometry), 3857), ST_TileEnvelope($1::integer, $2::integer, $3::integer), 4096, 64, true) AS geom, ${only.join(', ')}
      FROM public.${table}
      WHERE geom && ST_Transform(ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => (64.0 / 4096)), 4326)) AS tile)`;
  }
  const { rows } = await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'public'
     AND column_name NOT IN ('geom', 'geom3857', 'description', 'address') ORDER BY ordinal_position`, [table]);
  const props = rows.map((r) => `"${r.column_name}"`).join(', ');
  const hasId = rows.some((r) => r.column_name === 'id' && /integer|bigint/.test(r.data_type));
  return `(SELECT coalesce(ST_AsMVT(tile, '${table}', 4096, 'geom'${hasId ? ", 'id'" : ''}), ''::bytea) FROM (
      SELECT ST_AsMVTGeom(ST_Transform(ST_CurveToLine(geom::geometry), 3857), ST_TileEnvelope($1::integer, $2::integer, $3::integer), 4096, 64, true) AS geom, ${props}
      FROM public.${table}
      WHERE geom && ST_Transform(ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => (64.0 / 4096)), 4326)) AS tile)`;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
};
const band = (z: number) => (z <= 10 ? 'z8-10' : z <= 13 ? 'z12' : z <= 15 ? 'z14' : 'z16-18');

async function databaseWithCases(cases: number): Promise<string> {
  const { url } = await ensureServer();
  if (cases === 200_000) {
    // The app's own database: migrated as `npm start` would, so the tiles' SQL functions exist.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await migrate(db).finally(() => db.end());
    return url;
  }
  const name = `wuchang_bench_${cases}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = adminUrl(url, name);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await migrate(db);
  const n = Number((await db.query('SELECT count(*) FROM cases')).rows[0].count);
  if (n !== cases) {
    console.log(`[bench] seeding ${name} with ${cases} cases (once)…`);
    await runSeed(db, { cases, log: (m) => console.log(`[seed] ${m}`) });
    await db.query('VACUUM ANALYZE');
  }
  await db.end();
  return dbUrl;
}

interface Row { layer: string; band: string; n: number; baseP50: number; baseP95: number; coldP50: number; coldP95: number; baseMaxKB: number; oursMaxKB: number; ratioP50: number }

async function coldVsBaseline(dbUrl: string) {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  const layers = await discoverLayers();
  const tiles = ZOOMS.flatMap((z) => [...new Map(PLACES.map(([x, y]) => {
    const t = tilesCovering([x, y, x, y], z)[0];
    return [`${t.x}/${t.y}`, { z, ...t }];
  })).values()]);
  const rows: Row[] = [];
  for (const [id] of layers) {
    // Only the baseline tile's length crosses the wire: its z8 case tile is hundreds of MB, more than a
    // Node string can hold in pg's text protocol (the timing still includes building the whole tile).
    const base = `SELECT octet_length(${(await Promise.all(BASELINE_TABLES[id].map((t) => martinSql(pool, t)))).join(' || ')}) AS n`;
    const samples: Record<string, { base: number[]; cold: number[]; baseSize: number[]; size: number[] }> = {};
    for (const t of tiles) {
      const s = (samples[band(t.z)] ??= { base: [], cold: [], baseSize: [], size: [] });
      for (let r = 0; r < REPEATS; r++) {
        let t0 = performance.now();
        const baseBytes = Number((await pool.query<{ n: number }>({ name: `base_${id}`, text: base, values: [t.z, t.x, t.y] })).rows[0].n);
        s.base.push(performance.now() - t0);
        s.baseSize.push(baseBytes);
        const svc = new TileService(layers, pool); // a fresh, empty cache: cold
        t0 = performance.now();
        const e = await svc.tile(id, t.z, t.x, t.y).catch(() => null);
        s.cold.push(performance.now() - t0);
        s.size.push(e?.raw.length ?? 0);
      }
    }
    for (const [b, s] of Object.entries(samples)) {
      rows.push({
        layer: id, band: b, n: s.base.length,
        baseP50: +pct(s.base, 50).toFixed(2), baseP95: +pct(s.base, 95).toFixed(2),
        coldP50: +pct(s.cold, 50).toFixed(2), coldP95: +pct(s.cold, 95).toFixed(2),
        baseMaxKB: +(Math.max(...s.baseSize) / 1024).toFixed(1), oursMaxKB: +(Math.max(...s.size) / 1024).toFixed(1),
        ratioP50: +(pct(s.base, 50) / Math.max(0.01, pct(s.cold, 50))).toFixed(1),
      });
    }
    console.log(rows.filter((r) => r.layer === id).map((r) => `${id} ${r.band}: base p50 ${r.baseP50} ms (${r.baseMaxKB} KB) · ours cold p50 ${r.coldP50} p95 ${r.coldP95} ms (${r.oursMaxKB} KB) · ×${r.ratioP50}`).join('\n'));
  }
  await pool.end();
  return rows;
}

async function warmThroughput(dbUrl: string) {
  const { app, close } = await buildApp({ databaseUrl: dbUrl });
  const ours = await app.listen({ port: 0, host: '127.0.0.1' });
  const paths = ZOOMS.flatMap((z) => ['pipes', 'cases', 'basemap'].map((l) => {
    const t = tilesCovering([114.31, 30.55, 114.31, 30.55], z)[0];
    return `/tiles/${l}/${z}/${t.x}/${t.y}.mvt`;
  }));
  const bodies = new Map<string, Buffer>();
  for (const p of paths) bodies.set(p, Buffer.from(await (await fetch(ours + p, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer()));
  // The bare server returns the same (gzip) bytes ours sends, with no routing, validation or cache.
  const { gzipSync } = await import('node:zlib');
  const gz = new Map([...bodies].map(([p, b]) => [p, gzipSync(b)]));
  const bare = http.createServer((req, res) => {
    const b = gz.get(req.url ?? '');
    res.writeHead(b ? 200 : 404, { 'content-type': 'application/vnd.mapbox-vector-tile', 'content-encoding': 'gzip' });
    res.end(b);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as import('node:net').AddressInfo).port}`;
  const load = async (url: string) => {
    const r = await autocannon({
      url, connections: 32, duration: 8, pipelining: 1,
      requests: paths.map((p) => ({ method: 'GET', path: p, headers: { 'accept-encoding': 'gzip' } })),
    });
    return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  };
  await load(ours); // warm-up
  const oursR = await load(ours);
  const bareR = await load(bareUrl);
  bare.close();
  await close();
  return { ours: oursR, bare: bareR, ratio: +(oursR.rps / bareR.rps).toFixed(2) };
}

export async function run(args: string[]) {
  const big = args.includes('--big') || args.includes('--only-big');
  // Martin's query takes seconds per low-zoom case tile at 5.32 M cases: two passes are enough there.
  if (big) REPEATS = 2;
  const runs = [...(args.includes('--only-big') ? [] : [{ cases: 200_000 }]), ...(big ? [{ cases: 5_320_000 }] : [])];
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: '2 cores, loopback', zooms: ZOOMS, places: PLACES };
  for (const r of runs) {
    const url = await databaseWithCases(r.cases);
    console.log(`\n[bench] ${r.cases} cases: cold tiles vs Martin's query`);
    const rows = await coldVsBaseline(url);
    console.log(`[bench] ${r.cases} cases: warm throughput vs a bare Node server`);
    const warm = await warmThroughput(url);
    console.log(JSON.stringify(warm));
    results[`cases_${r.cases}`] = { rows, warm };
  }
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = `${runs.map((r) => r.cases).join('+')}-cases-${new Date().toISOString().slice(0, 10)}`;
  writeFileSync(path.join(dir, `tiles-${stamp}.json`), JSON.stringify(results, null, 2));
  const md = Object.entries(results).filter(([k]) => k.startsWith('cases_')).map(([k, v]) => {
    const { rows, warm } = v as { rows: Row[]; warm: Awaited<ReturnType<typeof warmThroughput>> };
    return `## ${k.replace('cases_', '')} cases\n\n| layer | zooms | baseline p50/p95 ms | ours cold p50/p95 ms | ×p50 | baseline max KB | ours max KB |\n|---|---|---|---|---|---|---|\n` +
      rows.map((r) => `| ${r.layer} | ${r.band} | ${r.baseP50} / ${r.baseP95} | ${r.coldP50} / ${r.coldP95} | ${r.ratioP50} | ${r.baseMaxKB} | ${r.oursMaxKB} |`).join('\n') +
      `\n\nWarm (cached) over HTTP, 32 connections, 8 s, gzip: ours ${warm.ours.rps} req/s (p50 ${warm.ours.p50} ms, p99 ${warm.ours.p99} ms), bare Node ${warm.bare.rps} req/s → **${Math.round(warm.ratio * 100)} %**\n`;
  }).join('\n');
  writeFileSync(path.join(dir, `tiles-${stamp}.md`), `# Tile benchmark ${stamp}\n\n${md}`);
  console.log(`[bench] written to bench/results/tiles-${stamp}.{json,md}`);
}
