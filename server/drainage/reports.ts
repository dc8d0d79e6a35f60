// The planner's reports, as SQL over the stored CJJ 181 scores: reaches ranked by RI or MI with filters,
// and per street or community the km of pipe by grade, hazards and misconnections. Routes validate the
// filters into a ReachFilter; only this file builds SQL for them (values always bound).
import type pg from 'pg';
import type { DrainageSummary, KmByGrade, ReachesQuery, ReachPage, ReachRow, SummaryFigures, SummaryRow } from '../../common/api/drainage.ts';
import { MISCONNECTION_KINDS, REMEDIATION_STATUSES } from '../../common/enums.ts';
import { conditionView } from './condition-view.ts';
import { Params } from '../features/sql.ts';
import { readOnStandby } from '../db/replica.ts';

/** The filters of GET /api/drainage/reaches, as its schema checks them. */
export type ReachFilter = ReachesQuery;
export type { DrainageSummary, KmByGrade, SummaryFigures, SummaryRow } from '../../common/api/drainage.ts';

function where(f: Omit<ReachFilter, 'sort' | 'limit' | 'offset'>, params: Params): string {
  const w: string[] = ['c.error IS NULL'];
  if (f.street) w.push(`p.grid_code LIKE ${params.add(`${f.street}%`)}`);
  if (f.community) w.push(`p.grid_code LIKE ${params.add(`${f.community}%`)}`);
  if (f.sgrade) w.push(`c.sgrade = ${params.add(f.sgrade, 'int')}`);
  if (f.fgrade) w.push(`c.fgrade = ${params.add(f.fgrade, 'int')}`);
  if (f.code) w.push(`c.codes @> ARRAY[${params.add(f.code, 'text')}]`);
  if (f.diameter_min !== undefined) w.push(`p.diameter_mm >= ${params.add(f.diameter_min, 'int')}`);
  if (f.diameter_max !== undefined) w.push(`p.diameter_mm <= ${params.add(f.diameter_max, 'int')}`);
  return w.join(' AND ');
}

