// The planner's reports: reaches ranked by CJJ 181 RI/MI with filters, and summaries per street or
// community. Parameters are checked by the schemas; the SQL lives in server/drainage/reports.ts.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { DEFECT_CODES } from '../domain/cjj181/tables.ts';
import { rankReaches, summary, type ReachFilter } from '../drainage/reports.ts';
import { errorResponses, freeObject, useApiErrors } from '../features/http.ts';
import { expensive } from '../limits/expensive.ts';

const grade = { type: 'integer', minimum: 1, maximum: 4 } as const;

export default async function drainageRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  useApiErrors(app);
  const costly = expensive(opts.pool);

  app.get('/api/drainage/reaches', {
    schema: {
      summary: 'Inspected reaches ranked by CJJ 181 repair index RI or maintenance index MI',
      tags: ['drainage'],
      querystring: {
        type: 'object',
        properties: {
          sort: { type: 'string', enum: ['ri', 'mi'], default: 'ri' },
          street: { type: 'string', pattern: '^[0-9]{9}$', description: 'Street (街道) code, 9 digits' },
          community: { type: 'string', pattern: '^[0-9]{12}$', description: 'Community (社区) code, 12 digits' },
          sgrade: { ...grade, description: 'Structural grade 1–4 (Ⅰ–Ⅳ)' },
          fgrade: { ...grade, description: 'Functional grade 1–4 (Ⅰ–Ⅳ)' },
          code: { type: 'string', enum: DEFECT_CODES.map((c) => c.code), description: 'Reaches with this CJJ 181 defect code' },
          diameter_min: { type: 'integer', minimum: 0, maximum: 10000 },
          diameter_max: { type: 'integer', minimum: 0, maximum: 10000 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
        },
        additionalProperties: false,
      },
      response: { 200: freeObject, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => rankReaches(opts.pool, req.query as ReachFilter));

  app.get('/api/drainage/summary', {
    schema: {
      summary: 'Per street or community: km of pipe by CJJ 181 grade, hazards and misconnections',
      tags: ['drainage'],
      querystring: {
        type: 'object',
        properties: {
          by: { type: 'string', enum: ['street', 'community'], default: 'street' },
          street: { type: 'string', pattern: '^[0-9]{9}$', description: 'Only the communities of this street (by=community)' },
        },
        additionalProperties: false,
      },
      response: { 200: freeObject, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => {
    const q = req.query as { by: 'street' | 'community'; street?: string };
    return summary(opts.pool, q.by, q.street);
  });
}
