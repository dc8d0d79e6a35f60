// Which pipe each reach of an inspection sheet is: by its pipe code, or by its start and end manholes in
// either order (the sheet's start is where the camera went in, which is the downstream end when it went
// against the flow). Codes are unique within one network import, not across them (the synthetic network
// and an import, or two imports, may both have a YS001): a code that names several pipes is settled by the
// manholes when the sheet gives them, else refused as ambiguous, or restricted to one import up front.
import type pg from 'pg';
import type { ReachRef } from './inspection-rows.ts';

export type MatchedBy = 'pipe_code' | 'manholes' | 'manholes_reversed';

export interface Reach {
  id: number;
  code: string;
  length_m: number;
  diameter_mm: number | null;
  material: string | null;
  import_id: number | null;
  /** Codes of its upstream (from) and downstream (to) manholes. */
  from_code: string;
  to_code: string;
}

export interface ReachMatch {
  reach: Reach;
  by: MatchedBy;
  /**
   * Whether the sheet's start manhole is the reach's downstream end (the camera went against the flow);
   * null when the sheet names no manholes, or names ones that are not the reach's.
   */
  startsDownstream: boolean | null;
}

export type ReachAnswer = ReachMatch | { reason: string };

export const reachKey = (r: ReachRef): string => JSON.stringify([r.pipe_code, r.from, r.to]);

const COLUMNS = `p.id, p.code, p.length_m, p.diameter_mm, p.material, p.import_id, f.code AS from_code, t.code AS to_code`;

interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Where a pipe comes from, for an ambiguity message. */
const source = (r: Reach) => (r.import_id === null ? 'the base network' : `import #${r.import_id}`);

function startsDownstream(ref: ReachRef, r: Reach): boolean | null {
  if (!ref.from || !ref.to) return null;
  if (ref.from === r.from_code && ref.to === r.to_code) return false;
  if (ref.from === r.to_code && ref.to === r.from_code) return true;
  return null;
}

/**
 * Every distinct reference of the sheet answered: the pipe and how it was found, or why none was.
 * `importId` restricts the search to the pipes of one network import.
 */
export async function matchReaches(db: Queryable, refs: readonly ReachRef[], opts: { importId?: number | null } = {}): Promise<Map<string, ReachAnswer>> {
  const unique = [...new Map(refs.map((r) => [reachKey(r), r])).values()];
  const codes = [...new Set(unique.flatMap((r) => (r.pipe_code ? [r.pipe_code] : [])))];
  // Distinct here, not in SQL: the planner then knows how many pairs there are, and joins them by hash
  // instead of one trigram-index probe per pair (manholes_code_trgm_idx serves the search box, slowly for =).
  const pairs = [...new Map(unique.filter((r) => r.from && r.to).map((r) => [JSON.stringify([r.from, r.to]), r])).values()];
  const importId = opts.importId ?? null;
  // Codes are looked up by equality in thousands: by hash join. The trigram indexes on the codes (for the
  // search box; GIN, so bitmap scans only) answer equality slowly, and a planner with stale statistics
  // (right after a large network import) chooses them anyway: 14 s instead of 30 ms for 2,500 codes.
  const { rows: [{ was }] } = await db.query<{ was: string }>(`SELECT current_setting('enable_bitmapscan') AS was, set_config('enable_bitmapscan', 'off', true)`);
  try {
    return await lookUp(db, unique, codes, pairs, importId);
  } finally {
    // (In a transaction a failed lookup aborted, this fails too; the lookup's error is the one to see.)
    await db.query(`SELECT set_config('enable_bitmapscan', $1, true)`, [was]).catch(() => {});
  }
}

async function lookUp(db: Queryable, unique: ReachRef[], codes: string[], pairs: ReachRef[], importId: number | null): Promise<Map<string, ReachAnswer>> {
  const byCode = new Map<string, Reach[]>();
  if (codes.length) {
    const { rows } = await db.query<Reach>(
      `SELECT ${COLUMNS} FROM pipes p JOIN manholes f ON f.id = p.from_node JOIN manholes t ON t.id = p.to_node
       WHERE p.code = ANY($1::text[]) AND ($2::int IS NULL OR p.import_id = $2) ORDER BY p.id`, [codes, importId]);
    for (const r of rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
  }
  // Both orders as equi-joins (an OR would compare every pair with every manhole).
  const byPair = new Map<string, { forward: Reach[]; reversed: Reach[] }>();
  if (pairs.length) {
    const { rows } = await db.query<Reach & { a: string; b: string; forward: boolean }>(
      `WITH want AS (SELECT a, b FROM unnest($1::text[], $2::text[]) AS u(a, b))
       SELECT w.a, w.b, true AS forward, ${COLUMNS} FROM want w
         JOIN manholes f ON f.code = w.a JOIN pipes p ON p.from_node = f.id JOIN manholes t ON t.id = p.to_node AND t.code = w.b
         WHERE $3::int IS NULL OR p.import_id = $3
       UNION ALL
       SELECT w.a, w.b, false, ${COLUMNS} FROM want w
         JOIN manholes f ON f.code = w.b JOIN pipes p ON p.from_node = f.id JOIN manholes t ON t.id = p.to_node AND t.code = w.a
         WHERE $3::int IS NULL OR p.import_id = $3
       ORDER BY id`,
      [pairs.map((r) => r.from), pairs.map((r) => r.to), importId]);
    for (const { a, b, forward, ...reach } of rows) {
      const k = JSON.stringify([a, b]);
      const e = byPair.get(k) ?? { forward: [], reversed: [] };
      (forward ? e.forward : e.reversed).push(reach);
      byPair.set(k, e);
    }
  }
  const answers = new Map<string, ReachAnswer>();
  for (const ref of unique) answers.set(reachKey(ref), answer(ref, byCode, byPair));
  return answers;
}

function answer(ref: ReachRef, byCode: Map<string, Reach[]>, byPair: Map<string, { forward: Reach[]; reversed: Reach[] }>): ReachAnswer {
  const pair = ref.from && ref.to ? byPair.get(JSON.stringify([ref.from, ref.to])) ?? { forward: [], reversed: [] } : null;
  const between = ref.from && ref.to ? `manholes ${ref.from} and ${ref.to}` : '';
  if (ref.pipe_code) {
    let found = byCode.get(ref.pipe_code) ?? [];
    if (found.length > 1 && pair) {
      const ids = new Set([...pair.forward, ...pair.reversed].map((r) => r.id));
      found = found.filter((r) => ids.has(r.id));
    }
    if (found.length === 1) return { reach: found[0], by: 'pipe_code', startsDownstream: startsDownstream(ref, found[0]) };
    if (found.length > 1) {
      return { reason: `pipe code ${ref.pipe_code} names ${found.length} reaches (${found.map(source).join(', ')}): give its start and end manholes too, or import against one network` };
    }
    if (!pair) return { reason: `no reach has pipe code ${ref.pipe_code}` };
  }
  if (!pair) return { reason: 'no reach named' };
  const all = [...pair.forward, ...pair.reversed];
  if (all.length > 1) {
    return { reason: `${all.length} reaches run between ${between} (${all.map((r) => `${r.code} of ${source(r)}`).join(', ')}): give the pipe code` };
  }
  if (!all.length) return { reason: `no reach runs between ${between}, in either direction${ref.pipe_code ? `, and none has pipe code ${ref.pipe_code}` : ''}` };
  const forward = pair.forward.length === 1;
  return { reach: all[0], by: forward ? 'manholes' : 'manholes_reversed', startsDownstream: !forward };
}
