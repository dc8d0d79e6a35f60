// The planner's reports: reaches ranked by CJJ 181 RI/MI with filters, and summaries per street or
// community. Parameters are checked by the schemas; the SQL lives in server/drainage/reports.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { DrainageSummary, ReachesQuery, ReachPage, SummaryQuery } from '../../common/api/drainage.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { rankReaches, summary } from '../drainage/reports.ts';
import { useApiErrors } from '../http/route-helpers.ts';
import { expensive } from '../limits/expensive.ts';

const drainageRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, opts) => {
  useApiErrors(app);
  const costly = expensive(opts.pool);

  app.get('/api/drainage/reaches', {
    schema: {
      summary: 'Inspected reaches ranked by CJJ 181 repair index RI or maintenance index MI',
      tags: ['drainage'],
      querystring: ReachesQuery,
      response: { 200: ReachPage, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => rankReaches(opts.pool, req.query));

  app.get('/api/drainage/summary', {
    schema: {
      summary: 'Per street or community: km of pipe by CJJ 181 grade, hazards and misconnections',
      tags: ['drainage'],
      querystring: SummaryQuery,
      response: { 200: DrainageSummary, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => summary(opts.pool, req.query.by, req.query.street));
};

export default drainageRoutes;
