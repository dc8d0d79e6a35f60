// What each data layer holds (layer-registry.ts): whether it has rows and synthetic ones (public: the layer
// tree and the health badge say what is missing or generated), and for the data page its row counts, the
// imports into it and when it last changed.
import type pg from 'pg';
import type { DataLayerId, LayerDetails, LayerPresence } from '../../common/api/data.ts';
import type { Json } from '../../common/api/common.ts';
import { DATA_LAYER_DEFS, type DataLayer } from './layer-registry.ts';
import { readOnStandby } from '../db/replica.ts';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Whether each layer has rows, and synthetic ones, for the layer tree: a standby may answer. */
export function layerPresence(db: pg.Pool): Promise<LayerPresence[]> {
  return readOnStandby(db, () => presence(db));
}

/** Whether each layer has rows, and synthetic ones: one EXISTS each, whatever the tables' size. */
async function presence(db: pg.Pool | pg.ClientBase): Promise<LayerPresence[]> {
  const sql = DATA_LAYER_DEFS.map((l) => `SELECT ${lit(l.id)} AS id, EXISTS (SELECT 1 FROM ${l.table} t) AS loaded,
      EXISTS (SELECT 1 FROM ${l.table} t WHERE ${l.synthetic}) AS synthetic`).join(' UNION ALL ');
  const { rows } = await db.query<{ id: DataLayerId; loaded: boolean; synthetic: boolean }>(sql);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return DATA_LAYER_DEFS.map((l) => ({ id: l.id, loaded: byId.get(l.id)!.loaded, synthetic: byId.get(l.id)!.synthetic, import_layer: l.importLayer }));
}

/** The layers that still have synthetic rows (the health badge: the primary's own answer). */
export async function syntheticLayers(db: pg.Pool): Promise<DataLayerId[]> {
  return (await presence(db)).filter((l) => l.synthetic).map((l) => l.id);
}

/** Rows written by an import: a layer import's inserted and updated counts, a network's manholes or pipes. */
const written = (l: DataLayer, what: 'insert' | 'update') => (l.importLayer === 'pipes'
  ? (what === 'insert' ? `coalesce((i.report->'written'->>'${l.id}')::int, 0)` : '0')
  : `coalesce((i.report->'counts'->>'${what}')::int, 0)`);

async function details(db: pg.Pool, l: DataLayer): Promise<Omit<LayerDetails, 'import_layer' | 'id'>> {
  const { rows: [r] } = await db.query(
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE ${l.synthetic})::int AS synthetic_rows,
            (SELECT changed_at FROM table_changes WHERE tbl = $1) AS changed_at
     FROM ${l.table} t`, [l.table]);
  const imports = l.importLayer === null ? [] : (await db.query(
    `SELECT i.id, i.filename, i.format, i.created_at, ${written(l, 'insert')} AS inserted, ${written(l, 'update')} AS updated,
            (SELECT a.actor FROM audit_log a WHERE a.entity = 'import' AND a.entity_id = i.id::text AND a.action = 'import.create' ORDER BY a.id LIMIT 1) AS by,
            count(*) OVER ()::int AS total
     FROM imports i WHERE i.layer = $1 ORDER BY i.id DESC LIMIT 5`, [l.importLayer])).rows;
  const { rows: [seed] } = await db.query<{ at: Date | null }>(`SELECT updated_at AS at FROM dataset_info WHERE key = 'seed'`);
  // The trigger's time when it saw a change; else the last import, else the seed's time for seeded rows.
  const last = r.changed_at ?? imports[0]?.created_at ?? (r.synthetic_rows > 0 ? seed?.at ?? null : null);
  return {
    loaded: r.rows > 0, synthetic: r.synthetic_rows > 0, rows: r.rows, synthetic_rows: r.synthetic_rows,
    imports: imports.map(({ total: _total, ...i }) => i), import_count: imports[0]?.total ?? 0, last_change: last,
  };
}

/** Every layer's counts, imports and last change, for the data page; a standby may answer. */
export function layerDetails(db: pg.Pool): Promise<Json<LayerDetails>[]> {
  return readOnStandby(db, async () => {
    const out: LayerDetails[] = [];
    for (const l of DATA_LAYER_DEFS) out.push({ id: l.id, import_layer: l.importLayer, ...await details(db, l) });
    return out as unknown as Json<LayerDetails>[];
  });
}
