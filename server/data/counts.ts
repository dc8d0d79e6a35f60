// Exact counts of a clustered layer's features inside the map's view, for the layer tree: a cluster on the
// view's edge stands for features on both sides of it, so counts cannot be read off the drawn clusters.
// Cases (millions) are counted as the items' numberMatched is, from their cells (features/cell-count.ts)
// but without a cap; the smaller layers are counted directly.
import { readOnStandby } from '../db/replica.ts';
import type { Queryable } from '../tiles/types.ts';
import { buildCellCountSql } from '../features/cell-count.ts';
import { COLLECTIONS } from '../features/collections.ts';
import type { Bbox } from './density.ts';

/** The layers whose tiles cluster, and so whose counts in view come from here. */
export const COUNTED_LAYERS = ['cases', 'cameras', 'manholes'] as const;
export type CountedLayer = (typeof COUNTED_LAYERS)[number];

const countSql = (table: string) => `SELECT count(*) AS n FROM ${table} WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`;

async function countLayer(db: Queryable, layer: CountedLayer, bbox: Bbox): Promise<number> {
  const c = COLLECTIONS.find((x) => x.id === layer);
  const cells = c ? buildCellCountSql(c, bbox, null) : null;
  const { rows } = await db.query<{ n: string }>(cells ?? { name: `count_${layer}_in_view`, text: countSql(layer), values: bbox });
  return Number(rows[0].n);
}

/** Features of each layer inside the view (WGS84 bbox); a standby may answer (db/replica.ts). */
export function countsInView(db: Queryable, layers: readonly CountedLayer[], bbox: Bbox): Promise<Partial<Record<CountedLayer, number>>> {
  return readOnStandby(db, async () => {
    const out: Partial<Record<CountedLayer, number>> = {};
    for (const layer of layers) out[layer] = await countLayer(db, layer, bbox);
    return out;
  });
}
