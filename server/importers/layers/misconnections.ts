// Storm/sanitary misconnections (雨污混接, table misconnections) from a survey ledger: a point, optionally on
// a reach or at a manhole named by its code, with its kind (other when the ledger does not say), status,
// date found and flow. Its grid follows from its position (the table's trigger).
import { TARGETS } from '../shapes/targets/index.ts';
import { outOfRange, text } from './checks.ts';
import { keyedTable } from './keyed-table.ts';
import { ledgerKey, placeOf } from './ledger-key.ts';
import { resolveRef } from './refs.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const target = TARGETS.misconnections;
const table = keyedTable({
  table: 'misconnections', key: 'ledger_code', geom: 's.geom',
  columns: [
    { name: 'kind', sql: 'text', insertDefault: `'other'` },
    { name: 'status', sql: 'text', insertDefault: `'found'` },
    { name: 'found_at', sql: 'date', insertDefault: `(now() AT TIME ZONE 'Asia/Shanghai')::date` },
    { name: 'flow_m3d', sql: 'real' },
    { name: 'pipe_id', sql: 'integer' },
    { name: 'manhole_id', sql: 'integer' },
  ],
});

export const misconnections: LayerModule = {
  layer: 'misconnections',
  target,
  geometry: 'point',
  ...table,
  stage: [...table.stage, { name: 'pipe_code', sql: 'text' }, { name: 'manhole_code', sql: 'text' }],
  row({ values: v, point }) {
    const flow = outOfRange(target, v, 'flow_m3d', { min: 0, max: 1e6 });
    if (flow) return refuse(flow);
    const key = ledgerKey(v.code, [placeOf(null, point), v.kind, v.found_at]);
    return accept(key, {
      kind: v.kind, status: v.status, found_at: v.found_at, flow_m3d: v.flow_m3d, pipe_code: text(v.pipe_code), manhole_code: text(v.manhole_code),
    });
  },
  async resolve(tx) {
    await resolveRef(tx, { code: 'pipe_code', id: 'pipe_id', table: 'pipes', what: 'pipe' });
    await resolveRef(tx, { code: 'manhole_code', id: 'manhole_id', table: 'manholes', what: 'manhole' });
  },
};
