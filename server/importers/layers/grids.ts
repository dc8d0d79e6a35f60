// Unit grids (单元网格, table grids): polygons keyed by their 15-digit code (GB/T 30428.2), each in a
// community found by its code, its name (and its street's) or the grid code's first 12 digits. A file that
// changes the grid set (new grids, moved boundaries, and with replace=true the grids it no longer has: a
// re-gridding) derives again the grid, community and street of every case, camera, pipe, hazard and
// misconnection in the area whose grids changed.
import { parseUnitGridCode } from '../shapes/codes.ts';
import { TARGETS } from '../shapes/targets/index.ts';
import { outOfRange, text } from './checks.ts';
import { deriveGridCodesIn } from './grid-codes.ts';
import { keyedTable, replaceMissing, sameGeometry } from './keyed-table.ts';
import { resolveParent } from './parents.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const target = TARGETS.grids;
const AREA = 'ST_Area(ST_Multi(s.geom)::geography)';
const table = keyedTable({
  table: 'grids', key: 'code', geom: 'ST_Multi(s.geom)',
  columns: [
    { name: 'community_code', sql: 'text' },
    // Measured from the polygon unless the file gives it; kept while the polygon stays.
    { name: 'area_m2', sql: 'float8', insertDefault: AREA, update: `coalesce(s.area_m2, CASE WHEN ${sameGeometry('t.geom', 'ST_Multi(s.geom)')} THEN t.area_m2 ELSE ${AREA} END)` },
  ],
});
const replace = replaceMissing('grids', 'code');

export const grids: LayerModule = {
  layer: 'grids',
  target,
  geometry: 'polygon',
  ...table,
  stage: [...table.stage, { name: 'community_name', sql: 'text' }, { name: 'street_name', sql: 'text' }],
  row({ values: v }, ctx) {
    const raw = String(v.code);
    const county = ctx.districts.find((d) => raw.startsWith(d)) ?? ctx.districts[0] ?? raw.slice(0, 6);
    const code = parseUnitGridCode(v.code, county);
    if (!code.ok) return refuse(code.reason);
    const area = outOfRange(target, v, 'area_m2', { min: 0, max: 1e8, exclusiveMin: true });
    if (area) return refuse(area);
    return accept(code.value.code, {
      community_code: text(v.community_code), area_m2: v.area_m2, community_name: text(v.community), street_name: text(v.street),
    });
  },
  resolve: (tx) => resolveParent(tx, {
    column: 'community_code', table: 'communities', what: 'community', digits: 12,
    byName: { column: 'community_name', within: { column: 'street_name', table: 'streets', parentColumn: 'street_code' } },
  }),
  async write(tx, ctx) {
    // Where grids change: the old and new polygons of grids moved or given to another community, new grids,
    // and the grids a replace removes (a seed grid the file only claims as the district's own changes nothing).
    await tx.query(
      `CREATE TEMP TABLE grid_changes ON COMMIT DROP AS
       WITH moved AS (SELECT t.geom AS old, ST_Multi(s.geom) AS new FROM grids t JOIN import_rows s ON s.key = t.code::text
                      WHERE s.action = 'update' AND (s.community_code IS DISTINCT FROM t.community_code::text OR NOT ${sameGeometry('t.geom', 'ST_Multi(s.geom)')}))
       SELECT old AS geom FROM moved UNION ALL SELECT new FROM moved
       UNION ALL SELECT ST_Multi(s.geom) FROM import_rows s WHERE s.action = 'insert'
       ${ctx.replace ? 'UNION ALL SELECT t.geom FROM grids t WHERE NOT EXISTS (SELECT 1 FROM import_rows s WHERE s.key = t.code::text)' : ''}`);
    await table.write(tx, ctx);
  },
  async derive(tx) {
    await tx.query('CREATE INDEX ON grid_changes USING gist (geom)');
    await tx.query('ANALYZE grid_changes');
    return { grid_code: await deriveGridCodesIn(tx, 'grid_changes') };
  },
  replaceable: replace,
};
