// City-management cases. A tile shows every case as a point when it holds few enough to stay small;
// otherwise clusters from case_cells, the trigger-maintained aggregate, whatever the zoom: with 5.32 M
// cases a z8 tile reads at most 64 rows (1024 at z0) by primary key instead of millions of points.
import { CLUSTER_CELLS } from '../common/clusters.ts';
import { CASE_CLASSES, CASE_SOURCES, CASE_STATUSES } from '../common/enums.ts';
import { consentedSql } from '../server/cases/access.ts';
import { collectionOf, synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { agg } from '../server/features/related-sql.ts';
import { asMvt, CELLS, clusterGeom, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

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

// Public: no free text (a report's description may name people), no reporter, no photos; staff read
// those through /api/cases, which knows who is asking.
const P = {
  case_no: { type: 'string', title: 'Case number' },
  class_code: { type: 'string', title: 'Class', enum: CASE_CLASSES },
  item_code: { type: 'string', title: 'Catalogue item code' },
  source: { type: 'string', title: 'Source', enum: CASE_SOURCES },
  status: { type: 'string', title: 'Status', enum: CASE_STATUSES },
  // A citizen's address text only with their consent (Open311 x_publish), as in Open311.
  address: { type: 'string', title: 'Address', sql: consentedSql('t', 'address') },
  reported_at: { type: 'date-time', title: 'Reported at' },
  dispatched_at: { type: 'date-time', title: 'Dispatched at' },
  deadline_at: { type: 'date-time', title: 'Deadline' },
  closed_at: { type: 'date-time', title: 'Closed at' },
  grid_code: { type: 'string', title: 'Unit grid code', pg: 'bpchar' },
  community_code: { type: 'string', title: 'Community code', pg: 'bpchar' },
  street_code: { type: 'string', title: 'Street code', pg: 'bpchar' },
  updated_at: { type: 'date-time', title: 'Last change' },
  synthetic,
} satisfies Record<string, PropertyDef>;

// Anyone may read this: the steps' times, not who took them, their notes or photos (people's faces,
// names, addresses). Staff read those through /api/cases/{id}, which checks who is asking.
const related = `json_build_object(
    'item', (SELECT json_build_object('code', i.code, 'name_zh', i.name_zh, 'name_en', i.name_en, 'deadline_hours', i.deadline_hours,
        'urgency', i.urgency, 'subclass', json_build_object('code', s.code, 'name_zh', s.name_zh, 'name_en', s.name_en))
      FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code WHERE i.code = t.item_code),
    'transitions', ${agg(`json_build_object('id', x.id, 'from_status', x.from_status, 'to_status', x.to_status, 'at', x.at)`,
      'x.at, x.id', 'FROM case_transitions x WHERE x.case_id = t.id')})`;

const base = {
  id: 'cases',
  name: { zh: '城管案件', en: 'City-management cases' },
  description: 'Cases (部件/事件) through their workflow from report to close.',
  table: 'cases',
};

const layer: TileLayer = {
  id: base.id,
  name: base.name,
  description: `${base.description} Points where a tile holds ≤ ${POINT_LIMIT}, otherwise clusters with counts (never dropped).`,
  minzoom: 0,
  maxzoom: 18,
  tables: ['cases'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'cases',
    description: 'Cases; features with `count` are clusters',
    fields: {
      id: 'Number', case_no: P.case_no, status: P.status, class: P.class_code,
      item: P.item_code, reported_at: { ...P.reported_at, type: 'date' },
      deadline: 'Number: deadline of a case that can be overdue, Unix seconds (overdue when in the past); none when closed, rejected or suspended in time',
      count: 'Number: cases in the cluster', open: 'Number: open cases in the cluster',
    },
  }],
  tile: ({ db, z, x, y }) =>
    z > CELL_MAX_ZOOM ? runTile(db, 'tile_cases_pts', pointsOnly, z, x, y) : runTile(db, 'tile_cases', adaptive, z, x, y),
  collections: [collectionOf(base, {
    order: 120, key: { column: 'id', type: 'bigint' }, geometryType: 'Point', datetime: 'reported_at', label: { code: 't.case_no' }, large: true,
    // case_cells (migration 005) holds trigger-maintained counts; level 0 is one cell with every case.
    totalSql: 'SELECT coalesce(sum(n), 0)::bigint AS n FROM case_cells WHERE z = 0',
    cells: { table: 'case_cells', maxZoom: CELL_MAX_ZOOM },
    properties: P,
    related: { sql: related, describe: 'item, transitions' },
  })],
};
export default layer;
