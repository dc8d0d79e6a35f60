// Network design checks (GET /api/network/checks, and after every network import): one set-based SQL
// statement finds every breach of the rules of server/domain/network/checks.ts (codes, severities,
// thresholds) among the reaches and manholes in scope (an area, an import, or the whole network). The
// way to an outfall is walked over the whole network: a reach in the area may drain outside it.
import type pg from 'pg';
import {
  CHECK_CODES, CHECK_LIMITS, CHECK_SEVERITY, OUTLET_FACILITY_KINDS, OUTLET_MANHOLE_KINDS, severityRank,
  type CheckCode, type Severity,
} from '../domain/network/checks.ts';
import { readOnStandby } from '../db/replica.ts';
import { MAX_FINDINGS } from '../../common/api/network.ts';

export interface CheckScope {
  /** west, south, east, north (WGS84) */
  bbox?: [number, number, number, number] | null;
  import_id?: number | null;
}

export interface Finding {
  code: CheckCode;
  severity: Severity;
  pipe: { id: number; code: string } | null;
  manhole: { id: number; code: string } | null;
  /** The numbers the reason is told with (levels in m, diameters in mm, the other reach's id…). */
  values: Record<string, number | string | null>;
  /** Where to show it: the reach's middle or the manhole. */
  lon: number;
  lat: number;
}

export interface CheckRun {
  total: number;
  counts: Partial<Record<CheckCode, number>>;
  findings: Finding[];
  truncated: boolean;
  timing_ms: number;
}

const L = CHECK_LIMITS;
const CHECKS_SQL = `
  WITH RECURSIVE
  sp AS MATERIALIZED (
    SELECT p.* FROM pipes p
     WHERE ($1::float8[] IS NULL OR p.geom && ST_MakeEnvelope($1[1], $1[2], $1[3], $1[4], 4326))
       AND ($2::int IS NULL OR p.import_id = $2)),
  sm AS MATERIALIZED (
    SELECT m.* FROM manholes m
     WHERE ($1::float8[] IS NULL OR m.geom && ST_MakeEnvelope($1[1], $1[2], $1[3], $1[4], 4326))
       AND ($2::int IS NULL OR m.import_id = $2)),
  outlet(node) AS (
    SELECT id FROM (SELECT id FROM manholes WHERE kind = ANY($3::text[])
                    UNION SELECT manhole_id FROM facilities WHERE kind = ANY($4::text[]) AND manhole_id IS NOT NULL) o
    UNION
    SELECT p.from_node FROM outlet JOIN pipes p ON p.to_node = outlet.node),
  found AS (
    SELECT 'reverse_slope' AS code, p.id AS pipe_id, NULL::int AS manhole_id,
           json_build_object('up_invert_m', p.up_invert_m, 'down_invert_m', p.down_invert_m, 'length_m', p.length_m) AS vals
      FROM sp p WHERE p.down_invert_m > p.up_invert_m + ${L.reverse_slope_m}
    UNION ALL
    SELECT 'diameter_decrease', o.id, o.from_node, json_build_object('diameter_mm', o.diameter_mm, 'in_diameter_mm', i.diameter_mm, 'in_pipe', i.code)
      FROM sp o CROSS JOIN LATERAL (SELECT i.code, i.diameter_mm FROM pipes i WHERE i.to_node = o.from_node AND i.diameter_mm IS NOT NULL
                                    ORDER BY i.diameter_mm DESC, i.id LIMIT 1) i
     WHERE o.diameter_mm < i.diameter_mm
    UNION ALL
    SELECT 'crown_above_incoming', o.id, o.from_node,
           json_build_object('crown_m', round((o.up_invert_m + o.diameter_mm / 1000.0)::numeric, 3), 'in_crown_m', round(i.crown::numeric, 3), 'in_pipe', i.code)
      FROM sp o CROSS JOIN LATERAL (SELECT i.code, i.down_invert_m + i.diameter_mm / 1000.0 AS crown FROM pipes i
                                     WHERE i.to_node = o.from_node AND i.down_invert_m IS NOT NULL AND i.diameter_mm IS NOT NULL
                                     ORDER BY 2, i.id LIMIT 1) i
     WHERE o.up_invert_m + o.diameter_mm / 1000.0 > i.crown + ${L.crown_rise_m}
    UNION ALL
    SELECT 'manhole_too_shallow', e.pipe_id, m.id, json_build_object('bottom_m', round(m.bottom::numeric, 3), 'pipe_invert_m', round(e.inv::numeric, 3), 'depth_m', m.depth_m)
      FROM (SELECT m.*, coalesce(m.invert_elev_m, m.ground_elev_m - m.depth_m) AS bottom FROM sm m) m
      CROSS JOIN LATERAL (SELECT x.pipe_id, x.inv FROM (
          SELECT id AS pipe_id, up_invert_m AS inv FROM pipes WHERE from_node = m.id
          UNION ALL SELECT id, down_invert_m FROM pipes WHERE to_node = m.id) x
        WHERE x.inv IS NOT NULL ORDER BY x.inv, x.pipe_id LIMIT 1) e
     WHERE e.inv < m.bottom - ${L.below_bottom_m}
    UNION ALL
    SELECT 'no_outfall', p.id, NULL, json_build_object('to_manhole', (SELECT code FROM manholes WHERE id = p.to_node))
      FROM sp p WHERE NOT EXISTS (SELECT 1 FROM outlet WHERE outlet.node = p.to_node)
    UNION ALL
    SELECT DISTINCT ON (i.id) CASE WHEN i.usage = 'rain' THEN 'rain_to_sewage' ELSE 'sewage_to_rain' END, i.id, i.to_node,
           json_build_object('usage', i.usage, 'out_usage', o.usage, 'out_pipe', o.code)
      FROM sp i JOIN pipes o ON o.from_node = i.to_node
     WHERE (i.usage = 'rain' AND o.usage = 'sewage') OR (i.usage IN ('sewage', 'combined') AND o.usage = 'rain')
    UNION ALL
    SELECT 'zero_length', p.id, NULL, json_build_object('length_m', p.length_m) FROM sp p WHERE p.length_m < ${L.zero_length_m}
    UNION ALL
    -- The later of two reaches is the duplicate; the Mercator distance is scaled to metres on the ground.
    SELECT DISTINCT ON (a.id) 'duplicate_reach', a.id, NULL, json_build_object('other_pipe', b.code)
      FROM sp a JOIN pipes b ON b.id < a.id AND ((b.from_node = a.from_node AND b.to_node = a.to_node) OR (b.from_node = a.to_node AND b.to_node = a.from_node))
     WHERE b.diameter_mm IS NOT DISTINCT FROM a.diameter_mm
       AND ST_HausdorffDistance(a.geom3857, b.geom3857) * cos(radians(ST_Y(ST_StartPoint(a.geom)))) < ${L.duplicate_within_m}
    UNION ALL
    SELECT 'levels_missing', p.id, NULL, json_build_object('up_invert_m', p.up_invert_m, 'down_invert_m', p.down_invert_m)
      FROM sp p WHERE p.up_invert_m IS NULL OR p.down_invert_m IS NULL
    UNION ALL
    SELECT 'levels_missing', NULL, m.id, json_build_object('ground_m', m.ground_elev_m, 'invert_m', m.invert_elev_m, 'depth_m', m.depth_m)
      FROM sm m WHERE m.ground_elev_m IS NULL OR (m.invert_elev_m IS NULL AND m.depth_m IS NULL))
  SELECT f.code, f.vals AS values,
         CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('id', p.id, 'code', p.code) END AS pipe,
         CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object('id', m.id, 'code', m.code) END AS manhole,
         ST_X(pt) AS lon, ST_Y(pt) AS lat
    FROM found f LEFT JOIN pipes p ON p.id = f.pipe_id LEFT JOIN manholes m ON m.id = f.manhole_id
    CROSS JOIN LATERAL (SELECT coalesce(m.geom, ST_LineInterpolatePoint(p.geom, 0.5)) AS pt) g`;

