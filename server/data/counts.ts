// Exact counts of a clustered layer's features inside the map's view, for the layer tree: a cluster on the
// view's edge stands for features on both sides of it, so counts cannot be read off the drawn clusters.
// Cases (millions) are summed from case_cells for the cells wholly inside the view and counted one by one
// only in the thin rim the cells do not cover; the smaller layers are counted directly.
import type { Queryable } from '../tiles/types.ts';
import { cellRange, MAX_LEVEL, type Bbox } from './density.ts';

/** The layers whose tiles cluster, and so whose counts in view come from here. */
export const COUNTED_LAYERS = ['cases', 'cameras', 'manholes'] as const;
export type CountedLayer = (typeof COUNTED_LAYERS)[number];

const HALF = 20037508.342789244;
const R = 6378137;
const lonOf = (x: number) => (x / R) * (180 / Math.PI);
const latOf = (y: number) => (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI);

/** Cells of ~4 screen px: the interior sum reads at most ~10⁵ cells and the rim holds ~2 % of the view. */
export const countLevel = (zoom: number) => Math.max(0, Math.min(MAX_LEVEL, Math.round(zoom) + 2));

const envelope = `ST_MakeEnvelope($1, $2, $3, $4, 4326)`;

// A point's cell at level $5 exactly as case_cell_rows() (migration 005) files it.
const cellX = `floor((ST_X(geom3857) + ${HALF}) / (40075016.685578488 / (2 ^ ($5::int + 5))))`;
const cellY = `floor((${HALF} - ST_Y(geom3857)) / (40075016.685578488 / (2 ^ ($5::int + 5))))`;

/** $1–$4 the view, $5 the level, $6–$9 the interior's cell range, $10–$25 the rim's four strips. */
const CASES_SQL = `
  SELECT (SELECT coalesce(sum(n), 0) FROM case_cells
          WHERE z = $5 AND cx BETWEEN $6 AND $7 AND cy BETWEEN $8 AND $9)
       + (SELECT count(*) FROM cases
          WHERE (geom && ST_MakeEnvelope($10, $11, $12, $13, 4326) OR geom && ST_MakeEnvelope($14, $15, $16, $17, 4326)
                 OR geom && ST_MakeEnvelope($18, $19, $20, $21, 4326) OR geom && ST_MakeEnvelope($22, $23, $24, $25, 4326))
            AND ST_Intersects(geom, ${envelope})
            AND NOT (${cellX} BETWEEN $6 AND $7 AND ${cellY} BETWEEN $8 AND $9)) AS n`;

const TABLE_SQL = (table: CountedLayer) => `SELECT count(*) AS n FROM ${table} WHERE ST_Intersects(geom, ${envelope})`;

/** Cases in the view: the case_cells of level `countLevel(zoom)` wholly inside it plus the points of the rim. */
async function countCases(db: Queryable, bbox: Bbox, zoom: number): Promise<number> {
  const level = countLevel(zoom);
  const r = cellRange(bbox, level);
  // Cells strictly between the edge cells lie wholly inside the view.
  const [cx0, cx1, cy0, cy1] = [r.cx0 + 1, r.cx1 - 1, r.cy0 + 1, r.cy1 - 1];
  if (cx0 > cx1 || cy0 > cy1) return countTable(db, 'cases', bbox);
  // The interior's edges in degrees, the strips reaching ~0.1 m into it: they only pick candidates, the
  // cell test decides.
  const eps = 1e-6;
  const west = lonOf(cx0 * r.size - HALF) + eps;
  const east = lonOf((cx1 + 1) * r.size - HALF) - eps;
  const north = latOf(HALF - cy0 * r.size) - eps;
  const south = latOf(HALF - (cy1 + 1) * r.size) + eps;
  const [w, s, e, n] = bbox;
  const strips = [
    [w, s, west, n], [east, s, e, n], [w, north, e, n], [w, s, e, south],
  ].flat();
  const { rows } = await db.query<{ n: string }>({
    name: 'count_cases_in_view',
    text: CASES_SQL,
    values: [w, s, e, n, level, cx0, cx1, cy0, cy1, ...strips],
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
