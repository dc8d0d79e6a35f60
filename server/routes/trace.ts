// Upstream/downstream traces and exports of traced or selected reaches: parse and check the request, ask
// the Tracer or the exporter, answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { BadRequestError } from '../features/errors.ts';
import { errorResponses, freeObject, useApiErrors } from '../features/http.ts';
import { UnauthorizedError } from '../auth/request-user.ts';
import { ANONYMOUS } from '../limits/anonymous.ts';
import { expensive, isAnonymous } from '../limits/expensive.ts';
import { EXPORT_FORMATS, exportReaches, MAX_EXPORT, type ExportFormat } from '../network/export.ts';
import { TRACE_METHODS, tracerFor, type TraceRequest } from '../network/tracer.ts';

export const traceQuerySchema = {
  type: 'object', additionalProperties: false,
  required: ['from', 'direction'],
  properties: {
    from: { type: 'string', pattern: '^(manhole|pipe):[0-9]{1,9}$', description: 'Where to start: manhole:<id> or pipe:<id> (the pipe is included)' },
    direction: { type: 'string', enum: ['upstream', 'downstream'] },
    method: { type: 'string', enum: TRACE_METHODS, default: 'memory', description: 'memory (in-memory graph), cte (recursive SQL) or pgrouting; same answer' },
  },
} as const;

export function parseTraceQuery(q: { from: string; direction: TraceRequest['direction']; method?: TraceRequest['method'] }): TraceRequest {
  const [kind, id] = q.from.split(':');
  return { start: { kind: kind as 'manhole' | 'pipe', id: Number(id) }, direction: q.direction, method: q.method ?? 'memory' };
}

export default async function traceRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  useApiErrors(app);
  const tracer = tracerFor(opts.pool);
  const costly = expensive(opts.pool);

  app.get('/api/trace', {
    schema: {
      summary: 'Trace the drainage network upstream or downstream from a manhole or a pipe',
      description: 'The reaches and manholes reached, total length, the outfalls and pumping stations reached, the grids and communities crossed, the sensors and cameras on the way, hazards and misconnections on the traced reaches.',
      tags: ['drainage'],
      querystring: traceQuerySchema,
      response: { 200: freeObject, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => tracer.trace(parseTraceQuery(req.query as never)));

  app.get('/api/network/export', {
    schema: {
      summary: 'Traced or selected reaches as GeoJSON, CSV, GeoPackage or an EPA SWMM 5 .inp subnetwork',
      description: `Either from + direction (the reaches of that trace) or ids (a comma-separated list of pipe ids). More than ${ANONYMOUS.exportReaches} reaches: log in first (401 otherwise).`,
      tags: ['drainage'],
      querystring: {
        type: 'object',
        required: ['format'],
        properties: {
          format: { type: 'string', enum: EXPORT_FORMATS },
          from: traceQuerySchema.properties.from,
          direction: traceQuerySchema.properties.direction,
          ids: { type: 'string', pattern: '^[0-9]{1,9}(,[0-9]{1,9})*$', maxLength: 200_000, description: 'Pipe ids, comma-separated' },
        },
        additionalProperties: false,
      },
      response: { 400: errorResponses[400], 404: errorResponses[404], 503: errorResponses[503] },
    },
    preHandler: costly,
  }, async (req, reply) => {
    const q = req.query as { format: ExportFormat; from?: string; direction?: 'upstream' | 'downstream'; ids?: string };
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
      body: {
        type: 'object',
        required: ['format', 'ids'],
        properties: {
          format: { type: 'string', enum: EXPORT_FORMATS },
          ids: { type: 'array', minItems: 1, maxItems: MAX_EXPORT, items: { type: 'integer', minimum: 1, maximum: 2147483647 } },
        },
        additionalProperties: false,
      },
      response: { 400: errorResponses[400], 503: errorResponses[503] },
    },
    preHandler: costly,
  }, async (req, reply) => {
    const b = req.body as { format: ExportFormat; ids: number[] };
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
}
