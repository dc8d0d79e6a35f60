// The search box: streets, communities, grids, facilities, cameras, manholes, pipes and case numbers,
// ranked exact > prefix > substring.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../features/errors.ts';
import { catalogOf, errorResponses, useApiErrors, type FeatureRouteOptions } from '../features/http.ts';
import { SEARCH_LAYERS } from '../features/search.ts';
import { readerGrids, readerOf } from '../cases/access.ts';
import { expensive } from '../limits/expensive.ts';

export const SEARCH_MAX = 50;

export default async function searchRoutes(app: FastifyInstance, opts: FeatureRouteOptions) {
  const catalog = catalogOf(opts);
  useApiErrors(app);

  app.get('/api/search', {
    schema: {
      summary: 'Find features by name or code',
      description: `Searches ${SEARCH_LAYERS.join(', ')}: names by substring (Chinese included), grid codes and case numbers by prefix, other codes by substring (case-insensitive). Ranked exact, then prefix, then substring.`,
      tags: ['query'],
      querystring: {
        type: 'object', additionalProperties: false,
        required: ['q'],
        properties: {
          q: { type: 'string', maxLength: 100, description: 'Text to find' },
          limit: { type: 'integer', minimum: 1, maximum: SEARCH_MAX, default: 10, description: `Results (default 10, maximum ${SEARCH_MAX})` },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  layer: { type: 'string' },
                  id: { type: ['integer', 'string'] },
                  label: { type: 'string' },
                  parts: {
                    type: 'array',
                    description: 'What the result line shows under its label: a coded value (field: usage, kind, status…), a name (en: its English name) or a name',
                    items: { type: 'object', properties: { field: { type: 'string' }, value: { type: ['string', 'number'] }, en: { type: 'string' } } },
                  },
                  lon: { type: 'number' },
                  lat: { type: 'number' },
                  bbox: { type: 'array', items: { type: 'number' }, description: 'west, south, east, north of lines and areas' },
                },
              },
            },
          },
        },
        ...errorResponses,
      },
    },
    preHandler: expensive(opts.pool),
  }, async (req: FastifyRequest<{ Querystring: { q: string; limit: number } }>) => {
    const q = req.query.q.trim();
    if (!q) throw new BadRequestError('q is empty; type a name, a code or a case number');
    if (/[\u0000-\u001f]/.test(q)) throw new BadRequestError('q contains control characters');
    return { results: await catalog.search(q, req.query.limit, readerGrids(await readerOf(req, opts.pool))) };
  });
}
