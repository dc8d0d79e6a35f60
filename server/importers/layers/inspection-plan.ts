// From checked sheet rows and the pipes their reaches are, the inspections to write: rows of one pipe and
// one date are one inspection, in the direction the sheet says (else the one its manholes imply). What
// only the pipe can tell is checked here: the reach exists, each defect lies within its length, rows of
// one inspection agree, no defect is listed twice. Pure: the database answered before (inspection-reaches.ts).
import { reachKey, type MatchedBy, type Reach, type ReachAnswer } from './inspection-reaches.ts';
import type { DefectRow, Direction, Method, RowRejection, SheetRow } from './inspection-rows.ts';

/**
 * A defect may lie this far past the reach's length: the network's length runs between manhole centres,
 * a crawler's cable counter from where it was set down (the manhole wall, or the pipe mouth), and counters
 * drift about 1 %.
 */
export function distanceTolerance(length_m: number): number {
  return Math.max(1, 0.02 * length_m);
}

export type DirectionSource = 'sheet' | 'manholes' | 'default';

export interface PlannedDefect extends DefectRow {
  row: number;
}

export interface PlannedInspection {
  pipe_id: number;
  pipe_code: string;
  /** The reach's manholes, upstream to downstream. */
  from_code: string;
  to_code: string;
  matched_by: MatchedBy;
  inspected_at: string;
  method: Method;
  direction: Direction;
  direction_from: DirectionSource;
  inspected_length_m: number | null;
  operator: string | null;
  rows: number[];
  defects: PlannedDefect[];
}

export interface InspectionPlan {
  inspections: PlannedInspection[];
  rejected: RowRejection[];
  warnings: string[];
}

const words: Record<Direction, string> = { downstream: '顺流 downstream', upstream: '逆流 upstream' };

function directionOf(row: SheetRow, startsDownstream: boolean | null, reach: Reach, warn: (w: string) => void): { direction: Direction; from: DirectionSource } {
  if (row.direction) {
    const implied = startsDownstream === null ? null : startsDownstream ? 'upstream' : 'downstream';
    if (implied && implied !== row.direction) {
      warn(`row ${row.row}: the sheet says ${words[row.direction]} from ${row.reach.from} to ${row.reach.to}, but the network has ${reach.code} flowing ${reach.from_code} → ${reach.to_code}: stored as the sheet says`);
    }
    return { direction: row.direction, from: 'sheet' };
  }
  if (startsDownstream !== null) return { direction: startsDownstream ? 'upstream' : 'downstream', from: 'manholes' };
  return { direction: 'downstream', from: 'default' };
}

/** Differences between what the sheet says of a reach and the network's record of it (once per reach). */
function factWarnings(row: SheetRow, reach: Reach): string[] {
  const out: string[] = [];
  const { diameter_mm: d, pipe_length_m: l } = row.facts;
  if (d !== null && reach.diameter_mm !== null && Math.abs(d - reach.diameter_mm) > 1) {
    out.push(`row ${row.row}: the sheet gives ${reach.code} a diameter of ${d} mm, the network ${reach.diameter_mm} mm`);
  }
  if (l !== null && Math.abs(l - reach.length_m) > Math.max(2, 0.1 * reach.length_m)) {
    out.push(`row ${row.row}: the sheet gives ${reach.code} a length of ${l} m, the network ${reach.length_m.toFixed(1)} m`);
  }
  return out;
}

export function planInspections(rows: readonly SheetRow[], reaches: ReadonlyMap<string, ReachAnswer>): InspectionPlan {
  const rejected: RowRejection[] = [];
  const warnings: string[] = [];
  const byKey = new Map<string, PlannedInspection>();
  const seenDefect = new Map<string, number>();
  const checkedReach = new Set<number>();
  for (const row of rows) {
    const found = reaches.get(reachKey(row.reach));
    if (!found || 'reason' in found) {
      rejected.push({ row: row.row, reason: `unknown reach: ${found?.reason ?? 'no reach named'}` });
      continue;
    }
    const { reach } = found;
    const key = `${reach.id}|${row.inspected_at}`;
    let insp = byKey.get(key);
    if (insp) {
      const clash = (row.direction && row.direction !== insp.direction && `direction (${words[insp.direction]} above, ${words[row.direction]} here)`)
        || (row.method && row.method !== insp.method && `method (${insp.method} above, ${row.method} here)`);
      if (clash) {
        rejected.push({ row: row.row, reason: `rows of ${reach.code} on ${row.inspected_at} disagree on the ${clash}` });
        continue;
      }
    }
    const d = row.defect;
    if (d && d.distance_m > reach.length_m + distanceTolerance(reach.length_m)) {
      rejected.push({ row: row.row, reason: `distance ${d.distance_m} m is beyond the end of reach ${reach.code} (${reach.length_m.toFixed(1)} m long)` });
      continue;
    }
    if (d) {
      const k = `${key}|${d.code}|${d.grade}|${d.distance_m}|${d.clock_from}|${d.clock_to}`;
      const first = seenDefect.get(k);
      if (first !== undefined) {
        rejected.push({ row: row.row, reason: `the same defect as row ${first} (${d.code} grade ${d.grade} at ${d.distance_m} m of ${reach.code} on ${row.inspected_at})` });
        continue;
      }
      seenDefect.set(k, row.row);
    }
    if (!insp) {
      const warn = (w: string) => warnings.push(w);
      const { direction, from } = directionOf(row, found.startsDownstream, reach, warn);
      if (found.by === 'pipe_code' && row.reach.from && row.reach.to && found.startsDownstream === null) {
        warn(`row ${row.row}: ${reach.code} runs ${reach.from_code} → ${reach.to_code}, not between the sheet's manholes ${row.reach.from} and ${row.reach.to}: matched by its pipe code`);
      }
      if (found.by !== 'pipe_code' && row.reach.pipe_code) warn(`row ${row.row}: no reach has pipe code ${row.reach.pipe_code}; matched by its manholes to ${reach.code}`);
      if (!checkedReach.has(reach.id)) {
        checkedReach.add(reach.id);
        warnings.push(...factWarnings(row, reach));
      }
      insp = {
        pipe_id: reach.id, pipe_code: reach.code, from_code: reach.from_code, to_code: reach.to_code, matched_by: found.by,
        inspected_at: row.inspected_at, method: row.method ?? 'CCTV', direction, direction_from: from,
        inspected_length_m: row.inspected_length_m, operator: row.operator, rows: [], defects: [],
      };
      byKey.set(key, insp);
    }
    insp.rows.push(row.row);
    insp.inspected_length_m ??= row.inspected_length_m;
    insp.operator ??= row.operator;
    if (d) insp.defects.push({ ...d, row: row.row });
  }
  return { inspections: [...byKey.values()], rejected, warnings };
}
