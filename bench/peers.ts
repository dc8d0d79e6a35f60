// `npm run bench -- peers [--db URL] [--duration 5] [--clients 1,10] [--mapserv 8] [--max-points N] [--label L] [--only text]`
// (--only: the scenarios whose name holds text; written only with --label):
// MapServer 8 from Debian (bench/peers/mapserver.ts: mapserv under spawn-fcgi behind nginx) and this server,
// side by side on the same database and the same requests: case tiles at z10, z13 and z16, pipe tiles at
// z14 (MVT), an OGC API items page in a ~1 km box and a page deep into the cases. Each answer of both is
// checked to be real (tiles decode with features, pages hold features) before anything is timed. Tiles run
// cold (each tile's first request; our cache emptied first) and warm (the same tiles repeated for --duration
// seconds), at each client count. Pipe tiles are every z14 tile holding pipes, cold in rounds (COLD_REQUESTS).
// The clients run in a child process (bench/peers/loader.ts).
// Database: --db or DATABASE_URL, used read-only (never migrated or seeded); otherwise the embedded one,
// migrated and seeded with 200,000 cases once (bench/shared.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import pg from 'pg';
import { ensureServer, repoRoot } from '../scripts/db.ts';
import { buildApp } from '../server/app.ts';
import { encodeCursor } from '../server/features/params.ts';
import { tilesCovering } from '../server/tiles/tilemath.ts';
import type { LoadConfig, LoadOutput } from './peers/loader.ts';
import { startMapServer, type MapServer } from './peers/mapserver.ts';
import { percentile } from './stats.ts';
import { arg, loadAverage, machine, migratedAndSeeded, points, pointsInGrids, writeResults } from './shared.ts';

/** A MapServer request slower than this (cold, one client) is not repeated by 10 clients at once: it would take the machine. */
const SLOW_MS = 5000;
const TIMEOUT_MS = 600_000;
/**
 * MapServer's MVT writer holds every feature of a tile in memory (over 10 GB, and growing, two minutes into a
 * z10 case tile of 4.7 M points): tiles with more points than this are left out of both servers' lists.
 */
const MAX_POINTS = 1_500_000;
/**
 * Tiles of more points than this are served by one mapserv process to one client: each process keeps about
 * 2.2 KB per point of the biggest tile it made until it ends, so eight of them could take the machine's memory.
 */
const HEAVY_POINTS = 300_000;
/**
 * A cold pass of pipe tiles makes at least this many requests per server: the district has only ~50 z14 tiles
 * holding pipes, so the list runs in rounds, each tile once per round, our cache emptied before each round.
 * A round not timed comes first at the same client count, so that neither server's timing holds opening its
 * database connections (our pool's, MapServer's processes') rather than making tiles.
 */
const COLD_REQUESTS = 200;

interface Scenario {
  name: string;
  kind: 'tile' | 'items';
  /** The MVT layer that must hold features, for tiles. */
  layer?: 'cases' | 'pipes';
  ours: string[];
  mapserver: string[];
  cold: boolean;
  /** Why MapServer is not asked at all (every tile too big for it), if so. */
  skipMapServer?: string;
  /** The most points in one of its tiles, when that is over HEAVY_POINTS. */
  heavy?: number;
  /** Cold passes in this many timed rounds of the whole list (after one not timed), summed up as one. */
  coldRounds?: number;
}

interface Side extends Omit<LoadOutput, 'latencies'> { skipped?: string }
interface Row { scenario: string; clients: number; pass: 'cold' | 'warm'; ours: Side; mapserver: Side; rpsRatio: number | null; p50Ratio: number | null; load1: number }
interface Checked { scenario: string; ours?: string; mapserver?: string; error?: string }

