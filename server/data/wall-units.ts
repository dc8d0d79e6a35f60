// The unit a wall shows: its name, extent and outline, the units above it (breadcrumbs) and the units below
// it with their key figures (district → streets, street → communities, community → unit grids). The
// figures of the children are grouped by the code columns of cases (open cases from the partial index
// of open cases by unit, today's by the report time) and by where the alarming stations are.
import type pg from 'pg';
import type { WallUnit } from '../../common/api/wall.ts';
import { NotFoundError } from '../http/errors.ts';
import type { WallScope } from './wall-scope.ts';
import { TODAY } from './wall-today.ts';
import { readOnStandby } from '../db/replica.ts';

/** Outlines are simplified to ~5 m: drawn at wall scale, never measured. */
const SIMPLIFY_DEG = 0.00005;

const geo = (g: string) => `ST_AsGeoJSON(ST_SimplifyPreserveTopology(${g}, ${SIMPLIFY_DEG}), 6)::json`;
const bbox = (g: string) => `json_build_array(ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g}))`;

/** The unit itself and its parents, by level. */
const SELF: Record<WallScope['level'], string> = {
  district: `SELECT 'district' AS level, d.code, d.name, ${bbox('d.geom')} AS bbox, ${geo('d.geom')} AS geometry, '[]'::json AS parents
             FROM districts d ORDER BY d.code LIMIT 1`,
  street: `SELECT 'street' AS level, s.code, s.name, ${bbox('s.geom')} AS bbox, ${geo('s.geom')} AS geometry,
                  json_build_array(json_build_object('level', 'district', 'code', d.code, 'name', d.name)) AS parents
           FROM streets s JOIN districts d ON d.code = s.district_code WHERE s.code = $1::text::bpchar`,
  community: `SELECT 'community' AS level, c.code, c.name, ${bbox('c.geom')} AS bbox, ${geo('c.geom')} AS geometry,
                     json_build_array(json_build_object('level', 'district', 'code', d.code, 'name', d.name),
                                      json_build_object('level', 'street', 'code', s.code, 'name', s.name)) AS parents
              FROM communities c JOIN streets s ON s.code = c.street_code JOIN districts d ON d.code = s.district_code
              WHERE c.code = $1::text::bpchar`,
};

/** The units below, and the case column that names them. */
const CHILDREN: Record<WallScope['level'], { level: string; rows: string; column: string }> = {
  district: { level: 'street', rows: `SELECT code, name, geom FROM streets WHERE district_code = (SELECT min(code) FROM districts)`, column: 'street_code' },
  street: { level: 'community', rows: `SELECT code, name, geom FROM communities WHERE street_code = $1::text::bpchar`, column: 'community_code' },
  community: { level: 'grid', rows: `SELECT code, code::text AS name, geom FROM grids WHERE community_code = $1::text::bpchar`, column: 'grid_code' },
};

export async function readWallUnit(db: pg.Pool, scope: WallScope): Promise<WallUnit> {
  return readOnStandby(db, async () => {
    const kids = CHILDREN[scope.level];
    const inCases = scope.cases('c');
    const { rows: [unit] } = await db.query<Omit<WallUnit, 'children'>>(SELF[scope.level], scope.params);
    // A district started clean has no outline until one is imported.
    if (!unit) throw new NotFoundError('no district is loaded yet: import the district\'s outline (npm run import -- FILE --layer district)');
    const { rows: children } = await db.query<WallUnit['children'][number]>(`
      WITH kids AS (${kids.rows}),
      open AS (
        SELECT c.${kids.column} AS code, count(*)::int AS n,
               count(*) FILTER (WHERE case_is_overdue(c.status, c.deadline_at, c.suspended_at, now()))::int AS overdue
        FROM cases c WHERE case_is_open(c.status) AND ${inCases} GROUP BY 1),
      reported AS (SELECT c.${kids.column} AS code, count(*)::int AS n FROM cases c WHERE c.reported_at >= ${TODAY} AND ${inCases} GROUP BY 1),
      alarming AS (
        SELECT k.code, count(*)::int AS n FROM alarms a LEFT JOIN sensor_stations s ON s.id = a.station_id LEFT JOIN facilities f ON f.id = a.facility_id
          JOIN kids k ON ST_Intersects(k.geom, coalesce(s.geom, ST_PointOnSurface(f.geom)))
        WHERE a.cleared_at IS NULL GROUP BY 1)
      SELECT '${kids.level}' AS level, k.code, k.name, ${bbox('k.geom')} AS bbox, ${geo('k.geom')} AS geometry,
             coalesce(o.n, 0) AS cases_open, coalesce(o.overdue, 0) AS cases_overdue, coalesce(r.n, 0) AS cases_today, coalesce(al.n, 0) AS alarms
      FROM kids k LEFT JOIN open o ON o.code = k.code LEFT JOIN reported r ON r.code = k.code LEFT JOIN alarming al ON al.code = k.code
      ORDER BY k.code`, scope.params);
    return { ...unit, children };
  });
}
