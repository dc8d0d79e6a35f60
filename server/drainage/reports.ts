// The planner's reports, as SQL over the stored CJJ 181 scores: reaches ranked by RI or MI with filters,
// and per street or community the km of pipe by grade, hazards and misconnections. Routes validate the
// filters into a ReachFilter; only this file builds SQL for them (values always bound).
import type pg from 'pg';
import { MISCONNECTION_KINDS, MISCONNECTION_STATUSES } from '../../common/enums.ts';
import { conditionView } from './condition-view.ts';
import { Params } from '../features/sql.ts';

export interface ReachFilter {
  sort: 'ri' | 'mi';
  street?: string;
  community?: string;
  sgrade?: number;
  fgrade?: number;
  code?: string;
  diameter_min?: number;
  diameter_max?: number;
  limit: number;
  offset: number;
}

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

export async function rankReaches(db: pg.Pool, f: ReachFilter) {
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
            (SELECT count(*) FROM hazards h WHERE h.pipe_id = p.id AND h.status <> 'fixed')::int AS hazards_open,
            cm.code AS community_code, cm.name AS community_name, st.code AS street_code, st.name AS street_name,
            ST_X(ST_LineInterpolatePoint(p.geom, 0.5)) AS lon, ST_Y(ST_LineInterpolatePoint(p.geom, 0.5)) AS lat,
            ST_XMin(p.geom) AS w, ST_YMin(p.geom) AS s_, ST_XMax(p.geom) AS e, ST_YMax(p.geom) AS n
     FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id
     LEFT JOIN communities cm ON cm.code = substr(p.grid_code, 1, 12) LEFT JOIN streets st ON st.code = cm.street_code
     WHERE ${cond} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, params.values);
  const total = rows[0] ? Number(rows[0].total) : await countReaches(db, f);
  return {
    total,
    items: rows.map((r) => conditionView({
      pipe_id: r.pipe_id, code: r.code,
      street: r.street_code ? { code: r.street_code, name: r.street_name } : null,
      community: r.community_code ? { code: r.community_code, name: r.community_name } : null,
      grid_code: r.grid_code, usage: r.usage, network: r.network, diameter_mm: r.diameter_mm, material: r.material, length_m: r.length_m,
      road_name: r.road_name, inspected_at: r.inspected_at,
      s: r.s, smax: r.smax, f: r.f, sm: r.sm, ri: r.ri, sgrade: r.sgrade, ri_grade: r.ri_grade, sadvice: r.sadvice, sdensity: r.sdensity,
      y: r.y, ymax: r.ymax, g: r.g, ym: r.ym, mi: r.mi, fgrade: r.fgrade, mi_grade: r.mi_grade, fadvice: r.fadvice, fdensity: r.fdensity,
      codes: r.codes, defects: r.defects, repaired: r.repaired, hazards_open: r.hazards_open,
      center: [round7(r.lon), round7(r.lat)], bbox: [r.w, r.s_, r.e, r.n].map(round7),
    })),
  };
}

async function countReaches(db: pg.Pool, f: ReachFilter): Promise<number> {
  const params = new Params();
  const { rows } = await db.query(`SELECT count(*) AS n FROM pipe_condition c JOIN pipes p ON p.id = c.pipe_id WHERE ${where(f, params)}`, params.values);
  return Number(rows[0].n);
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

type Counts = Record<string, number>;
/** km of pipe per grade: '1'–'4' and 'none' (never inspected). */
export type KmByGrade = Record<'1' | '2' | '3' | '4' | 'none', number>;
/** The figures of one street or community, and of all of them together (`total`). */
export interface SummaryFigures {
  km: { total: number; main: number; community: number };
  km_by_sgrade: KmByGrade;
  km_by_fgrade: KmByGrade;
  hazards: { total: number; open: number };
  misconnections: { total: number; by_kind: Counts; by_status: Counts };
}
export interface SummaryRow extends SummaryFigures {
  code: string;
  name: string;
  street?: { code: string; name: string };
}
/** GET /api/drainage/summary */
export interface DrainageSummary {
  rows: SummaryRow[];
  total: SummaryFigures;
}

/**
 * Per street (or per community, optionally of one street): pipes, hazards and misconnections grouped by
 * the unit grid they lie in (grid codes begin with their community's and street's codes).
 */
export async function summary(db: pg.Pool, by: 'street' | 'community', street?: string): Promise<DrainageSummary> {
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
     hz AS (SELECT substr(grid_code, 1, ${len}) AS unit, count(*) AS total, count(*) FILTER (WHERE status <> 'fixed') AS open FROM hazards GROUP BY 1),
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
  const out: SummaryRow[] = rows.map((r) => ({
    code: r.code,
    name: r.name,
    ...(r.street_code ? { street: { code: r.street_code, name: r.street_name } } : {}),
    km: { total: km(r.total), main: km(r.main), community: km(r.community) },
    km_by_sgrade: grades(r.s),
    km_by_fgrade: grades(r.f),
    hazards: { total: Number(r.hz_total ?? 0), open: Number(r.hz_open ?? 0) },
    misconnections: { total: Number(r.mc_total ?? 0), by_kind: counts(r.by_kind, MISCONNECTION_KINDS), by_status: counts(r.by_status, MISCONNECTION_STATUSES) },
  }));
  // The same keys as the rows' figures (summed key by key), hence the same type.
  const sum = <T extends Counts>(pick: (r: SummaryRow) => T): T => {
    const acc: Counts = {};
    for (const r of out) for (const [k, v] of Object.entries(pick(r))) acc[k] = (acc[k] ?? 0) + v;
    return Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) as T;
  };
  return {
    rows: out,
    total: {
      km: sum((r) => r.km), km_by_sgrade: sum((r) => r.km_by_sgrade), km_by_fgrade: sum((r) => r.km_by_fgrade), hazards: sum((r) => r.hazards),
      misconnections: { total: out.reduce((a, r) => a + r.misconnections.total, 0), by_kind: sum((r) => r.misconnections.by_kind), by_status: sum((r) => r.misconnections.by_status) },
    },
  };
}

const km = (v: unknown) => Math.round(Number(v ?? 0) * 1000) / 1000;
