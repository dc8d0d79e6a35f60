// The data page: which layers have rows (public: the layer tree and the wall say what is not loaded yet),
// each layer's counts, source and last change, and each layer as a GeoPackage, GeoJSON, CSV or XLSX file
// (planners and admins: downloads hand out the whole district).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asJson, NotJson } from '../../common/api/common.ts';
import { DownloadQuery, LayerDetailsList, LayerParams, LayerPresenceList } from '../../common/api/data.ts';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { requireRole } from '../auth/request-user.ts';
import { exportLayer } from '../data/layer-export.ts';
import { DATA_LAYER_BY_ID } from '../data/layer-registry.ts';
import { layerDetails, layerPresence } from '../data/layer-status.ts';
import type { Pool } from '../db/pool.ts';
import { useApiErrors } from '../http/route-helpers.ts';

const dataRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const planner = requireRole(opts.pool, 'planner');

  app.get('/api/data/layers', {
    schema: { summary: 'Which data layers have rows, and which still have synthetic ones', tags: ['meta'], response: { 200: LayerPresenceList } },
  }, async () => ({ layers: await layerPresence(opts.pool) }));

  app.get('/api/data/layers/details', {
    onRequest: planner,
    schema: {
      summary: 'Each data layer\'s rows, synthetic rows, imports (file, date, who) and last change (planners and admins)',
      tags: ['meta'],
      response: { 200: LayerDetailsList, ...errorResponses, 401: ErrorBody, 403: ErrorBody },
    },
  }, async () => asJson({ layers: await layerDetails(opts.pool) }));

  app.get('/api/data/layers/:id/download', {
    onRequest: planner,
    schema: {
      summary: 'A data layer as a file: GeoPackage, GeoJSON, CSV (geometry as WKT) or XLSX (a point per row as lon/lat), in WGS84 (planners and admins)',
      tags: ['meta'],
      params: LayerParams,
      querystring: DownloadQuery,
      response: {
        200: NotJson('The layer\'s rows', 'application/geopackage+sqlite3', 'application/geo+json', 'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
        ...errorResponses, 401: ErrorBody, 403: ErrorBody,
      },
    },
  }, async (req, reply) => {
    // A stream, sent as it is read (the schema's 200 types a whole body).
    const file = await exportLayer(opts.pool, DATA_LAYER_BY_ID.get(req.params.id)!, req.query.format);
    return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body as never);
  });
};

export default dataRoutes;
