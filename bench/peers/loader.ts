// The clients of `npm run bench -- peers`, in a child process so that their event loop is neither our
// server's nor the parent's. `tsx bench/peers/loader.ts CONFIG`: reads a LoadConfig from the JSON file
// CONFIG, runs `clients` keep-alive clients that each send one request at a time, and writes a LoadOutput
// to config.out. `once`: every path exactly once, shared among the clients in order (a cold pass);
// otherwise the paths round-robin for `durationS` seconds or until `maxRequests` were sent.
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { percentile } from '../stats.ts';

export interface LoadConfig {
  base: string;
  paths: string[];
  clients: number;
  once: boolean;
  durationS: number;
  maxRequests: number;
  timeoutMs: number;
  out: string;
}

export interface LoadOutput {
  requests: number;
  ok: number;
  /** Answers other than 200/204, by status (0: no answer), with the first error seen. */
  failed: Record<string, number>;
  firstError?: string;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  /** Mean bytes on the wire per successful answer (compressed when the server compressed it). */
  meanBytes: number;
  /** Each successful answer's time (ms), so that several runs can be summed up as one (a cold pass in rounds). */
  latencies: number[];
}

function get(agent: http.Agent, base: URL, p: string, timeoutMs: number): Promise<{ status: number; bytes: number; error?: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: base.hostname, port: base.port, agent, path: p, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', (e) => resolve({ status: 0, bytes, error: String(e) }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ status: 0, bytes: 0, error: String(e) }));
    req.end();
  });
}

async function main(file: string) {
  const cfg = JSON.parse(readFileSync(file, 'utf8')) as LoadConfig;
  const base = new URL(cfg.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.clients });
  const lat: number[] = [];
  const failed: Record<string, number> = {};
  let firstError: string | undefined;
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  const until = t0 + cfg.durationS * 1000;
  const more = () => (cfg.once ? next < cfg.paths.length : performance.now() < until && next < cfg.maxRequests);
  await Promise.all(Array.from({ length: cfg.clients }, async () => {
    while (more()) {
      const p = cfg.paths[next++ % cfg.paths.length];
      const s = performance.now();
      const r = await get(agent, base, p, cfg.timeoutMs);
      if (r.status === 200 || r.status === 204) {
        lat.push(performance.now() - s);
        bytes += r.bytes;
      } else {
        failed[r.status] = (failed[r.status] ?? 0) + 1;
        firstError ??= `${r.status} ${r.error ?? ''} ${p}`.trim();
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const out: LoadOutput = {
    requests: next, ok: lat.length, failed, firstError, seconds: +seconds.toFixed(2),
    rps: +(lat.length / seconds).toPrecision(3),
    p50: +(percentile(lat, 50) ?? 0).toFixed(2), p95: +(percentile(lat, 95) ?? 0).toFixed(2),
    meanBytes: Math.round(bytes / Math.max(1, lat.length)), latencies: lat,
  };
  writeFileSync(cfg.out, JSON.stringify(out));
}

await main(process.argv[2]);
