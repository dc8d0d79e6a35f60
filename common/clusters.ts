// The one rule for clusters, shared by the tiles (where a cluster is placed) and the map (how big it is
// drawn), so that clusters never overlap at any zoom, within a layer or across layers: a tile is cut into
// cells of CLUSTER_CELL_PX; each clustered layer owns one quadrant of every cell (CLUSTER_SLOT) and its
// cluster for the cell sits at that quadrant's centre, so two clusters are at least 2 × CLUSTER_INSET_PX
// apart; a circle (with its stroke) is at most that inset in radius, and its count fits inside it.
/** Side of a cluster cell on a 512 px tile at the tile's zoom (the map shows it between 1× and 2×). */
export const CLUSTER_CELL_PX = 64;
/** Cells per tile side. */
export const CLUSTER_CELLS = 512 / CLUSTER_CELL_PX;
/** Half a quadrant: the least distance from a cluster's centre to its quadrant's edge. */
export const CLUSTER_INSET_PX = CLUSTER_CELL_PX / 4;
/** Circle stroke width. */
export const CLUSTER_STROKE_PX = 1.5;
/** Largest circle radius: with its stroke it stays under the inset, leaving a gap between neighbours. */
export const CLUSTER_MAX_RADIUS_PX = CLUSTER_INSET_PX - CLUSTER_STROKE_PX - 0.5;

/**
 * The layers GET /api/counts counts in a view: those drawn as clusters at low zoom. Here rather than in the
 * route's contract so that the map reads it without loading the schema library.
 */
export const COUNT_LAYERS = ['cases', 'cameras', 'manholes'] as const;

/** The quadrant of the cell each clustered layer draws in (0 NW, 1 NE, 2 SW, 3 SE). */
export const CLUSTER_SLOT: Readonly<Record<string, 0 | 1 | 2 | 3>> = { cases: 0, cameras: 1, manholes: 2 };

/** Where a layer's cluster sits in its cell, as fractions of the cell's side from its west and north edges. */
export function clusterOffset(layer: string): { east: number; south: number } {
  const slot = CLUSTER_SLOT[layer] ?? 3;
  return { east: slot % 2 === 0 ? 0.25 : 0.75, south: slot < 2 ? 0.25 : 0.75 };
}
