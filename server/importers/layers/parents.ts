// The unit above a row of an administrative layer (a grid's community, a community's street, a street's
// district), found in the database by the code the file gives, else by the name (and the street's name, when
// names repeat across streets), else from the row's own code, whose first digits are its parent's
// (GB/T 30428.2: county 6 + street 3 + community 3 + grid 3). A parent the database lacks, or a code that
// does not start with its parent's, refuses the row: the app reads a grid's community from its code.
import type { Tx } from './types.ts';

export interface ParentSpec {
  /** Staged column holding the parent's code (filled here when the file gives a name or nothing). */
  column: string;
  /** The parent table, its words for messages and the layer to import first. */
  table: 'districts' | 'streets' | 'communities';
  what: string;
  /** Digits of the row's code that are the parent's code. */
  digits: number;
  /** Staged column with the parent's name, and how to narrow names that repeat: the parent's own parent name column. */
  byName?: { column: string; within?: { column: string; table: 'streets'; parentColumn: 'street_code' } };
}

export async function resolveParent(tx: Tx, p: ParentSpec): Promise<void> {
  if (p.byName) {
    const within = p.byName.within;
    // Every candidate of a name (narrowed by its parent's name when the row gives one); one is the answer.
    await tx.query(
      `WITH c AS (SELECT s.row, min(u.code) AS code, count(*) AS n FROM import_rows s JOIN ${p.table} u ON u.name = s.${p.byName.column}
                  ${within ? `LEFT JOIN ${within.table} w ON w.code = u.${within.parentColumn}` : ''}
                  WHERE s.reason IS NULL AND s.${p.column} IS NULL ${within ? `AND (s.${within.column} IS NULL OR w.name = s.${within.column})` : ''}
                  GROUP BY s.row)
       UPDATE import_rows s SET ${p.column} = CASE WHEN c.n = 1 THEN c.code END,
              reason = CASE WHEN c.n > 1 THEN format('%s name %s is ambiguous: %s of them have it (give the code, or the name of the unit above it)', $1::text, s.${p.byName.column}, c.n) END
       FROM c WHERE c.row = s.row`, [p.what]);
    await tx.query(
      `UPDATE import_rows SET reason = format('unknown name: no %s is named %s in the database (import the %s first, or give its code)', $1::text, ${p.byName.column}, $2::text)
       WHERE reason IS NULL AND ${p.column} IS NULL AND ${p.byName.column} IS NOT NULL`, [p.what, p.table]);
  }
  await tx.query(`UPDATE import_rows SET ${p.column} = left(key, ${p.digits}) WHERE reason IS NULL AND ${p.column} IS NULL`);
  await tx.query(
    `UPDATE import_rows s SET reason = format('unknown code: %s %s is not in the database (import the %s first)', $1::text, s.${p.column}, $2::text)
     WHERE s.reason IS NULL AND NOT EXISTS (SELECT 1 FROM ${p.table} u WHERE u.code::text = s.${p.column})`, [p.what, p.table]);
  await tx.query(
    `UPDATE import_rows s SET reason = format('code %s does not start with the code of its %s, %s (%s)', s.key, $1::text, s.${p.column}, u.name)
     FROM ${p.table} u WHERE u.code::text = s.${p.column} AND s.reason IS NULL AND left(s.key, ${p.digits}) <> s.${p.column}`, [p.what]);
}

/** A code of `digits` digits whose first 6 are one of the districts (when any is loaded), or why not. */
export function adminCodeReason(code: string, digits: number, what: string, districts: readonly string[]): string | null {
  if (!/^\d+$/.test(code)) return `${what} code ${JSON.stringify(code.slice(0, 30))} has characters other than digits`;
  if (code.length !== digits) return `${what} code ${code} has ${code.length} digits; a ${what} code has ${digits}`;
  if (districts.length && !districts.some((d) => code.startsWith(d))) return `${what} code ${code} is not in the district (${districts.join(', ')})`;
  if (digits > 6 && /^0+$/.test(code.slice(-3))) return `${what} code ${code} ends in 000; numbers start at 001`;
  return null;
}
