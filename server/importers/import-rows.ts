// The imports table (migrations 008, 019): the imports made, listed, and networks removed (their manholes and
// pipes go with them: ON DELETE CASCADE).
import type pg from 'pg';
import type { ImportItem } from '../../common/api/imports.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';

/** An import as stored: its time a Date. */
export type ImportRecord = Omit<ImportItem, 'created_at'> & { created_at: Date };

/** The last 200 imports, newest first. */
export async function listImports(db: pg.Pool): Promise<ImportRecord[]> {
  const { rows } = await db.query<ImportRecord>(
    `SELECT id, filename, layer, format, source_crs, options, report, created_at FROM imports ORDER BY id DESC LIMIT 200`);
  return rows;
}

/**
 * Removes a network import and what it wrote, audited in the same transaction; 404 when there is none. A
 * layer import updated rows in place (server/importers/layers): removing its record would undo nothing, so
 * it is refused (409).
 */
export async function removeImport(pool: pg.Pool, id: number, actor: Actor, from: { ip: string }): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows: [layer] } = await client.query<{ layer: string }>('SELECT layer FROM imports WHERE id = $1', [id]);
    if (layer && layer.layer !== 'pipes') throw new ConflictError(`import ${id} updated the ${layer.layer} layer in place; it cannot be undone by removing it (edit or import the rows again)`);
    const { rows: [before] } = await client.query('DELETE FROM imports WHERE id = $1 RETURNING id, filename, format, report', [id]);
    if (!before) throw new NotFoundError('no such import');
    await audit(client, actor, from, { action: 'import.delete', entity: 'import', entity_id: id, before });
  });
}
