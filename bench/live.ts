// `npm run bench -- live`: the delay from an ingest request to the event arriving in a page, with 100
// open pages and 1,000 observations a second (batches of 100 every 100 ms, through the HTTP ingest API).
// 99 pages are SSE clients in a child process (so their parsing does not share the server's event
// loop); one is a real Chromium page with an EventSource. The reading's own time `t` is the moment its
// request was sent, so each page measures delay = arrival − t on the machine's one clock. Values are each
// stream's last value, so no threshold fires and the run measures the live path alone.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import pg from 'pg';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { buildApp } from '../server/app.ts';
import { percentile } from './stats.ts';

const PAGES = 100;
const RATE = 1000;
const BATCH = 100;
const SECONDS = 15;

// The SSE clients: each reads /api/live and records arrival − t for every observation (ms).
const CLIENTS = `
const [url, n, seconds] = process.argv.slice(1);
// A histogram in ms (the clients see ~10^6 events; an array of them would not fit a pipe write).
const hist = new Uint32Array(60001);
let events = 0;
const stop = Date.now() + Number(seconds) * 1000;
async function client() {
  const res = await fetch(url);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  while (Date.now() < stop) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\\n\\n')) >= 0) {
      const block = buf.slice(0, i); buf = buf.slice(i + 2);
      const at = Date.now();
      const data = block.split('\\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const t = Date.parse(JSON.parse(data.slice(6)).t);
      events++;
      if (t > 0) hist[Math.max(0, Math.min(60000, at - t))]++;
    }
  }
  reader.cancel().catch(() => {});
}
Promise.all(Array.from({ length: Number(n) }, client)).then(() => {
  const total = hist.reduce((a, b) => a + b, 0);
  const pct = (p) => { let acc = 0; for (let i = 0; i < hist.length; i++) { acc += hist[i]; if (acc >= Math.ceil(p / 100 * total)) return i; } return null; };
  const out = JSON.stringify({ events, n: total, p50: pct(50), p95: pct(95), p99: pct(99), max: pct(100) });
  process.stdout.write(out, () => process.exit(0));
});
`;


export async function run() {
  const { url } = await ensureServer();
  const dbUrl = adminUrl(url, 'wuchang');
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await migrate(db);
  const { rows: streams } = await db.query<{ id: number; v: number }>('SELECT id, coalesce(last_value, 0) AS v FROM datastreams ORDER BY id LIMIT $1', [BATCH]);
  const ingestKey = randomBytes(24).toString('hex');
  const server = await buildApp({ databaseUrl: dbUrl, ingestKey });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const liveUrl = `${base}/api/live?kinds=observation`;

  // Pages: 99 in the child process, 1 in Chromium.
  const child = spawn(process.execPath, ['-e', CLIENTS, liveUrl, String(PAGES - 1), String(SECONDS + 4)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b) => { out += b; });
  const childDone = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  const page = await browser.newPage();
  await page.goto(`${base}/api/docs`);
  await page.evaluate((u) => {
    const w = window as unknown as { delays: number[]; es: EventSource };
    w.delays = [];
    w.es = new EventSource(u);
    w.es.addEventListener('observation', (e) => { w.delays.push(Date.now() - Date.parse(JSON.parse((e as MessageEvent).data).t)); });
  }, '/api/live?kinds=observation');
  await new Promise((r) => setTimeout(r, 2000));
  const connected = server.hub.size;

  // The feed: 1,000 readings a second on a fixed schedule (a slow answer does not delay the next batch,
  // as with a real feed), each request timed too.
  const post: number[] = [];
  const inflight: Promise<void>[] = [];
  const start = Date.now();
  let sent = 0;
  for (let k = 0; Date.now() - start < SECONDS * 1000; k++) {
    const due = start + k * (1000 * BATCH) / RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const t = new Date().toISOString();
    const body = JSON.stringify(streams.map((s) => ({ datastream_id: s.id, t, value: s.v })));
    const t0 = performance.now();
    sent += streams.length;
    inflight.push(fetch(`${base}/api/ingest/observations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ingest-key': ingestKey }, body })
      .then(async (res) => {
        await res.arrayBuffer();
        post.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
      }));
  }
  await Promise.all(inflight);
  const elapsed = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 1500));
  const browserDelays = await page.evaluate(() => (window as unknown as { delays: number[] }).delays);
  await browser.close();
  await childDone;
  const clients = JSON.parse(out) as { events: number; n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null };
  const dropped = server.hub.stats.dropped;
  await server.close();
  // Leave the dev database as it was: the bench's readings are not data.
  const first = new Date(start - 1000).toISOString();
  await db.query('DELETE FROM observations WHERE datastream_id = ANY($1) AND t >= $2', [streams.map((s) => s.id), first]);
  await db.end();

  const stats = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99), max: percentile(xs, 100) });
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB; server, 99 SSE clients (child process) and Chromium on the same machine`,
    pages: PAGES, connected, rate: Math.round(sent / elapsed), seconds: elapsed, sent, dropped,
    sseClients: clients,
    browser: stats(browserDelays),
    ingestRequest: stats(post.map((x) => Math.round(x * 10) / 10)),
  };
  console.log('[bench]', JSON.stringify(result, null, 1));
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  writeFileSync(path.join(dir, `live-${stamp}.json`), JSON.stringify(result, null, 2));
  const row = (name: string, s: { n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null }) => `| ${name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} |`;
  writeFileSync(path.join(dir, `live-${stamp}.md`), `# Live benchmark ${stamp}\n\n${result.machine}. ${PAGES} open pages (${connected} connected), ${result.rate} observations/s for ${elapsed.toFixed(1)} s (${sent} readings in batches of ${BATCH} through POST /api/ingest/observations). Delay = arrival in the page − the time the reading's request was sent. Target: p95 < 500 ms.\n\n` +
    `| measured at | events | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n${row(`99 SSE clients (all events; expected ${sent * (PAGES - 1)})`, result.sseClients)}\n${row('Chromium page (EventSource)', result.browser)}\n${row('ingest request (100 readings)', result.ingestRequest)}\n\n` +
    `Pages dropped for not keeping up: ${dropped}. p95 target: **${(result.browser.p95 ?? Infinity) < 500 && (result.sseClients.p95 ?? Infinity) < 500 ? 'met' : 'missed'}**.\n`);
  console.log(`[bench] written to bench/results/live-${stamp}.{json,md}`);
}
