// Keeps the stored CJJ 181 scores (pipe_condition, pipes.sgrade/fgrade) equal to what the domain engine
// computes from each reach's latest inspection. Triggers queue the reaches whose inspections, defects or
// inputs changed (migration 008); `recomputeQueued` takes a batch off the queue and rescores it. It runs
// inside the caller's transaction (the seed's, an import's, or the server's worker below), so scores
// commit together with the data they come from.
import type pg from 'pg';
import { inTransaction } from '../db/tx.ts';
import { scoreSegment, type DefectInput } from '../domain/cjj181/score.ts';
import type { AreaClass, SoilClass } from '../domain/cjj181/tables.ts';

interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

interface InputRow {
  pipe_id: number; length_m: number; diameter_mm: number | null; area_class: AreaClass; soil_class: SoilClass;
  inspection_id: number | null; inspected_at: string | null; defects: DefectInput[] | null; repaired: RepairedDefect[] | null;
}

/** A defect of the latest inspection whose hazard is fixed: listed with the scores, not scored (migration 016). */
export interface RepairedDefect { code: string; grade: number; at_m: number; hazard_id: number }

const REPAIRED = `EXISTS (SELECT 1 FROM hazards h WHERE h.defect_id = d.id AND remediation_is_repaired(h.status))`;

const INPUT_SQL = `
  SELECT p.id AS pipe_id, p.length_m, p.diameter_mm, p.area_class, p.soil_class, i.id AS inspection_id,
         to_char(i.inspected_at, 'YYYY-MM-DD') AS inspected_at,
         (SELECT json_agg(json_build_object('code', d.code, 'grade', d.grade, 'distance_m', d.distance_m, 'length_m', d.length_m) ORDER BY d.distance_m, d.id)
            FROM defects d WHERE d.inspection_id = i.id AND NOT ${REPAIRED}) AS defects,
         (SELECT json_agg(json_build_object('code', d.code, 'grade', d.grade, 'at_m', d.distance_m,
                   'hazard_id', (SELECT min(h.id) FROM hazards h WHERE h.defect_id = d.id AND remediation_is_repaired(h.status))) ORDER BY d.distance_m, d.id)
            FROM defects d WHERE d.inspection_id = i.id AND ${REPAIRED}) AS repaired
  FROM pipes p
  LEFT JOIN LATERAL (SELECT * FROM inspections i WHERE i.pipe_id = p.id ORDER BY i.inspected_at DESC, i.id DESC LIMIT 1) i ON true
  WHERE p.id = ANY($1::int[])`;

