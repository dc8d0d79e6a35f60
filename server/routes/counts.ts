// /api/counts: exact counts in view of the clustered layers, for the map's layer tree.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { Counts, CountsQuery } from '../../common/api/counts.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { countsInView, type CountedLayer } from '../data/counts.ts';
import { parseBbox } from './density.ts';

const countRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, opts) => {
  app.get('/api/counts', {
    schema: {
      summary: 'Features of the clustered layers (cases, cameras, manholes) inside a bounding box',
      description: 'Exact, whatever the clusters drawn on the view\'s edge stand for. Cases are summed from the trigger-kept case_cells inside the box and counted one by one in its rim.',
      tags: ['map'],
      querystring: CountsQuery,
      response: { 200: Counts, ...errorResponses },
    },
  }, async (req, reply) => {
    const bbox = parseBbox(req.query.bbox);
    if (typeof bbox === 'string') return reply.code(400).send({ error: 'bad request', message: bbox });
    // The schema's pattern admits only the counted layers' names.
    const layers = [...new Set(req.query.layers.split(','))] as CountedLayer[];
    reply.header('cache-control', 'no-cache');
    return { counts: await countsInView(opts.pool, layers, bbox) };
  });
};
export default countRoutes;
