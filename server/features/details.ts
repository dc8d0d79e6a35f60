// SQL of the identify panel: a feature with what hangs off it (its layer's `related`, stated in the layer's
// tiles/ module), as one json_build_object so a click costs one round trip.
import { COLLECTIONS, type CollectionDef } from './collections.ts';
import type { BuiltQuery } from './items.ts';
import { geometryJsonSql, idJsonSql, keySql, propertiesJsonSql } from './sql.ts';

export function buildDetailsSql(c: CollectionDef, key: string): BuiltQuery {
  const cast = c.key.type === 'code' ? 'bpchar' : c.key.type === 'integer' ? 'int' : 'bigint';
  return {
    text: `SELECT ${idJsonSql(c)}::json AS id, ${propertiesJsonSql(c)}::json AS properties, ${geometryJsonSql()}::json AS geometry,
             ${c.related?.sql ?? `'{}'::json`} AS related
           FROM ${c.table} t WHERE ${keySql(c)} = $1::${cast}`,
    values: [key],
  };
}

/** "pipes: from_manhole, …; hazards: pipe; …; others: {}." for the API documentation. */
export function relatedDescription(): string {
  return `${COLLECTIONS.flatMap((c) => (c.related ? [`${c.id}: ${c.related.describe}`] : [])).join('; ')}; others: {}.`;
}
