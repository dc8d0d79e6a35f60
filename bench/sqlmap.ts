// `npm run bench -- sqlmap [--only name,name] [--parallel 3] [--keep-db]`: sqlmap (the Debian package)
// against the query, OGC API – Features, details, drainage, trace, case and Open311 endpoints, to show
// that none of their parameters is injectable and that no payload makes the server answer 5xx.
//
// The scan never touches the dev database: it runs on a scratch copy (CREATE DATABASE wuchang_sqlmap
// TEMPLATE wuchang, or pg_dump | pg_restore when someone is connected to wuchang), dropped at the end.
// The server runs in a child process (buildApp, trustProxy off, logger on: its log gives the status code
// of every request and the stack of every 500). Each sqlmap run talks to a small forwarding proxy of its
// own that opens every upstream connection from a fresh loopback address (127.x.y.z): the per-address
// rate limits (Open311 reports 10/min, case writes 120/min, login 10/min) would otherwise answer almost
// every payload with 429 and nothing behind them would be tested. trustProxy stays off; the server
// sees a different peer address, as it would from many clients. The proxy also counts responses per target.
//
// Results: bench/results/sqlmap-<date>.json and .md (commands, verdicts, status-code counts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { copyDatabase } from './shared.ts';
import { migrate } from '../server/db/migrate.ts';
import { createUser, type Role } from '../server/auth/users.ts';

const SCRATCH = 'wuchang_sqlmap';
const SOURCE_DB = 'wuchang';
/** sqlmap options common to every target (level/risk/technique are the scan's depth). */
let LEVEL = 3;
let RISK = 2;
const TECHNIQUE = 'BEUSTQ';
const DBMS = 'PostgreSQL';
const THREADS = 1;

// ---- the server, in a child process ---------------------------------------------------------------

