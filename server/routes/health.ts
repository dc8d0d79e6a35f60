// /api/health: the server and its database. 503 while the database cannot be reached.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

export default async function healthRoutes(app: FastifyInstance, opts: { pool: pg.Pool; version: string }) {
  app.get('/api/health', {
    schema: {
      summary: 'Health of the server and its database',
      tags: ['meta'],
      response: {
        200: {
          type: 'object',
          properties: { status: { type: 'string' }, postgis: { type: 'string' }, version: { type: 'string' }, synthetic: { type: 'boolean' } },
        },
        503: { type: 'object', properties: { status: { type: 'string' }, version: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  }, async (_req, reply) => {
    try {
      const { rows } = await opts.pool.query<{ postgis: string; synthetic: boolean }>(
        `SELECT postgis_lib_version() AS postgis, EXISTS (SELECT 1 FROM districts WHERE true) AND EXISTS (SELECT 1 FROM streets WHERE synthetic) AS synthetic`);
      return { status: 'ok', postgis: rows[0].postgis, version: opts.version, synthetic: rows[0].synthetic };
    } catch {
      return reply.code(503).send({ status: 'unavailable', version: opts.version, message: 'the database cannot be reached; retrying' });
    }
  });
}
