// Camera operations for the wall and the desktop: online rates with history, the inspection list, grid
// coverage and blind spots, the cameras that see a point.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CoverageQuery, CoverageSummary, InspectionList, InspectionQuery, OnlineQuery, OnlineRates, Seeing, SeeingQuery,
} from '../../common/api/cameras.ts';
import { asJson } from '../../common/api/common.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { camerasSeeing, inspectionList, onlineRates, type Coverage } from '../cameras/analytics.ts';
import type { Pool } from '../db/pool.ts';
import { checkLonLat, parseCrs, toWgs84 } from '../geo/input.ts';
import { useApiErrors } from '../http/route-helpers.ts';
import { maySeeStreams, withoutStream } from '../cameras/stream-access.ts';

const cameraRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; coverage: Coverage }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;

  app.get('/api/cameras/online', {
    schema: {
      summary: 'Camera online rate per day (history) and now, per district, street, community or grid',
      tags: ['cameras'],
      querystring: OnlineQuery,
      response: { 200: OnlineRates, ...errorResponses },
    },
  }, async (req) => onlineRates(db, req.query.level, req.query.days, req.query.within));

  app.get('/api/cameras/inspection', {
    schema: {
      summary: "Today's inspection list: cameras offline or damaged, longest down first",
      tags: ['cameras'],
      querystring: InspectionQuery,
      response: { 200: InspectionList, ...errorResponses },
    },
  }, async (req) => asJson(await inspectionList(db, req.query.within)));

  app.get('/api/cameras/coverage', {
    schema: {
      summary: 'Share of each unit covered by the fields of view of cameras online now; blind-spot grids below a share',
      tags: ['cameras'],
      querystring: CoverageQuery,
      response: { 200: CoverageSummary, ...errorResponses },
    },
  }, async (req) => opts.coverage.summary(req.query.level, req.query.blind_below, req.query.within));

  app.get('/api/cameras/seeing', {
    schema: {
      summary: 'The cameras whose field of view covers a point (for video verification of a case or an alarm); stream_url for logged-in staff only',
      tags: ['cameras'],
      querystring: SeeingQuery,
      response: { 200: Seeing, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const [lon, lat] = toWgs84(checkLonLat(q.lon, q.lat), parseCrs(q.crs));
    const cameras = await camerasSeeing(db, lon, lat);
    return { lon, lat, cameras: (await maySeeStreams(req, db)) ? cameras : cameras.map(withoutStream) };
  });
};

export default cameraRoutes;
