// Cameras from a video platform's registry: keyed by the GB/T 28181 code (a camera's or network camera's,
// type 131/132), updated in place on a re-import. Their unit grid follows from their position (found as
// they are staged, written with them); the
// coverage of the grids their fields of view reach, old and new, is measured before and after the write
// with the app's own definition (server/cameras/analytics.ts), whose copy in memory the change feed renews.
import { coverageOf, type GridCoverage } from '../../cameras/analytics.ts';
import { parseDeviceCode } from '../shapes/codes.ts';
import { TARGETS } from '../shapes/targets/index.ts';
import { bearing, firstReason, outOfRange, text } from './checks.ts';
import { gridAt } from './grid-codes.ts';
import { keyedTable } from './keyed-table.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const target = TARGETS.cameras;
const table = keyedTable({
  table: 'cameras',
  key: 'code',
  geom: 's.geom',
  columns: [
    { name: 'name', sql: 'text' },
    { name: 'kind', sql: 'text', insertDefault: `'gun'` },
    { name: 'azimuth_deg', sql: 'real', insertDefault: '0' },
    { name: 'hfov_deg', sql: 'real', insertDefault: '60' },
    { name: 'range_m', sql: 'real', insertDefault: '50' },
    { name: 'height_m', sql: 'real' },
    { name: 'status', sql: 'text', insertDefault: `'online'` },
    { name: 'stream_url', sql: 'text' },
    { name: 'owner', sql: 'text' },
    { name: 'installed_on', sql: 'date' },
    // The grid at the camera's position, found when it is staged (resolve), so that it is written with the row.
    { name: 'grid_code', sql: 'text', derived: true },
  ],
  updateExtra: [`status_since = CASE WHEN s.status IS NOT NULL AND s.status <> t.status THEN now() ELSE t.status_since END`],
});

/**
 * Grids the written cameras' fields of view reach: before the write, their old sectors and the sectors
 * they are about to get (onemap_fov of the staged values, the table's where the file gives none).
 */
const TOUCHED_BEFORE = `
  SELECT g.code::text AS code FROM import_rows s JOIN cameras t ON t.code::text = s.key JOIN grids g ON g.geom && t.fov AND ST_Intersects(g.geom, t.fov)
  WHERE s.action = 'update'
  UNION
  SELECT g.code::text FROM import_rows s LEFT JOIN cameras t ON t.code::text = s.key
  CROSS JOIN LATERAL (SELECT onemap_fov(coalesce(s.geom, t.geom), coalesce(s.azimuth_deg, t.azimuth_deg, 0), coalesce(s.hfov_deg, t.hfov_deg, 60),
                                        coalesce(s.range_m, t.range_m, 50)) AS fov) f
  JOIN grids g ON g.geom && f.fov AND ST_Intersects(g.geom, f.fov)
  WHERE s.action IN ('insert', 'update')`;

export const cameras: LayerModule = {
  layer: 'cameras',
  target,
  geometry: 'point',
  ...table,
  row({ values: v }) {
    const code = parseDeviceCode(v.code, { expect: 'camera' });
    if (!code.ok) return refuse(code.reason);
    const azimuth = bearing(v.azimuth_deg);
    const reason = firstReason(
      Number.isNaN(azimuth) ? outOfRange(target, v, 'azimuth_deg', { min: -360, max: 360 }) : null,
      outOfRange(target, v, 'hfov_deg', { min: 0, max: 360, exclusiveMin: true }),
      outOfRange(target, v, 'range_m', { min: 0, max: 5000, exclusiveMin: true }),
      outOfRange(target, v, 'height_m', { min: 0, max: 300 }),
    );
    if (reason) return refuse(reason);
    return accept(code.value.code, {
      name: v.name, kind: v.kind, azimuth_deg: azimuth, hfov_deg: v.hfov_deg, range_m: v.range_m, height_m: v.height_m,
      status: v.status, stream_url: text(v.stream_url), owner: text(v.owner), installed_on: v.installed_on,
    });
  },
  async resolve(tx) {
    await tx.query(`UPDATE import_rows s SET grid_code = ${gridAt('s.geom')} WHERE s.reason IS NULL`);
  },
  async write(tx, ctx) {
    const { rows } = await tx.query<{ code: string }>(TOUCHED_BEFORE);
    const codes = rows.map((r) => r.code);
    ctx.notes.set('coverage_before', await coverageOf(tx, codes));
    await table.write(tx, ctx);
  },
  async derive(tx, ctx) {
    const { rows: [grids] } = await tx.query<{ set: number; outside: number }>(
      `SELECT count(grid_code)::int AS set, count(*) FILTER (WHERE grid_code IS NULL)::int AS outside FROM import_rows WHERE action IN ('insert', 'update')`);
    const before = (ctx.notes.get('coverage_before') ?? []) as GridCoverage[];
    const after = await coverageOf(tx, before.map((g) => g.code));
    const was = new Map(before.map((g) => [g.code, g.covered_m2]));
    return {
      // Cameras written with the grid at their position, and those in no grid (a grid_code column of the file is not read).
      grid_code: grids,
      coverage: {
        grids: after.length,
        changed: after.filter((g) => Math.abs(g.covered_m2 - (was.get(g.code) ?? 0)) >= 1).length,
        before: coverageTotals(before),
        after: coverageTotals(after),
      },
    };
  },
};

function coverageTotals(grids: readonly GridCoverage[]) {
  const area = grids.reduce((a, g) => a + g.area_m2, 0);
  const covered = grids.reduce((a, g) => a + g.covered_m2, 0);
  return { area_m2: Math.round(area), covered_m2: Math.round(covered), share: area ? Math.round((covered / area) * 10_000) / 10_000 : 0 };
}
