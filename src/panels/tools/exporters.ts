// Selections out of the app: CSV (common/csv.ts, as the server writes it) and GeoJSON.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { toCsv, type CsvCell } from '../../../common/csv.ts';
import { representativePoint } from '../../map/geom.ts';

/** Columns first when present, in this order; the rest alphabetically. */
const PREFERRED = ['id', 'code', 'case_no', 'name', 'kind', 'class', 'status', 'usage', 'network', 'diameter_mm', 'material', 'length_m', 'grade', 'sgrade', 'fgrade'];

export function columnsOf(features: readonly Feature[]): string[] {
  const keys = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) keys.add(k);
  const pref = PREFERRED.filter((k) => keys.has(k));
  const rest = [...keys].filter((k) => !PREFERRED.includes(k)).sort();
  return [...pref, ...rest];
}

/** One CSV for several layers: `layer`, the feature id, every property, and a lon/lat to place it. */
export function selectionCsv(byLayer: Readonly<Record<string, FeatureCollection>>): string {
  const all = Object.values(byLayer).flatMap((fc) => fc.features);
  const cols = columnsOf(all).filter((c) => c !== 'id');
  const records: CsvCell[][] = [['layer', 'id', ...cols, 'lon', 'lat']];
  // Degrees to 6 decimals (~0.1 m), kept numbers: a longitude west of Greenwich is not a formula.
  const deg = (v: number) => Math.round(v * 1e6) / 1e6;
  for (const [layer, fc] of Object.entries(byLayer)) {
    for (const f of fc.features) {
      const p = (f.properties ?? {}) as Record<string, CsvCell>;
      const pt = f.geometry ? representativePoint(f.geometry as Geometry) : null;
      records.push([layer, f.id ?? p.id, ...cols.map((c) => p[c]), pt ? deg(pt[0]) : null, pt ? deg(pt[1]) : null]);
    }
  }
  return toCsv(records);
}

export function selectionGeoJson(byLayer: Readonly<Record<string, FeatureCollection>>, meta: Record<string, unknown>): string {
  const features = Object.entries(byLayer).flatMap(([layer, fc]) =>
    fc.features.map((f) => ({ ...f, properties: { layer, ...(f.properties ?? {}) } })));
  const out: FeatureCollection & { metadata?: unknown } = { type: 'FeatureCollection', features };
  out.metadata = meta;
  return JSON.stringify(out);
}
