// Exact counts of the points in a bbox without visiting most of them. The trigger-maintained cells
// (case_cells, migration 005: cell (z, cx, cy) holds the number of points whose Web Mercator position
// falls in it) are summed for the cells lying wholly inside the box: coarse cells (about 64 across the
// box) for its bulk, the finest cells (level maxZoom, ≈19 m) in the ring between the coarse cells and the
// box's edge. Only the points in the rim outside the finest cells — under one finest cell wide — are
// counted one by one; each is a random heap visit (cases are not stored in space order), so with a cap the
// count gives up (NULL) when the finest cells the edges cross hold more than `edgeCap` points.
import type { CollectionDef } from './collections.ts';
import { mercator } from './spatial.ts';
import type { BuiltQuery } from './items.ts';
import { Params } from './sql.ts';

const R = 20037508.342789244;
const WORLD = 40075016.685578488;
/** Coarse cells across the smaller side of the box we aim for, and the most coarse cells summed. */
const ACROSS = 64;
const MAX_CELLS = 16_384;
/** Interior cells keep this far (m) inside the box, so rounding can never put their points outside it. */
const EPS = 0.01;

export interface CellRange { z: number; size: number; x0: number; x1: number; y0: number; y1: number }

/** The cells of level z wholly inside the Mercator box (an empty range when none is). */
function inside(z: number, [bx0, by0, bx1, by1]: number[]): CellRange {
  const size = WORLD / 2 ** (z + 5);
  return {
    z, size,
    x0: Math.ceil((bx0 + R + EPS) / size),
    x1: Math.floor((bx1 + R - EPS) / size) - 1,
    y0: Math.ceil((R - by1 + EPS) / size),
    y1: Math.floor((R - by0 - EPS) / size) - 1,
  };
}
const empty = (r: CellRange) => r.x0 > r.x1 || r.y0 > r.y1;

/**
 * Which cells a count of `bbox` sums: coarse cells wholly inside it, the finest cells wholly inside it, and
 * the coarse cells' area in finest cells (the hole the ring of finest cells goes around). Null when the box
 * does not hold a whole finest cell.
 */
export function cellPlan(bbox: [number, number, number, number], maxZoom: number): { coarse: CellRange; fine: CellRange; hole: Omit<CellRange, 'z' | 'size'> } | null {
  const [w, s, e, n] = bbox;
  const box = [...mercator(w, s), ...mercator(e, n)];
  const side = Math.min(box[2] - box[0], box[3] - box[1]);
  if (!(side > 0)) return null;
  const fine = inside(maxZoom, box);
  if (empty(fine)) return null;
  let z = Math.max(0, Math.min(maxZoom, Math.floor(Math.log2(WORLD / (side / ACROSS))) - 5));
  let coarse = inside(z, box);
  while (z > 0 && (coarse.x1 - coarse.x0 + 1) * (coarse.y1 - coarse.y0 + 1) > MAX_CELLS) coarse = inside(--z, box);
  // With no coarse cell, one empty range (the ring is all of it).
  const k = 2 ** (fine.z - coarse.z);
  const hole = empty(coarse)
    ? { x0: fine.x0, x1: fine.x0 - 1, y0: fine.y0, y1: fine.y0 - 1 }
    : { x0: coarse.x0 * k, x1: (coarse.x1 + 1) * k - 1, y0: coarse.y0 * k, y1: (coarse.y1 + 1) * k - 1 };
  return { coarse, fine, hole };
}

/**
 * The count statement for `bbox` over a collection with cells, or null when the box is too small to
 * hold a whole finest cell (then a plain count is cheap anyway). Uses the same floor() as case_cell_rows().
 * `edgeCap` null counts the rim whatever it holds.
 */
