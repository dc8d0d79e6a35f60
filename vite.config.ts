import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Fastify server owns /tiles and /api; in dev Vite only serves the app.
const apiTarget = process.env.ONEMAP_API ?? 'http://localhost:8080';
// The Host header is passed through unchanged: the server writes absolute tile URLs into TileJSON
// from it, and they must point back at this dev server, not at the proxied port (CORS).
const proxy = {
  '/tiles': { target: apiTarget, changeOrigin: false, xfwd: true },
  '/api': { target: apiTarget, changeOrigin: false, xfwd: true },
};

const config: UserConfig = {
  plugins: [react()],
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
