// A later inspection settles the repaired hazards of its reach (server/domain/remediation.ts, choice 5): the
// defect no longer there → verified; still there → back in repair, on the new defect (so it scores again).
// Run by the inspection import in its transaction, before the reaches are rescored.
import type pg from 'pg';
import { applyStep, laterInspectionVerdict, type Status } from '../domain/remediation.ts';
import { writeStep } from './remediation-steps.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

interface Candidate {
  id: number; status: Status; code: string; grid_code: string | null; at_m: number;
  inspection_id: number; inspected_at: string; defects: { id: number; code: string; at_m: number }[];
}

/** Metres from the reach's upstream end, as the domain's downstreamAt (an upstream survey measures from the other end). */
const downstream = (dist: string, insp: string) => `CASE WHEN ${insp}.direction = 'upstream' THEN greatest(0, p.length_m - ${dist}) ELSE ${dist} END`;

/**
 * The repaired hazards whose reach's latest inspection is one of `inspectionIds`, later than the one that
 * found them and not before the repair (the last step into fixed; any date when none was recorded).
 */
const CANDIDATES = `
  SELECT h.id, h.status, h.code, trim(h.grid_code) AS grid_code,
         coalesce(${downstream('d.distance_m', 'i')}, ST_LineLocatePoint(p.geom, h.geom) * p.length_m) AS at_m,
         l.id AS inspection_id, to_char(l.inspected_at, 'YYYY-MM-DD') AS inspected_at,
         coalesce((SELECT json_agg(json_build_object('id', nd.id, 'code', nd.code, 'at_m', ${downstream('nd.distance_m', 'l')}))
                     FROM defects nd WHERE nd.inspection_id = l.id), '[]') AS defects
  FROM hazards h JOIN pipes p ON p.id = h.pipe_id
  LEFT JOIN defects d ON d.id = h.defect_id LEFT JOIN inspections i ON i.id = d.inspection_id
  JOIN LATERAL (SELECT li.id, li.inspected_at, li.direction FROM inspections li WHERE li.pipe_id = h.pipe_id
                ORDER BY li.inspected_at DESC, li.id DESC LIMIT 1) l ON l.id = ANY($1::int[])
  WHERE remediation_is_repaired(h.status)
    AND l.inspected_at > coalesce(i.inspected_at, h.found_at)
    AND l.inspected_at >= coalesce((SELECT (max(s.at) AT TIME ZONE 'Asia/Shanghai')::date FROM remediation_steps s
                                     WHERE s.hazard_id = h.id AND s.to_status = 'fixed'), '-infinity'::date)
  ORDER BY h.id`;

export interface Settled { verified: number; reopened: number }

export async function settleRepairs(tx: Queryable, inspectionIds: readonly number[]): Promise<Settled> {
  const out: Settled = { verified: 0, reopened: 0 };
  if (inspectionIds.length === 0) return out;
  const { rows } = await tx.query<Candidate>(CANDIDATES, [inspectionIds]);
  const actor = { id: 'inspection import', role: 'system' as const };
  const taken = new Set<number>();
  for (const h of rows) {
    const verdict = laterInspectionVerdict({ status: h.status, code: h.code, atM: h.at_m }, h.defects.filter((d) => !taken.has(d.id)).map((d) => ({ ...d, atM: d.at_m })));
    if (!verdict) continue;
    const cause = { inspectionId: h.inspection_id };
    if (verdict.action === 'verify') {
      await writeStep(tx, 'hazards', h.id, applyStep(h.status, h.grid_code, 'verify', actor, `检测 ${h.inspected_at} 未见该缺陷 (not seen by the inspection)`), actor, cause);
      out.verified++;
    } else {
      taken.add(verdict.defectId);
      await tx.query('UPDATE hazards SET defect_id = $2 WHERE id = $1', [h.id, verdict.defectId]);
      await writeStep(tx, 'hazards', h.id, applyStep(h.status, h.grid_code, 'reopen', actor, `检测 ${h.inspected_at} 仍见 ${h.code} (seen again by the inspection)`), actor, cause);
      out.reopened++;
    }
  }
  return out;
}
