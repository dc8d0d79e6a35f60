// Upstream/downstream traces and exports of traced or selected reaches: parse and check the request, ask
// the Tracer or the exporter, answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { ExportBody, ExportFile, ExportQuery, TraceQuery, TraceSummary } from '../../common/api/trace.ts';
import { BadRequestError } from '../http/errors.ts';
import { useApiErrors } from '../http/route-helpers.ts';
import { UnauthorizedError } from '../auth/request-user.ts';
import { ANONYMOUS } from '../limits/anonymous.ts';
import { expensive, isAnonymous } from '../limits/expensive.ts';
import { exportReaches, MAX_EXPORT, type ExportFormat } from '../network/export.ts';
import { tracerFor, type TraceRequest } from '../network/tracer.ts';

export function parseTraceQuery(q: { from: string; direction: TraceRequest['direction']; method?: TraceRequest['method'] }): TraceRequest {
  const [kind, id] = q.from.split(':');
  return { start: { kind: kind as 'manhole' | 'pipe', id: Number(id) }, direction: q.direction, method: q.method ?? 'memory' };
}

const traceRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, opts) => {
  useApiErrors(app);
  const tracer = tracerFor(opts.pool);
  const costly = expensive(opts.pool);

  app.get('/api/trace', {
    schema: {
      summary: 'Trace the drainage network upstream or downstream from a manhole or a pipe',
      description: 'The reaches and manholes reached, total length, the outfalls and pumping stations reached, the grids and communities crossed, the sensors and cameras on the way, hazards and misconnections on the traced reaches.',
      tags: ['drainage'],
      querystring: TraceQuery,
      response: { 200: TraceSummary, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => tracer.trace(parseTraceQuery(req.query)));

  app.get('/api/network/export', {
    schema: {
      summary: 'Traced or selected reaches as GeoJSON, CSV, GeoPackage or an EPA SWMM 5 .inp subnetwork',
      description: `Either from + direction (the reaches of that trace) or ids (a comma-separated list of pipe ids). More than ${ANONYMOUS.exportReaches} reaches: log in first (401 otherwise).`,
      tags: ['drainage'],
      querystring: ExportQuery,
      response: { 200: ExportFile, 401: ErrorBody, ...errorResponses },
    },
    preHandler: costly,
  }, async (req, reply) => {
    const q = req.query;
    let ids: number[];
    let name: string;
    if (q.ids && !q.from) {
      ids = [...new Set(q.ids.split(',').map(Number))];
      name = `selection-${ids.length}-reaches`;
    } else if (q.from && q.direction && !q.ids) {
      const walked = await tracer.walk(parseTraceQuery({ from: q.from, direction: q.direction }));
      ids = walked.reaches;
      name = `trace-${q.from.replace(':', '-')}-${q.direction}`;
    } else {
      throw new BadRequestError('give either from and direction (a trace) or ids (selected pipes), not both');
    }
    return sendExport(req, reply, ids, q.format, name);
  });

  // A selection too long for a URL (thousands of ids) is posted.
  app.post('/api/network/export', {
    bodyLimit: 2 * 1024 * 1024,
    schema: {
      summary: 'Selected reaches (ids in the body) as GeoJSON, CSV, GeoPackage or SWMM .inp',
      tags: ['drainage'],
      body: ExportBody,
      response: { 200: ExportFile, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody },
    },
    preHandler: costly,
  }, async (req, reply) => {
    const b = req.body;
    const ids = [...new Set(b.ids)];
    return sendExport(req, reply, ids, b.format, `selection-${ids.length}-reaches`);
  });

  async function sendExport(req: FastifyRequest, reply: FastifyReply, ids: number[], format: ExportFormat, name: string) {
    if (!ids.length) throw new BadRequestError('no reaches to export (the trace is empty)');
    if (ids.length > MAX_EXPORT) throw new BadRequestError(`${ids.length} reaches; at most ${MAX_EXPORT} per export`);
    if (ids.length > ANONYMOUS.exportReaches && await isAnonymous(req, opts.pool)) {
      throw new UnauthorizedError(`${ids.length} reaches: exports of more than ${ANONYMOUS.exportReaches} reaches are for logged-in users; log in (POST /api/auth/login), or export a smaller trace or selection`);
    }
    const file = await exportReaches(opts.pool, ids, format, name);
    return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
  }
};

export default traceRoutes;
