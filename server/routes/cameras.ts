// Camera operations for the wall and the desktop: online rates with history, the inspection list, grid
// coverage and blind spots, the cameras that see a point.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { camerasSeeing, inspectionList, onlineRates, type Coverage, type Level } from '../cameras/analytics.ts';
import { checkLonLat, parseCrs, toWgs84 } from '../features/geo.ts';
import { crsParam, errorResponses, freeObject, latParam, lonParam, useApiErrors } from '../features/http.ts';
import { maySeeStreams, withoutStream } from '../cameras/stream-access.ts';

const level = { type: 'string', enum: ['district', 'street', 'community', 'grid'], default: 'street' } as const;
const within = { type: 'string', pattern: '^[0-9]{6,12}$', description: 'Only inside this district, street or community code' } as const;

export default async function cameraRoutes(app: FastifyInstance, opts: { pool: pg.Pool; coverage: Coverage }) {
  useApiErrors(app);
  const db = opts.pool;

  app.get('/api/cameras/online', {
    schema: {
      summary: 'Camera online rate per day (history) and now, per district, street, community or grid',
      tags: ['cameras'],
      querystring: { type: 'object', additionalProperties: false, properties: { level, within, days: { type: 'integer', minimum: 1, maximum: 90, default: 30 } } },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query as { level: Level; within?: string; days: number };
    return onlineRates(db, q.level, q.days, q.within);
  });

  app.get('/api/cameras/inspection', {
    schema: {
      summary: "Today's inspection list: cameras offline or damaged, longest down first",
      tags: ['cameras'],
      querystring: { type: 'object', additionalProperties: false, properties: { within } },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => inspectionList(db, (req.query as { within?: string }).within));

  app.get('/api/cameras/coverage', {
    schema: {
      summary: 'Share of each unit covered by the fields of view of cameras online now; blind-spot grids below a share',
      tags: ['cameras'],
      querystring: { type: 'object', additionalProperties: false, properties: { level, within, blind_below: { type: 'number', minimum: 0, maximum: 1, default: 0.1 } } },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query as { level: Level; within?: string; blind_below: number };
    return opts.coverage.summary(q.level, q.blind_below, q.within);
  });

  app.get('/api/cameras/seeing', {
    schema: {
      summary: 'The cameras whose field of view covers a point (for video verification of a case or an alarm); stream_url for logged-in staff only',
      tags: ['cameras'],
      querystring: { type: 'object', required: ['lon', 'lat'], additionalProperties: false, properties: { lon: lonParam, lat: latParam, crs: crsParam } },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query as { lon: number; lat: number; crs?: string };
    const [lon, lat] = toWgs84(checkLonLat(q.lon, q.lat), parseCrs(q.crs));
    const cameras = await camerasSeeing(db, lon, lat);
    return { lon, lat, cameras: (await maySeeStreams(req, db)) ? cameras : cameras.map(withoutStream) };
  });
}
