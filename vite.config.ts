import { builtinModules } from 'node:module';
import path from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// The Fastify server owns /tiles and /api; in dev Vite only serves the app.
const apiTarget = process.env.ONEMAP_API ?? 'http://localhost:8080';
// The Host header is passed through unchanged: the server writes absolute tile URLs into TileJSON
// from it, and they must point back at this dev server, not at the proxied port (CORS).
const proxy = {
  '/tiles': { target: apiTarget, changeOrigin: false, xfwd: true },
  '/api': { target: apiTarget, changeOrigin: false, xfwd: true },
};

/**
 * The shipped font's CSS (@fontsource/noto-sans-sc, imported by src/main.tsx) names a woff after each woff2.
 * Every browser the app runs in takes the woff2, so the woff is dropped before Vite copies what the CSS
 * names: half the font files out of the build, and a shorter stylesheet.
 */
const woff2Only: Plugin = {
  name: 'onemap-woff2-only',
  enforce: 'pre',
  transform(code, id) {
    if (!/[\\/]@fontsource[\\/][^?]*\.css(\?|$)/.test(id)) return null;
    return { code: code.replace(/,\s*url\([^)]*\.woff\)\s*format\(['"]?woff['"]?\)/g, ''), map: null };
  },
};

/**
 * The browser code shares contracts and rules with the server (common/, server/domain/), never its data
 * modules: one value import from a module that reaches `pg` or a Node built-in would put the database driver in
 * a chunk that throws in the browser ("Buffer is not defined") only when that panel opens. The build fails instead,
 * naming the module that asked.
 */
const NODE_ONLY = new Set([...builtinModules, 'pg', 'pg-pool', 'pg-cursor', 'pg-copy-streams']);
const serverOnly: Plugin = {
  name: 'onemap-server-only',
  enforce: 'pre',
  apply: 'build',
  resolveId(id, importer) {
    if (!importer || importer.includes('/node_modules/')) return null;
    const bare = id.startsWith('node:') ? id.slice(5) : id.split('/')[0];
    if (id.startsWith('node:') || NODE_ONLY.has(bare)) {
      this.error(`${path.relative(process.cwd(), importer)} imports "${id}", which the browser cannot run: the client must not import server data modules (move the shared value to common/)`);
    }
    return null;
  },
};

/**
 * The phone pages' service worker (Workbox, generated at build time as /field-sw.js; src/field/registerSw.ts
 * registers it for /field and for /citizen, one registration per scope). It keeps the app on the phone so
 * that /field and /citizen open, and reload, without a connection, showing what waits in the outbox:
 *  - the app's files are precached by content revision: a new build installs a new worker that fetches
 *    what changed and drops what is gone, so a phone never mixes two builds nor keeps old files;
 *  - the pages (/field, /citizen, /citizen/track/…): network first, the precached page when offline;
 *  - map tiles, the case catalogue and the Open311 services: network first, the last copy offline (tiles bounded in number).
 * Everything else (the API's other answers, every POST) passes through untouched: the outbox, not the
 * worker, decides what is retried. Functions given to Workbox are copied into the worker as text, so they
 * refer to nothing outside themselves.
 */
const phoneWorker = VitePWA({
  strategies: 'generateSW',
  filename: 'field-sw.js',
  // The registrations give the scopes (/field, /citizen); the script at the root may serve any.
  scope: '/',
  injectRegister: false,
  manifest: false,
  workbox: {
    // The page is answered by the route below, network first; not by the precache, cache first.
    navigateFallback: null,
    globPatterns: ['**/*.{html,js,mjs,css}'],
    // deck.gl (its own chunk, see codeSplitting below) draws no layer of the field app, nor plays it video.
    globIgnores: ['**/deckgl-*.js', '**/video-*.js'],
    maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
    cleanupOutdatedCaches: true,
    // One file: the worker's URL and its whole code change together, and the server serves it as any other file.
    inlineWorkboxRuntime: true,
    skipWaiting: true,
    clientsClaim: true,
    runtimeCaching: [
      {
        urlPattern: ({ request, url, sameOrigin }) => sameOrigin && request.mode === 'navigate' && /^\/(field\/?|citizen(\/.*)?)$/.test(url.pathname),
        handler: 'NetworkFirst',
        options: { cacheName: 'onemap-field-page', precacheFallback: { fallbackURL: 'index.html' } },
      },
      {
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/tiles/'),
        handler: 'NetworkFirst',
        options: { cacheName: 'onemap-field-tiles', expiration: { maxEntries: 3000, purgeOnQuotaError: true } },
      },
      {
        urlPattern: ({ url, sameOrigin }) => sameOrigin && (url.pathname === '/api/cases/catalogue' || url.pathname === '/open311/v2/services.json'),
        handler: 'NetworkFirst',
        options: { cacheName: 'onemap-field-data' },
      },
      {
        // The shipped font's subsets a phone has shown, kept for offline in a cache of their own so that
        // they never push the code out of the one below.
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/') && url.pathname.endsWith('.woff2'),
        handler: 'CacheFirst',
        options: { cacheName: 'onemap-field-fonts', expiration: { maxEntries: 250, purgeOnQuotaError: true } },
      },
      {
        // Files of this build the precache leaves out (deck.gl), should the app ever load them.
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
        handler: 'CacheFirst',
        options: { cacheName: 'onemap-field-assets', expiration: { maxEntries: 40, purgeOnQuotaError: true } },
      },
    ],
  },
});

/**
 * Every mode of the page draws a MapLibre map on its first screen (the desktop map, the wall, the field app
 * after login, the citizen's report form; the phones' service worker precaches it anyway), but the mode's
 * chunk is a dynamic import, so Vite would fetch MapLibre only once the entry has run. A modulepreload in
 * the page starts the largest file at once, beside the entry. Only that one: a mode's own chunk is not the
 * others' business, and deck.gl and the video players stay out of the first load.
 */
const preloadMaplibre: Plugin = {
  name: 'onemap-preload-maplibre',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(_html, ctx) {
      const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'maplibre');
      return chunk ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${chunk.fileName}` }, injectTo: 'head' }] : [];
    },
  },
};

const config: UserConfig = {
  plugins: [serverOnly, woff2Only, react(), phoneWorker, preloadMaplibre],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // maplibre-gl alone is ~1 MB minified; it is cached separately, so the warning is noise.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Vendors change far less often than app code: separate chunks keep them cached across deploys.
        codeSplitting: {
          groups: [
            // Vite's dynamic-import helper is shared by every lazy chunk; left alone it lands in one of them
            // (deck.gl's), which then loads with the first page.
            { name: 'preload', test: /vite[\\/]preload-helper|commonjsHelpers/, priority: 4 },
            { name: 'maplibre', test: /node_modules[\\/](maplibre-gl|@maplibre)[\\/]/, priority: 3 },
            { name: 'deckgl', test: /node_modules[\\/]@(deck\.gl|luma\.gl|math\.gl|loaders\.gl|probe\.gl)[\\/]/, priority: 3 },
            // Camera stream players, fetched only when a stream is opened (src/video/attach.ts).
            { name: 'video-hls', test: /node_modules[\\/]hls\.js[\\/]/, priority: 3 },
            { name: 'video-flv', test: /node_modules[\\/]mpegts\.js[\\/]/, priority: 3 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
};

export default defineConfig(({ command, mode }) => {
  // A build started from a test run inherits NODE_ENV=test, and Vite would then ship React's
  // development build (twice the size, StrictMode double effects). Vite reads NODE_ENV after this file.
  if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
  return config;
});
