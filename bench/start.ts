// `npm start` before and after it ran built JavaScript: the old start command (`tsx scripts/start.ts`, the
// TypeScript loader transpiling every module at start) and the new one (`node scripts/start.mjs` running
// dist-server/), alternately, on the same database (DATABASE_URL, else the app's own). Measured per start:
// time to the "is running" line (listening), to the first /api/health 200, and the resident memory of the
// start's processes (the server and, for tsx, its launcher) once healthy and after a short warm load.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureServer, repoRoot } from '../scripts/db.ts';
import { arg, loadAverage, machine, writeResults } from './shared.ts';
import { anyFreePort as freePort } from '../server/ports.ts';

const COMMANDS = {
  tsx: [path.join(repoRoot, 'node_modules', '.bin', 'tsx'), 'scripts/start.ts'],
  built: [process.execPath, 'scripts/start.mjs'],
} as const;
type Mode = keyof typeof COMMANDS;

interface Start { mode: Mode; listeningMs: number; healthMs: number; rssMb: number; rssAfterLoadMb: number }

/** Resident memory of `pid` and every process under it, in MB. */
function treeRssMb(pid: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone meanwhile */ }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, pp] of parent) if (!tree.has(p) && tree.has(pp)) { tree.add(p); grew = true; }
  }
  let kb = 0;
  for (const p of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone meanwhile */ }
  }
  return Math.round(kb / 102.4) / 10;
}

async function startOnce(mode: Mode, databaseUrl: string): Promise<Start> {
  const port = await freePort();
  const [cmd, ...args] = COMMANDS[mode];
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  let listeningMs = 0;
  child.stdout.on('data', (d: Buffer) => {
    if (!listeningMs && d.toString().includes('is running')) listeningMs = performance.now() - t0;
  });
  let healthMs = 0;
  const base = `http://127.0.0.1:${port}`;
  while (!healthMs) {
    if (child.exitCode !== null) throw new Error(`${mode} start exited with ${child.exitCode}`);
    if ((await fetch(`${base}/api/health`).then((r) => r.status, () => 0)) === 200) healthMs = performance.now() - t0;
    else await new Promise((r) => setTimeout(r, 10));
  }
  const rssMb = treeRssMb(child.pid!);
  // A little of what a map asks for: tiles of each zoom and an items page.
  for (let i = 0; i < 40; i++) {
    const z = 12 + (i % 5);
    const n = 2 ** z;
    await (await fetch(`${base}/tiles/cases/${z}/${Math.floor(((114.31 + 180) / 360) * n) + (i % 3)}/${Math.floor(0.4152 * n)}.mvt`)).arrayBuffer();
    await (await fetch(`${base}/api/collections/cases/items?limit=100&offset=0&bbox=114.3,30.5,114.35,30.6`)).arrayBuffer();
  }
  const rssAfterLoadMb = treeRssMb(child.pid!);
  child.kill('SIGTERM');
  await exited;
  return { mode, listeningMs: Math.round(listeningMs), healthMs: Math.round(healthMs), rssMb, rssAfterLoadMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(args: string[]): Promise<void> {
  const rounds = arg(args, 'rounds', 3);
  const databaseUrl = process.env.DATABASE_URL ?? (await ensureServer()).url;
  // The build itself is timed apart: `npm start` does it only when the sources changed.
  const b0 = performance.now();
  if (spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  const buildMs = Math.round(performance.now() - b0);
  const loadBefore = loadAverage();
  const starts: Start[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['tsx', 'built'] as Mode[]) {
      const s = await startOnce(mode, databaseUrl);
      console.log(`[start] ${mode}: listening ${s.listeningMs} ms, health ${s.healthMs} ms, ${s.rssMb} MB, ${s.rssAfterLoadMb} MB after load`);
      starts.push(s);
    }
  }
  const loadAfter = loadAverage();
  const of = (mode: Mode, k: 'listeningMs' | 'healthMs' | 'rssMb' | 'rssAfterLoadMb') => median(starts.filter((s) => s.mode === mode).map((s) => s[k]));
  const ratio = (k: 'listeningMs' | 'healthMs' | 'rssMb' | 'rssAfterLoadMb') => +(of('tsx', k) / of('built', k)).toFixed(2);
  const md = [
    `# npm start: TypeScript loader vs built JavaScript (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${machine()}; load average before ${loadBefore.join(' / ')}, after ${loadAfter.join(' / ')} (other work shares the cores).`,
    `Each start on a migrated, seeded database (nothing to migrate or seed; the frontend already built), ${rounds} rounds alternately.`,
    `Memory: resident set of the start's processes (tsx runs the server in a child of its own launcher), once healthy and after 40 tiles and 40 items pages.`,
    `Building dist-server/ (esbuild, whole): ${buildMs} ms, done by \`npm start\` only when a source is newer than the last build.`,
    '',
    '| start | listening ms | first /api/health 200 ms | RSS MB | RSS after load MB |',
    '|---|---|---|---|---|',
    ...starts.map((s) => `| ${s.mode === 'tsx' ? 'before: tsx scripts/start.ts' : 'after: node scripts/start.mjs'} | ${s.listeningMs} | ${s.healthMs} | ${s.rssMb} | ${s.rssAfterLoadMb} |`),
    '',
    `Medians: listening ${of('tsx', 'listeningMs')} → ${of('built', 'listeningMs')} ms (${ratio('listeningMs')}×), health ${of('tsx', 'healthMs')} → ${of('built', 'healthMs')} ms (${ratio('healthMs')}×),`,
    `memory ${of('tsx', 'rssMb')} → ${of('built', 'rssMb')} MB (${ratio('rssMb')}×), after load ${of('tsx', 'rssAfterLoadMb')} → ${of('built', 'rssAfterLoadMb')} MB (${ratio('rssAfterLoadMb')}×).`,
    '',
  ].join('\n');
  writeResults('start', { date: new Date().toISOString(), machine: machine(), loadBefore, loadAfter, buildMs, starts }, md);
  console.log(md);
}
