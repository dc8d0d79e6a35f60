// The district's outline (table districts), keyed by its 6-digit division code (GB/T 2260): the first
// layer of a district of one's own, against which every later import is checked.
import { TARGETS } from '../shapes/targets/index.ts';
import { keyedTable } from './keyed-table.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const table = keyedTable({ table: 'districts', key: 'code', geom: 'ST_Multi(s.geom)', columns: [{ name: 'name', sql: 'text' }] });

export const district: LayerModule = {
  layer: 'district',
  target: TARGETS.district,
  geometry: 'polygon',
  ...table,
  row({ values: v }) {
    const code = String(v.code);
    if (!/^\d{6}$/.test(code)) return refuse(`district code ${JSON.stringify(code.slice(0, 30))} is not 6 digits (GB/T 2260, e.g. 420106)`);
    return accept(code, { name: v.name });
  },
};
