// Each row checked before anything is written: its cells read as their fields' types (shapes/values.ts),
// enumerations matched to their stored values (在线 → online), required fields present, a position of the
// layer's kind, then the layer's own checks and key (a LayerModule's row()), and no key twice in the file.
// A row that fails is refused with its row number and the reason; the others are staged.
import type { ColumnMapping, TargetField } from '../shapes/columns.ts';
import { matchValue } from '../shapes/columns.ts';
import { coerce } from '../shapes/values.ts';
import type { FieldValues, LayerModule, RowContext } from '../layers/types.ts';
import { firstPoint } from './positions.ts';
import type { RowOutcome } from './report.ts';

export interface StagedRow {
  row: number;
  key: string;
  /** GeoJSON in WGS84, or null. */
  geom: string | null;
  values: Record<string, unknown>;
}

export interface CheckedRows {
  staged: StagedRow[];
  rejected: RowOutcome[];
}

/** The words a ledger may write for an enumeration's values, for the message that names an unknown one. */
function valuesInWords(f: TargetField): string {
  return Object.entries(f.values!).map(([v, words]) => (words.length ? `${words[0]} (${v})` : v)).join(', ');
}

const POLYGONAL = new Set(['Polygon', 'MultiPolygon']);

/** Why a geometry cannot be a row of the layer, or null; a MultiPoint of one point is that point. */
function geometryReason(module: LayerModule, g: GeoJSON.Geometry): { reason: string | null; geom: GeoJSON.Geometry } {
  if (g.type === 'MultiPoint' && g.coordinates.length === 1) g = { type: 'Point', coordinates: g.coordinates[0] };
  const kind = module.geometry;
  if (kind === 'point' && g.type !== 'Point') return { reason: `bad geometry: a ${g.type} where ${module.layer} are points`, geom: g };
  if (kind === 'polygon' && !POLYGONAL.has(g.type)) return { reason: `bad geometry: a ${g.type} where ${module.layer} are polygons`, geom: g };
  if (g.type === 'GeometryCollection') return { reason: 'bad geometry: a geometry collection', geom: g };
  const p = firstPoint(g);
  if (!p || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) return { reason: 'bad geometry: coordinates outside longitude −180…180, latitude −90…90', geom: g };
  if (POLYGONAL.has(g.type)) {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : (g as GeoJSON.MultiPolygon).coordinates;
    for (const rings of polygons) {
      for (const r of rings) {
        const closed = r.length >= 4 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
        if (!closed) return { reason: 'bad geometry: a polygon ring that is not closed or has fewer than 4 points', geom: g };
      }
    }
  }
  return { reason: null, geom: g };
}

export function checkRows(module: LayerModule, records: readonly Record<string, unknown>[], rows: readonly number[],
  geometries: readonly (GeoJSON.Geometry | null)[], mapping: ColumnMapping, ctx: RowContext): CheckedRows {
  const staged: StagedRow[] = [];
  const rejected: RowOutcome[] = [];
  const firstRowOf = new Map<string, number>();
  const rawFields = new Set(module.rawFields ?? []);
  const fields = module.target.fields;
  records.forEach((record, i) => {
    const row = rows[i];
    const refuse = (reason: string, key: string | null = null) => { rejected.push({ row, key, outcome: 'rejected', reason }); };
    const values: Record<string, string | number | null> = {};
    const raw: Record<string, string> = {};
    for (const f of fields) {
      const header = mapping.mapping[f.field];
      const cell = header === undefined ? undefined : record[header];
      const empty = cell === null || cell === undefined || String(cell).trim() === '';
      if (empty) {
        if (f.required) return refuse(`${f.label} is empty`);
        values[f.field] = null;
        continue;
      }
      if (rawFields.has(f.field)) {
        raw[f.field] = String(cell);
        values[f.field] = String(cell).trim();
        continue;
      }
      const v = coerce(cell, f.type);
      if (!v.ok) return refuse(`${f.label}: ${v.reason}`);
      if (f.values) {
        const stored = matchValue(f, v.value);
        if (stored === null) return refuse(`unknown value: ${f.label} ${JSON.stringify(String(v.value).slice(0, 30))} is not one of ${valuesInWords(f)}`);
        values[f.field] = stored;
      } else values[f.field] = v.value;
    }
    let geom = geometries[i];
    if (geom) {
      const g = geometryReason(module, geom);
      if (g.reason) return refuse(g.reason);
      geom = g.geom;
    } else if (module.geometry !== 'none' && !module.positionOptional) {
      return refuse('no position: the row has no geometry or coordinates');
    }
    const r = module.row({ values: values as FieldValues, raw, point: firstPoint(geom) }, ctx);
    if (!r.ok) return refuse(r.reason);
    const first = firstRowOf.get(r.key);
    if (first !== undefined) return refuse(`duplicate key ${r.key}: row ${first} has it too`, r.key);
    firstRowOf.set(r.key, row);
    staged.push({ row, key: r.key, geom: geom ? JSON.stringify(geom) : null, values: r.values });
  });
  return { staged, rejected };
}