export interface CheckFilter { codes?: readonly CheckCode[]; severities?: readonly Severity[]; limit?: number }

/** Every finding in scope, then those the filter asks for (errors first); counts are of the scope. */
export async function runChecks(db: pg.Pool | pg.ClientBase, scope: CheckScope, filter: CheckFilter = {}): Promise<CheckRun> {
  return readOnStandby(db, async () => {
    const t0 = performance.now();
    // Not a named statement: after five runs PostgreSQL would try one generic plan for every scope, and the
    // plan for "any box or none" is seconds where each scope's own plan is a fraction of one.
    const { rows } = await db.query<Omit<Finding, 'severity'>>(CHECKS_SQL,
      [scope.bbox ?? null, scope.import_id ?? null, OUTLET_MANHOLE_KINDS, OUTLET_FACILITY_KINDS]);
    const counts: Partial<Record<CheckCode, number>> = {};
    for (const r of rows) counts[r.code] = (counts[r.code] ?? 0) + 1;
    const order = (c: CheckCode) => severityRank(CHECK_SEVERITY[c]) * 100 + CHECK_CODES.indexOf(c);
    const wanted = rows
      .filter((r) => (!filter.codes || filter.codes.includes(r.code)) && (!filter.severities || filter.severities.includes(CHECK_SEVERITY[r.code])))
      .sort((a, b) => order(a.code) - order(b.code) || (a.pipe?.id ?? 0) - (b.pipe?.id ?? 0) || (a.manhole?.id ?? 0) - (b.manhole?.id ?? 0));
    const limit = filter.limit ?? MAX_FINDINGS;
    return {
      total: rows.length,
      counts,
      findings: wanted.slice(0, limit).map((r) => ({ ...r, severity: CHECK_SEVERITY[r.code] })),
      truncated: wanted.length > limit,
      timing_ms: Math.round((performance.now() - t0) * 10) / 10,
    };
  });
}
