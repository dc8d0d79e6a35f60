// Codes of other layers a row names (the reach a hazard is on, the manhole a station sits in, the facility
// it belongs to), turned into the ids the tables keep; a code the database lacks refuses the row. Pipe and
// manhole codes are unique within one network import: the newest import's row wins, then the seed's.
import type { Tx } from './types.ts';

export interface RefSpec {
  /** Staged columns: the code the file gives, the id found. */
  code: string;
  id: string;
  table: 'pipes' | 'manholes' | 'facilities';
  what: string;
}

export async function resolveRef(tx: Tx, r: RefSpec): Promise<void> {
  const order = r.table === 'facilities' ? '' : 'ORDER BY u.import_id DESC NULLS LAST';
  await tx.query(`UPDATE import_rows s SET ${r.id} = (SELECT u.id FROM ${r.table} u WHERE u.code = s.${r.code} ${order} LIMIT 1)
                  WHERE s.reason IS NULL AND s.${r.code} IS NOT NULL`);
  await tx.query(`UPDATE import_rows SET reason = format('unknown code: %s %s is not in the database', $1::text, ${r.code})
                  WHERE reason IS NULL AND ${r.code} IS NOT NULL AND ${r.id} IS NULL`, [r.what]);
}

/** Rows that name no reach go on the nearest one (nearest_pipe in the database); rows with none near are refused. */
export async function nearestPipe(tx: Tx): Promise<void> {
  await tx.query(`UPDATE import_rows s SET pipe_id = nearest_pipe(s.geom)
                  WHERE s.reason IS NULL AND s.pipe_id IS NULL AND s.geom IS NOT NULL`);
}
