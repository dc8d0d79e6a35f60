// The search box: streets, communities, grids, facilities, cameras, manholes, pipes and case numbers,
// ranked exact > prefix > substring.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/api/errors.ts';
import { SearchQuery, SearchResults } from '../../common/api/search.ts';
import { BadRequestError } from '../http/errors.ts';
import { catalogOf, useApiErrors, type FeatureRouteOptions } from '../http/route-helpers.ts';
import { SEARCH_LAYERS } from '../features/search.ts';
import { readerGrids, readerOf } from '../cases/access.ts';
import { expensive } from '../limits/expensive.ts';

const searchRoutes: FastifyPluginAsyncTypebox<FeatureRouteOptions> = async (app, opts) => {
  const catalog = catalogOf(opts);
  useApiErrors(app);

  app.get('/api/search', {
    schema: {
      summary: 'Find features by name or code',
      description: `Searches ${SEARCH_LAYERS.join(', ')}: names by substring (Chinese included), grid codes and case numbers by prefix, other codes by substring (case-insensitive). Ranked exact, then prefix, then substring.`,
      tags: ['query'],
      querystring: SearchQuery,
      // The hits' rank orders them on the server and is left out of the answer.
      response: { 200: SearchResults, ...errorResponses },
    },
    preHandler: expensive(opts.pool),
  }, async (req) => {
    const q = req.query.q.trim();
    if (!q) throw new BadRequestError('q is empty; type a name, a code or a case number');
    if (/[\u0000-\u001f]/.test(q)) throw new BadRequestError('q contains control characters');
    return { results: await catalog.search(q, req.query.limit, readerGrids(await readerOf(req, opts.pool))) };
  });
};

export default searchRoutes;
