// Writing planned inspections (inspection-plan.ts) in the caller's transaction: an inspection of the same
// reach on the same date is replaced in place (same row and id, new values and defects), not doubled (a contractor's corrected report, or the same file
// imported twice); hazards that pointed at a replaced defect are moved to the new defect of the same code
// at the same place, so a repair recorded on them still counts; then the reaches are rescored by the
// server's own CJJ 181 engine (drainage/condition.ts: the triggers of migration 008 queued them), so the
// scores commit with the data they come from. A later inspection settles the repaired hazards of its reach
// (verified, or back in repair when it shows the defect again) before the rescoring.
import type pg from 'pg';
import { recomputeAll } from '../../drainage/condition.ts';
import { settleRepairs } from '../../drainage/remediation-inspections.ts';
import type { PlannedInspection } from './inspection-plan.ts';

/** A reach's CJJ 181 condition as stored (pipe_condition); null values where it has no inspection. */
export interface ConditionScores {
  inspected_at: string | null;
  s: number | null;
  f: number | null;
  sgrade: number | null;
  y: number | null;
  g: number | null;
  fgrade: number | null;
  ri: number | null;
  mi: number | null;
}

export interface WrittenInspection {
  id: number;
  /** The inspections of the same reach and date it replaced (the first keeps its id: `id`), with their defect count. */
  replaced: { ids: number[]; defects: number } | null;
  before: ConditionScores | null;
  after: ConditionScores | null;
}

export interface InspectionWrite {
  inspections: { inserted: number; replaced: number };
  defects: { inserted: number; removed: number };
  /** verified / reopened: repaired hazards a later inspection no longer shows, or shows again (drainage/remediation-inspections.ts). */
  hazards: { reattached: number; detached: number; verified: number; reopened: number };
  reaches_rescored: number;
  /** One per planned inspection, in the plan's order. */
  each: WrittenInspection[];
}

/** A hazard's defect is "the same" in the new report when it has the same code within this distance (m). */
const SAME_PLACE_M = 1;
/** Inspection imports one at a time: two replacing the same reach and date at once would both insert. */
const LOCK_KEY = 'onemap.inspections.import';

const dayKey = (pipe: number, at: string) => `${pipe}|${at}`;

async function scoresOf(db: pg.ClientBase, pipeIds: number[]): Promise<Map<number, ConditionScores>> {
  const { rows } = await db.query<ConditionScores & { pipe_id: number }>(
    `SELECT pipe_id, to_char(inspected_at, 'YYYY-MM-DD') AS inspected_at, s, f, sgrade, y, g, fgrade, ri, mi
     FROM pipe_condition WHERE pipe_id = ANY($1::int[])`, [pipeIds]);
  return new Map(rows.map(({ pipe_id, ...s }) => [pipe_id, s]));
}

