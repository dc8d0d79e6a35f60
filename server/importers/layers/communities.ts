// Communities (社区, table communities): polygons keyed by their 12-digit code, each in a street found by
// its code, its name or the community code's first 9 digits. A community moved to another street takes its
// cases with it (cases keep their street's code).
import { TARGETS } from '../shapes/targets/index.ts';
import { text } from './checks.ts';
import { keyedTable, replaceMissing } from './keyed-table.ts';
import { adminCodeReason, resolveParent } from './parents.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const table = keyedTable({
  table: 'communities', key: 'code', geom: 'ST_Multi(s.geom)',
  columns: [{ name: 'name', sql: 'text' }, { name: 'street_code', sql: 'text' }],
});

export const communities: LayerModule = {
  layer: 'communities',
  target: TARGETS.communities,
  geometry: 'polygon',
  ...table,
  stage: [...table.stage, { name: 'street_name', sql: 'text' }],
  row({ values: v }, ctx) {
    const code = String(v.code);
    const reason = adminCodeReason(code, 12, 'community', ctx.districts);
    if (reason) return refuse(reason);
    return accept(code, { name: v.name, street_code: text(v.street_code), street_name: text(v.street) });
  },
  resolve: (tx) => resolveParent(tx, { column: 'street_code', table: 'streets', what: 'street', digits: 9, byName: { column: 'street_name' } }),
  async derive(tx) {
    const r = await tx.query(
      `UPDATE cases c SET street_code = m.street_code FROM communities m JOIN import_rows s ON s.key = m.code::text AND s.action = 'update'
       WHERE c.community_code = m.code AND c.street_code IS DISTINCT FROM m.street_code`);
    return { cases_street_code: r.rowCount ?? 0 };
  },
  replaceable: replaceMissing('communities', 'code'),
};
