// `npm run bench -- soak [--minutes 20]`: the wall left running under the rainstorm feed. The server runs
// in this process, the wall page in Chromium, `npm run simulate` in a child process (any process's
// writes reach the page); every 30 s the page's and the server's JS heap are measured after a garbage
// collection. A leak shows as a heap that keeps growing; a flat line is the target.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { adminUrl, ensureServer, repoRoot } from '../scripts/db.ts';
import { buildApp } from '../server/app.ts';

export async function run(args: string[]) {
  const i = args.indexOf('--minutes');
  const minutes = i >= 0 ? Number(args[i + 1]) : 20;
  const { url } = await ensureServer();
  const dbUrl = adminUrl(url, 'wuchang');
  const server = await buildApp({ databaseUrl: dbUrl });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const sim = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/simulate.ts'), '--minutes', String(minutes + 1), '--tick', '2'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATABASE_URL: dbUrl } });
  sim.stdout.resume();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--js-flags=--expose-gc'] });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${base}/wall?interval=20`);
  const samples: { minute: number; pageMB: number; serverMB: number; sseClients: number; events: number }[] = [];
  const t0 = Date.now();
  const serverGc = (globalThis as { gc?: () => void }).gc;
  for (;;) {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    serverGc?.();
    const minute = Math.round((Date.now() - t0) / 600) / 100;
    samples.push({ minute, pageMB: Math.round(usedSize / 1024 / 102.4) / 10, serverMB: Math.round(process.memoryUsage().heapUsed / 1024 / 102.4) / 10, sseClients: server.hub.size, events: server.hub.stats.broadcast });
    console.log(`[soak] ${minute} min: page heap ${samples.at(-1)!.pageMB} MB, server heap ${samples.at(-1)!.serverMB} MB, ${server.hub.stats.broadcast} events`);
    if (Date.now() - t0 >= minutes * 60_000) break;
    await new Promise((r) => setTimeout(r, 30_000));
  }
  sim.kill();
  await browser.close();
  await server.close();
  const first = samples[Math.min(2, samples.length - 1)];
  const last = samples[samples.length - 1];
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB`;
  writeFileSync(path.join(dir, `soak-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), machine, minutes, samples }, null, 2));
  writeFileSync(path.join(dir, `soak-${stamp}.md`), `# Soak: the wall under the rainstorm feed ${stamp}\n\n${machine}. /wall at 1920×1080 in Chromium for ${minutes} min while \`npm run simulate\` (rainstorm, a tick every 2 s: ~440 readings, 120 positions, camera changes) writes from another process. Heap after a forced GC every 30 s. ${server.hub.stats.broadcast} live events delivered.\n\n` +
    `From minute ${first.minute} to ${last.minute}: page heap ${first.pageMB} → ${last.pageMB} MB, server heap ${first.serverMB} → ${last.serverMB} MB.\n\n| minute | page heap MB | server heap MB | events sent |\n|---|---|---|---|\n` +
    samples.map((s) => `| ${s.minute} | ${s.pageMB} | ${s.serverMB} | ${s.events} |`).join('\n') + '\n');
  console.log(`[soak] written to bench/results/soak-${stamp}.{json,md}`);
}
