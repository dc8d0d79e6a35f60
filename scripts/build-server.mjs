// Builds the server as JavaScript into dist-server/ (the same folders as the sources: server/, scripts/,
// tiles/, common/) so `npm start` runs it with plain Node, without a TypeScript loader: less memory and a
// faster start. esbuild only strips the types, file by file (`npm run typecheck` checks them); each
// relative import of a .ts file is rewritten to the .js next to it, packages stay imports of node_modules.
// Plain JavaScript itself, as it runs before anything is built. `node scripts/build-server.mjs` builds now.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(root, 'dist-server');
const SOURCES = ['server', 'scripts', 'tiles', 'common'];
/** Written last: a build that stopped half-way is no build. Its time is the build's. */
const STAMP = path.join(OUT, '.built');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

const sources = () => SOURCES.flatMap((d) => files(path.join(root, d)));

/** Whether dist-server/ is missing or older than a source (or the package list). */
export function serverBuildIsStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return [...sources(), path.join(root, 'package.json')].some((f) => statSync(f).mtimeMs > built);
}

export async function buildServer() {
  // Whole every time (a second or two): a module deleted from the sources must not stay behind (tiles/ is read as a folder).
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: sources().filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    outdir: OUT,
    outbase: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [{
      name: 'each-file-its-own',
      setup(b) {
        // Bundling is on only so that imports can be rewritten: every import stays an import.
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          const relative = args.path.startsWith('.');
          return { path: relative ? args.path.replace(/\.ts$/, '.js') : args.path, external: true };
        });
      },
    }],
  });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

export async function buildServerIfStale() {
  if (!serverBuildIsStale()) return false;
  console.log('[build] building the server (dist-server/)…');
  await buildServer();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
