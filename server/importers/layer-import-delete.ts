// Removing a layer import (a registry layer: grids, cameras, stations…). A layer import inserted some rows
// and updated others in place (server/importers/layers); the keys of both are in import_keys. Removing it
// deletes the rows it inserted and keeps the ones it updated (their values before it are not kept anywhere),
// all or nothing: refused (409) while a later import of the layer wrote one of its rows, while another row
// still uses one (the streets of a district), or when the import predates import_keys. Rows a replace import
// removed are not brought back. Grids removed give the cases, cameras, pipes, hazards and misconnections in
// their area their grid again.
import type pg from 'pg';
import { audit, type Actor } from '../auth/audit.ts';
import { ConflictError } from '../http/errors.ts';
import { LAYER_MODULES } from './layers/index.ts';
import { deriveGridCodesIn } from './layers/grid-codes.ts';
import type { LayerName } from './layers/names.ts';

export interface LayerImportRemoved {
  removed: number;
  kept: number;
  not_restored: number;
}

interface Imported { id: number; layer: string; filename: string; format: string; report: { counts?: { insert?: number; update?: number; removed?: number } } }

/** Removes import `imp` (its row locked by the caller) of a registry layer in transaction `tx`. */
export async function removeLayerImport(tx: pg.ClientBase, imp: Imported, actor: Actor, from: { ip: string }): Promise<LayerImportRemoved> {
  const module = LAYER_MODULES[imp.layer as LayerName];
  if (!module) throw new ConflictError(`import ${imp.id} went to the ${imp.layer} layer, which cannot be removed here`);
  const { table, key } = module.owns;
  // No import of this layer writes while its rows are counted and removed.
  await tx.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
  const { rows: [k] } = await tx.query<{ inserted: number; updated: number }>(
    `SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM import_keys WHERE import_id = $1`, [imp.id]);
  const counts = imp.report.counts ?? {};
  if (k.inserted + k.updated === 0 && (counts.insert ?? 0) + (counts.update ?? 0) > 0) {
    throw new ConflictError(`import ${imp.id} was made before imports recorded the rows they write, so what it inserted is not known; edit or import the rows again`);
  }
  const { rows: later } = await tx.query<{ id: number; filename: string }>(
    `SELECT DISTINCT i.id, i.filename FROM import_keys k JOIN import_keys l ON l.key = k.key AND l.import_id > k.import_id
     JOIN imports i ON i.id = l.import_id AND i.layer = $2
     WHERE k.import_id = $1 AND k.inserted ORDER BY i.id LIMIT 5`, [imp.id, imp.layer]);
  if (later.length) {
    throw new ConflictError(`later imports of ${imp.layer} wrote rows this one inserted (${later.map((l) => `#${l.id} ${l.filename}`).join(', ')}): remove those first`);
  }
  const remove = `DELETE FROM ${table} t USING import_keys k WHERE k.import_id = $1 AND k.inserted AND t.${key}::text = k.key`;
  let removed: number;
  try {
    if (imp.layer === 'grids') {
      await tx.query(`CREATE TEMP TABLE grid_changes ON COMMIT DROP AS SELECT geom FROM grids WHERE false`);
      removed = (await tx.query(`WITH gone AS (${remove} RETURNING t.geom) INSERT INTO grid_changes SELECT geom FROM gone`, [imp.id])).rowCount ?? 0;
      await tx.query('CREATE INDEX ON grid_changes USING gist (geom)');
      await deriveGridCodesIn(tx, 'grid_changes');
    } else {
      removed = (await tx.query(remove, [imp.id])).rowCount ?? 0;
    }
  } catch (err) {
    if ((err as { code?: string }).code !== '23503') throw err;
    throw new ConflictError(`rows import ${imp.id} inserted are still used by other rows (${(err as Error).message}); remove those first`);
  }
  const answer = { removed, kept: k.updated, not_restored: counts.removed ?? 0 };
  await tx.query('DELETE FROM imports WHERE id = $1', [imp.id]);
  await audit(tx, actor, from, {
    action: 'import.delete', entity: 'import', entity_id: imp.id,
    before: { filename: imp.filename, format: imp.format, layer: imp.layer, counts }, after: answer,
  });
  return answer;
}
