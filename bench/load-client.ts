// The load generator of `npm run bench -- load`, in a child process so that its event loop is not the
// server's or the benchmark's (they still share the machine's cores). `tsx bench/load-client.ts CONFIG`:
// reads the run's configuration (LoadConfig) from the JSON file CONFIG, runs `clients` closed-loop
// clients — each its own keep-alive connection and its own X-Forwarded-For address, each sending its
// next request as soon as its last answer is in — and writes every request's kind, start, duration and
// status (and every case report's client_id and answer) to the file config.out.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export const KINDS = ['tile', 'nearest', 'grids/at', 'items', 'search', 'cases.list', 'cases.detail', 'cases.report'] as const;
export type Kind = (typeof KINDS)[number];

export interface ClientSpec {
  ip: string;
  role: string;
  token: string;
  /** Relative weight of each kind of request for this client (a kind it may not use has none). */
  weights: Partial<Record<Kind, number>>;
  /** Names of its pools of case-list and case-detail paths in LoadConfig.pools (a field worker's: their street's). */
  listPool: string;
  detailPool: string;
  /** Whether a report refused with 503 (or lost on the wire) is queued and re-sent with the same client_id, as the field app does. */
  retryReports: boolean;
}

export interface LoadConfig {
  base: string;
  /** Epoch ms: requests start then; those started before startAt + warmupS are not recorded. */
  startAt: number;
  warmupS: number;
  durationS: number;
  seed: number;
  out: string;
  clients: ClientSpec[];
  /** Paths per pool: 'nearest', 'grids/at', 'items', 'search', and the case pools the clients name. */
  pools: Record<string, string[]>;
  /** Map views ranked by popularity (the first the most asked for); each view shows cols × rows tiles from (x, y). */
  views: { z: number; x: number; y: number }[];
  viewSize: { cols: number; rows: number };
  /** Zipf exponent of the views' popularity. */
  zipf: number;
  layers: { id: string; weight: number; minzoom: number; maxzoom: number }[];
  /** Case reports: positions inside unit grids and item codes to choose from. */
  report: { points: [number, number][]; items: string[] };
}

export interface ReportRecord {
  client: number;
  client_id: string;
  attempt: number;
  t: number;
  ms: number;
  status: number;
  id?: number;
  created?: boolean;
}

export interface LoadOutput {
  /** Per recorded request: index into KINDS, start (epoch ms), duration (ms), HTTP status (0: no answer). */
  kind: number[];
  start: number[];
  ms: number[];
  status: number[];
  /** 1 when the request was the first of its tile in the run (a cache miss; later ones may miss too after an invalidation). */
  firstTile: number[];
  /** 503 answers without a Retry-After header. */
  noRetryAfter: number;
  /** Requests without an answer, by error code. */
  failures: Record<string, number>;
  /** Every case report sent (warm-up included), each attempt. */
  reports: ReportRecord[];
  /** Reports still queued for a retry when the run ended. */
  queuedAtEnd: number;
  /** Requests sent in all (warm-up included). */
  sent: number;
  /** CPU this process used while recording (ms, user + system). */
  cpuMs: number;
}