export async function rankReaches(db: pg.Pool, f: ReachFilter): Promise<ReachPage> {
  return readOnStandby(db, async () => {
    const params = new Params();
    const cond = where(f, params);
    const order = f.sort === 'ri' ? 'c.ri DESC NULLS LAST, c.f DESC, p.id' : 'c.mi DESC NULLS LAST, c.g DESC, p.id';
    const limit = params.add(f.limit, 'int');
    const offset = params.add(f.offset, 'int');
    const { rows } = await db.query(
      `SELECT count(*) OVER () AS total, p.id AS pipe_id, p.code, p.grid_code, p.usage, p.network, p.diameter_mm, p.material,
              round(p.length_m::numeric, 1)::float8 AS length_m, p.road_name, to_char(c.inspected_at, 'YYYY-MM-DD') AS inspected_at,
              c.s, c.smax, c.f, c.sm, c.ri, c.sgrade, c.ri_grade, c.sadvice, c.sdensity, c.y, c.ymax, c.g, c.ym, c.mi, c.fgrade, c.mi_grade,
              c.fadvice, c.fdensity, c.codes, c.defects, c.repaired,
              (SELECT count(*) FROM hazards h WHERE h.pipe_id = p.id AND remediation_is_open(h.status))::int AS hazards_open,
              cm.code AS community_code, cm.name AS community_name, st.code AS street_code, st.name AS street_name,
              ST_X(ST_LineInterpolatePoint(p.geom, 0.5)) AS lon, ST_Y(ST_LineInterpolatePoint(p.geom, 0.5)) AS lat,
              ST_XMin(p.geom) AS w, ST_YMin(p.geom) AS s_, ST_XMax(p.geom) AS e, ST_YMax(p.geom) AS n
       FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id
       LEFT JOIN communities cm ON cm.code = substr(p.grid_code, 1, 12) LEFT JOIN streets st ON st.code = cm.street_code
       WHERE ${cond} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, params.values);
    const total = rows[0] ? Number(rows[0].total) : await countReaches(db, f);
    return {
      total,
      items: rows.map((r): ReachRow => conditionView({
        pipe_id: r.pipe_id, code: r.code,
        street: r.street_code ? { code: r.street_code, name: r.street_name } : null,
        community: r.community_code ? { code: r.community_code, name: r.community_name } : null,
        grid_code: r.grid_code, usage: r.usage, network: r.network, diameter_mm: r.diameter_mm, material: r.material, length_m: r.length_m,
        road_name: r.road_name, inspected_at: r.inspected_at,
        s: r.s, smax: r.smax, f: r.f, sm: r.sm, ri: r.ri, sgrade: r.sgrade, ri_grade: r.ri_grade, sadvice: r.sadvice, sdensity: r.sdensity,
        y: r.y, ymax: r.ymax, g: r.g, ym: r.ym, mi: r.mi, fgrade: r.fgrade, mi_grade: r.mi_grade, fadvice: r.fadvice, fdensity: r.fdensity,
        codes: r.codes, defects: r.defects, repaired: r.repaired, hazards_open: r.hazards_open,
        center: [round7(r.lon), round7(r.lat)] satisfies ReachRow['center'],
        bbox: [round7(r.w), round7(r.s_), round7(r.e), round7(r.n)] satisfies ReachRow['bbox'],
      })),
    };
  });
}

async function countReaches(db: pg.Pool, f: ReachFilter): Promise<number> {
  const params = new Params();
  const { rows } = await db.query(`SELECT count(*) AS n FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id WHERE ${where(f, params)}`, params.values);
  return Number(rows[0].n);
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

type Counts = Record<string, number>;

/**
 * Per street (or per community, optionally of one street): pipes, hazards and misconnections grouped by
 * the unit grid they lie in (grid codes begin with their community's and street's codes).
 */
export async function summary(db: pg.Pool, by: 'street' | 'community', street?: string): Promise<DrainageSummary> {
  return readOnStandby(db, async () => {
    const len = by === 'street' ? 9 : 12;
    const params = new Params();
    const unitSql = by === 'street'
      ? `SELECT s.code, s.name, NULL::text AS street_code, NULL::text AS street_name FROM streets s`
      : `SELECT c.code, c.name, s.code AS street_code, s.name AS street_name FROM communities c JOIN streets s ON s.code = c.street_code
         ${street ? `WHERE s.code = ${params.add(street, 'text')}` : ''}`;
    const { rows } = await db.query(
      `WITH u AS (${unitSql}),
       pp AS (SELECT substr(p.grid_code, 1, ${len}) AS unit, p.network, p.length_m / 1000 AS km, p.sgrade, p.fgrade FROM pipes p WHERE p.grid_code IS NOT NULL),
       pk AS (SELECT unit, sum(km) AS total, sum(km) FILTER (WHERE network = 'main') AS main, sum(km) FILTER (WHERE network = 'community') AS community
              FROM pp GROUP BY unit),
       ps AS (SELECT unit, jsonb_object_agg(g, km) AS s FROM (SELECT unit, coalesce(sgrade::text, 'none') AS g, sum(km) AS km FROM pp GROUP BY 1, 2) x GROUP BY unit),
       pf AS (SELECT unit, jsonb_object_agg(g, km) AS f FROM (SELECT unit, coalesce(fgrade::text, 'none') AS g, sum(km) AS km FROM pp GROUP BY 1, 2) x GROUP BY unit),
       hz AS (SELECT substr(grid_code, 1, ${len}) AS unit, count(*) AS total, count(*) FILTER (WHERE remediation_is_open(status)) AS open FROM hazards GROUP BY 1),
       mm AS (SELECT substr(grid_code, 1, ${len}) AS unit, kind, status FROM misconnections),
       mc AS (SELECT unit, count(*) AS total FROM mm GROUP BY unit),
       mk AS (SELECT unit, jsonb_object_agg(kind, n) AS by_kind FROM (SELECT unit, kind, count(*) AS n FROM mm GROUP BY 1, 2) x GROUP BY unit),
       ms AS (SELECT unit, jsonb_object_agg(status, n) AS by_status FROM (SELECT unit, status, count(*) AS n FROM mm GROUP BY 1, 2) x GROUP BY unit)
       SELECT u.code, u.name, u.street_code, u.street_name, pk.total, pk.main, pk.community, ps.s, pf.f,
              hz.total AS hz_total, hz.open AS hz_open, mc.total AS mc_total, mk.by_kind, ms.by_status
       FROM u LEFT JOIN pk ON pk.unit = u.code LEFT JOIN ps ON ps.unit = u.code LEFT JOIN pf ON pf.unit = u.code
       LEFT JOIN hz ON hz.unit = u.code LEFT JOIN mc ON mc.unit = u.code LEFT JOIN mk ON mk.unit = u.code LEFT JOIN ms ON ms.unit = u.code
       ORDER BY u.code`, params.values);
    const grades = (o: Counts | null) => Object.fromEntries(['1', '2', '3', '4', 'none'].map((g) => [g, km(o?.[g] ?? 0)])) as KmByGrade;
    const counts = (o: Counts | null, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, Number(o?.[k] ?? 0)]));
    const figuresOf = (r: Record<string, Counts | number | null | undefined>): SummaryFigures => ({
      km: { total: km(r.total), main: km(r.main), community: km(r.community) },
      km_by_sgrade: grades(r.s as Counts | null),
      km_by_fgrade: grades(r.f as Counts | null),
      hazards: { total: Number(r.hz_total ?? 0), open: Number(r.hz_open ?? 0) },
      misconnections: { total: Number(r.mc_total ?? 0), by_kind: counts(r.by_kind as Counts | null, MISCONNECTION_KINDS), by_status: counts(r.by_status as Counts | null, REMEDIATION_STATUSES) },
    });
    const out: SummaryRow[] = rows.map((r) => ({
      code: r.code,
      name: r.name,
      ...(r.street_code ? { street: { code: r.street_code, name: r.street_name } } : {}),
      ...figuresOf(r),
    }));
    // Summed key by key from the figures of a unit with nothing, so no units (a street with no communities)
    // total zeros under the same keys rather than empty objects.
    const none = figuresOf({});
    const sum = <T extends Counts>(pick: (f: SummaryFigures) => T): T => {
      const acc: Counts = { ...pick(none) };
      for (const r of out) for (const [k, v] of Object.entries(pick(r))) acc[k] = (acc[k] ?? 0) + v;
      return Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) as T;
    };
    return {
      rows: out,
      total: {
        km: sum((f) => f.km), km_by_sgrade: sum((f) => f.km_by_sgrade), km_by_fgrade: sum((f) => f.km_by_fgrade), hazards: sum((f) => f.hazards),
        misconnections: { total: out.reduce((a, r) => a + r.misconnections.total, 0), by_kind: sum((f) => f.misconnections.by_kind), by_status: sum((f) => f.misconnections.by_status) },
      },
    };
  });
}

const km = (v: unknown) => Math.round(Number(v ?? 0) * 1000) / 1000;
