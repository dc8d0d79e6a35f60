// Small geometry helpers the panels need without loading Turf.
import type { Geometry, Position } from 'geojson';

export type Bbox = [number, number, number, number];

function eachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point': fn(g.coordinates); break;
    case 'MultiPoint': case 'LineString': g.coordinates.forEach(fn); break;
    case 'MultiLineString': case 'Polygon': g.coordinates.forEach((r) => r.forEach(fn)); break;
    case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(fn))); break;
    case 'GeometryCollection': g.geometries.forEach((x) => eachPosition(x, fn)); break;
  }
}

export function geometryBbox(g: Geometry): Bbox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  eachPosition(g, ([x, y]) => {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  });
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/** A representative point: the middle vertex of a line, the bbox centre otherwise. */
export function representativePoint(g: Geometry): [number, number] | null {
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
  if (g.type === 'LineString' && g.coordinates.length) {
    const c = g.coordinates[Math.floor(g.coordinates.length / 2)];
    return [c[0], c[1]];
  }
  const b = geometryBbox(g);
  return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
}
