// The unit grid of what lies in one, derived from positions as everywhere else in the app (the pipes'
// trigger of migration 008, the case store's GRID_AT_SQL): the grid whose polygon holds the point — a
// reach's midpoint — and on a shared edge the one with the lowest code. A camera import derives its
// cameras'; a grid import that changes the grid set derives again those of the cases, cameras, pipes,
// hazards and misconnections in the area whose grids changed.
import type { Tx } from './types.ts';

/** Tables with a grid_code derived from their geometry. */
export type GridCoded = 'cameras' | 'pipes' | 'hazards' | 'misconnections';

// min(), not ORDER BY code LIMIT 1: PostgreSQL would walk the grids in code order testing each polygon
// instead of asking the spatial index.
export const gridAt = (point: string) => `(SELECT min(g.code) FROM grids g WHERE ST_Intersects(g.geom, ${point}))`;

/**
 * Rows updated per statement. The cameras' live-event trigger (migration 010) joins a statement's old and
 * new rows without an index: its cost grows with the square of the rows one statement changes (11 s for
 * 10,000), so many changes go in statements of this many.
 */
export const ROWS_PER_UPDATE = 1000;

/** Sets grid_code of the rows of `table` whose id `ids` (SQL selecting ids) lists; how many changed. */
export async function deriveGridCodes(tx: Tx, table: GridCoded, ids: string): Promise<number> {
  const point = table === 'pipes' ? 'ST_LineInterpolatePoint(t.geom, 0.5)' : 't.geom';
  const { rows } = await tx.query<{ id: number; code: string | null }>(
    `SELECT t.id, n.code FROM ${table} t CROSS JOIN LATERAL (SELECT ${gridAt(point)} AS code) n
     WHERE t.id IN (${ids}) AND t.grid_code IS DISTINCT FROM n.code ORDER BY t.id`);
  for (let i = 0; i < rows.length; i += ROWS_PER_UPDATE) {
    const chunk = rows.slice(i, i + ROWS_PER_UPDATE);
    await tx.query(`UPDATE ${table} u SET grid_code = c.code FROM unnest($1::int[], $2::text[]) AS c(id, code) WHERE u.id = c.id`,
      [chunk.map((r) => r.id), chunk.map((r) => r.code)]);
  }
  return rows.length;
}

/** Grid, community and street of the cases whose id `ids` lists, from the grid at their position; how many changed. */
export async function deriveCaseGrids(tx: Tx, ids: string): Promise<number> {
  const r = await tx.query(
    `UPDATE cases u SET grid_code = n.code, community_code = n.community_code, street_code = n.street_code
     FROM (SELECT c.id, g.code, g.community_code, m.street_code FROM cases c
           LEFT JOIN grids g ON g.code = ${gridAt('c.geom')}
           LEFT JOIN communities m ON m.code = g.community_code
           WHERE c.id IN (${ids})) n
     WHERE u.id = n.id AND (u.grid_code, u.community_code, u.street_code) IS DISTINCT FROM (n.code, n.community_code, n.street_code)`);
  return r.rowCount ?? 0;
}

/** Ids of the rows of `table` that meet a geometry of the temporary table `area` (index scans from each). */
export const idsIn = (table: string, area: string) =>
  `SELECT x.id FROM ${area} a JOIN ${table} x ON x.geom && a.geom AND ST_Intersects(a.geom, x.geom)`;

/** Everything that lies in the area (a temporary table of geometries) derived again; counts by table. */
export async function deriveGridCodesIn(tx: Tx, area: string): Promise<Record<'cases' | GridCoded, number>> {
  return {
    cases: await deriveCaseGrids(tx, idsIn('cases', area)),
    cameras: await deriveGridCodes(tx, 'cameras', idsIn('cameras', area)),
    pipes: await deriveGridCodes(tx, 'pipes', idsIn('pipes', area)),
    hazards: await deriveGridCodes(tx, 'hazards', idsIn('hazards', area)),
    misconnections: await deriveGridCodes(tx, 'misconnections', idsIn('misconnections', area)),
  };
}
