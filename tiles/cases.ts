// City-management cases. A tile shows every case as a point when it holds few enough to stay small;
// otherwise clusters from case_cells, the trigger-maintained aggregate, whatever the zoom: with 5.32 M
// cases a z8 tile reads at most 64 rows (1024 at z0) by primary key instead of millions of points.
import { asMvt, CELLS, clusterGeom, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';
import { CLUSTER_CELLS } from '../common/clusters.ts';

/** Points per tile above which the tile shows clusters (≈ 120 KB of points at most). */
export const POINT_LIMIT = 4000;
/** Deepest zoom with pre-aggregated cells (see migration 005); deeper tiles always show points. */
export const CELL_MAX_ZOOM = 16;

// Clusters follow common/clusters.ts's grid (CLUSTER_CELLS per tile side): a z tile reads the case_cells of
// level z - LEVELS_UP, whose cells are exactly that size (below z = LEVELS_UP, level 0 merged 2^(LEVELS_UP - z)
// at a time). Parameters: $1 = z, $2 = x, $3 = y.
const LEVELS_UP = Math.log2(CELLS / CLUSTER_CELLS);
const up = `least($1::int, ${LEVELS_UP})`;
const perTile = `(${CELLS} >> ${up})`;
const merge = `(${LEVELS_UP} - ${up})`;
const HALF = 20037508.342789244;
const side = `(${2 * HALF} / (${CLUSTER_CELLS} * 2 ^ $1::int))`;

const inTile = `z = $1::int - ${up} AND cx BETWEEN $2::int * ${perTile} AND $2::int * ${perTile} + ${perTile} - 1
                AND cy BETWEEN $3::int * ${perTile} AND $3::int * ${perTile} + ${perTile} - 1 AND n > 0`;

const points = asMvt('cases', `
  SELECT id, case_no, status, class_code AS class, item_code AS item, to_char(reported_at, 'YYYY-MM-DD') AS reported_at,
         -- When the case turns overdue, as Unix seconds: the map compares it with the clock, so a cached
         -- tile never shows a stale "overdue" (time passes without any change to the row).
         extract(epoch FROM case_overdue_from(status, deadline_at, suspended_at))::int AS deadline,
         ${mvtGeom()} AS geom
  FROM cases, env WHERE geom3857 && env.b`, 'id');

const clusters = asMvt('cases', `
  SELECT ${clusterGeom('cases', `(${-HALF} + gx * ${side})`, `(${HALF} - gy * ${side})`, side)} AS geom, n AS count, n_open AS open
  FROM (SELECT cx >> ${merge} AS gx, cy >> ${merge} AS gy, sum(n)::int AS n, sum(n_open)::int AS n_open
        FROM case_cells WHERE ${inTile} GROUP BY 1, 2) c, env`);

// InitPlans run on demand, so only the branch taken is computed.
const adaptive = tileSql(`CASE WHEN (SELECT coalesce(sum(n), 0) FROM case_cells WHERE ${inTile}) <= ${POINT_LIMIT}
                          THEN ${points} ELSE ${clusters} END`);
const pointsOnly = tileSql(points);

const layer: TileLayer = {
  id: 'cases',
  name: { zh: '城管案件', en: 'Cases' },
  description: `City-management cases: points where a tile holds ≤ ${POINT_LIMIT}, otherwise clusters with counts (never dropped).`,
  minzoom: 0,
  maxzoom: 18,
  tables: ['cases'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'cases',
    description: 'Cases; features with `count` are clusters',
    fields: {
      id: 'Number', case_no: 'String', status: 'String: workflow state', class: 'String: component | event',
      item: 'String: catalogue item code', reported_at: 'String: date reported',
      deadline: 'Number: deadline of a case that can be overdue, Unix seconds (overdue when in the past); none when closed, rejected or suspended in time',
      count: 'Number: cases in the cluster', open: 'Number: open cases in the cluster',
    },
  }],
  tile: ({ db, z, x, y }) =>
    z > CELL_MAX_ZOOM ? runTile(db, 'tile_cases_pts', pointsOnly, z, x, y) : runTile(db, 'tile_cases', adaptive, z, x, y),
};
export default layer;
