// /api/vehicles/tracks: the last minutes of every GPS vehicle's track, for the map's moving vehicles.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/api/errors.ts';
import { TracksQuery, VehicleTracks } from '../../common/api/vehicles.ts';
import { vehicleTracks } from '../data/vehicles.ts';
import type { Pool } from '../db/pool.ts';
import { useApiErrors } from '../http/route-helpers.ts';

const vehicleRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  // ?minutes=Infinity passes the schema's maximum (see rejectNonFiniteNumbers) and failed in SQL with a 500.
  useApiErrors(app);
  app.get('/api/vehicles/tracks', {
    schema: {
      summary: 'Tracks of the GPS vehicles over the last minutes of stored positions',
      description: 'The window ends at the newest stored position. Each path point is [lon, lat, epoch seconds], oldest first.',
      tags: ['vehicles'],
      querystring: TracksQuery,
      response: { 200: VehicleTracks, ...errorResponses },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-cache');
    return vehicleTracks(opts.pool, req.query.minutes);
  });
};

export default vehicleRoutes;
