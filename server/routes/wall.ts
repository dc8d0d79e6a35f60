// What the command wall shows around the map, as one public summary (counts only, no personal data) and
// the list of active alarms. Live changes reach the wall through /api/live; this is its starting state
// and what it re-reads after a reconnect.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asJson } from '../../common/api/common.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { AlarmList, AlarmsQuery, WallSummary } from '../../common/api/wall.ts';
import { listAlarms, sharedWallSummary } from '../data/wall.ts';
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

  app.get('/api/alarms', {
    schema: {
      summary: 'Alarms, active first (level, station, position, value, peak, the case it opened)',
      tags: ['live'],
      querystring: AlarmsQuery,
      response: { 200: AlarmList, ...errorResponses },
    },
  }, async (req) => asJson({ items: await listAlarms(db, req.query) }));
};

export default wallRoutes;
