// Streets (街道, table streets): polygons keyed by their 9-digit code, in a district of the database.
import { TARGETS } from '../shapes/targets/index.ts';
import { keyedTable, replaceMissing } from './keyed-table.ts';
import { adminCodeReason, resolveParent } from './parents.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const table = keyedTable({
  table: 'streets', key: 'code', geom: 'ST_Multi(s.geom)',
  columns: [{ name: 'name', sql: 'text' }, { name: 'district_code', sql: 'text' }],
});

export const streets: LayerModule = {
  layer: 'streets',
  target: TARGETS.streets,
  geometry: 'polygon',
  ...table,
  row({ values: v }, ctx) {
    const code = String(v.code);
    const reason = adminCodeReason(code, 9, 'street', ctx.districts);
    if (reason) return refuse(reason);
    return accept(code, { name: v.name, district_code: v.district_code === null ? null : String(v.district_code) });
  },
  resolve: (tx) => resolveParent(tx, { column: 'district_code', table: 'districts', what: 'district', digits: 6 }),
  replaceable: replaceMissing('streets', 'code'),
};
