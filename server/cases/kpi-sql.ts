// The counts behind the case KPIs (server/domain/cases/kpi.ts has the formulas), per district, street,
// community or unit grid, for cases reported in a period. One scan of the period's cases grouped by the
// unit column, the evaluations joined by key.
import type pg from 'pg';
import { describeKpis, kpiSheet, type KpiCounts } from '../domain/cases/kpi.ts';
import { toCsv } from '../../common/csv.ts';
import { inGridsSql, readerGrids, type Reader } from './access.ts';
import { readOnStandby } from '../db/replica.ts';

export type KpiLevel = 'district' | 'street' | 'community' | 'grid';

const UNIT = {
  district: { col: `'420106'`, names: `SELECT code, name FROM districts` },
  street: { col: 'c.street_code', names: 'SELECT code::text, name FROM streets' },
  community: { col: 'c.community_code', names: 'SELECT code::text, name FROM communities' },
  grid: { col: 'c.grid_code', names: `SELECT g.code::text, cm.name || ' ' || right(g.code, 3) AS name FROM grids g JOIN communities cm ON cm.code = g.community_code` },
} as const;

/** A field worker's counts are of their grids' cases only (what they may read); others' of all. */
export async function kpiCounts(pool: pg.Pool, level: KpiLevel, from: string, to: string, within?: string, reader: Reader = null) {
  return readOnStandby(pool, async () => {
    const u = UNIT[level];
    const values: unknown[] = [from, to];
    let filter = '';
    // within: a street or community code, to list its communities or grids.
    if (within) {
      values.push(within);
      filter += ` AND c.grid_code LIKE $${values.length} || '%'`;
    }
    const grids = readerGrids(reader);
    if (grids) {
      values.push(grids);
      filter += ` AND ${inGridsSql('c.grid_code', `$${values.length}`)}`;
    }
    const { rows } = await pool.query(
      `WITH k AS (
         SELECT trim(${u.col}) AS code, count(*)::int AS reported,
                count(*) FILTER (WHERE c.status NOT IN ('reported', 'rejected'))::int AS valid,
                count(*) FILTER (WHERE c.status NOT IN ('reported', 'accepted', 'verified', 'rejected'))::int AS registered,
                count(*) FILTER (WHERE c.dispatched_at IS NOT NULL)::int AS dispatched,
                count(*) FILTER (WHERE c.handled_at IS NOT NULL)::int AS handled,
                count(*) FILTER (WHERE c.handled_at <= c.deadline_at)::int AS handled_on_time,
                count(*) FILTER (WHERE c.status = 'closed')::int AS closed,
                count(*) FILTER (WHERE c.status = 'closed' AND c.closed_at <= c.deadline_at)::int AS closed_on_time,
                count(*) FILTER (WHERE c.rework_count > 0)::int AS reworked,
                count(*) FILTER (WHERE c.source IN ('inspector', 'video', 'iot'))::int AS active,
                coalesce(sum(extract(epoch FROM c.handled_at - c.dispatched_at) / 3600) FILTER (WHERE c.handled_at IS NOT NULL AND c.dispatched_at IS NOT NULL), 0)::float8 AS disposal_hours,
                count(*) FILTER (WHERE c.handled_at IS NOT NULL AND c.dispatched_at IS NOT NULL)::int AS disposal_count,
                count(e.case_id) FILTER (WHERE e.satisfied)::int AS satisfied,
                count(e.case_id)::int AS evaluated
         FROM cases c LEFT JOIN case_evaluations e ON e.case_id = c.id
         WHERE c.reported_at >= $1::timestamptz AND c.reported_at < $2::timestamptz ${filter}
         GROUP BY 1)
       SELECT k.*, n.name FROM k LEFT JOIN (${u.names}) n ON n.code = k.code ORDER BY k.code`, values);
    return rows.map((r) => {
      const counts: KpiCounts = {
        reported: r.reported, valid: r.valid, registered: r.registered, dispatched: r.dispatched, handled: r.handled,
        handledOnTime: r.handled_on_time, closed: r.closed, closedOnTime: r.closed_on_time, reworked: r.reworked,
        activeDiscovery: r.active, disposalHoursSum: r.disposal_hours, disposalCount: r.disposal_count, satisfied: r.satisfied, evaluated: r.evaluated,
      };
      return { code: r.code as string | null, name: (r.name ?? null) as string | null, counts, kpis: describeKpis(counts) };
    });
  });
}

/** One unit's counts and KPIs; code is null for cases with no unit at this level, name when the unit has no row. */
export type KpiRow = Awaited<ReturnType<typeof kpiCounts>>[number];

/** The KPI table as CSV (common/csv.ts): its columns, headers in `lang` and values as the table shows them. */
export function kpiCsv(rows: Awaited<ReturnType<typeof kpiCounts>>, lang: 'zh' | 'en'): string {
  return toCsv(kpiSheet(rows, lang));
}
