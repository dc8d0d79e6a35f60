// Exact counts of a clustered layer's features inside the map's view, for the layer tree: a cluster on the
// view's edge stands for features on both sides of it, so counts cannot be read off the drawn clusters.
// Cases (millions) are summed from case_cells for the cells wholly inside the view and counted one by one
// only in the rim (under 19 m wide) the cells do not cover; the smaller layers are counted directly.
import type { Queryable } from '../tiles/types.ts';
import { cellRange, MAX_LEVEL, type Bbox } from './density.ts';

/** The layers whose tiles cluster, and so whose counts in view come from here. */
export const COUNTED_LAYERS = ['cases', 'cameras', 'manholes'] as const;
export type CountedLayer = (typeof COUNTED_LAYERS)[number];

const HALF = 20037508.342789244;
const R = 6378137;
const lonOf = (x: number) => (x / R) * (180 / Math.PI);
const latOf = (y: number) => (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI);

/** Cells of ~4 screen px for the bulk of the view: at most ~10⁵ rows to sum. */
export const countLevel = (zoom: number) => Math.max(0, Math.min(MAX_LEVEL, Math.round(zoom) + 2));

const envelope = `ST_MakeEnvelope($1, $2, $3, $4, 4326)`;

// A point's cell at the finest level ($5) exactly as case_cell_rows() (migration 005) files it.
const cellX = `floor((ST_X(geom3857) + ${HALF}) / (40075016.685578488 / (2 ^ ($5::int + 5))))`;
const cellY = `floor((${HALF} - ST_Y(geom3857)) / (40075016.685578488 / (2 ^ ($5::int + 5))))`;
const cellSum = (z: string, x0: string, x1: string, y0: string, y1: string) =>
  `(SELECT coalesce(sum(n), 0) FROM case_cells WHERE z = ${z} AND cx BETWEEN ${x0} AND ${x1} AND cy BETWEEN ${y0} AND ${y1})`;

/**
 * $1–$4 the view; $5 the finest level F and $6–$9 the F cells wholly inside the view; $10 the coarse level C
 * and $11–$14 the C cells wholly inside the view, $15–$18 the same area in F cells; $19–$34 the four strips
 * of the rim outside the F cells. The view = C cells + the ring of F cells around them + the rim's points.
 */
const CASES_SQL = `
  SELECT ${cellSum('$10', '$11', '$12', '$13', '$14')}
       + ${cellSum('$5', '$6', '$15::int - 1', '$8', '$9')}
       + ${cellSum('$5', '$16::int + 1', '$7', '$8', '$9')}
       + ${cellSum('$5', '$15', '$16', '$8', '$17::int - 1')}
       + ${cellSum('$5', '$15', '$16', '$18::int + 1', '$9')}
       + (SELECT count(*) FROM cases
          WHERE (geom && ST_MakeEnvelope($19, $20, $21, $22, 4326) OR geom && ST_MakeEnvelope($23, $24, $25, $26, 4326)
                 OR geom && ST_MakeEnvelope($27, $28, $29, $30, 4326) OR geom && ST_MakeEnvelope($31, $32, $33, $34, 4326))
            AND ST_Intersects(geom, ${envelope})
            AND NOT (${cellX} BETWEEN $6 AND $7 AND ${cellY} BETWEEN $8 AND $9)) AS n`;

const TABLE_SQL = (table: CountedLayer) => `SELECT count(*) AS n FROM ${table} WHERE ST_Intersects(geom, ${envelope})`;

/** Cells wholly inside the box at a level: those strictly between the cells its edges fall in. */
function inner(bbox: Bbox, level: number) {
  const r = cellRange(bbox, level);
  return { x0: r.cx0 + 1, x1: r.cx1 - 1, y0: r.cy0 + 1, y1: r.cy1 - 1, size: r.size };
}

/**
 * Cases in the view: case_cells of level `countLevel(zoom)` wholly inside it, a ring of the finest cells
 * (≈19 m) around those, and the points of the rim that no cell wholly inside covers.
 */
async function countCases(db: Queryable, bbox: Bbox, zoom: number): Promise<number> {
  const f = inner(bbox, MAX_LEVEL);
  if (f.x0 > f.x1 || f.y0 > f.y1) return countTable(db, 'cases', bbox);
  let coarse = countLevel(zoom);
  let c = inner(bbox, coarse);
  // No coarse cell wholly inside: the finest cells' ring is all of it (one empty coarse range).
  if (c.x0 > c.x1 || c.y0 > c.y1) [coarse, c] = [MAX_LEVEL, { ...f, x1: f.x0 - 1, y1: f.y0 - 1 }];
  const k = 2 ** (MAX_LEVEL - coarse);
  // The coarse cells' area in finest cells (an empty range when there are none).
  const cf = c.x0 > c.x1 ? [f.x0, f.x0 - 1, f.y0, f.y0 - 1] : [c.x0 * k, (c.x1 + 1) * k - 1, c.y0 * k, (c.y1 + 1) * k - 1];
  // The finest cells' edges in degrees, the strips reaching ~0.1 m into them: they only pick candidates,
  // the cell test decides.
  const eps = 1e-6;
  const west = lonOf(f.x0 * f.size - HALF) + eps;
  const east = lonOf((f.x1 + 1) * f.size - HALF) - eps;
  const north = latOf(HALF - f.y0 * f.size) - eps;
  const south = latOf(HALF - (f.y1 + 1) * f.size) + eps;
  const [w, s, e, n] = bbox;
  const strips = [[w, s, west, n], [east, s, e, n], [w, north, e, n], [w, s, e, south]].flat();
  const { rows } = await db.query<{ n: string }>({
    name: 'count_cases_in_view',
    text: CASES_SQL,
    values: [w, s, e, n, MAX_LEVEL, f.x0, f.x1, f.y0, f.y1, coarse, c.x0, c.x1, c.y0, c.y1, ...cf, ...strips],
  });
  return Number(rows[0].n);
}

async function countTable(db: Queryable, table: CountedLayer, bbox: Bbox): Promise<number> {
  const { rows } = await db.query<{ n: string }>({ name: `count_${table}_in_view`, text: TABLE_SQL(table), values: bbox });
  return Number(rows[0].n);
}

/** Features of each layer inside the view (WGS84 bbox) at a map zoom. */
export async function countsInView(db: Queryable, layers: readonly CountedLayer[], bbox: Bbox, zoom: number): Promise<Partial<Record<CountedLayer, number>>> {
  const out: Partial<Record<CountedLayer, number>> = {};
  for (const layer of layers) out[layer] = layer === 'cases' ? await countCases(db, bbox, zoom) : await countTable(db, layer, bbox);
  return out;
}