/** Rescoring a batch; returns how many reaches were taken off the queue (0 when it is empty). */
export async function recomputeQueued(db: Queryable, batch = 2000): Promise<number> {
  const { rows: queued } = await db.query<{ pipe_id: number }>(
    `DELETE FROM pipe_condition_queue WHERE pipe_id IN (
       SELECT pipe_id FROM pipe_condition_queue ORDER BY pipe_id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING pipe_id`, [batch]);
  if (!queued.length) return 0;
  const { rows } = await db.query<InputRow>(INPUT_SQL, [queued.map((q) => q.pipe_id)]);
  const scored = rows.filter((r) => r.inspection_id !== null && r.length_m > 0);
  const cols: Record<string, unknown[]> = {
    pipe_id: [], inspection_id: [], inspected_at: [], s: [], smax: [], f: [], sm: [], ri: [], sgrade: [], ri_grade: [], sdensity: [], sadvice: [],
    y: [], ymax: [], g: [], ym: [], mi: [], fgrade: [], mi_grade: [], fdensity: [], fadvice: [], k: [], e: [], t: [], codes: [], defects: [], repaired: [], error: [],
  };
  for (const r of scored) {
    let score: ReturnType<typeof scoreSegment>;
    try {
      score = scoreSegment({ length_m: r.length_m, diameter_mm: r.diameter_mm, area: r.area_class, soil: r.soil_class, defects: r.defects ?? [] });
    } catch (err) {
      // Bad survey data must not block the queue: the reach is stored unscored, with the reason.
      const values: Record<string, unknown> = { pipe_id: r.pipe_id, inspection_id: r.inspection_id, inspected_at: r.inspected_at, codes: [], defects: '[]', repaired: JSON.stringify(r.repaired ?? []), error: (err as Error).message };
      for (const k of Object.keys(cols)) cols[k].push(values[k] ?? null);
      continue;
    }
    const { structural: st, functional: fn, defects } = score;
    const values: Record<string, unknown> = {
      pipe_id: r.pipe_id, inspection_id: r.inspection_id, inspected_at: r.inspected_at,
      s: st.S, smax: st.Smax, f: st.F, sm: st.SM, ri: st.RI, sgrade: st.grade, ri_grade: st.riGrade, sdensity: st.density?.code ?? null, sadvice: st.advice.code,
      y: fn.Y, ymax: fn.Ymax, g: fn.G, ym: fn.YM, mi: fn.MI, fgrade: fn.grade, mi_grade: fn.miGrade, fdensity: fn.density?.code ?? null, fadvice: fn.advice.code,
      k: st.K, e: st.E, t: st.T,
      codes: [...new Set((r.defects ?? []).map((d) => d.code))],
      defects: JSON.stringify(defects.map((d) => ({ kind: d.kind, codes: d.members.map((m) => `${m.code}${m.grade}`), at_m: d.distance_m, length_m: d.length_m, score: d.score, alpha: d.alpha }))),
      repaired: JSON.stringify(r.repaired ?? []),
      error: null,
    };
    for (const k of Object.keys(cols)) cols[k].push(values[k]);
  }
  const types: Record<string, string> = {
    pipe_id: 'int', inspection_id: 'int', inspected_at: 'date', sgrade: 'int2', ri_grade: 'int2', fgrade: 'int2', mi_grade: 'int2',
    sdensity: 'text', sadvice: 'text', fdensity: 'text', fadvice: 'text', codes: 'text', defects: 'text', repaired: 'text', error: 'text',
  };
  const names = Object.keys(cols);
  // codes is an array per row: passed as one text per row ("{PL,CK}") and cast back.
  const params = names.map((n) => (n === 'codes' ? cols[n].map((c) => `{${(c as string[]).join(',')}}`) : cols[n]));
  await db.query(
    `INSERT INTO pipe_condition (${names.join(', ')}, computed_at)
     SELECT ${names.map((n) => (n === 'codes' ? 'u.codes::text[]' : n === 'defects' || n === 'repaired' ? `u.${n}::jsonb` : `u.${n}`)).join(', ')}, now()
     FROM unnest(${names.map((n, i) => `$${i + 1}::${types[n] ?? 'float8'}[]`).join(', ')}) AS u(${names.join(', ')})
     ON CONFLICT (pipe_id) DO UPDATE SET ${names.filter((n) => n !== 'pipe_id').map((n) => `${n} = excluded.${n}`).join(', ')}, computed_at = now()`,
    params);
  // Reaches with no inspection left lose their scores.
  await db.query(
    `DELETE FROM pipe_condition WHERE pipe_id = ANY($1::int[]) AND NOT (pipe_id = ANY($2::int[]))`,
    [queued.map((q) => q.pipe_id), scored.map((r) => r.pipe_id)]);
  // The map's colours: only rows whose grade changed are written (each write is a change-feed event).
  await db.query(
    `UPDATE pipes p SET sgrade = c.sgrade, fgrade = c.fgrade
     FROM (SELECT q.id, pc.sgrade, pc.fgrade FROM unnest($1::int[]) AS q(id) LEFT JOIN pipe_condition pc ON pc.pipe_id = q.id) c
     WHERE p.id = c.id AND (p.sgrade, p.fgrade) IS DISTINCT FROM (c.sgrade, c.fgrade)`,
    [queued.map((q) => q.pipe_id)]);
  return queued.length;
}

/** Drains the whole queue in the caller's transaction (seed, import). */
export async function recomputeAll(db: Queryable): Promise<number> {
  let total = 0;
  for (let n = await recomputeQueued(db); n > 0; n = await recomputeQueued(db)) total += n;
  return total;
}

/**
 * The server's worker: drains the queue whenever the database says it grew (NOTIFY onemap_condition)
 * and once at start, each batch in its own transaction. Runs one drain at a time; a signal during a
 * drain schedules one more.
 */
export class ConditionWorker {
  private running: Promise<void> | null = null;
  private again = false;
  /** Reaches rescored since start, for tests and logs. */
  rescored = 0;

  constructor(private readonly pool: pg.Pool, private readonly onError: (err: unknown) => void = () => {}) {}

  /** Resolves when no drain is running (the app waits for it before closing the pool). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain().catch(this.onError);
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const n = await inTransaction(this.pool, (client) => recomputeQueued(client));
      this.rescored += n;
      if (!n) return;
    }
  }
}
