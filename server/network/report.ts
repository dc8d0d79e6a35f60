// The condition of the reaches of an area or a trace, for the printable report (GET /api/network/report):
// each reach with its CJJ 181 grades and graded defects, worst first, and the totals per grade.
import { MAX_REPORT_REACHES, type NetworkReport, type ReportReach } from '../../common/api/network3d.ts';
import type { Queryable } from '../tiles/types.ts';
import type { Bbox } from './view3d.ts';
import { readOnStandby } from '../db/replica.ts';

export type ReportScope = { bbox: Bbox } | { ids: number[] };

// $1..$4: the box (or nulls), $5: the ids (or null). One statement for both scopes keeps one plan.
const SCOPE = `
  scoped AS (
    SELECT p.* FROM pipes p
    WHERE ($5::int[] IS NULL AND p.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
       OR p.id = ANY ($5::int[])
  )`;

const ROWS = `
  WITH ${SCOPE}
  SELECT p.id, p.code, p.road_name, p.usage, p.diameter_mm, p.material, round(p.length_m::numeric, 1)::float8 AS length_m,
         p.sgrade, p.fgrade, to_char(c.inspected_at, 'YYYY-MM-DD') AS inspected_at, coalesce(c.codes, '{}') AS defects
  FROM scoped p LEFT JOIN pipe_condition c ON c.pipe_id = p.id
  ORDER BY greatest(coalesce(p.sgrade, 0), coalesce(p.fgrade, 0)) DESC, c.pipe_id IS NULL, p.code
  LIMIT $6`;

const TOTALS = `
  WITH ${SCOPE}
  SELECT count(*)::int AS count, coalesce(sum(p.length_m), 0)::float8 AS length_m,
         count(*) FILTER (WHERE worst = 1)::int AS g1, count(*) FILTER (WHERE worst = 2)::int AS g2,
         count(*) FILTER (WHERE worst = 3)::int AS g3, count(*) FILTER (WHERE worst = 4)::int AS g4,
         count(*) FILTER (WHERE worst = 0 AND c.pipe_id IS NOT NULL)::int AS g0,
         count(*) FILTER (WHERE c.pipe_id IS NULL)::int AS uninspected,
         ST_XMin(ST_Extent(p.geom)) AS w, ST_YMin(ST_Extent(p.geom)) AS s, ST_XMax(ST_Extent(p.geom)) AS e, ST_YMax(ST_Extent(p.geom)) AS n,
         (SELECT d.name FROM districts d WHERE d.geom && ST_SetSRID(ST_Extent(p.geom)::geometry, 4326)
            ORDER BY ST_Area(ST_Intersection(d.geom, ST_SetSRID(ST_Extent(p.geom)::geometry, 4326))) DESC LIMIT 1) AS district
  FROM scoped p LEFT JOIN pipe_condition c ON c.pipe_id = p.id,
       LATERAL (SELECT greatest(coalesce(p.sgrade, 0), coalesce(p.fgrade, 0)) AS worst) grade`;

interface Totals {
  count: number; length_m: number; g0: number; g1: number; g2: number; g3: number; g4: number; uninspected: number;
  w: number | null; s: number | null; e: number | null; n: number | null; district: string | null;
}

export async function networkReport(db: Queryable, scope: ReportScope): Promise<NetworkReport> {
  return readOnStandby(db, async () => {
    const values = 'bbox' in scope ? [...scope.bbox, null] : [null, null, null, null, scope.ids];
    const [rows, totals] = await Promise.all([
      db.query<ReportReach>({ name: 'network_report_rows', text: ROWS, values: [...values, MAX_REPORT_REACHES] }),
      db.query<Totals & Record<string, unknown>>({ name: 'network_report_totals', text: TOTALS, values }),
    ]);
    const t = totals.rows[0];
    return {
      district: t.district,
      bbox: t.w === null || t.s === null || t.e === null || t.n === null ? null : [t.w, t.s, t.e, t.n],
      count: t.count,
      length_m: Math.round(t.length_m),
      by_grade: [t.g1, t.g2, t.g3, t.g4, t.g0, t.uninspected],
      reaches: rows.rows,
    };
  });
}