/** A small seeded PRNG (mulberry32), so every run asks the same things in the same order per client. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cdf(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
}
function pick(c: number[], r: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Answer { status: number; ms: number; body: Buffer | null; retryAfter: string | null; error?: string }

function send(agent: http.Agent, base: URL, method: string, path: string, headers: Record<string, string>, body: string | null, wantBody: boolean): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (wantBody) chunks.push(c); });
      res.on('end', () => {
        let out: Buffer | null = null;
        if (wantBody) {
          out = Buffer.concat(chunks);
          const enc = res.headers['content-encoding'];
          if (enc === 'br') out = brotliDecompressSync(out);
          else if (enc === 'gzip') out = gunzipSync(out);
        }
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: out, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null });
      });
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - t0, body: null, retryAfter: null, error: err.code ?? err.message }));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - t0, body: null, retryAfter: null, error: err.code ?? err.message }));
    req.end(body ?? undefined);
  });
}

export async function runLoad(cfg: LoadConfig): Promise<LoadOutput> {
  const base = new URL(cfg.base);
  const out: LoadOutput = { kind: [], start: [], ms: [], status: [], firstTile: [], noRetryAfter: 0, failures: {}, reports: [], queuedAtEnd: 0, sent: 0, cpuMs: 0 };
  const recordFrom = cfg.startAt + cfg.warmupS * 1000;
  const endAt = recordFrom + cfg.durationS * 1000;
  const now = () => performance.timeOrigin + performance.now();
  const viewCdf = cdf(cfg.views.map((_, r) => 1 / (r + 1) ** cfg.zipf));
  const seenTiles = new Set<string>();

  async function client(index: number, spec: ClientSpec): Promise<void> {
    const random = rng(cfg.seed * 1000 + index);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const kinds = KINDS.filter((k) => (spec.weights[k] ?? 0) > 0);
    const kindCdf = cdf(kinds.map((k) => spec.weights[k]!));
    const common = { 'x-forwarded-for': spec.ip, 'accept-encoding': 'br, gzip', 'user-agent': 'onemap-load-bench' };
    const authed = { ...common, authorization: `Bearer ${spec.token}` };
    const any = (pool: string) => { const p = cfg.pools[pool]; return p[Math.floor(random() * p.length)]; };
    const queue: { body: Record<string, unknown>; attempt: number; due: number }[] = [];
    while (now() < cfg.startAt) await new Promise((r) => setTimeout(r, Math.max(1, cfg.startAt - now())));
    // Clients start within the first second, not all in the same millisecond.
    await new Promise((r) => setTimeout(r, (index * 997) % 1000));
    while (now() < endAt) {
      const t = now();
      const retry = queue.length && queue[0].due <= t ? queue.shift()! : null;
      const kind: Kind = retry ? 'cases.report' : kinds[pick(kindCdf, random())];
      let answer: Answer;
      let firstTile = 0;
      if (kind === 'tile') {
        const view = cfg.views[pick(viewCdf, random())];
        const layers = cfg.layers.filter((l) => view.z >= l.minzoom && view.z <= l.maxzoom);
        const layer = layers[pick(cdf(layers.map((l) => l.weight)), random())];
        const path = `/tiles/${layer.id}/${view.z}/${view.x + Math.floor(random() * cfg.viewSize.cols)}/${view.y + Math.floor(random() * cfg.viewSize.rows)}.mvt`;
        if (!seenTiles.has(path)) { seenTiles.add(path); firstTile = 1; }
        answer = await send(agent, base, 'GET', path, common, null, false);
      } else if (kind === 'cases.report') {
        const report = retry ?? {
          attempt: 1, due: 0,
          body: {
            item_code: cfg.report.items[Math.floor(random() * cfg.report.items.length)],
            ...(([lon, lat]) => ({ lon, lat }))(cfg.report.points[Math.floor(random() * cfg.report.points.length)]),
            description: '负载测试上报 load-bench report', client_id: randomUUID(),
          },
        };
        answer = await send(agent, base, 'POST', '/api/cases', authed, JSON.stringify(report.body), true);
        const rec: ReportRecord = { client: index, client_id: report.body.client_id as string, attempt: report.attempt, t, ms: answer.ms, status: answer.status };
        if (answer.status === 200 || answer.status === 201) {
          try {
            rec.id = Number(JSON.parse(answer.body!.toString('utf8')).id);
            rec.created = answer.status === 201;
          } catch { /* an answer without a case: the check afterwards shows it */ }
        } else if (spec.retryReports && (answer.status === 503 || answer.status === 0)) {
          const after = Number(answer.retryAfter ?? 2);
          queue.push({ body: report.body, attempt: report.attempt + 1, due: now() + (Number.isFinite(after) ? after : 2) * 1000 });
        }
        out.reports.push(rec);
      } else if (kind === 'cases.list' || kind === 'cases.detail') {
        answer = await send(agent, base, 'GET', any(kind === 'cases.list' ? spec.listPool : spec.detailPool), authed, null, false);
      } else {
        answer = await send(agent, base, 'GET', any(kind), common, null, false);
      }
      out.sent++;
      if (answer.status === 503 && !answer.retryAfter) out.noRetryAfter++;
      if (answer.error) out.failures[answer.error] = (out.failures[answer.error] ?? 0) + 1;
      if (t >= recordFrom) {
        out.kind.push(KINDS.indexOf(kind));
        out.start.push(Math.round(t * 10) / 10);
        out.ms.push(Math.round(answer.ms * 100) / 100);
        out.status.push(answer.status);
        out.firstTile.push(firstTile);
      }
      // Lost on the wire: a phone would not hammer the server either. Told to come back later (503 with
      // Retry-After, 429): wait that long, less a random part so that 200 clients do not return in one instant.
      const told = answer.status === 503 || answer.status === 429 ? Number(answer.retryAfter) : NaN;
      const pause = Number.isFinite(told) && told > 0 ? told * 1000 * (0.5 + 0.5 * random()) : answer.status === 0 ? 100 : 0;
      if (pause) await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(0, endAt - now()))));
    }
    out.queuedAtEnd += queue.length;
    agent.destroy();
  }

  let cpuFrom = process.cpuUsage();
  const mark = setTimeout(() => { cpuFrom = process.cpuUsage(); }, Math.max(0, recordFrom - now()));
  await Promise.all(cfg.clients.map((spec, i) => client(i, spec)));
  clearTimeout(mark);
  const cpu = process.cpuUsage(cpuFrom);
  out.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  return out;
}

if (process.argv[1]?.endsWith('load-client.ts')) {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadConfig;
  const result = await runLoad(cfg);
  writeFileSync(cfg.out, JSON.stringify(result));
  process.exit(0);
}
