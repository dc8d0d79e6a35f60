// `npm run bench -- <suite> [options]`: runs a benchmark suite and writes bench/results/<suite>-<date>.json/.md.
export {};
const suites: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  tiles: () => import('./tiles.ts'),
  'tiles-composite': () => import('./tiles-composite.ts'),
  query: () => import('./query.ts'),
  ui: () => import('./ui.ts'),
  trace: () => import('./trace.ts'),
  network: () => import('./network.ts'),
  import: () => import('./import.ts'),
  live: () => import('./live.ts'),
  soak: () => import('./soak.ts'),
  load: () => import('./load.ts'),
  sqlmap: () => import('./sqlmap.ts'),
  'case-writes': () => import('./case-writes.ts'),
  hostile: () => import('./hostile.ts'),
  abandon: () => import('./abandon.ts'),
  start: () => import('./start.ts'),
  'rate-limit': () => import('./rate-limit.ts'),
  retention: () => import('./retention.ts'),
  peers: () => import('./peers.ts'),
};
const [name = 'tiles', ...args] = process.argv.slice(2);
const load = suites[name];
if (!load) {
  console.error(`unknown suite "${name}"; suites: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
await (await load()).run(args);
process.exit(0);
