// The one rule for clusters, shared by the tiles (where a cluster is placed) and the map (how big it is
// drawn), so that clusters never overlap at any zoom: a tile is cut into cells of CLUSTER_CELL_PX; a cell's
// cluster sits at the centroid of its points held at least CLUSTER_INSET_PX inside the cell, so two
// clusters are at least 2 × CLUSTER_INSET_PX apart; a circle (with its stroke) is at most that inset in
// radius, and its count fits inside it.
/** Side of a cluster cell on a 512 px tile at the tile's zoom (the map shows it between 1× and 2×). */
export const CLUSTER_CELL_PX = 64;
/** Cells per tile side. */
export const CLUSTER_CELLS = 512 / CLUSTER_CELL_PX;
/** How far inside its cell a cluster is held. */
export const CLUSTER_INSET_PX = 16;
/** Circle stroke width. */
export const CLUSTER_STROKE_PX = 1.5;
/** Largest circle radius: with its stroke it stays under the inset, leaving a gap between neighbours. */
export const CLUSTER_MAX_RADIUS_PX = CLUSTER_INSET_PX - CLUSTER_STROKE_PX - 0.5;