/** Child mode: `SQLMAP_BENCH_SERVE=<database url> node --import tsx bench/sqlmap.ts`. */
async function serve(databaseUrl: string) {
  const { buildApp } = await import('../server/app.ts');
  const server = await buildApp({ databaseUrl, logger: true, trustProxy: false, poolSize: 16 });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  process.send?.({ base });
  const stop = async () => { await server.close().catch(() => {}); process.exit(0); };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

if (process.env.SQLMAP_BENCH_SERVE && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serve(process.env.SQLMAP_BENCH_SERVE);
}

// ---- targets --------------------------------------------------------------------------------------

interface Target {
  name: string;
  /** What it covers, for the report. */
  covers: string;
  /** Path and query, relative to the server; `*` marks a custom injection point. */
  url: string;
  data?: string;
  contentType?: string;
  auth?: Role;
  /** Extra sqlmap options. */
  extra?: string[];
}

interface Fixture {
  manholeId: number;
  manholeCode: string;
  pipeId: number;
  hazardId: number;
  cameraId: number;
  gridCode: string;
  communityCode: string;
  streetCode: string;
  lon: number;
  lat: number;
  case: { id: number; case_no: string; status: string; class_code: string; item_code: string; source: string; street: string; community: string; grid: string; reported_at: string };
  reportedCaseId: number;
  reach: { street: string; community: string; sgrade: number; fgrade: number; code: string; diameter: number };
  cursor: string;
  /** Periods end before the scan starts, so the cases the report targets create meanwhile never change a list's baseline. */
  now: string;
  /** An Open311 request made before the scan, with its evaluation token. */
  open311?: { id: string; token: string };
}

async function fixture(db: pg.Client): Promise<Fixture> {
  const one = async <T extends pg.QueryResultRow>(sql: string): Promise<T> => {
    const { rows } = await db.query<T>(sql);
    if (!rows[0]) throw new Error(`the scratch database has no row for: ${sql}`);
    return rows[0];
  };
  const mh = await one<{ id: number; code: string }>('SELECT id, code FROM manholes ORDER BY id LIMIT 1');
  const pipe = await one<{ id: number }>('SELECT id FROM pipes ORDER BY id LIMIT 1');
  const hz = await one<{ id: number }>('SELECT id FROM hazards ORDER BY id LIMIT 1');
  const cam = await one<{ id: number }>('SELECT id FROM cameras ORDER BY id LIMIT 1');
  // A recent dispatched case (the lists and Open311 filters match it), with its position.
  const c = await one<{ id: string; case_no: string; status: string; class_code: string; item_code: string; source: string; street_code: string; community_code: string; grid_code: string; reported_at: Date; lon: number; lat: number }>(
    `SELECT id, case_no, status, class_code, item_code, source, street_code, community_code, grid_code, reported_at, ST_X(geom) AS lon, ST_Y(geom) AS lat
     FROM cases WHERE status = 'dispatched' AND grid_code IS NOT NULL ORDER BY id DESC LIMIT 1`);
  const reported = await one<{ id: string }>(`SELECT id FROM cases WHERE status = 'reported' ORDER BY id DESC LIMIT 1`);
  const reach = await one<{ grid_code: string; sgrade: number; fgrade: number; code: string; diameter_mm: number }>(
    `SELECT p.grid_code, c.sgrade, c.fgrade, c.codes[1] AS code, p.diameter_mm FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id
     WHERE c.error IS NULL AND c.sgrade IS NOT NULL AND c.fgrade IS NOT NULL AND cardinality(c.codes) > 0 AND p.grid_code IS NOT NULL AND p.diameter_mm IS NOT NULL
     ORDER BY c.ri DESC NULLS LAST LIMIT 1`);
  const { rows: page } = await db.query<{ id: string }>('SELECT id FROM cases ORDER BY id LIMIT 10');
  const grid = c.grid_code.trim();
  return {
    manholeId: mh.id, manholeCode: mh.code, pipeId: pipe.id, hazardId: hz.id, cameraId: cam.id,
    gridCode: grid, communityCode: c.community_code.trim(), streetCode: c.street_code.trim(), lon: c.lon, lat: c.lat,
    case: {
      id: Number(c.id), case_no: c.case_no, status: c.status, class_code: c.class_code, item_code: c.item_code, source: c.source,
      street: c.street_code.trim(), community: c.community_code.trim(), grid, reported_at: c.reported_at.toISOString(),
    },
    reportedCaseId: Number(reported.id),
    reach: { street: reach.grid_code.slice(0, 9), community: reach.grid_code.slice(0, 12), sgrade: reach.sgrade, fgrade: reach.fgrade, code: reach.code, diameter: reach.diameter_mm },
    // The next link of the first page of cases (the server's cursor format: base64url of "a:<key>").
    cursor: Buffer.from(`a:${page.at(-1)!.id}`).toString('base64url'),
    now: new Date(Date.now() - 60_000).toISOString(),
  };
}

function targets(f: Fixture): Target[] {
  const q = (o: Record<string, string | number>) => Object.entries(o).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  const day = (iso: string, deltaDays: number) => new Date(Date.parse(iso) + deltaDays * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const [lon, lat] = [f.lon.toFixed(6), f.lat.toFixed(6)];
  const box = [f.lon - 0.01, f.lat - 0.01, f.lon + 0.01, f.lat + 0.01].map((v) => v.toFixed(4)).join(',');
  const ring = [[f.lon - 0.005, f.lat - 0.005], [f.lon + 0.005, f.lat - 0.005], [f.lon + 0.005, f.lat + 0.005], [f.lon - 0.005, f.lat + 0.005], [f.lon - 0.005, f.lat - 0.005]]
    .map(([x, y]) => [Number(x.toFixed(6)), Number(y.toFixed(6))]);
  const from = day(f.case.reported_at, -2);
  const to = [day(f.case.reported_at, 2), day(f.now, 0)].sort()[0];
  return [
    { name: 'query-nearest', covers: 'GET /api/query/nearest: lon, lat, layers, k, crs', url: `/api/query/nearest?${q({ lon, lat, layers: 'manholes,cameras', k: 5, crs: 'wgs84' })}` },
    {
      name: 'query-within-circle', covers: 'POST /api/query/within (JSON): layers, circle.lon/lat/radius_m, limit, crs',
      url: '/api/query/within', contentType: 'application/json',
      data: JSON.stringify({ layers: ['manholes', 'cameras'], circle: { lon: Number(lon), lat: Number(lat), radius_m: 300 }, limit: 20, crs: 'wgs84' }),
    },
    {
      name: 'query-within-polygon', covers: 'POST /api/query/within (JSON, * markers): geometry.type, a coordinate, layers, limit',
      url: '/api/query/within', contentType: 'application/json',
      data: `{"layers":["pipes*"],"geometry":{"type":"Polygon*","coordinates":[[[${ring[0][0]}*,${ring[0][1]}],${ring.slice(1).map((p) => `[${p[0]},${p[1]}]`).join(',')}]]},"limit":20*}`,
    },
    { name: 'grids-at', covers: 'GET /api/grids/at: lon, lat, crs', url: `/api/grids/at?${q({ lon, lat, crs: 'wgs84' })}` },
    { name: 'search', covers: 'GET /api/search: q, limit', url: `/api/search?${q({ q: f.manholeCode.slice(0, -2), limit: 10 })}` },
    {
      name: 'items-manholes', covers: 'GET /api/collections/manholes/items: bbox, limit, offset, f, filter-lang, filter (CQL2 text), property filters kind, usage',
      url: `/api/collections/manholes/items?${q({ bbox: box, limit: 20, offset: 0, f: 'json', 'filter-lang': 'cql2-text', filter: "depth_m > 0.5 AND code LIKE 'WC%'", kind: 'manhole', usage: 'rain' })}`,
    },
    {
      name: 'items-nul-tamper', covers: 'GET /api/collections/manholes/items: kind, code, filter again, every payload ending in a NUL byte (--tamper=appendnullbyte)',
      url: `/api/collections/manholes/items?${q({ limit: 5, kind: 'manhole', code: f.manholeCode, filter: "code LIKE 'WC%'" })}`, extra: ['-p', 'kind,code,filter', '--tamper=appendnullbyte'],
    },
    {
      name: 'items-cases-time', covers: 'GET /api/collections/cases/items: datetime, filter with TIMESTAMP/IN, property filters status, source',
      url: `/api/collections/cases/items?${q({ datetime: `${from}/${to}`, filter: `reported_at >= TIMESTAMP('${from}') AND class_code IN ('component','event')`, status: f.case.status, source: f.case.source, limit: 10 })}`,
    },
    { name: 'items-cursor', covers: 'GET /api/collections/cases/items: cursor (the next link), limit', url: `/api/collections/cases/items?${q({ limit: 10, cursor: f.cursor })}` },
    { name: 'items-path', covers: 'GET /api/collections/{collectionId}/items: the collection id (path)', url: '/api/collections/hazards*/items?limit=5' },
    { name: 'item-by-id', covers: 'GET /api/collections/{collectionId}/items/{featureId}: both path parameters, f', url: `/api/collections/manholes*/items/${f.manholeId}*?f=json*` },
    { name: 'item-by-code', covers: 'GET /api/collections/grids/items/{code}: a code-keyed feature id (path)', url: `/api/collections/grids/items/${f.gridCode}*` },
    { name: 'details', covers: 'GET /api/details/{layer}/{id}: both path parameters', url: `/api/details/pipes*/${f.pipeId}*` },
    {
      name: 'drainage-reaches', covers: 'GET /api/drainage/reaches: sort, street, community, sgrade, fgrade, code, diameter_min, diameter_max, limit, offset', auth: 'planner',
      url: `/api/drainage/reaches?${q({ sort: 'ri', street: f.reach.street, community: f.reach.community, sgrade: f.reach.sgrade, fgrade: f.reach.fgrade, code: f.reach.code, diameter_min: Math.max(0, f.reach.diameter - 100), diameter_max: f.reach.diameter + 100, limit: 20, offset: 0 })}`,
    },
    { name: 'drainage-summary', covers: 'GET /api/drainage/summary: by, street', auth: 'planner', url: `/api/drainage/summary?${q({ by: 'community', street: f.streetCode })}` },
    { name: 'trace', covers: 'GET /api/trace: from, direction, method (cte: the recursive SQL path)', url: `/api/trace?${q({ from: `manhole:${f.manholeId}`, direction: 'downstream', method: 'cte' })}` },
    { name: 'network-export', covers: 'GET /api/network/export: format, ids (the export of selected reaches)', url: `/api/network/export?${q({ format: 'geojson', ids: `${f.pipeId},${f.pipeId + 1}` })}` },
    {
      name: 'cases-list', covers: 'GET /api/cases: status, class, item, source, street, community, grid, from, to, overdue, mine, limit, before_id', auth: 'dispatcher',
      url: `/api/cases?${q({ status: `${f.case.status},reported`, class: f.case.class_code, item: f.case.item_code, source: f.case.source, street: f.case.street, community: f.case.community, grid: f.case.grid, from, to, overdue: 'false', mine: 'false', limit: 20, before_id: f.case.id + 1 })}`,
    },
    { name: 'case-by-id', covers: 'GET /api/cases/{id} (path)', auth: 'dispatcher', url: `/api/cases/${f.case.id}*` },
    { name: 'cases-kpi', covers: 'GET /api/cases/kpi: level, within, from, to, format', auth: 'dispatcher', url: `/api/cases/kpi?${q({ level: 'community', within: f.case.street, from, to, format: 'json' })}` },
    {
      name: 'cases-report', covers: 'POST /api/cases (JSON, field account): item_code, lon, lat, crs, description, address, photos', auth: 'field',
      url: '/api/cases', contentType: 'application/json',
      data: JSON.stringify({ item_code: f.case.item_code, lon: Number(lon), lat: Number(lat), crs: 'wgs84', description: 'sqlmap scan', address: 'sqlmap', photos: [] }),
    },
    {
      name: 'case-action', covers: 'POST /api/cases/{id}/actions/{action}: id and action (path), note, reason (JSON)', auth: 'dispatcher',
      url: `/api/cases/${f.reportedCaseId}*/actions/accept*`, contentType: 'application/json', data: '{"note":"sqlmap*","reason":"scan*"}',
    },
    {
      name: 'open311-requests', covers: 'GET /open311/v2/requests.json: service_code, start_date, end_date, status',
      url: `/open311/v2/requests.json?${q({ service_code: f.case.item_code, start_date: from, end_date: to, status: 'open' })}`,
    },
    {
      name: 'open311-requests-ids', covers: 'GET /open311/v2/requests.xml: service_request_id (list), status',
      url: `/open311/v2/requests.xml?${q({ service_request_id: `${f.case.case_no},WC1`, status: 'open' })}`,
    },
    {
      name: 'open311-report', covers: 'POST /open311/v2/requests.json (form): service_code, lat, long, address_string, description, email, first_name, last_name, phone, media_url, device_id, account_id, api_key',
      url: '/open311/v2/requests.json', contentType: 'application/x-www-form-urlencoded',
      data: q({ service_code: f.case.item_code, lat, long: lon, address_string: 'sqlmap road 1', description: 'sqlmap scan', email: 'scan@example.org', first_name: 'Sql', last_name: 'Map', phone: '13800000000', media_url: 'https://example.org/a.jpg', device_id: 'dev1', account_id: 'acc1', api_key: 'key1' }),
    },
    { name: 'open311-request-by-id', covers: 'GET /open311/v2/requests/{id}.json (path)', url: `/open311/v2/requests/${f.case.case_no}*.json` },
    ...(f.open311 ? [{
      name: 'open311-evaluation', covers: 'POST /open311/v2/requests/{id}/evaluation.json (form, * markers): id (path), token, satisfied, comment',
      url: `/open311/v2/requests/${f.open311.id}*/evaluation.json`, contentType: 'application/x-www-form-urlencoded',
      data: `token=${f.open311.token}*&satisfied=true*&comment=scan*`,
    }] : []),
    { name: 'open311-services', covers: 'GET /open311/v2/services.json: jurisdiction_id (ignored by the server), User-Agent, Referer', url: '/open311/v2/services.json?jurisdiction_id=wuchang' },
    { name: 'open311-service-def', covers: 'GET /open311/v2/services/{code}.json (path)', url: `/open311/v2/services/${f.case.item_code}*.json` },
  ];
}

// ---- the proxy ------------------------------------------------------------------------------------

interface Sample { method: string; url: string; body: string; status: number; response: string }

/** A fresh loopback source address per upstream connection: 127.<block>.<hi>.<lo>. */
function addressFor(block: number, n: number): string {
  return `127.${block}.${(n >> 8) & 255}.${(n & 255) || 1}`;
}

async function startProxy(upstream: URL, block: number) {
  const status: Record<string, number> = {};
  const samples: Sample[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      delete headers.connection;
      delete headers['proxy-connection'];
      const up = http.request({
        host: upstream.hostname, port: Number(upstream.port), method: req.method, path: req.url, headers,
        localAddress: addressFor(block, ++n), agent: false,
      }, (ur) => {
        const code = ur.statusCode ?? 0;
        status[code] = (status[code] ?? 0) + 1;
        const out: Buffer[] = [];
        ur.on('data', (c: Buffer) => { if (code >= 500 && out.length < 8) out.push(c); });
        ur.on('end', () => {
          if (code >= 500 && samples.length < 50) {
            samples.push({ method: req.method ?? '?', url: req.url ?? '', body: body.toString('utf8').slice(0, 1000), status: code, response: Buffer.concat(out).toString('utf8').slice(0, 500) });
          }
        });
        res.writeHead(code, ur.headers);
        ur.pipe(res);
      });
      up.on('error', (err) => {
        status.proxy_error = (status.proxy_error ?? 0) + 1;
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${err.message}`);
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    status,
    samples,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// ---- sqlmap output --------------------------------------------------------------------------------

interface Parsed {
  verdict: 'not injectable' | 'INJECTABLE' | 'inconclusive';
  injectable: string[];
  notInjectable: string[];
  /** sqlmap's notes: heuristic XSS/FI hints, unstable pages, false positives. */
  notes: string[];
  errors: string[];
  httpCodes: string | null;
  requests: number | null;
}

export function parseSqlmap(out: string): Parsed {
  const lines = out.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd());
  const injectable = new Set<string>();
  const notInjectable = new Set<string>();
  const notes = new Set<string>();
  const errors: string[] = [];
  let requests: number | null = null;
  let httpCodes: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    let m = /(\S.*? parameter '.+?') does not seem to be injectable/.exec(l);
    if (m) notInjectable.add(m[1].replace(/^\[[^\]]+\] \[\w+\] /, ''));
    m = /(\S.*? parameter '.+?') (?:is '.+' injectable|is vulnerable)/.exec(l);
    if (m) injectable.add(m[1].replace(/^\[[^\]]+\] \[\w+\] /, ''));
    m = /^Parameter: (.+)$/.exec(l);
    if (m) injectable.add(m[1]);
    m = /identified the following injection point\(s\) with a total of (\d+) HTTP/.exec(l);
    if (m) requests = Number(m[1]);
    if (/heuristic \((XSS|FI)\) test shows|false positive|content is not stable|appears to be '.+' injectable|heavily dynamic/.test(l)) notes.add(l.replace(/^\[[^\]]+\] /, ''));
    if (/\[(CRITICAL|ERROR)\]/.test(l) && !/all tested parameters do not appear to be injectable/.test(l)) errors.push(l.replace(/^\[[^\]]+\] /, ''));
    if (/HTTP error codes detected during run:/.test(l)) httpCodes = (lines[i + 1] ?? '').trim();
  }
  const none = lines.some((l) => /all tested parameters do not appear to be injectable/.test(l));
  const verdict = injectable.size ? 'INJECTABLE' : none ? 'not injectable' : 'inconclusive';
  return { verdict, injectable: [...injectable], notInjectable: [...notInjectable], notes: [...notes], errors, httpCodes, requests };
}

// ---- helpers --------------------------------------------------------------------------------------

const shq = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

async function dropScratch(admin: pg.Client) {
  await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
}

interface ServerLog {
  child: ChildProcess;
  base: string;
  /** Per proxy block (target), the status codes the server logged. */
  status: Map<number, Record<string, number>>;
  total: Record<string, number>;
  errors: { reqId: string; url?: string; message: string; stack?: string }[];
  logFile: string;
}

async function startServer(dbUrl: string, workDir: string): Promise<ServerLog> {
  const logFile = path.join(workDir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: repoRoot, env: { ...process.env, SQLMAP_BENCH_SERVE: dbUrl }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const state: ServerLog = { child, base: '', status: new Map(), total: {}, errors: [], logFile };
  const blockOf = new Map<string, number>();
  const urlOf = new Map<string, string>();
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    let e: { reqId?: string; msg?: string; level?: number; req?: { remoteAddress?: string; url?: string; method?: string }; res?: { statusCode?: number }; err?: { message?: string; stack?: string } };
    try { e = JSON.parse(line); } catch { return; }
    if (!e.reqId) return;
    if (e.msg === 'incoming request' && e.req) {
      const block = Number(/^(?:::ffff:)?127\.(\d+)\./.exec(e.req.remoteAddress ?? '')?.[1] ?? 0);
      blockOf.set(e.reqId, block);
      urlOf.set(e.reqId, `${e.req.method} ${e.req.url}`);
    } else if (e.msg === 'request completed' && e.res?.statusCode) {
      const code = String(e.res.statusCode);
      const block = blockOf.get(e.reqId) ?? 0;
      const per = state.status.get(block) ?? {};
      per[code] = (per[code] ?? 0) + 1;
      state.status.set(block, per);
      state.total[code] = (state.total[code] ?? 0) + 1;
      blockOf.delete(e.reqId);
      urlOf.delete(e.reqId);
    } else if ((e.level ?? 0) >= 50 && state.errors.length < 100) {
      state.errors.push({ reqId: e.reqId, url: urlOf.get(e.reqId)?.slice(0, 400), message: e.err?.message ?? e.msg ?? '', stack: e.err?.stack?.split('\n').slice(0, 6).join('\n') });
    }
  });
  state.base = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { base: string }) => resolve(m.base));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  return state;
}

async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

interface TargetResult extends Parsed {
  name: string;
  covers: string;
  auth: string | null;
  /** Options beyond the common ones. */
  extra: string[];
  command: string;
  seconds: number;
  exitCode: number | null;
  proxyStatus: Record<string, number>;
  serverStatus: Record<string, number>;
  requestsSent: number;
  samples5xx: Sample[];
  logFile: string;
}

function sqlmapArgs(t: Target, url: string, outDir: string, token: string | undefined): string[] {
  const args = ['-u', url];
  if (t.data !== undefined) args.push(`--data=${t.data}`, '--method=POST');
  if (t.contentType) args.push(`--headers=Content-Type: ${t.contentType}`);
  if (token) args.push('-H', `Authorization: Bearer ${token}`);
  args.push('--batch', '--flush-session', `--output-dir=${outDir}`, `--level=${LEVEL}`, `--risk=${RISK}`, `--technique=${TECHNIQUE}`,
    `--dbms=${DBMS}`, `--threads=${THREADS}`, '--skip-waf', '--timeout=30', '--retries=1', '--disable-coloring', ...(t.extra ?? []));
  return args;
}

async function runTarget(t: Target, block: number, base: URL, workDir: string, tokens: Partial<Record<Role, string>>, server: ServerLog): Promise<TargetResult> {
  const proxy = await startProxy(base, block);
  const outDir = path.join(workDir, t.name);
  mkdirSync(outDir, { recursive: true });
  const url = `http://127.0.0.1:${proxy.port}${t.url}`;
  const token = t.auth ? tokens[t.auth] : undefined;
  const args = sqlmapArgs(t, url, outDir, token);
  const shown = ['sqlmap', ...args.map((a) => (token ? a.replace(token, `<${t.auth} token>`) : a))].map(shq).join(' ');
  const logFile = path.join(outDir, 'sqlmap.out');
  const t0 = Date.now();
  console.log(`[sqlmap] ${t.name}: start`);
  const { out, code } = await new Promise<{ out: string; code: number | null }>((resolve) => {
    const p = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
    let buf = '';
    p.stdout.on('data', (b) => { buf += b; });
    p.stderr.on('data', (b) => { buf += b; });
    p.on('close', (c) => resolve({ out: buf, code: c }));
  });
  writeFileSync(logFile, out);
  const seconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 300)); // the server's last log lines
  await proxy.close();
  const parsed = parseSqlmap(out);
  const sent = Object.values(proxy.status).reduce((a, b) => a + b, 0);
  console.log(`[sqlmap] ${t.name}: ${parsed.verdict} (${parsed.notInjectable.length} parameters tested, ${sent} requests, ${seconds.toFixed(0)} s) ${JSON.stringify(proxy.status)}`);
  return {
    name: t.name, covers: t.covers, auth: t.auth ?? null, extra: t.extra ?? [], command: shown, seconds, exitCode: code, ...parsed,
    proxyStatus: proxy.status, serverStatus: server.status.get(block) ?? {}, requestsSent: sent, samples5xx: proxy.samples, logFile,
  };
}

const sumCodes = (rs: Record<string, number>[]) => rs.reduce<Record<string, number>>((acc, r) => {
  for (const [k, v] of Object.entries(r)) acc[k] = (acc[k] ?? 0) + v;
  return acc;
}, {});
const count5xx = (r: Record<string, number>) => Object.entries(r).filter(([k]) => /^5\d\d$/.test(k)).reduce((a, [, v]) => a + v, 0);

export async function run(args: string[]) {
  const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const only = opt('--only')?.split(',');
  const parallel = Number(opt('--parallel') ?? 3);
  const keepDb = args.includes('--keep-db');
  LEVEL = Number(opt('--level') ?? LEVEL);
  RISK = Number(opt('--risk') ?? RISK);
  const version = execFileSync('sqlmap', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  const t0 = Date.now();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'sqlmap-bench-'));
  console.log(`[sqlmap] ${version}; sqlmap output under ${workDir}`);

  const { url } = await ensureServer();
  const admin = new pg.Client({ connectionString: adminUrl(url, 'postgres') });
  await admin.connect();
  const { rows: busy } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [SCRATCH]);
  if (busy.length) throw new Error(`${SCRATCH} has ${busy.length} connection(s): is another sqlmap bench running? Not touching it.`);
  await dropScratch(admin);
  let server: ServerLog | undefined;
  try {
    const copy = await copyDatabase(admin, url, SOURCE_DB, SCRATCH, 'sqlmap');
    console.log(`[sqlmap] scratch database ${SCRATCH} by ${copy.method} in ${copy.seconds.toFixed(1)} s`);
    const dbUrl = adminUrl(url, SCRATCH);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    let fx: Fixture;
    const passwords: Partial<Record<Role, { username: string; password: string }>> = {};
    try {
      await migrate(db);
      fx = await fixture(db);
      for (const role of ['dispatcher', 'field', 'planner'] as const) {
        const username = `sqlmap-${role}`;
        const password = `${randomUUID()}-Pw`;
        // The field account's grids: the street of the case it reports at.
        await createUser(db, { username, password, role, grids: role === 'field' ? [fx.streetCode] : [] });
        passwords[role] = { username, password };
      }
    } finally {
      await db.end();
    }

    server = await startServer(dbUrl, workDir);
    console.log(`[sqlmap] server on ${server.base} (database ${SCRATCH}, trustProxy off); log ${server.logFile}`);
    const tokens: Partial<Record<Role, string>> = {};
    for (const [role, p] of Object.entries(passwords)) tokens[role as Role] = await login(server.base, p!.username, p!.password);
    // A citizen's request and its evaluation token (the evaluation target then reaches the case, which answers 409: not closed).
    const made = await fetch(`${server.base}/open311/v2/requests.json`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ service_code: fx.case.item_code, lat: String(fx.lat), long: String(fx.lon), description: 'sqlmap evaluation fixture' }),
    });
    if (made.status === 201) {
      const [r] = (await made.json()) as { service_request_id: string; x_evaluation_token: string }[];
      fx.open311 = { id: r.service_request_id, token: r.x_evaluation_token };
    } else console.log(`[sqlmap] could not make the Open311 fixture: ${made.status} ${await made.text()}`);

    const all = targets(fx);
    const chosen = only ? all.filter((t) => only.includes(t.name)) : all;
    if (!chosen.length) throw new Error(`no target matches --only; targets: ${all.map((t) => t.name).join(', ')}`);
    const results: TargetResult[] = new Array(chosen.length);
    let next = 0;
    const base = new URL(server.base);
    const scanStart = Date.now();
    await Promise.all(Array.from({ length: Math.min(parallel, chosen.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= chosen.length) return;
        results[i] = await runTarget(chosen[i], i + 1, base, workDir, tokens, server!);
      }
    }));
    const scanSeconds = (Date.now() - scanStart) / 1000;
    await new Promise((r) => setTimeout(r, 500));

    const serverTotal = { ...server.total };
    const proxyTotal = sumCodes(results.map((r) => r.proxyStatus));
    const injectable = results.filter((r) => r.verdict === 'INJECTABLE');
    const inconclusive = results.filter((r) => r.verdict === 'inconclusive');
    const fiveXX = count5xx(serverTotal);
    const summary = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB`,
      sqlmap: version,
      options: { level: LEVEL, risk: RISK, technique: TECHNIQUE, dbms: DBMS, threads: THREADS, parallelProcesses: parallel, other: '--batch --flush-session --skip-waf --timeout=30 --retries=1 --disable-coloring --output-dir=<per target>' },
      scratch: { database: SCRATCH, ...copy },
      durationSeconds: { total: (Date.now() - t0) / 1000, scan: scanSeconds },
      totals: {
        targets: results.length,
        notInjectable: results.filter((r) => r.verdict === 'not injectable').length,
        injectable: injectable.length,
        inconclusive: inconclusive.length,
        parametersTested: results.reduce((a, r) => a + r.notInjectable.length + r.injectable.length, 0),
        requests: results.reduce((a, r) => a + r.requestsSent, 0),
        serverStatus: serverTotal,
        proxyStatus: proxyTotal,
        server5xx: fiveXX,
      },
      serverErrors: server.errors,
      targets: results,
    };
    const dir = path.join(repoRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 10);
    writeFileSync(path.join(dir, `sqlmap-${stamp}.json`), JSON.stringify(summary, null, 2));
    writeFileSync(path.join(dir, `sqlmap-${stamp}.md`), markdown(summary, stamp));
    console.log(`[sqlmap] ${results.length} targets: ${summary.totals.notInjectable} not injectable, ${injectable.length} injectable, ${inconclusive.length} inconclusive; ${summary.totals.requests} requests; server 5xx: ${fiveXX}; ${(scanSeconds / 60).toFixed(1)} min`);
    console.log(`[sqlmap] written to bench/results/sqlmap-${stamp}.{json,md}`);
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
    if (!keepDb) await dropScratch(admin);
    await admin.end();
  }
}

type Summary = {
  date: string; machine: string; sqlmap: string;
  options: { level: number; risk: number; technique: string; dbms: string; threads: number; parallelProcesses: number; other: string };
  scratch: { database: string; method: string; seconds: number; connected: string[] };
  durationSeconds: { total: number; scan: number };
  totals: { targets: number; notInjectable: number; injectable: number; inconclusive: number; parametersTested: number; requests: number; serverStatus: Record<string, number>; proxyStatus: Record<string, number>; server5xx: number };
  serverErrors: ServerLog['errors'];
  targets: TargetResult[];
};

function markdown(s: Summary, stamp: string): string {
  const codes = (r: Record<string, number>) => Object.entries(r).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(', ') || '—';
  const min = (x: number) => `${(x / 60).toFixed(1)} min`;
  const lines = [
    `# sqlmap scan ${stamp}`,
    '',
    `${s.machine}. ${s.sqlmap} (Debian package \`sqlmap\`), run by \`npm run bench -- sqlmap\` (bench/sqlmap.ts).`,
    '',
    `**Verdict: ${s.totals.injectable ? `${s.totals.injectable} target(s) INJECTABLE` : 'no injectable parameter found'}; ${s.totals.server5xx} server 5xx responses during the scan.** ` +
      `${s.totals.targets} targets, ${s.totals.parametersTested} parameters/injection points tested (including the User-Agent and Referer headers that level 3 adds), ` +
      `${s.totals.requests} HTTP requests; scan ${min(s.durationSeconds.scan)}, whole run ${min(s.durationSeconds.total)}.`,
    '',
    '## How it was run',
    '',
    `- Scratch database \`${s.scratch.database}\`: \`${s.scratch.method}\` (${s.scratch.seconds.toFixed(1)} s), migrated, dropped at the end; the dev database is never written.` +
      (s.scratch.connected.length ? ` Connected to wuchang at copy time: ${s.scratch.connected.join('; ')}.` : ''),
    '- Server: `buildApp({ databaseUrl: <scratch>, trustProxy: false, logger: true })` in a child process on a free port of 127.0.0.1; its log gives the status of every request.',
    '- Accounts `sqlmap-dispatcher` (case lists, details, actions, KPIs), `sqlmap-field` (POST /api/cases; grids: the street of the case it reports at) and `sqlmap-planner` (drainage) made with `createUser` on the scratch database, logged in through POST /api/auth/login; the Bearer token is passed with `-H`.',
    '- Each sqlmap run talks to a forwarding proxy of its own that opens every upstream connection from a fresh loopback address (127.<target>.x.y), so that the per-address rate limits (Open311 reports 10/min, case writes 120/min) do not answer the payloads with 429 before the handlers see them. trustProxy stays off. The proxy also counts responses per target.',
    `- sqlmap options for every target: \`--level=${s.options.level} --risk=${s.options.risk} --technique=${s.options.technique} --dbms=${s.options.dbms} --threads=${s.options.threads} ${s.options.other}\`. ` +
      `\`--dbms\` limits DBMS-specific payloads to PostgreSQL (the only back end); all six techniques are on. sqlmap's detection phase is sequential whatever \`--threads\` says (threads serve data retrieval), so instead ${s.options.parallelProcesses} targets run at once. ` +
      '`--skip-waf`: sqlmap\'s WAF probe adds an unknown parameter, which the strict routes answer with 400, and sqlmap then reports a WAF that is not there. ' +
      '`*` marks custom injection points in URL paths and in bodies whose values sqlmap does not pick itself (nested JSON); JSON and form bodies are otherwise parsed by sqlmap into parameters. ' +
      'Level 3 also tests the User-Agent and Referer headers of every target that has no `*` marker. Lists and KPIs are filtered to periods that end before the scan, so the cases that the report targets create meanwhile do not change their answers.',
    '',
    '## Per target',
    '',
    '| target | covers | account | extra options | verdict | tested | requests | server status codes | time |',
    '|---|---|---|---|---|---|---|---|---|',
    ...s.targets.map((t) => `| ${t.name} | ${t.covers} | ${t.auth ?? '—'} | ${t.extra.length ? `\`${t.extra.join(' ')}\`` : '—'} | ${t.verdict === 'INJECTABLE' ? `**INJECTABLE**: ${t.injectable.join('; ')}` : t.verdict} | ${t.notInjectable.length + t.injectable.length} | ${t.requestsSent} | ${codes(t.serverStatus)} | ${t.seconds.toFixed(0)} s |`),
    '',
    `Server status codes over the whole scan (from the server's log, with the ${s.targets.length ? 'logins and fixture requests' : ''} made before it): ${codes(s.totals.serverStatus)}. ` +
      `Seen by the proxies: ${codes(s.totals.proxyStatus)} (414 comes from the router when a path parameter exceeds 100 characters, before any handler or log line).`,
    '',
  ];
  if (s.serverErrors.length || s.totals.server5xx) {
    lines.push('## Server errors', '');
    for (const e of s.serverErrors.slice(0, 20)) lines.push(`- ${e.url ?? e.reqId}: ${e.message}`);
    for (const t of s.targets) for (const x of t.samples5xx.slice(0, 5)) lines.push(`- ${t.name}: ${x.status} for ${x.method} ${x.url.slice(0, 300)} ${x.body ? `body ${x.body.slice(0, 200)}` : ''}`);
    lines.push('');
  }
  const noted = s.targets.filter((t) => t.notes.length || t.errors.length);
  if (noted.length) {
    lines.push('## sqlmap notes and errors', '',
      'Lines saying a parameter "appears to be … injectable" are sqlmap\'s candidates during detection; each is followed by its own false-positive check ' +
      '("false positive or unexploitable injection point detected"), and only a confirmed injection would make a verdict INJECTABLE. ' +
      '"Content is not stable": items pages carry a timeStamp, every report creates a new case, a case action moves the case on.', '');
    for (const t of noted) for (const n of [...t.notes, ...t.errors]) lines.push(`- ${t.name}: ${n}`);
    lines.push('');
  }
  lines.push('## Commands', '', 'The port is the per-target proxy\'s (a free one each run); tokens are shown as placeholders.', '');
  for (const t of s.targets) {
    lines.push(`### ${t.name}`, '', `Parameters found not injectable: ${t.notInjectable.join(', ') || '—'}. sqlmap's HTTP error summary: ${t.httpCodes ?? '—'}.`, '', '```sh', t.command, '```', '');
  }
  return lines.join('\n');
}
