// The identify panel: one feature with what relates to it (a pipe's manholes, inspections and hazards; a
// camera's last 30 days; a case's item and transitions; a sensor's datastreams and last 24 h…).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Details, DetailsParams } from '../../common/api/details.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { COLLECTION_IDS, findCollection } from '../features/collections.ts';
import { relatedDescription } from '../features/details.ts';
import { BadRequestError, NotFoundError, show } from '../http/errors.ts';
import { bulkCompress, catalogOf, useApiErrors, type FeatureRouteOptions } from '../http/route-helpers.ts';
import { keyFits } from '../features/params.ts';
import { maySeeStreams, withoutStream } from '../cameras/stream-access.ts';
import { outsideGrids, readerOf } from '../cases/access.ts';

const detailsRoutes: FastifyPluginAsyncTypebox<FeatureRouteOptions> = async (app, opts) => {
  const catalog = catalogOf(opts);
  useApiErrors(app);

  app.get('/api/details/:layer/:id', {
    compress: bulkCompress,
    schema: {
      summary: 'A feature with its related records, for the identify panel',
      description: `related by layer — ${relatedDescription()}`,
      tags: ['query'],
      params: DetailsParams,
      response: { 200: Details, ...errorResponses },
    },
  }, async (req) => {
    const { layer, id } = req.params;
    const c = findCollection(layer);
    if (!c) throw new BadRequestError(`unknown layer ${show(layer)}; layers: ${COLLECTION_IDS.join(', ')}`);
    if (!/^\d+$/.test(id)) throw new BadRequestError(`id must be ${c.key.type === 'code' ? `the numeric ${c.key.column}` : 'an integer'}, got ${show(id)}`);
    const d = keyFits(c, id) ? await catalog.details(c, id) : null;
    const hidden = c.id === 'cases' && d && outsideGrids(await readerOf(req, opts.pool), d.properties.grid_code as string | null);
    if (!d || hidden) throw new NotFoundError(`no ${layer} feature with id ${id}`);
    if (c.id === 'cameras' && d.related && !(await maySeeStreams(req, opts.pool))) return { ...d, related: withoutStream(d.related) };
    return d;
  });
};

export default detailsRoutes;
