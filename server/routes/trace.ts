// Upstream/downstream traces: parse and check the request, ask the Tracer, answer.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { errorResponses, freeObject, useApiErrors } from '../features/http.ts';
import { TRACE_METHODS, tracerFor, type TraceRequest } from '../network/tracer.ts';

export const traceQuerySchema = {
  type: 'object',
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

  app.get('/api/trace', {
    schema: {
      summary: 'Trace the drainage network upstream or downstream from a manhole or a pipe',
      description: 'The reaches and manholes reached, total length, the outfalls and pumping stations reached, the grids and communities crossed, the sensors and cameras on the way, hazards and misconnections on the traced reaches.',
      tags: ['drainage'],
      querystring: traceQuerySchema,
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => tracer.trace(parseTraceQuery(req.query as never)));
}
