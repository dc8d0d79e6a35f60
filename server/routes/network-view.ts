// The network in depth (the map's 3D view) and the condition report of an area or a trace.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { ErrorBody } from '../../common/api/errors.ts';
import { Network3d, Network3dQuery, NetworkReport, ReportQuery } from '../../common/api/network3d.ts';
import { networkReport } from '../network/report.ts';
import { network3d } from '../network/view3d.ts';
import { parseBbox } from './density.ts';

/** Ids in one report: more than a page of reaches would print, and a bound on the ANY() list. */
const MAX_REPORT_IDS = 10_000;

const networkViewRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, opts) => {
  app.get('/api/network/3d', {
    schema: {
      summary: 'Reaches and manholes in a box with their invert and ground levels, for the 3D view',
      description: 'At most `limit` reaches (largest diameters first) and `limit` manholes; `truncated` says there were more.',
      tags: ['drainage'],
      querystring: Network3dQuery,
      response: { 200: Network3d, 400: ErrorBody },
    },
  }, async (req, reply) => {
    const bbox = parseBbox(req.query.bbox);
    if (typeof bbox === 'string') return reply.code(400).send({ error: 'bad request', message: bbox });
    reply.header('cache-control', 'no-cache');
    return network3d(opts.pool, bbox, req.query.limit);
  });

  app.get('/api/network/report', {
    schema: {
      summary: 'The condition of the reaches of an area (bbox) or a trace (ids), for the printable report',
      description: 'Each reach with its CJJ 181 grades and graded defect codes, worst first, and the totals per grade. Exactly one of bbox and ids.',
      tags: ['drainage'],
      querystring: ReportQuery,
      response: { 200: NetworkReport, 400: ErrorBody },
    },
  }, async (req, reply) => {
    const { bbox: rawBbox, ids: rawIds } = req.query;
    if ((rawBbox === undefined) === (rawIds === undefined)) return reply.code(400).send({ error: 'bad request', message: 'give either bbox or ids' });
    if (rawBbox !== undefined) {
      const bbox = parseBbox(rawBbox);
      if (typeof bbox === 'string') return reply.code(400).send({ error: 'bad request', message: bbox });
      return networkReport(opts.pool, { bbox });
    }
    const ids = [...new Set(rawIds!.split(',').map(Number))];
    if (ids.length > MAX_REPORT_IDS) return reply.code(400).send({ error: 'bad request', message: `at most ${MAX_REPORT_IDS} ids` });
    return networkReport(opts.pool, { ids });
  });
};

export default networkViewRoutes;
