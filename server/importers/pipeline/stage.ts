// The rows that passed the checks of rows.ts, staged in a temporary table of the import's transaction
// (import_rows: row, key, geom, reason, action and the module's columns), where PostGIS checks what only it
// can (a polygon's validity, the distance to the district) and the layer module resolves codes and
// classifies each row. Nothing here outlives the transaction.
import type { LayerModule, StageContext, Tx } from '../layers/types.ts';
import type { StagedRow } from './rows.ts';
import type { RowOutcome } from './report.ts';

/** A position farther than this outside the district is refused (data often reaches a little past the outline). */
export const OUTSIDE_MARGIN_M = 500;

export async function stageRows(tx: Tx, module: LayerModule, rows: readonly StagedRow[]): Promise<void> {
  const cols = module.stage;
  await tx.query(
    `CREATE TEMP TABLE import_rows (row integer PRIMARY KEY, key text NOT NULL, geom geometry(Geometry, 4326), reason text, action text
     ${cols.map((c) => `, ${c.name} ${c.sql}`).join('')}) ON COMMIT DROP`);
  const arrays: unknown[] = [rows.map((r) => r.row), rows.map((r) => r.key), rows.map((r) => r.geom), ...cols.map((c) => rows.map((r) => r.values[c.name] ?? null))];
  const types = ['integer', 'text', 'text', ...cols.map((c) => c.sql)];
  const names = ['row', 'key', 'g', ...cols.map((c) => c.name)];
  await tx.query(
    `INSERT INTO import_rows (row, key, geom ${cols.map((c) => `, ${c.name}`).join('')})
     SELECT u.row, u.key, CASE WHEN u.g IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326) END ${cols.map((c) => `, u.${c.name}`).join('')}
     FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) AS u(${names.join(', ')})`, arrays);
  await tx.query('ANALYZE import_rows');
}

/** How much of its area a polygon may change by when it is repaired; more, and it is refused as a bad geometry. */
export const REPAIR_AREA_SHARE = 0.01;

/**
 * Polygons PostGIS finds invalid, and positions outside the district (unless the layer is the district). An
 * invalid polygon that ST_MakeValid repairs without changing its area (a spike folded onto itself, a ring
 * touching itself: what reprojecting a file's vertices does to thin slivers) is repaired, with a warning;
 * others are refused. Returns the warnings.
 */
export async function checkStaged(tx: Tx, module: LayerModule): Promise<string[]> {
  const { rows: fixed } = await tx.query<{ row: number; why: string; ok: boolean }>(
    `WITH bad AS (SELECT row, geom, ST_IsValidReason(geom) AS why, ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) AS fixed FROM import_rows
                  WHERE reason IS NULL AND geom IS NOT NULL AND GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsValid(geom)),
     judged AS (SELECT row, why, fixed, NOT ST_IsEmpty(fixed) AND abs(ST_Area(fixed) - ST_Area(geom)) <= $1 * ST_Area(fixed) AS ok FROM bad)
     UPDATE import_rows s SET geom = CASE WHEN j.ok THEN j.fixed ELSE s.geom END, reason = CASE WHEN j.ok THEN NULL ELSE 'bad geometry: ' || j.why END
     FROM judged j WHERE j.row = s.row RETURNING s.row, j.why, j.ok`, [REPAIR_AREA_SHARE]);
  const warnings = fixed.filter((f) => f.ok).sort((a, b) => a.row - b.row).slice(0, 20)
    .map((f) => `row ${f.row}: the polygon was invalid (${f.why}) and was repaired without changing its area`);
  if (module.layer === 'district') return warnings;
  await tx.query(
    `WITH d AS (SELECT ST_Union(geom) AS g FROM districts HAVING count(*) > 0),
     p AS (SELECT s.row, ST_PointOnSurface(s.geom) AS pt FROM import_rows s, d WHERE s.reason IS NULL AND s.geom IS NOT NULL AND NOT ST_Intersects(d.g, ST_PointOnSurface(s.geom)))
     UPDATE import_rows s SET reason = format('outside the district: %s m from its boundary', round(ST_Distance(p.pt::geography, d.g::geography)))
     FROM p, d WHERE p.row = s.row AND NOT ST_DWithin(p.pt::geography, d.g::geography, $1)`, [OUTSIDE_MARGIN_M]);
  return warnings;
}

export async function classifyStaged(tx: Tx, module: LayerModule, ctx: StageContext): Promise<RowOutcome[]> {
  await module.resolve?.(tx, ctx);
  await module.classify(tx, ctx);
  const { rows } = await tx.query<{ row: number; key: string; reason: string | null; action: RowOutcome['outcome'] | null }>(
    'SELECT row, key, reason, action FROM import_rows ORDER BY row');
  return rows.map((r) => (r.reason !== null || r.action === null
    ? { row: r.row, key: r.key, outcome: 'rejected', reason: r.reason ?? 'not classified' }
    : { row: r.row, key: r.key, outcome: r.action }));
}
