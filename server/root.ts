// Where the repository is, found from this file wherever it runs from: the TypeScript sources (server/) or
// the built server (dist-server/server/, made by `npm run build:server`). Runtime assets — migrations and
// SQL functions, package.json, the built frontend, the embedded database — stay in the repository and are
// found from here, never next to the built JavaScript.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder the built server is written to (tsconfig.server.json's outDir). */
export const BUILT_DIR = 'dist-server';

const here = path.dirname(fileURLToPath(import.meta.url));
const parent = path.resolve(here, '..');

export const REPO_ROOT = path.basename(parent) === BUILT_DIR ? path.dirname(parent) : parent;

/** The extension this code's own modules have: '.js' when running the built server, '.ts' from the sources. */
export const MODULE_EXT = path.extname(fileURLToPath(import.meta.url));
