// The external basemaps configured (server/basemaps.ts), for the layer panel's basemap switcher. Their
// tiles are fetched by the browser from their own hosts, never through this server.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BasemapList } from '../../common/api/basemaps.ts';
import type { ExternalBasemap } from '../basemaps.ts';

const basemapRoutes: FastifyPluginAsyncTypebox<{ basemaps: readonly ExternalBasemap[] }> = async (app, opts) => {
  app.get('/api/basemaps', {
    schema: { summary: 'External basemaps the map can use instead of (or under) the embedded one', tags: ['meta'], response: { 200: BasemapList } },
  }, async () => ({ items: [...opts.basemaps] }));
};

export default basemapRoutes;
