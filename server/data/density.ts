// Case density for the map's hexbin and heatmap, read from case_cells (migration 005): the trigger-kept
// aggregate of cases per cell, one level per zoom, a level-z cell being 1/32 of a z tile. The answer is
// cell centroids with counts, at the finest level whose cells in the box stay under a cap, so a 4K view
// and a laptop view both get a few thousand weighted points instead of millions of cases.
import type { Density } from '../../common/api/density.ts';
import type { Queryable } from '../tiles/types.ts';
import { readOnStandby } from '../db/replica.ts';

/** Half the Web Mercator world width in metres (EPSG:3857). */
const HALF = 20037508.342789244;
const R = 6378137;
/** Cells per tile side (tiles/cases.ts CELLS) and the deepest level case_cells keeps (CELL_MAX_ZOOM). */
const CELLS_LOG2 = 5;
export const MAX_LEVEL = 16;
export const MAX_CELLS = 20_000;

export type Bbox = [west: number, south: number, east: number, north: number];

/** A cell centroid and its counts: [lon, lat, cases, open cases]. */
export type DensityCell = [number, number, number, number];

/** Cells with counts, the level they come from and their size (GET /api/cases/density). */
export type { Density } from '../../common/api/density.ts';

const mercX = (lon: number) => (lon * Math.PI * R) / 180;
const mercY = (lat: number) => R * Math.log(Math.tan(Math.PI / 4 + (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 360));
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
export const toLon = (x: number) => round6((x / R) * (180 / Math.PI));
export const toLat = (y: number) => round6((2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI));

/** Cell index range of a bbox at a level, clamped to the world. */
export function cellRange(bbox: Bbox, level: number): { cx0: number; cx1: number; cy0: number; cy1: number; size: number } {
  const size = (2 * HALF) / 2 ** (level + CELLS_LOG2);
  const max = 2 ** (level + CELLS_LOG2) - 1;
  const clamp = (v: number) => Math.max(0, Math.min(max, v));
  return {
    cx0: clamp(Math.floor((mercX(bbox[0]) + HALF) / size)),
    cx1: clamp(Math.floor((mercX(bbox[2]) + HALF) / size)),
    cy0: clamp(Math.floor((HALF - mercY(bbox[3])) / size)),
    cy1: clamp(Math.floor((HALF - mercY(bbox[1])) / size)),
    size,
  };
}

/** Level for a map zoom: cells of ~8 screen px (level z+1) when the view is small enough. */
export function levelFor(z: number): number {
  return Math.max(0, Math.min(MAX_LEVEL, Math.round(z) + 1));
}

const SQL = `
  SELECT sx / n AS x, sy / n AS y, n, n_open FROM case_cells
  WHERE z = $1 AND cx BETWEEN $2 AND $3 AND cy BETWEEN $4 AND $5 AND n > 0
  LIMIT $6`;

export async function caseDensity(db: Queryable, bbox: Bbox, zoom: number, cap = MAX_CELLS): Promise<Density> {
  return readOnStandby(db, async () => {
    let level = levelFor(zoom);
    // Fewer than cap·4 cells in the box's grid can hold at most that many non-empty ones: skip levels that surely overflow.
    while (level > 0) {
      const r = cellRange(bbox, level);
      if ((r.cx1 - r.cx0 + 1) * (r.cy1 - r.cy0 + 1) <= cap * 4) break;
      level--;
    }
    for (;;) {
      const r = cellRange(bbox, level);
      const { rows } = await db.query<{ x: number; y: number; n: number; n_open: number }>({
        name: 'case_density',
        text: SQL,
        values: [level, r.cx0, r.cx1, r.cy0, r.cy1, cap + 1],
      });
      if (rows.length <= cap || level === 0) {
        return {
          level,
          cellSize: r.size,
          cells: rows.slice(0, cap).map((c) => [toLon(c.x), toLat(c.y), c.n, c.n_open]),
        };
      }
      level--; // too many non-empty cells: one level coarser has a quarter as many
    }
  });
}
