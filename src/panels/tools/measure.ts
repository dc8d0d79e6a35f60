// Geodesic measurements with Turf: line length with every segment, polygon area and perimeter.
import area from '@turf/area';
import distance from '@turf/distance';
import type { Feature, Position } from 'geojson';
import { circleRadiusM, type Shape } from './draw.ts';

export interface Measurement {
  lengthM: number;
  areaM2: number | null;
  perimeterM: number | null;
  segments: { from: Position; to: Position; lengthM: number }[];
}

const metres = (a: Position, b: Position) => distance(a, b, { units: 'kilometers' }) * 1000;

export function measure(shape: Shape): Measurement {
  const pts = shape.done || !shape.cursor ? shape.points : [...shape.points, shape.cursor];
  if (shape.kind === 'circle') {
    const r = circleRadiusM(shape);
    return { lengthM: r, areaM2: Math.PI * r * r, perimeterM: 2 * Math.PI * r, segments: [] };
  }
  const segments = pts.slice(1).map((p, i) => ({ from: pts[i], to: p, lengthM: metres(pts[i], p) }));
  const lengthM = segments.reduce((s, x) => s + x.lengthM, 0);
  if (shape.kind === 'polygon') {
    if (pts.length < 3) return { lengthM, areaM2: null, perimeterM: null, segments };
    const ring = [...pts, pts[0]];
    const a = area({ type: 'Polygon', coordinates: [ring] });
    return { lengthM, areaM2: a, perimeterM: lengthM + metres(pts[pts.length - 1], pts[0]), segments };
  }
  return { lengthM, areaM2: null, perimeterM: null, segments };
}

export function formatDistance(m: number): string {
  if (m < 1000) return `${m.toFixed(m < 10 ? 2 : 1)} m`;
  return `${(m / 1000).toFixed(m < 10_000 ? 3 : 2)} km`;
}

export function formatArea(m2: number): string {
  if (m2 < 10_000) return `${m2.toFixed(1)} m²`;
  if (m2 < 1_000_000) return `${(m2 / 10_000).toFixed(2)} ha`;
  return `${(m2 / 1_000_000).toFixed(3)} km²`;
}

/** Labels on the map: each segment's length at its middle, the total or the area at the end. */
export function measureLabels(shape: Shape): Feature[] {
  const m = measure(shape);
  const out: Feature[] = [];
  const label = (p: Position, text: string): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { label: text } });
  if (shape.kind === 'line') {
    if (m.segments.length > 1) for (const s of m.segments) out.push(label([(s.from[0] + s.to[0]) / 2, (s.from[1] + s.to[1]) / 2], formatDistance(s.lengthM)));
    const last = m.segments[m.segments.length - 1];
    if (last) out.push(label(last.to, `Σ ${formatDistance(m.lengthM)}`));
  } else if (shape.kind === 'polygon' && m.areaM2 !== null) {
    const pts = shape.done || !shape.cursor ? shape.points : [...shape.points, shape.cursor];
    const c: Position = [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
    out.push(label(c, formatArea(m.areaM2)));
  } else if (shape.kind === 'circle' && m.lengthM > 0) {
    out.push(label(shape.points[1] ?? shape.cursor ?? shape.points[0], `r ${formatDistance(m.lengthM)}`));
  }
  return out;
}
