// /api/cases/density: case counts per cell in a box, for the map's hexbin and heatmap.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { Density, DensityQuery } from '../../common/api/density.ts';
import { ErrorBody } from '../../common/api/errors.ts';
import { caseDensity, MAX_CELLS, type Bbox } from '../data/density.ts';

/** "w,s,e,n" in degrees → a bbox, or a message saying what is wrong with it. */
export function parseBbox(raw: string): Bbox | string {
  const parts = raw.split(',').map(Number);
  if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v))) return 'bbox must be four numbers: west,south,east,north';
  const [w, s, e, n] = parts;
  if (w < -180 || e > 180 || s < -90 || n > 90) return 'bbox must be in degrees (WGS84): longitude −180…180, latitude −90…90';
  if (w >= e || s >= n) return 'bbox must have west < east and south < north';
  return [w, s, e, n];
}

const densityRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, opts) => {
  app.get('/api/cases/density', {
    schema: {
      summary: 'Case density: cell centroids with counts inside a bounding box',
      description: `Cells come from the trigger-maintained case_cells table at the finest level for the zoom whose cells in the box stay under ${MAX_CELLS}. Each cell is [lon, lat, cases, open cases].`,
      tags: ['cases'],
      querystring: DensityQuery,
      response: { 200: Density, 400: ErrorBody },
    },
  }, async (req, reply) => {
    const bbox = parseBbox(req.query.bbox);
    if (typeof bbox === 'string') return reply.code(400).send({ error: 'bad request', message: bbox });
    reply.header('cache-control', 'no-cache');
    return caseDensity(opts.pool, bbox, req.query.z);
  });
};

export default densityRoutes;
