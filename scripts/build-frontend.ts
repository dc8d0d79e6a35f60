// Builds the frontend when dist/ is missing or older than its sources (npm start and the e2e tests).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './db.ts';

function newest(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}

export function buildFrontend(): void {
  const index = path.join(repoRoot, 'dist', 'index.html');
  // server/ too: the browser code takes rules and limits from server/domain and the contracts in common/
  // import from server/, so a server change can change (or break) the bundle.
  const inputs = ['src', 'common', 'server', 'index.html', 'vite.config.ts'].map((f) => path.join(repoRoot, f)).filter(existsSync);
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...inputs.map(newest))) return;
  console.log('[build] building the frontend (vite build)…');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('vite build failed');
}