export function buildCellCountSql(c: Pick<CollectionDef, 'table' | 'cells'>, bbox: [number, number, number, number], edgeCap: number | null): BuiltQuery | null {
  const cellsTable = c.cells?.table;
  const plan = c.cells && cellPlan(bbox, c.cells.maxZoom);
  if (!plan || !cellsTable) return null;
  const { coarse, fine, hole } = plan;
  const box = [...mercator(bbox[0], bbox[1]), ...mercator(bbox[2], bbox[3])];
  const p = new Params();
  const int = (v: number) => p.add(v, 'int');
  const sum = (z: number, x0: number, x1: number, y0: number, y1: number) =>
    `(SELECT coalesce(sum(n), 0) FROM ${cellsTable} WHERE z = ${int(z)} AND cx BETWEEN ${int(x0)} AND ${int(x1)} AND cy BETWEEN ${int(y0)} AND ${int(y1)})`;
  const cells = [
    empty(coarse) ? '0' : sum(coarse.z, coarse.x0, coarse.x1, coarse.y0, coarse.y1),
    sum(fine.z, fine.x0, hole.x0 - 1, fine.y0, fine.y1),
    sum(fine.z, hole.x1 + 1, fine.x1, fine.y0, fine.y1),
    sum(fine.z, hole.x0, hole.x1, fine.y0, hole.y0 - 1),
    sum(fine.z, hole.x0, hole.x1, hole.y1 + 1, fine.y1),
  ].join(' + ');

  // The finest cells in Mercator metres: x in [ix0, ix1), y in (iy0, iy1].
  const [ix0, ix1, iy0, iy1] = [fine.x0 * fine.size - R, (fine.x1 + 1) * fine.size - R, R - (fine.y1 + 1) * fine.size, R - fine.y0 * fine.size];
  const env = (bx0: number, by0: number, bx1: number, by1: number) =>
    `t.geom3857 && ST_MakeEnvelope(${[bx0 - 1, by0 - 1, bx1 + 1, by1 + 1].map((v) => p.add(v, 'float8')).join(', ')}, 3857)`;
  // Four strips covering the box minus the finest cells (each a metre wider, for the index only).
  const strips = [env(box[0], box[1], ix0, box[3]), env(ix1, box[1], box[2], box[3]), env(ix0, box[1], ix1, iy0), env(ix0, iy1, ix1, box[3])];
  const [pw, ps, pe, pn] = bbox.map((v) => p.add(v, 'float8'));
  const psize = p.add(fine.size, 'float8');
  const rimRows = `SELECT 1 FROM ${c.table} t
       WHERE (${strips.join(' OR ')})
         AND ST_X(t.geom) BETWEEN ${pw} AND ${pe} AND ST_Y(t.geom) BETWEEN ${ps} AND ${pn}
         AND NOT (floor((ST_X(t.geom3857) + ${R}) / ${psize}) BETWEEN ${int(fine.x0)} AND ${int(fine.x1)}
                  AND floor((${R} - ST_Y(t.geom3857)) / ${psize}) BETWEEN ${int(fine.y0)} AND ${int(fine.y1)})`;
  if (edgeCap === null) return { text: `SELECT ${cells} + (SELECT count(*) FROM (${rimRows}) rim) AS n`, values: p.values };
  // The finest cells the box's edges cross hold every rim point: their sum bounds the visits, and the rim is
  // counted (its InitPlan runs on demand, inside the CASE) only when the bound is within the cap.
  const bound = [
    sum(fine.z, fine.x0 - 1, fine.x0 - 1, fine.y0 - 1, fine.y1 + 1),
    sum(fine.z, fine.x1 + 1, fine.x1 + 1, fine.y0 - 1, fine.y1 + 1),
    sum(fine.z, fine.x0, fine.x1, fine.y0 - 1, fine.y0 - 1),
    sum(fine.z, fine.x0, fine.x1, fine.y1 + 1, fine.y1 + 1),
  ].join(' + ');
  const cap = p.add(edgeCap, 'int');
  const text = `SELECT CASE WHEN ${bound} <= ${cap} THEN ${cells} + (SELECT count(*) FROM (${rimRows}) rim) END AS n`;
  return { text, values: p.values };
}