/** One run of the clients; `dir` holds its config and answer (the run's scratch directory). */
function load(dir: string, cfg: Omit<LoadConfig, 'out' | 'timeoutMs'>): Promise<LoadOutput> {
  const file = path.join(dir, 'config.json');
  const out = path.join(dir, 'out.json');
  writeFileSync(file, JSON.stringify({ ...cfg, timeoutMs: TIMEOUT_MS, out } satisfies LoadConfig));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'peers', 'loader.ts'), file], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`the load generator exited with ${code}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** Several runs of the clients as one: their requests, times and bytes summed, percentiles over every answer. */
function summed(runs: LoadOutput[]): LoadOutput {
  const latencies = runs.flatMap((r) => r.latencies);
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const failed: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.failed)) failed[k] = (failed[k] ?? 0) + v;
  return {
    requests: runs.reduce((n, r) => n + r.requests, 0), ok, failed, firstError: runs.find((r) => r.firstError)?.firstError,
    seconds: +seconds.toFixed(2), rps: +(ok / seconds).toPrecision(3),
    p50: +(percentile(latencies, 50) ?? 0).toFixed(2), p95: +(percentile(latencies, 95) ?? 0).toFixed(2),
    meanBytes: Math.round(runs.reduce((n, r) => n + r.meanBytes * r.ok, 0) / Math.max(1, ok)), latencies,
  };
}

const side = ({ latencies: _, ...rest }: LoadOutput): Side => rest;

/** The database and whether we may write to it (only the embedded one, which we migrate and seed). */
async function database(args: string[]): Promise<{ url: string; readOnly: boolean }> {
  const i = args.indexOf('--db');
  const given = i >= 0 ? args[i + 1] : process.env.DATABASE_URL;
  if (given) return { url: given, readOnly: true };
  const { url } = await ensureServer();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await migratedAndSeeded(db).finally(() => db.end());
  return { url, readOnly: false };
}

/** Distinct tiles under a deterministic spread of points over the district (bench/shared.ts's Halton points). */
function tileList(z: number, n = 24): { x: number; y: number }[] {
  return [...new Map(points(n).map(([x, y]) => {
    const t = tilesCovering([x, y, x, y], z)[0];
    return [`${t.x}/${t.y}`, t];
  })).values()];
}

/** Every tile at `z` holding pipes, west to east, north to south. */
async function pipeTiles(db: pg.Client, z: number): Promise<{ x: number; y: number }[]> {
  const { rows: [{ w, s, e, n }] } = await db.query<{ w: number; s: number; e: number; n: number }>(
    'SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM (SELECT ST_Extent(geom) AS b FROM pipes) x');
  if (w === null) return [];
  const all = tilesCovering([w, s, e, n], z);
  const { rows } = await db.query<{ i: number }>(
    `SELECT i FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS t(x, y, i)
     WHERE EXISTS (SELECT 1 FROM pipes WHERE geom3857 && ST_TileEnvelope($3, x, y)) ORDER BY i`,
    [all.map((t) => t.x), all.map((t) => t.y), z]);
  return rows.map((r) => all[Number(r.i) - 1]);
}

async function scenarios(db: pg.Client, ms: MapServer, maxPoints: number): Promise<{ cases: number; maxId: number; list: Scenario[] }> {
  const { rows: [info] } = await db.query<{ cases: string; max: string }>(
    'SELECT (SELECT coalesce(sum(n), 0) FROM case_cells WHERE z = 0) AS cases, (SELECT max(id) FROM cases) AS max');
  const pts = await pointsInGrids(db, 24, 40);
  const maxId = Number(info.max);
  const tiles = async (layer: 'cases' | 'pipes', z: number, maxPoints: number): Promise<Scenario> => {
    const all = layer === 'pipes' ? await pipeTiles(db, z) : tileList(z);
    const coldRounds = layer === 'pipes' ? Math.ceil(COLD_REQUESTS / Math.max(1, all.length)) : undefined;
    const counts: number[] = [];
    for (const t of all) {
      counts.push(layer === 'pipes' ? 0 : Number((await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM cases WHERE geom3857 && ST_TileEnvelope($1, $2, $3)', [z, t.x, t.y])).rows[0].n));
    }
    const fit = all.filter((_, i) => counts[i] <= maxPoints);
    const list = fit.length ? fit : all;
    const most = Math.max(0, ...counts.filter((n) => n <= maxPoints));
    const left = all.length - fit.length;
    return {
      name: `${layer} tiles z${z} (${list.length} tiles${layer === 'pipes' ? `: all holding pipes; cold: ${coldRounds} rounds, ${coldRounds! * list.length} requests` : ''}${left && fit.length ? `; ${left} left out: over ${maxPoints.toLocaleString('en')} points` : ''})`,
      kind: 'tile', layer, cold: true, coldRounds,
      ours: list.map((t) => `/tiles/${layer}/${z}/${t.x}/${t.y}.mvt`),
      mapserver: list.map((t) => ms.tilePath(layer, z, t.x, t.y)),
      ...(most > HEAVY_POINTS ? { heavy: most } : {}),
      ...(fit.length ? {} : { skipMapServer: `every tile holds over ${maxPoints.toLocaleString('en')} points (up to ${Math.max(...counts).toLocaleString('en')}), more than MapServer's MVT writer can hold in this machine's memory` }),
    };
  };
  const bbox = ([x, y]: [number, number]) => [x - 0.005, y - 0.005, x + 0.005, y + 0.005].map((v) => v.toFixed(5)).join(',');
  // Deep pages: keys spread over the last 10 % of the ids. We page by key (cursor); MapServer's OGC API
  // only by offset, so it gets the offset of the same position.
  const deep = Array.from({ length: 24 }, (_, i) => Math.floor(maxId * 0.9 + ((maxId * 0.1 - 200) * i) / 24));
  return {
    cases: Number(info.cases),
    maxId,
    list: [
      await tiles('cases', 10, maxPoints), await tiles('cases', 13, maxPoints), await tiles('cases', 16, maxPoints), await tiles('pipes', 14, maxPoints),
      {
        name: 'items: cases bbox ~1 km, limit 100', kind: 'items', cold: false,
        ours: pts.map((p) => `/api/collections/cases/items?limit=100&bbox=${bbox(p)}`),
        mapserver: pts.map((p) => ms.itemsPath(`limit=100&bbox=${bbox(p)}`)),
      },
      {
        name: 'items: cases deep page (last 10 %), limit 100', kind: 'items', cold: false,
        ours: deep.map((k) => `/api/collections/cases/items?limit=100&cursor=${encodeCursor({ dir: 'after', key: String(k) })}`),
        mapserver: deep.map((k) => ms.itemsPath(`limit=100&offset=${k}`)),
      },
    ],
  };
}

/** The first answer with features, described; throws with what came back when there is none. */
async function verify(base: string, who: string, sc: Scenario): Promise<string> {
  let seen = '';
  for (const p of sc.kind === 'tile' ? sc[who === 'ours' ? 'ours' : 'mapserver'] : sc[who === 'ours' ? 'ours' : 'mapserver'].slice(0, 5)) {
    const res = await fetch(base + p);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 && res.status !== 204) throw new Error(`${who} answered ${res.status} to ${p}: ${body.toString().slice(0, 300)}`);
    if (sc.kind === 'tile') {
      if (!body.length) continue;
      let tile: VectorTile;
      try {
        tile = new VectorTile(new PbfReader(body));
      } catch (err) {
        throw new Error(`${who}: ${p} is not a vector tile (${(err as Error).message}; ${res.headers.get('content-type')}): ${body.toString().slice(0, 300)}`);
      }
      const layer = tile.layers[sc.layer!];
      seen = `layers ${Object.keys(tile.layers).join(',') || 'none'}`;
      if (layer?.length) return `${p}: ${layer.length} features in "${sc.layer}", ${(body.length / 1024).toFixed(1)} KB`;
    } else {
      let page: { type?: string; features?: unknown[] };
      try {
        page = JSON.parse(body.toString());
      } catch {
        throw new Error(`${who}: ${p} is not JSON (${res.headers.get('content-type')}): ${body.toString().slice(0, 300)}`);
      }
      if (page.type !== 'FeatureCollection') throw new Error(`${who}: ${p} is not a FeatureCollection: ${body.toString().slice(0, 300)}`);
      if (page.features?.length) return `${p}: ${page.features.length} features, ${(body.length / 1024).toFixed(1)} KB`;
    }
  }
  throw new Error(`${who}: no answer of "${sc.name}" has features${seen ? ` (last tile: ${seen})` : ''}`);
}

const ratio = (a: number, b: number) => (a > 0 && b > 0 ? +(a / b).toPrecision(3) : null);

export async function run(args: string[]) {
  const duration = arg(args, 'duration', 5);
  const processes = arg(args, 'mapserv', 8);
  const maxPoints = arg(args, 'max-points', MAX_POINTS);
  const c = args.indexOf('--clients');
  const clientCounts = (c >= 0 ? args[c + 1] : '1,10').split(',').map(Number);
  const o = args.indexOf('--only');
  const only = o >= 0 ? args[o + 1] : undefined;
  const l = args.indexOf('--label');
  const { url, readOnly } = await database(args);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const load0 = loadAverage();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'peers-load-'));
  const server = await buildApp({ databaseUrl: url });
  const ours = await server.app.listen({ port: 0, host: '127.0.0.1' });
  let ms: MapServer | null = null;
  // Once, whichever comes first: the end of the run, an error or Ctrl-C (whose signal also ends the clients).
  let stopped: Promise<void> | null = null;
  const stopAll = () => (stopped ??= (async () => {
    await ms?.stop();
    rmSync(scratch, { recursive: true, force: true });
    await server.close();
    await db.end().catch(() => {});
  })());
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  const rows: Row[] = [];
  const checked: Checked[] = [];
  let cases = 0;
  let version = '';
  try {
    ms = await startMapServer(url, processes);
    const peer = ms;
    version = peer.version;
    console.log(`[peers] ${peer.version}: ${processes} FastCGI processes behind nginx at ${peer.base}; ours at ${ours}; load ${load0.join(' ')}`);
    const s = await scenarios(db, peer, maxPoints);
    cases = s.cases;
    for (const sc of s.list.filter((x) => !only || x.name.includes(only))) {
      if (interrupted) break;
      // What the last scenario's tiles left in the processes' memory goes with them.
      await peer.restart(sc.heavy ? 1 : processes);
      const check: Checked = { scenario: sc.name };
      checked.push(check);
      try {
        check.ours = await verify(ours, 'ours', sc);
        check.mapserver = sc.skipMapServer ? `not asked: ${sc.skipMapServer}` : await verify(peer.base, 'MapServer', sc);
      } catch (err) {
        check.error = (err as Error).message;
        console.error(`[peers] ${sc.name}: FAILED: ${check.error}`);
        continue;
      }
      console.log(`[peers] ${sc.name}: checked: ours ${check.ours}; MapServer ${check.mapserver}`);
      let slow = sc.skipMapServer ?? (sc.heavy ? `tiles of up to ${sc.heavy.toLocaleString('en')} points: one mapserv process and one client (each process keeps ~2.2 KB per point until it ends)` : '');
      for (const clients of clientCounts) {
        if (interrupted) break;
        for (const pass of sc.cold ? (['cold', 'warm'] as const) : (['warm'] as const)) {
          const cfg = { clients, once: pass === 'cold', durationS: duration, maxRequests: Number.MAX_SAFE_INTEGER };
          const skipB = Boolean(slow && (clients > 1 || sc.skipMapServer));
          // One round each (ours, then MapServer), or for a cold pass in rounds one not timed and then
          // the timed ones, the two servers taking turns so that both see the same load on the machine.
          const rounds = pass === 'cold' && sc.coldRounds ? sc.coldRounds + 1 : 1;
          const as: LoadOutput[] = [];
          const bs: LoadOutput[] = [];
          for (let round = 0; round < rounds; round++) {
            if (pass === 'cold') server.tiles.cache.clear();
            const a1 = await load(scratch, { ...cfg, base: ours, paths: sc.ours });
            const b1 = skipB ? null : await load(scratch, { ...cfg, base: peer.base, paths: sc.mapserver });
            if (rounds > 1 && round === 0) continue;
            as.push(a1);
            if (b1) bs.push(b1);
          }
          const a = side(summed(as));
          const b: Side = skipB
            ? { requests: 0, ok: 0, failed: {}, seconds: 0, rps: 0, p50: 0, p95: 0, meanBytes: 0, skipped: slow }
            : side(summed(bs));
          if (clients === 1 && pass === 'cold' && b.p50 > SLOW_MS) slow = `one request takes ${(b.p50 / 1000).toFixed(1)} s: not run by ${Math.max(...clientCounts)} clients at once on a shared 2-core machine`;
          const row: Row = { scenario: sc.name, clients, pass, ours: a, mapserver: b, rpsRatio: ratio(a.rps, b.rps), p50Ratio: ratio(b.p50, a.p50), load1: loadAverage()[0] };
          rows.push(row);
          const bad = [a, b].map((x, i) => (Object.keys(x.failed).length ? `${i ? 'MapServer' : 'ours'} failed ${JSON.stringify(x.failed)} (${x.firstError})` : '')).filter(Boolean).join('; ');
          console.log(`${sc.name} @${clients} ${pass}: ours ${a.rps} req/s p50 ${a.p50} p95 ${a.p95} ms ${(a.meanBytes / 1024).toFixed(1)} KB · MapServer ${b.skipped ? 'skipped' : `${b.rps} req/s p50 ${b.p50} p95 ${b.p95} ms ${(b.meanBytes / 1024).toFixed(1)} KB`} · ×${row.rpsRatio ?? '–'} req/s, ×${row.p50Ratio ?? '–'} p50 · load ${row.load1}${bad ? ` · ${bad}` : ''}`);
        }
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    await stopAll();
  }
  const load1 = loadAverage();
  if (only && l < 0) return;
  const results = {
    date: new Date().toISOString(), machine: machine(), database: url.replace(/\/\/[^@]*@/, '//'), readOnly, cases,
    mapserver: { version, processes, oursPool: 'pool of 16, anonymous requests limited to 8 connections' },
    durationSeconds: duration, clients: clientCounts, maxPoints, slowMs: SLOW_MS, loadBefore: load0, loadAfter: load1, checked, rows,
  };
  const fmt = (x: Side) => (x.skipped ? `– | skipped: ${x.skipped} | –` : `${x.rps} | ${x.p50} / ${x.p95} | ${(x.meanBytes / 1024).toFixed(1)}`);
  const failures = (x: Side) => (Object.keys(x.failed).length ? ` ⚠ failed ${JSON.stringify(x.failed)}` : '');
  const md = `# MapServer 8 and this server side by side, ${cases.toLocaleString('en')} cases ${results.date.slice(0, 10)}

