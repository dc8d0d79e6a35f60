// Drainage facilities from a ledger or a Shapefile (table facilities): pumping stations, gates, outfalls,
// plants, waterlogging points as points; lakes and channels as any geometry. Keyed by the facility code,
// optionally at a manhole of the network.
import { TARGETS } from '../shapes/targets/index.ts';
import { text } from './checks.ts';
import { keyedTable } from './keyed-table.ts';
import { resolveRef } from './refs.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const table = keyedTable({
  table: 'facilities', key: 'code', geom: 's.geom',
  columns: [{ name: 'name', sql: 'text' }, { name: 'kind', sql: 'text' }, { name: 'capacity', sql: 'text' }, { name: 'manhole_id', sql: 'integer' }],
});

export const facilities: LayerModule = {
  layer: 'facilities',
  target: TARGETS.facilities,
  geometry: 'any',
  ...table,
  stage: [...table.stage, { name: 'manhole_code', sql: 'text' }],
  row({ values: v }) {
    const code = String(v.code);
    if (code.length > 64) return refuse(`facility code ${JSON.stringify(code.slice(0, 30))}… is longer than 64 characters`);
    return accept(code, { name: v.name, kind: v.kind, capacity: text(v.capacity), manhole_code: text(v.manhole_code) });
  },
  resolve: (tx) => resolveRef(tx, { code: 'manhole_code', id: 'manhole_id', table: 'manholes', what: 'manhole' }),
};
