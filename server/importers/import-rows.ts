// The imports table (migrations 008, 019): the imports made, listed, and removed.
import type pg from 'pg';
import type { ImportItem } from '../../common/api/imports.ts';
import { audit, type Actor } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { NotFoundError } from '../http/errors.ts';
import { removeLayerImport, type LayerImportRemoved } from './layer-import-delete.ts';

/** An import as stored: its time a Date. */
export type ImportRecord = Omit<ImportItem, 'created_at'> & { created_at: Date };

/** The last 200 imports, newest first. */
export async function listImports(db: pg.Pool): Promise<ImportRecord[]> {
  const { rows } = await db.query<ImportRecord>(
    `SELECT id, filename, layer, format, source_crs, options, report, created_at FROM imports ORDER BY id DESC LIMIT 200`);
  return rows;
}

/**
 * Removes an import, audited in the same transaction; 404 when there is none. A network import goes with
 * its manholes and pipes (ON DELETE CASCADE); a layer import with the rows it inserted (layer-import-delete.ts).
 */
export async function removeImport(pool: pg.Pool, id: number, actor: Actor, from: { ip: string }): Promise<LayerImportRemoved | null> {
  return inTransaction(pool, async (client) => {
    const { rows: [imp] } = await client.query('SELECT id, layer, filename, format, report FROM imports WHERE id = $1 FOR UPDATE', [id]);
    if (!imp) throw new NotFoundError('no such import');
    if (imp.layer !== 'pipes') return removeLayerImport(client, imp, actor, from);
    const { rows: [before] } = await client.query('DELETE FROM imports WHERE id = $1 RETURNING id, filename, format, report', [id]);
    await audit(client, actor, from, { action: 'import.delete', entity: 'import', entity_id: id, before });
    return null;
  });
}
