// A hazard's or misconnection's remediation as the details panel shows it: status, history (oldest first),
// the steps this account may take, the cases raised from it, whether a case may be raised now with which
// catalogue items, and the description such a case would get. One statement.
import type pg from 'pg';
import type { LinkedCase, Remediation, RemediationLayer, RemediationStep } from '../../common/api/remediation.ts';
import { caseItemsFor, isOpen, RAISE_FROM, RAISE_ROLES, stepsFor, type Actor, type Status } from '../domain/remediation.ts';
import { LAYER_TABLES } from './remediation-steps.ts';
import { readOnStandby } from '../db/replica.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

const isoUtc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const KIND_ZH: Record<string, string> = { sanitary_to_storm: '污水混入雨水', storm_to_sanitary: '雨水混入污水', other: '其他混接' };

/** What the item is and where, in the words of a case record (Chinese, as the catalogue). */
const DESCRIPTION = {
  // The hazard's own description when it has one (it usually names the defect and reach already).
  hazards: `'管网隐患 #' || t.id || '：' || coalesce(nullif(trim(t.description), ''),
            dc.name_zh || ' ' || t.grade || '级（' || t.code || '），管段 ' || coalesce(p.code, '?'))`,
  misconnections: `'雨污混接点 #' || t.id || '：' || ($2::jsonb ->> t.kind)
            || coalesce('，管段 ' || p.code, '') || coalesce('，检查井 ' || m.code, '')
            || coalesce('，估算混接水量 ' || t.flow_m3d || ' m³/d', '')`,
} as const;

const JOINS = {
  hazards: 'JOIN defect_codes dc ON dc.code = t.code LEFT JOIN pipes p ON p.id = t.pipe_id',
  misconnections: 'LEFT JOIN pipes p ON p.id = t.pipe_id LEFT JOIN manholes m ON m.id = t.manhole_id',
} as const;

interface Row {
  id: number; status: Status; status_at: string | null; grid_code: string | null; defect_code: string | null; description: string;
  history: RemediationStep[]; cases: LinkedCase[];
}

/** Null when there is no such item. */
export async function remediationOf(db: Queryable, layer: RemediationLayer, id: number, actor: Actor | null): Promise<Remediation | null> {
  return readOnStandby(db, async () => {
    const { table, column } = LAYER_TABLES[layer];
    const { rows: [row] } = await db.query<Row>(
      `SELECT t.id, t.status, ${isoUtc('t.status_at')} AS status_at, trim(t.grid_code) AS grid_code,
         ${layer === 'hazards' ? 't.code' : 'NULL'} AS defect_code, ${DESCRIPTION[layer]} AS description,
         coalesce((SELECT json_agg(json_build_object('action', s.action, 'from_status', s.from_status, 'to_status', s.to_status, 'actor', s.actor,
                                                     'role', s.role, 'at', ${isoUtc('s.at')}, 'note', s.note, 'case_id', s.case_id, 'case_no', c.case_no)
                                   ORDER BY s.at, s.id)
                     FROM remediation_steps s LEFT JOIN cases c ON c.id = s.case_id WHERE s.${column} = t.id), '[]') AS history,
         coalesce((SELECT json_agg(json_build_object('id', c.id, 'case_no', c.case_no, 'status', c.status, 'item_code', c.item_code) ORDER BY c.id DESC)
                     FROM cases c WHERE c.${column} = t.id), '[]') AS cases
       FROM ${table} t ${JOINS[layer]} WHERE t.id = $1`,
      layer === 'misconnections' ? [id, JSON.stringify(KIND_ZH)] : [id]);
    if (!row) return null;
    const codes = caseItemsFor(LAYER_TABLES[layer].kind, row.defect_code);
    const { rows: items } = await db.query<{ code: string; name_zh: string; name_en: string }>(
      'SELECT code, name_zh, name_en FROM case_items WHERE code = ANY($1::text[]) ORDER BY array_position($1::text[], code)', [codes]);
    const openCase = row.cases.some((c) => c.status !== 'closed' && c.status !== 'rejected');
    return {
      layer, id: row.id, status: row.status, status_at: row.status_at, history: row.history,
      actions: actor ? stepsFor(actor, row.status, row.grid_code) : [],
      cases: row.cases.map((c) => ({ ...c, id: Number(c.id) })),
      can_raise_case: !!actor && RAISE_ROLES.includes(actor.role) && RAISE_FROM.includes(row.status) && isOpen(row.status) && !openCase,
      case_items: items,
      description: row.description,
    };
  });
}