export async function writeInspections(db: pg.ClientBase, plan: readonly PlannedInspection[]): Promise<InspectionWrite> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
  const pipes = plan.map((p) => p.pipe_id);
  const dates = plan.map((p) => p.inspected_at);
  const { rows: old } = await db.query<{ id: number; pipe_id: number; at: string; defects: number }>(
    `SELECT i.id, i.pipe_id, to_char(i.inspected_at, 'YYYY-MM-DD') AS at, (SELECT count(*) FROM defects d WHERE d.inspection_id = i.id)::int AS defects
     FROM inspections i JOIN (SELECT DISTINCT * FROM unnest($1::int[], $2::date[]) AS u(p, at)) k ON i.pipe_id = k.p AND i.inspected_at = k.at`, [pipes, dates]);
  const oldIds = old.map((o) => o.id);
  const { rows: hazards } = await db.query<{ id: number; code: string; distance_m: number; pipe_id: number; at: string }>(
    `SELECT h.id, d.code, d.distance_m, i.pipe_id, to_char(i.inspected_at, 'YYYY-MM-DD') AS at
     FROM hazards h JOIN defects d ON d.id = h.defect_id JOIN inspections i ON i.id = d.inspection_id
     WHERE i.id = ANY($1::int[]) ORDER BY h.id`, [oldIds]);
  const before = await scoresOf(db, pipes);
  // A replaced inspection keeps its row (and id: pipe_condition points at it) and gets new values and defects;
  // further inspections of the same reach and date (doubles from before) go.
  const keep = new Map<string, number>();
  for (const o of old) {
    const k = dayKey(o.pipe_id, o.at);
    keep.set(k, Math.min(keep.get(k) ?? o.id, o.id));
  }
  const kept = [...keep.values()];
  const extra = oldIds.filter((id) => !kept.includes(id));
  if (extra.length) await db.query('DELETE FROM inspections WHERE id = ANY($1::int[])', [extra]);
  if (kept.length) await db.query('DELETE FROM defects WHERE inspection_id = ANY($1::int[])', [kept]);
  const reused = plan.filter((p) => keep.has(dayKey(p.pipe_id, p.inspected_at)));
  const fresh = plan.filter((p) => !keep.has(dayKey(p.pipe_id, p.inspected_at)));
  if (reused.length) {
    await db.query(
      `UPDATE inspections i SET method = u.m, direction = u.dir, inspected_length_m = u.len, operator = u.op, synthetic = false
       FROM unnest($1::int[], $2::text[], $3::text[], $4::real[], $5::text[]) AS u(id, m, dir, len, op) WHERE i.id = u.id`,
      [reused.map((p) => keep.get(dayKey(p.pipe_id, p.inspected_at))), reused.map((p) => p.method), reused.map((p) => p.direction),
        reused.map((p) => p.inspected_length_m), reused.map((p) => p.operator)]);
  }
  const { rows: inserted } = await db.query<{ id: number; pipe_id: number; at: string }>(
    `INSERT INTO inspections (pipe_id, inspected_at, method, direction, inspected_length_m, operator)
     SELECT * FROM unnest($1::int[], $2::date[], $3::text[], $4::text[], $5::real[], $6::text[])
     RETURNING id, pipe_id, to_char(inspected_at, 'YYYY-MM-DD') AS at`,
    [fresh.map((p) => p.pipe_id), fresh.map((p) => p.inspected_at), fresh.map((p) => p.method), fresh.map((p) => p.direction),
      fresh.map((p) => p.inspected_length_m), fresh.map((p) => p.operator)]);
  const made = [...reused.map((p) => ({ id: keep.get(dayKey(p.pipe_id, p.inspected_at))!, pipe_id: p.pipe_id, at: p.inspected_at })), ...inserted];
  const idOf = new Map(made.map((m) => [dayKey(m.pipe_id, m.at), m.id]));
  const defects = plan.flatMap((p) => p.defects.map((d) => ({ ...d, inspection_id: idOf.get(dayKey(p.pipe_id, p.inspected_at))! })));
  const { rows: newDefects } = await db.query<{ id: number; inspection_id: number; code: string; distance_m: number }>(
    `INSERT INTO defects (inspection_id, code, grade, distance_m, length_m, clock_from, clock_to, note)
     SELECT i, c, g, dist, coalesce(len, 1), cf, ct, note
     FROM unnest($1::int[], $2::text[], $3::int2[], $4::real[], $5::real[], $6::int2[], $7::int2[], $8::text[]) AS u(i, c, g, dist, len, cf, ct, note)
     RETURNING id, inspection_id, code, distance_m`,
    [defects.map((d) => d.inspection_id), defects.map((d) => d.code), defects.map((d) => d.grade), defects.map((d) => d.distance_m),
      defects.map((d) => d.length_m), defects.map((d) => d.clock_from), defects.map((d) => d.clock_to), defects.map((d) => d.note)]);

  const reattached = reattach(hazards, newDefects, new Map(made.map((m) => [m.id, dayKey(m.pipe_id, m.at)])));
  if (reattached.length) {
    await db.query(`UPDATE hazards h SET defect_id = u.d FROM unnest($1::int[], $2::int[]) AS u(h, d) WHERE h.id = u.h`,
      [reattached.map((r) => r.hazard), reattached.map((r) => r.defect)]);
  }
  const settled = await settleRepairs(db, made.map((m) => m.id));
  const rescored = await recomputeAll(db);
  const after = await scoresOf(db, pipes);

  const oldByKey = new Map<string, { ids: number[]; defects: number }>();
  for (const o of old) {
    const e = oldByKey.get(dayKey(o.pipe_id, o.at)) ?? { ids: [], defects: 0 };
    e.ids.push(o.id);
    e.defects += o.defects;
    oldByKey.set(dayKey(o.pipe_id, o.at), e);
  }
  const each = plan.map((p) => ({
    id: idOf.get(dayKey(p.pipe_id, p.inspected_at))!,
    replaced: oldByKey.get(dayKey(p.pipe_id, p.inspected_at)) ?? null,
    before: before.get(p.pipe_id) ?? null,
    after: after.get(p.pipe_id) ?? null,
  }));
  return {
    inspections: { inserted: inserted.length, replaced: oldIds.length },
    defects: { inserted: newDefects.length, removed: old.reduce((s, o) => s + o.defects, 0) },
    hazards: { reattached: reattached.length, detached: hazards.length - reattached.length, ...settled },
    reaches_rescored: rescored,
    each,
  };
}

/** Each old hazard to the nearest new defect of its reach, date and code within SAME_PLACE_M, each defect taken once. */
function reattach(hazards: { id: number; code: string; distance_m: number; pipe_id: number; at: string }[],
  defects: { id: number; inspection_id: number; code: string; distance_m: number }[], dayOfInspection: Map<number, string>): { hazard: number; defect: number }[] {
  const taken = new Set<number>();
  const out: { hazard: number; defect: number }[] = [];
  const byDay = new Map<string, typeof defects>();
  for (const d of defects) {
    const k = dayOfInspection.get(d.inspection_id)!;
    byDay.set(k, [...(byDay.get(k) ?? []), d]);
  }
  for (const h of hazards) {
    let best: { id: number; gap: number } | null = null;
    for (const d of byDay.get(dayKey(h.pipe_id, h.at)) ?? []) {
      const gap = Math.abs(d.distance_m - h.distance_m);
      if (d.code !== h.code || taken.has(d.id) || gap > SAME_PLACE_M || (best && best.gap <= gap)) continue;
      best = { id: d.id, gap };
    }
    if (best) {
      taken.add(best.id);
      out.push({ hazard: h.id, defect: best.id });
    }
  }
  return out;
}
