// Exact counts of the points in a bbox without visiting most of them. The trigger-maintained cells
// (case_cells, migration 005: cell (z, cx, cy) holds the number of points whose Web Mercator position
// falls in it) are summed for every cell lying wholly inside the box; only the points in the box's
// ragged edge — outside those cells — are counted one by one. With ~64 cells across the box the edge
// holds a few per cent of its points. Each of those is a random heap visit (cases are not stored in
// space order), so when the cells along the edge hold more than `edgeCap` points the count is not
// made at all (NULL: numberMatched is omitted) rather than cost a page ten times over.
import type { CollectionDef } from './collections.ts';
import { mercator } from './spatial.ts';
import type { BuiltQuery } from './items.ts';
import { Params } from './sql.ts';

const R = 20037508.342789244;
const WORLD = 40075016.685578488;
/** Cells across the smaller side of the box we aim for, and the most cells summed. */
const ACROSS = 64;
const MAX_CELLS = 16_384;
/** Interior cells keep this far (m) inside the box, so rounding can never put their points outside it. */
const EPS = 0.01;

/**
 * The count statement for `bbox` over a collection with cells, or null when the box is too small to
 * hold a whole cell (then a plain count is cheap anyway). Uses the same floor() as case_cell_rows().
 */
export function buildCellCountSql(c: CollectionDef, bbox: [number, number, number, number], edgeCap: number): BuiltQuery | null {
  if (!c.cells) return null;
  const [w, s, e, n] = bbox;
  const [x0, y0] = mercator(w, s);
  const [x1, y1] = mercator(e, n);
  const side = Math.min(x1 - x0, y1 - y0);
  if (!(side > 0)) return null;
  let z = Math.min(c.cells.maxZoom, Math.floor(Math.log2(WORLD / (side / ACROSS))) - 5);
  if (z < 0) return null;
  let size = 0;
  let [a, b, cy0, cy1] = [0, -1, 0, -1];
  for (; z >= 0; z--) {
    size = WORLD / 2 ** (z + 5);
    a = Math.ceil((x0 + R + EPS) / size);
    b = Math.floor((x1 + R - EPS) / size) - 1;
    cy0 = Math.ceil((R - y1 + EPS) / size);
    cy1 = Math.floor((R - y0 - EPS) / size) - 1;
    if ((b - a + 1) * (cy1 - cy0 + 1) <= MAX_CELLS) break;
  }
  if (z < 0 || a > b || cy0 > cy1) return null;

  // The interior in Mercator metres: x in [ix0, ix1), y in (iy0, iy1].
  const [ix0, ix1, iy0, iy1] = [a * size - R, (b + 1) * size - R, R - (cy1 + 1) * size, R - cy0 * size];
  const p = new Params();
  const box = (bx0: number, by0: number, bx1: number, by1: number) =>
    `t.geom3857 && ST_MakeEnvelope(${[bx0 - 1, by0 - 1, bx1 + 1, by1 + 1].map((v) => p.add(v, 'float8')).join(', ')}, 3857)`;
  // Four strips covering box minus interior (each a metre wider, for the index only).
  const strips = [box(x0, y0, ix0, y1), box(ix1, y0, x1, y1), box(ix0, y0, ix1, iy0), box(ix0, iy1, ix1, y1)];
  const [pz, pa, pb, pc, pd, psize] = [p.add(z, 'int'), p.add(a, 'int'), p.add(b, 'int'), p.add(cy0, 'int'), p.add(cy1, 'int'), p.add(size, 'float8')];
  const [pw, ps, pe, pn] = bbox.map((v) => p.add(v, 'float8'));
  const cap = p.add(edgeCap, 'int');
  // One pass over the cells of the interior and the ring around it; the edge's points are counted
  // only when the ring is light (the strips' InitPlan runs on demand, inside the CASE).
  const text = `WITH k AS (
      SELECT coalesce(sum(x.n_all), 0) AS n_all, coalesce(sum(x.n_in), 0) AS n_in
      FROM generate_series(${pa} - 1, ${pb} + 1) AS gx(cx),
        LATERAL (SELECT sum(n) AS n_all, sum(n) FILTER (WHERE gx.cx BETWEEN ${pa} AND ${pb} AND cy BETWEEN ${pc} AND ${pd}) AS n_in
                 FROM ${c.cells.table} WHERE z = ${pz} AND cx = gx.cx AND cy BETWEEN ${pc} - 1 AND ${pd} + 1) x)
    SELECT CASE WHEN k.n_all - k.n_in <= ${cap} THEN k.n_in + (SELECT count(*) FROM ${c.table} t
       WHERE (${strips.join(' OR ')})
         AND ST_X(t.geom) BETWEEN ${pw} AND ${pe} AND ST_Y(t.geom) BETWEEN ${ps} AND ${pn}
         AND NOT (floor((ST_X(t.geom3857) + ${R}) / ${psize}) BETWEEN ${pa} AND ${pb}
                  AND floor((${R} - ST_Y(t.geom3857)) / ${psize}) BETWEEN ${pc} AND ${pd})) END AS n
    FROM k`;
  return { text, values: p.values };
}
