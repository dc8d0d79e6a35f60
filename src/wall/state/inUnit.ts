// Whether a live event belongs to the wall's unit: a case by its grid code (whose first 9 digits are its
// street, first 12 its community), an alarm by where its station stands (inside the unit's outline). The
// district's wall takes everything.
import type { Geometry, Position } from 'geojson';
import type { WallUnit } from '../../api/wall.ts';

/** Even-odd ray casting over every ring: holes count as outside. */
function inRings(rings: readonly Position[][], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function pointInGeometry(g: Geometry, lon: number, lat: number): boolean {
  if (g.type === 'Polygon') return inRings(g.coordinates, lon, lat);
  if (g.type === 'MultiPolygon') return g.coordinates.some((p) => inRings(p, lon, lat));
  return false;
}

export interface UnitFilter {
  point(lon: number, lat: number): boolean;
  grid(code: string | null): boolean;
}

/** Before the unit is read, a street or community wall takes nothing (its lists are read with it). */
export function unitFilter(unit: WallUnit | null, placeCode: string | null): UnitFilter {
  if (!placeCode) return { point: () => true, grid: () => true };
  if (!unit || unit.code !== placeCode) return { point: () => false, grid: () => false };
  const [w, s, e, n] = unit.bbox;
  return {
    point: (lon, lat) => lon >= w && lon <= e && lat >= s && lat <= n && pointInGeometry(unit.geometry, lon, lat),
    grid: (code) => code !== null && code.startsWith(placeCode),
  };
}