${machine()}; both servers, PostgreSQL and the clients (a child process) on the same cores, loopback.
Load average (1, 5, 15 min) before ${load0.join(' / ')}, after ${load1.join(' / ')}${load0[0] > 1 || load1[0] > 1 ? ': **other work shared the cores; read the ratios, not the absolute numbers**' : ''}.
Database: ${results.database}${readOnly ? ' (read-only: not migrated or seeded)' : ''}.

MapServer: Debian's mapserv (${version}) as ${processes} FastCGI processes (spawn-fcgi; as many as our server's pool lends anonymous
requests) behind nginx (gzip on), each keeping its PostgreSQL connection (CLOSE_CONNECTION=DEFER). Tiles: WMS tile mode
(\`mode=tile&tilemode=gmap\`, \`DRIVER MVT\`, extent 4096, buffer 64) on geom3857 with the properties our layers publish;
items: its OGC API – Features (\`/ogcapi/collections/cases/items?bbox=…&limit=100\`, deep pages by \`offset\`; ours by cursor).
MapServer draws every point at every zoom; ours clusters case tiles that would hold more than 4,000 points.
Cold: each tile's first request (our tile cache emptied first; MapServer has none), the list shared among the clients.
Pipe tiles: every z14 tile holding pipes; cold in rounds of the whole list (our cache emptied before each) until each server
had at least ${COLD_REQUESTS} requests, the servers taking turns, after one round not timed that opens both servers' database connections.
Warm: the same requests round-robin for ${duration} s. Clients accept gzip; KB are as sent. × req/s = ours / MapServer; × p50 = MapServer / ours.
Kept from MapServer for the machine's sake: case tiles of more than ${maxPoints.toLocaleString('en')} points (its MVT writer holds every feature:
over 10 GB two minutes into a 4.7 M-point tile); tiles of more than ${HEAVY_POINTS.toLocaleString('en')} points get one mapserv process and one client;
requests it takes over ${SLOW_MS / 1000} s for (cold, one client) are not run by more clients.

Checked before timing (first answer with features):
${checked.map((x) => `- ${x.scenario}: ${x.error ? `**FAILED**: ${x.error}` : `ours ${x.ours}; MapServer ${x.mapserver}`}`).join('\n')}

| scenario | clients | pass | ours req/s | ours p50 / p95 ms | ours KB | MapServer req/s | MapServer p50 / p95 ms | MapServer KB | × req/s | × p50 | load |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.scenario} | ${r.clients} | ${r.pass} | ${fmt(r.ours)}${failures(r.ours)} | ${fmt(r.mapserver)}${failures(r.mapserver)} | ${r.rpsRatio ?? '–'} | ${r.p50Ratio ?? '–'} | ${r.load1} |`).join('\n')}
`;
  const name = l >= 0 ? `peers-${args[l + 1]}` : readOnly ? `peers-${cases}-cases` : 'peers';
  writeResults(name, results, md);
  const failed = checked.filter((x) => x.error);
  if (failed.length) throw new Error(`${failed.length} scenario(s) failed their check: ${failed.map((x) => x.scenario).join('; ')}`);
}
