// /api/datastreams/{id}/series: a stream's readings over a period, from the raw rows or their roll-ups.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/api/errors.ts';
import { MAX_RAW_DAYS, MAX_SERIES_DAYS, Series, SeriesParams, SeriesQuery } from '../../common/api/history.ts';
import { resolutionFor, seriesOf } from '../data/history.ts';
import type { Pool } from '../db/pool.ts';
import { BadRequestError } from '../http/errors.ts';
import { useApiErrors } from '../http/route-helpers.ts';

const DAY_MS = 86_400_000;

const historyRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  app.get('/api/datastreams/:id/series', {
    schema: {
      summary: 'A stream\'s readings over a period: raw, or by hour or day for long periods',
      description: `Raw readings are kept a number of days (raw_keep_days), the hourly and daily roll-ups for years. res=auto picks raw up to 3 days, hourly up to 92 days, daily beyond; raw is refused past ${MAX_RAW_DAYS} days, any period past ${MAX_SERIES_DAYS}.`,
      tags: ['sensors'],
      params: SeriesParams,
      querystring: SeriesQuery,
      response: { 200: Series, ...errorResponses },
    },
  }, async (req, reply) => {
    const to = req.query.to ? new Date(req.query.to) : new Date();
    const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - DAY_MS);
    const days = (to.getTime() - from.getTime()) / DAY_MS;
    if (!(days > 0)) throw new BadRequestError('from: must be before to');
    if (days > MAX_SERIES_DAYS) throw new BadRequestError(`from: a period of at most ${MAX_SERIES_DAYS} days`);
    const res = req.query.res === 'auto' ? resolutionFor(from, to) : req.query.res;
    if (res === 'raw' && days > MAX_RAW_DAYS) throw new BadRequestError(`res: raw readings for at most ${MAX_RAW_DAYS} days; ask res=hour or res=day`);
    reply.header('cache-control', 'no-cache');
    return seriesOf(opts.pool, req.params.id, from, to, res);
  });
};

export default historyRoutes;
