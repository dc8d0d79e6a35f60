// /api/health: the server and its database. 503 while the database cannot be reached.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Unhealthy } from '../../common/api/health.ts';
import { databaseHealth } from '../db/health.ts';
import type { Pool } from '../db/pool.ts';

const healthRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; version: string; instance: string }> = async (app, opts) => {
  app.get('/api/health', {
    schema: { summary: 'Health of the server and its database', tags: ['meta'], response: { 200: Health, 503: Unhealthy } },
  }, async (_req, reply) => {
    try {
      const { postgis, role, synthetic, synthetic_layers, replica } = await databaseHealth(opts.pool);
      return { status: 'ok' as const, postgis, version: opts.version, instance: opts.instance, role, synthetic, synthetic_layers, replica };
    } catch {
      return reply.code(503).send({ status: 'unavailable', version: opts.version, message: 'the database cannot be reached; retrying' });
    }
  });
};

export default healthRoutes;
