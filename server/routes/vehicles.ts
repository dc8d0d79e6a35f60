// /api/vehicles/tracks: the last minutes of every GPS vehicle's track, for the map's moving vehicles.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { MAX_TRACK_MINUTES, vehicleTracks } from '../data/vehicles.ts';
import { useApiErrors } from '../features/http.ts';

export default async function vehicleRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  // ?minutes=Infinity passes the schema's maximum (see rejectNonFiniteNumbers) and failed in SQL with a 500.
  useApiErrors(app);
  app.get('/api/vehicles/tracks', {
    schema: {
      summary: 'Tracks of the GPS vehicles over the last minutes of stored positions',
      description: 'The window ends at the newest stored position. Each path point is [lon, lat, epoch seconds], oldest first.',
      tags: ['vehicles'],
      querystring: {
        type: 'object',
        properties: { minutes: { type: 'integer', minimum: 1, maximum: MAX_TRACK_MINUTES, default: 60 } },
        additionalProperties: false,
      },
      response: {
        200: {
          type: 'object',
          required: ['from', 'to', 'vehicles'],
          properties: {
            from: { type: 'number', description: 'window start, epoch seconds' },
            to: { type: 'number', description: 'window end (newest position), epoch seconds' },
            vehicles: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'plate', 'kind', 'status', 'path'],
                properties: {
                  id: { type: 'integer' },
                  plate: { type: 'string' },
                  kind: { type: 'string', enum: ['sanitation', 'drainage', 'inspection', 'emergency'] },
                  status: { type: 'string', enum: ['on_duty', 'idle', 'offline'] },
                  path: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3 } },
                },
              },
            },
          },
        },
      },
    },
  }, async (req: FastifyRequest<{ Querystring: { minutes: number } }>, reply) => {
    reply.header('cache-control', 'no-cache');
    return vehicleTracks(opts.pool, req.query.minutes);
  });
}
