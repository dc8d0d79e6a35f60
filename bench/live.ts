// `npm run bench -- live`: the delay from an ingest request to the event arriving in a page, with 100
// open pages and 1,000 observations a second (batches of 100 every 100 ms, through the HTTP ingest API),
// first alone (the baseline) and then with 1,000 positions a second of people and devices on top: field
// workers each posting their fix as the field app does (POST /api/personnel/me/position, its session) and
// the device feed's batches (POST /api/ingest/devices). The pages are a dispatcher's, which hear both.
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
import { adminUrl, DB_NAME, ensureServer, repoRoot } from '../scripts/db.ts';
import { migrate } from '../server/db/migrate.ts';
import { buildApp } from '../server/app.ts';
import { benchPeople, type BenchPeople } from './live-people.ts';
import { percentile } from './stats.ts';

const PAGES = 100;
const RATE = 1000;
const BATCH = 100;
const SECONDS = 15;
/** Positions a second: field workers at the field app's 10 s interval, and devices in the feed's batches. */
const STAFF = 2000;
const STAFF_EVERY_MS = 10_000;
const DEVICES = 800;
const POSITION_KINDS = 'staff_position,device_position';

// The SSE clients: each reads /api/live and records arrival − t for every observation (ms).
const CLIENTS = `
const [url, n, seconds, auth] = process.argv.slice(1);
// Histograms in ms, readings and positions apart (the clients see ~10^6 events; an array of them would not fit a pipe write).
const hists = { observation: new Uint32Array(60001), position: new Uint32Array(60001) };
let events = 0;
const stop = Date.now() + Number(seconds) * 1000;
async function client() {
  const res = await fetch(url, { headers: auth ? { authorization: 'Bearer ' + auth } : {} });
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
      const lines = block.split('\\n');
      const data = lines.find((l) => l.startsWith('data: '));
      if (!data) continue;
      const hist = lines.includes('event: observation') ? hists.observation : hists.position;
      const t = Date.parse(JSON.parse(data.slice(6)).t);
      events++;
      if (t > 0) hist[Math.max(0, Math.min(60000, at - t))]++;
    }
  }
  reader.cancel().catch(() => {});
}
const summary = (hist) => {
  const total = hist.reduce((a, b) => a + b, 0);
  const pct = (p) => { let acc = 0; for (let i = 0; i < hist.length; i++) { acc += hist[i]; if (acc >= Math.ceil(p / 100 * total)) return i; } return null; };
  return { n: total, p50: pct(50), p95: pct(95), p99: pct(99), max: pct(100) };
};
Promise.all(Array.from({ length: Number(n) }, client)).then(() => {
  const out = JSON.stringify({ events, observation: summary(hists.observation), position: summary(hists.position) });
  process.stdout.write(out, () => process.exit(0));
});
`;


type Stats = { n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null };
const stats = (xs: number[]): Stats => ({ n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99), max: percentile(xs, 100) });
const round = (xs: number[]) => xs.map((x) => Math.round(x * 10) / 10);

interface Phase {
  name: string; connected: number; seconds: number; readings: number; positions: number; dropped: number; failures: Record<string, number>;
  sse: { events: number; observation: Stats; position: Stats };
  browser: { observation: Stats; position: Stats };
  requests: { readings: Stats; devices: Stats; staff: Stats };
}

