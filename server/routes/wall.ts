// What the command wall shows around the map, for the district, one street or one community: one public
// summary (counts only, no personal data) and the unit itself (name, extent, parents, the units below with
// their figures); the alarms are server/routes/alarms.ts. Live changes reach the wall through /api/live;
// this is its starting state and what it re-reads after a reconnect.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asJson } from '../../common/api/common.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { WallSummary, WallUnit, WallUnitQuery } from '../../common/api/wall.ts';
import { readWallSummary, sharedByUnit } from '../data/wall.ts';
import { wallScope } from '../data/wall-scope.ts';
import { readWallUnit } from '../data/wall-units.ts';
import type { Pool } from '../db/pool.ts';
import { useApiErrors } from '../http/route-helpers.ts';

/** How long one summary serves every wall of a unit (at 5.32 M cases the district counts for ~1 s). */
export const SUMMARY_TTL_MS = 5000;

const wallRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const summary = sharedByUnit((scope) => readWallSummary(db, scope), SUMMARY_TTL_MS);
  const unit = sharedByUnit((scope) => readWallUnit(db, scope), SUMMARY_TTL_MS);

  app.get('/api/wall/summary', {
    schema: {
      summary: 'Wall figures of the district, a street or a community: cases today and on-time rate, alarms, sensors by state, cameras online, vehicles on duty, 24 h trend',
      tags: ['live'],
      querystring: WallUnitQuery,
      response: { 200: WallSummary, ...errorResponses },
    },
  }, async (req) => asJson(await summary(await wallScope(db, req.query))));

  app.get('/api/wall/unit', {
    schema: {
      summary: 'The unit a wall shows: name, level, extent and outline, its parents, and the units below it with their key figures',
      tags: ['live'],
      querystring: WallUnitQuery,
      response: { 200: WallUnit, ...errorResponses },
    },
  }, async (req) => unit(await wallScope(db, req.query)));

};

export default wallRoutes;
