// `npm start`: the built server (dist-server/scripts/start.js, see scripts/start.ts), built first when it is
// missing or older than its sources, so the one start command works on a fresh clone and after a pull.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServerIfStale, OUT } from './build-server.mjs';

await buildServerIfStale();
await import(pathToFileURL(path.join(OUT, 'scripts', 'start.js')).href);
