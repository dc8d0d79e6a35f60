// What the command wall shows around the map, as one public summary (counts only, no personal data); the
// alarms are server/routes/alarms.ts. Live changes reach the wall through /api/live; this is its starting
// state and what it re-reads after a reconnect.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asJson } from '../../common/api/common.ts';
import { WallSummary } from '../../common/api/wall.ts';
import { sharedWallSummary } from '../data/wall.ts';
import type { Pool } from '../db/pool.ts';
import { useApiErrors } from '../http/route-helpers.ts';

/** How long one summary serves every wall (at 5.32 M cases it counts for ~1 s). */
export const SUMMARY_TTL_MS = 5000;

const wallRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const summary = sharedWallSummary(db, SUMMARY_TTL_MS);

  app.get('/api/wall/summary', {
    schema: { summary: 'Wall figures: cases today and on-time rate, alarms, sensors by state, cameras online, vehicles on duty, 24 h trend', tags: ['live'], response: { 200: WallSummary } },
  }, async () => asJson(await summary()));
};

export default wallRoutes;
