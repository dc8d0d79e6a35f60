// classify() and write() for a layer that is one table with a unique code (cameras by GB/T 28181 code,
// grids by grid code, vehicles by plate…): a staged row whose key the table has is an update when one of
// its values differs, else unchanged; the others are inserts. A value the file leaves empty keeps the
// table's (a ledger without a status column does not set every camera online again); a new row gets
// the layer's default. Geometries are the same when they lie within a centimetre of each other (a file
// read again through a projection comes back a few nanodegrees off).
import { ROWS_PER_UPDATE } from './grid-codes.ts';
import type { LayerModule, OwnedRows, StageColumn, Tx } from './types.ts';

export interface KeyedColumn extends StageColumn {
  /** The value (SQL) a new row gets when the file gives none; without one, null. */
  insertDefault?: string;
  /** The value (SQL) an update sets; by default the file's, or the table's where the file gives none. */
  update?: string;
  /** Derived from the row, not read from the file (a camera's grid): compared and written even when null. */
  derived?: boolean;
}

export interface KeyedTableSpec {
  table: string;
  /** The unique column that holds the stable code. */
  key: string;
  /** Columns staged under their own name and written to the table column of that name. */
  columns: readonly KeyedColumn[];
  /** The table's geometry from the staged one (`s.geom`, `ST_Multi(s.geom)`); null when the table has none. */
  geom: string | null;
  /** Columns a new row must have, with their label: the file may leave them empty only for rows that exist. */
  requiredOnInsert?: readonly { column: string; label: string }[];
  /** More SET clauses of an update (t is the table's row, s the staged one). */
  updateExtra?: readonly string[];
}

/** Geometries within 1e-7° (about a centimetre) of each other are one. */
export const sameGeometry = (a: string, b: string) => `(ST_OrderingEquals(${a}, ${b}) OR ST_HausdorffDistance(${a}, ${b}) < 1e-7)`;

/** Whether the staged row (alias `s`) changes the table's row `t`. */
export function changedSql(spec: KeyedTableSpec, s = 's'): string {
  const parts = spec.columns.map((c) => (c.derived ? `${s}.${c.name} IS DISTINCT FROM t.${c.name}` : `(${s}.${c.name} IS NOT NULL AND ${s}.${c.name} IS DISTINCT FROM t.${c.name})`));
  if (spec.geom) parts.push(`(${s}.geom IS NOT NULL AND (t.geom IS NULL OR NOT ${sameGeometry('t.geom', spec.geom.replaceAll('s.geom', `${s}.geom`))}))`);
  // A synthetic row the file names becomes the district's own.
  parts.push('t.synthetic');
  return parts.join(' OR ');
}

export function keyedTable(spec: KeyedTableSpec): Pick<LayerModule, 'stage' | 'classify' | 'write'> & { owns: OwnedRows } {
  const { table, key } = spec;
  const cols = spec.columns;
  return {
    owns: { table, key },
    stage: cols,
    async classify(tx: Tx) {
      await tx.query(`UPDATE import_rows SET action = 'insert' WHERE reason IS NULL`);
      await tx.query(`UPDATE import_rows s SET action = CASE WHEN ${changedSql(spec)} THEN 'update' ELSE 'unchanged' END
                      FROM ${table} t WHERE t.${key}::text = s.key AND s.reason IS NULL`);
      for (const r of spec.requiredOnInsert ?? []) {
        await tx.query(`UPDATE import_rows SET reason = $1, action = NULL WHERE action = 'insert' AND ${r.column} IS NULL`,
          [`${r.label} is empty: a new row needs it (only rows already in the database may leave it out)`]);
      }
    },
    async write(tx: Tx) {
      // A geometry within the tolerance of the table's stays as it is.
      const geom = spec.geom ? [{ col: 'geom', ins: spec.geom, upd: `CASE WHEN s.geom IS NULL OR ${sameGeometry('t.geom', spec.geom)} THEN t.geom ELSE ${spec.geom} END` }] : [];
      const all = [
        ...cols.map((c) => ({
          col: c.name, ins: c.insertDefault ? `coalesce(s.${c.name}, ${c.insertDefault})` : `s.${c.name}`,
          upd: c.update ?? (c.derived ? `s.${c.name}` : `coalesce(s.${c.name}, t.${c.name})`),
        })),
        { col: 'synthetic', ins: 'false', upd: 'false' },
        ...geom,
      ];
      await tx.query(`INSERT INTO ${table} (${key}, ${all.map((a) => a.col).join(', ')})
                      SELECT s.key, ${all.map((a) => a.ins).join(', ')} FROM import_rows s WHERE s.action = 'insert' ORDER BY s.row`);
      const { rows: [range] } = await tx.query<{ lo: number | null; hi: number | null }>(`SELECT min(row) AS lo, max(row) AS hi FROM import_rows WHERE action = 'update'`);
      // In statements of at most ROWS_PER_UPDATE rows (grid-codes.ts says why).
      for (let lo = range.lo ?? 1, hi = range.hi ?? 0; lo <= hi; lo += ROWS_PER_UPDATE) {
        await tx.query(`UPDATE ${table} t SET ${[...(spec.updateExtra ?? []), ...all.map((a) => `${a.col} = ${a.upd}`)].join(', ')}
                        FROM import_rows s WHERE t.${key}::text = s.key AND s.action = 'update' AND s.row >= $1 AND s.row < $2`, [lo, lo + ROWS_PER_UPDATE]);
      }
    },
  };
}

/** replace=true for a keyed table: its rows whose key the file does not have. */
export function replaceMissing(table: string, key: string): NonNullable<LayerModule['replaceable']> {
  const missing = `NOT EXISTS (SELECT 1 FROM import_rows s WHERE s.key = t.${key}::text)`;
  return {
    async count(tx) {
      return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} t WHERE ${missing}`)).rows[0].n;
    },
    async remove(tx) {
      return (await tx.query(`DELETE FROM ${table} t WHERE ${missing}`)).rowCount ?? 0;
    },
  };
}