/** One run: pages open (a dispatcher's: anonymous streams are few per address), the feeds post on a fixed schedule (a slow answer does not delay the next), delays gathered. */
async function phase(name: string, base: string, ingestKey: string, streams: { id: number; v: number }[], viewer: string, people: BenchPeople | null, hub: { readonly size: number; readonly stats: { dropped: number } }): Promise<Phase> {
  const droppedBefore = hub.stats.dropped;
  const kinds = people ? `observation,${POSITION_KINDS}` : 'observation';
  const liveUrl = `${base}/api/live?kinds=${kinds}`;
  const child = spawn(process.execPath, ['-e', CLIENTS, liveUrl, String(PAGES - 1), String(SECONDS + 4), viewer], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b) => { out += b; });
  const childDone = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  const context = await browser.newContext();
  await context.addCookies([{ name: 'onemap_session', value: viewer, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/api/docs`);
  await page.evaluate((u) => {
    const w = window as unknown as { delays: { observation: number[]; position: number[] }; es: EventSource };
    w.delays = { observation: [], position: [] };
    w.es = new EventSource(u);
    // No named function in here: tsx would wrap it in a helper the page does not have.
    for (const [kind, into] of [['observation', w.delays.observation], ['staff_position', w.delays.position], ['device_position', w.delays.position]] as const) {
      w.es.addEventListener(kind, (e) => { into.push(Date.now() - Date.parse(JSON.parse((e as MessageEvent).data).t)); });
    }
  }, `/api/live?kinds=${kinds}`);
  // Every page connected (the child's start takes longer on a loaded machine), or 20 s.
  for (let i = 0; i < 200 && hub.size < PAGES; i++) await new Promise((r) => setTimeout(r, 100));
  const connected = hub.size;

  const took = { readings: [] as number[], devices: [] as number[], staff: [] as number[] };
  const failures: Record<string, number> = {};
  const failed = (why: string) => { failures[why] = (failures[why] ?? 0) + 1; };
  const inflight: Promise<void>[] = [];
  const send = (path: string, headers: Record<string, string>, body: unknown, into: number[]) => {
    const t0 = performance.now();
    inflight.push(fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
      .then(async (res) => { await res.arrayBuffer(); into.push(performance.now() - t0); if (res.status !== 200) failed(`${path} ${res.status}`); }, (err: Error) => { failed(`${path} ${err.message}`); }));
  };
  const feed = { 'x-ingest-key': ingestKey };
  const start = Date.now();
  let readings = 0; let positions = 0;
  // Each field worker's first fix at a random offset in the interval, as phones that came on duty at different times.
  const staffDue = people ? people.staffTokens.map((_, i) => start + ((i * 7919) % STAFF_EVERY_MS)) : [];
  const [cx, cy] = people?.centre ?? [0, 0];
  const spot = (i: number, k: number) => ({ lon: cx + 0.01 * Math.sin(i + k / 50), lat: cy + 0.01 * Math.cos(i * 1.3 + k / 50) });
  for (let k = 0; Date.now() - start < SECONDS * 1000; k++) {
    const due = start + k * (1000 * BATCH) / RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const t = new Date().toISOString();
    send('/api/ingest/observations', feed, streams.map((s) => ({ datastream_id: s.id, t, value: s.v })), took.readings);
    readings += streams.length;
    if (!people) continue;
    // The device feed: every device once a second, a tenth of them in each 100 ms batch.
    const batch = people.deviceIds.filter((_, i) => i % 10 === k % 10);
    send('/api/ingest/devices', feed, batch.map((id) => ({ device_id: id, t, ...spot(id, k) })), took.devices);
    positions += batch.length;
    // The field workers whose fix is due: one request each, with their own session.
    const now = Date.now();
    people.staffTokens.forEach((tok, i) => {
      if (staffDue[i] > now) return;
      staffDue[i] += STAFF_EVERY_MS;
      send('/api/personnel/me/position', { authorization: `Bearer ${tok}` }, { t, ...spot(i, k) }, took.staff);
      positions++;
    });
  }
  await Promise.all(inflight);
  const seconds = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 1500));
  const delays = await page.evaluate(() => (window as unknown as { delays: { observation: number[]; position: number[] } }).delays);
  await browser.close();
  await childDone;
  const sse = JSON.parse(out) as Phase['sse'];
  return {
    name, connected, seconds, readings, positions, failures, dropped: hub.stats.dropped - droppedBefore, sse,
    browser: { observation: stats(delays.observation), position: stats(delays.position) },
    requests: { readings: stats(round(took.readings)), devices: stats(round(took.devices)), staff: stats(round(took.staff)) },
  };
}

export async function run() {
  const { url } = await ensureServer();
  const dbUrl = adminUrl(url, DB_NAME);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await migrate(db);
  const { rows: streams } = await db.query<{ id: number; v: number }>('SELECT id, coalesce(last_value, 0) AS v FROM datastreams ORDER BY id LIMIT $1', [BATCH]);
  const ingestKey = randomBytes(24).toString('hex');
  const server = await buildApp({ databaseUrl: dbUrl, ingestKey });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const people = await benchPeople(db, STAFF, DEVICES);
  const began = new Date(Date.now() - 1000).toISOString();
  const load = os.loadavg()[0];
  const phases: Phase[] = [];
  try {
    for (const [name, who] of [['baseline: readings alone', null], ['readings + positions', people]] as const) {
      phases.push(await phase(name, base, ingestKey, streams, people.dispatcherToken, who, server.hub));
    }
  } finally {
    await server.close();
    // Leave the dev database as it was: the bench's readings, people and devices are not data.
    await db.query('DELETE FROM observations WHERE datastream_id = ANY($1) AND t >= $2', [streams.map((s) => s.id), began]);
    await people.remove();
    await db.end();
  }

  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB; server, 99 SSE clients (child process) and Chromium on the same machine; load average ${load.toFixed(1)} at the start (other work shares the cores)`,
    pages: PAGES, staff: STAFF, devices: DEVICES, phases,
  };
  console.log('[bench]', JSON.stringify(result, null, 1));
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  writeFileSync(path.join(dir, `live-${stamp}.json`), JSON.stringify(result, null, 2));
  writeFileSync(path.join(dir, `live-${stamp}.md`), report(result, stamp));
  console.log(`[bench] written to bench/results/live-${stamp}.{json,md}`);
}

const row = (name: string, s: Stats) => `| ${name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} |`;
const ratio = (a: number | null, b: number | null) => (a && b ? (a / b).toFixed(2) : '–');

function report(r: { machine: string; phases: Phase[] }, stamp: string): string {
  const [base, both] = r.phases;
  const met = both.sse.observation.p95! < 500 && both.sse.position.p95! < 500 && both.browser.observation.p95! < 500 && both.browser.position.p95! < 500;
  const section = (p: Phase) => `## ${p.name}

${p.connected} pages connected; ${Math.round(p.readings / p.seconds)} readings/s and ${Math.round(p.positions / p.seconds)} positions/s for ${p.seconds.toFixed(1)} s; failed requests ${JSON.stringify(p.failures)}; pages dropped for not keeping up ${p.dropped}.

` +
    `| measured at | events | p50 ms | p95 ms | p99 ms | max ms |
|---|---|---|---|---|---|
` +
    `${row('99 SSE clients: readings', p.sse.observation)}
${p.positions ? `${row('99 SSE clients: positions', p.sse.position)}
` : ''}` +
    `${row('Chromium page: readings', p.browser.observation)}
${p.positions ? `${row('Chromium page: positions', p.browser.position)}
` : ''}` +
    `${row('request: 100 readings', p.requests.readings)}
${p.positions ? `${row('request: 80 device reports', p.requests.devices)}
${row('request: one field worker\'s fix', p.requests.staff)}
` : ''}
`;
  return `# Live benchmark ${stamp}

${r.machine}. ${PAGES} open pages (a dispatcher's, which hear positions of people and devices). Delay = arrival in the page − the time the request was sent. Target: p95 < 500 ms.

` +
    section(base) + section(both) +
    `## Ratio (same process, positions on / baseline)

Readings' p95 in the SSE clients ${ratio(both.sse.observation.p95, base.sse.observation.p95)}×, in Chromium ${ratio(both.browser.observation.p95, base.browser.observation.p95)}×; the readings request's p95 ${ratio(both.requests.readings.p95, base.requests.readings.p95)}×.

` +
    `p95 target with positions: **${met ? 'met' : 'missed'}**.
`;
}
