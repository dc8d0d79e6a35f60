// The clients of `npm run bench -- hostile`, in a child process so that their event loop is not the
// server's. `tsx bench/hostile-client.ts CONFIG`: reads a HostileConfig from the JSON file CONFIG and runs
//   - one normal client: one keep-alive connection, one request at a time (tiles, an items page, nearest,
//     details, in a fixed order), recording each request's time and status after the warm-up;
//   - `hostile.clients` hostile clients (none in the quiet phase), each its own X-Forwarded-For address
//     with `hostile.loops` requests in flight at once, cycling through the expensive requests, and
//     `hostile.streams` live streams asking to replay from an old event id, reopened whenever they end.
// A refused hostile request (429/503) waits its Retry-After when `honourRetryAfter`, else goes again at once.
// Writes a HostileOutput to config.out.
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';

export interface BenchRequest { kind: string; method?: 'GET' | 'POST'; path: string; body?: string }

export interface HostileConfig {
  base: string;
  warmupS: number;
  durationS: number;
  normal: { ip: string; requests: BenchRequest[] };
  hostile: { clients: number; loops: number; streams: number; ipPrefix: string; requests: BenchRequest[]; livePath: string; lastEventId: string };
  honourRetryAfter: boolean;
  out: string;
}

export interface HostileOutput {
  /** The normal client's recorded requests: kind, duration (ms), status (0: no answer). */
  normal: { kind: string; ms: number; status: number }[];
  /** Hostile answers per kind and status (warm-up included), and their total time in ms per kind. */
  hostile: Record<string, Record<string, number>>;
  hostileMs: Record<string, number>;
  /** Live streams: opened (200), refused (by status), bytes read. */
  streams: { opened: number; refused: Record<string, number>; bytes: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(agent: http.Agent, base: URL, ip: string, r: BenchRequest): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve) => {
    const req = http.request({
      host: base.hostname, port: base.port, agent, method: r.method ?? 'GET', path: r.path,
      headers: { 'x-forwarded-for': ip, 'accept-encoding': 'br, gzip', ...(r.body ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
      res.on('error', () => resolve({ status: 0, retryAfter: 0 }));
    });
    req.on('error', () => resolve({ status: 0, retryAfter: 0 }));
    req.setTimeout(120_000, () => req.destroy());
    req.end(r.body);
  });
}

async function main() {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as HostileConfig;
  const base = new URL(cfg.base);
  const start = Date.now();
  const recordFrom = start + cfg.warmupS * 1000;
  const end = recordFrom + cfg.durationS * 1000;
  const out: HostileOutput = { normal: [], hostile: {}, hostileMs: {}, streams: { opened: 0, refused: {}, bytes: 0 } };
  const agents: http.Agent[] = [];
  const live: http.ClientRequest[] = [];

  const normal = (async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    for (let i = 0; Date.now() < end; i++) {
      const r = cfg.normal.requests[i % cfg.normal.requests.length];
      const t0 = performance.now();
      const { status } = await send(agent, base, cfg.normal.ip, r);
      if (Date.now() >= recordFrom) out.normal.push({ kind: r.kind, ms: +(performance.now() - t0).toFixed(2), status });
    }
  })();

  const hostileLoop = async (agent: http.Agent, ip: string, offset: number) => {
    for (let i = offset; Date.now() < end; i++) {
      const r = cfg.hostile.requests[i % cfg.hostile.requests.length];
      const t0 = performance.now();
      const { status, retryAfter } = await send(agent, base, ip, r);
      if (Date.now() >= end) return;
      const byStatus = (out.hostile[r.kind] ??= {});
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      out.hostileMs[r.kind] = (out.hostileMs[r.kind] ?? 0) + (performance.now() - t0);
      if ((status === 429 || status === 503) && cfg.honourRetryAfter) await sleep(Math.min(retryAfter || 1, 5) * 1000);
    }
  };

  const stream = async (ip: string) => {
    while (Date.now() < end) {
      const answer = await new Promise<{ status: number; retryAfter: number }>((resolve) => {
        const req = http.get({ host: base.hostname, port: base.port, path: cfg.hostile.livePath, agent: false, headers: { 'x-forwarded-for': ip, 'last-event-id': cfg.hostile.lastEventId } }, (res) => {
          if (res.statusCode === 200) out.streams.opened++;
          else out.streams.refused[res.statusCode ?? 0] = (out.streams.refused[res.statusCode ?? 0] ?? 0) + 1;
          res.on('data', (d: Buffer) => { out.streams.bytes += d.length; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
          res.on('error', () => resolve({ status: res.statusCode ?? 0, retryAfter: 0 }));
          res.on('close', () => resolve({ status: res.statusCode ?? 0, retryAfter: 0 }));
        });
        req.on('error', () => resolve({ status: 0, retryAfter: 0 }));
        live.push(req);
        // A hostile page does not stay to listen: it reconnects to be sent the replay again.
        setTimeout(() => req.destroy(), 2000);
      });
      if (answer.status !== 200) await sleep(cfg.honourRetryAfter ? Math.min(answer.retryAfter || 1, 10) * 1000 : 100);
    }
  };

  const hostile: Promise<void>[] = [];
  for (let c = 0; c < cfg.hostile.clients; c++) {
    const ip = `${cfg.hostile.ipPrefix}.${c + 1}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.hostile.loops });
    agents.push(agent);
    for (let l = 0; l < cfg.hostile.loops; l++) hostile.push(hostileLoop(agent, ip, c * cfg.hostile.loops + l));
    for (let s = 0; s < cfg.hostile.streams; s++) hostile.push(stream(ip));
  }
  await normal;
  // Whatever hostile requests are still out are abandoned (the server goes on with them until they end).
  for (const req of live) req.destroy();
  for (const a of agents) a.destroy();
  await Promise.race([Promise.all(hostile), sleep(1000)]);
  writeFileSync(cfg.out, JSON.stringify(out));
  process.exit(0);
}

await main();
