// /api/cases/density: case counts per cell in a box, for the map's hexbin and heatmap.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { caseDensity, MAX_CELLS, type Bbox } from '../data/density.ts';

const NUM = '-?\\d+(\\.\\d+)?';

/** "w,s,e,n" in degrees → a bbox, or a message saying what is wrong with it. */
export function parseBbox(raw: string): Bbox | string {
  const parts = raw.split(',').map(Number);
  if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v))) return 'bbox must be four numbers: west,south,east,north';
  const [w, s, e, n] = parts;
  if (w < -180 || e > 180 || s < -90 || n > 90) return 'bbox must be in degrees (WGS84): longitude −180…180, latitude −90…90';
  if (w >= e || s >= n) return 'bbox must have west < east and south < north';
  return [w, s, e, n];
}

export default async function densityRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  app.get('/api/cases/density', {
    schema: {
      summary: 'Case density: cell centroids with counts inside a bounding box',
      description: `Cells come from the trigger-maintained case_cells table at the finest level for the zoom whose cells in the box stay under ${MAX_CELLS}. Each cell is [lon, lat, cases, open cases].`,
      tags: ['cases'],
      querystring: {
        type: 'object',
        required: ['bbox'],
        properties: {
          bbox: { type: 'string', pattern: `^${NUM},${NUM},${NUM},${NUM}$`, maxLength: 120, description: 'west,south,east,north in degrees' },
          z: { type: 'number', minimum: 0, maximum: 24, default: 12, description: 'map zoom the cells are for' },
        },
        additionalProperties: false,
      },
      response: {
        200: {
          type: 'object',
          required: ['level', 'cellSize', 'cells'],
          properties: {
            level: { type: 'integer' },
            cellSize: { type: 'number', description: 'cell side in EPSG:3857 metres' },
            cells: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 } },
          },
        },
      },
    },
  }, async (req: FastifyRequest<{ Querystring: { bbox: string; z: number } }>, reply) => {
    const bbox = parseBbox(req.query.bbox);
    if (typeof bbox === 'string') return reply.code(400).send({ error: 'bad request', message: bbox });
    reply.header('cache-control', 'no-cache');
    return caseDensity(opts.pool, bbox, req.query.z);
  });
}
