// Selections out of the app: CSV (UTF-8 with BOM so Excel reads Chinese; RFC 4180 quoting) and GeoJSON.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { representativePoint } from '../../map/geom.ts';
import { recordExport } from '../../map/testHooks.ts';

/** Columns first when present, in this order; the rest alphabetically. */
const PREFERRED = ['id', 'code', 'case_no', 'name', 'kind', 'class', 'status', 'usage', 'network', 'diameter_mm', 'material', 'length_m', 'grade', 'sgrade', 'fgrade'];

export function columnsOf(features: readonly Feature[]): string[] {
  const keys = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) keys.add(k);
  const pref = PREFERRED.filter((k) => keys.has(k));
  const rest = [...keys].filter((k) => !PREFERRED.includes(k)).sort();
  return [...pref, ...rest];
}

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV for several layers: `layer`, the feature id, every property, and a lon/lat to place it. */
export function selectionCsv(byLayer: Readonly<Record<string, FeatureCollection>>): string {
  const all = Object.values(byLayer).flatMap((fc) => fc.features);
  const cols = columnsOf(all).filter((c) => c !== 'id');
  const header = ['layer', 'id', ...cols, 'lon', 'lat'];
  const lines = [header.join(',')];
  for (const [layer, fc] of Object.entries(byLayer)) {
    for (const f of fc.features) {
      const p = (f.properties ?? {}) as Record<string, unknown>;
      const pt = f.geometry ? representativePoint(f.geometry as Geometry) : null;
      lines.push([
        layer, f.id ?? p.id, ...cols.map((c) => p[c]), pt ? pt[0].toFixed(6) : '', pt ? pt[1].toFixed(6) : '',
      ].map(csvCell).join(','));
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function selectionGeoJson(byLayer: Readonly<Record<string, FeatureCollection>>, meta: Record<string, unknown>): string {
  const features = Object.entries(byLayer).flatMap(([layer, fc]) =>
    fc.features.map((f) => ({ ...f, properties: { layer, ...(f.properties ?? {}) } })));
  const out: FeatureCollection & { metadata?: unknown } = { type: 'FeatureCollection', features };
  out.metadata = meta;
  return JSON.stringify(out);
}

export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Saves text or a blob as a file through the browser's download. */
export function download(name: string, type: string, content: string | Blob): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  if (typeof content === 'string') recordExport(name, type, content);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
