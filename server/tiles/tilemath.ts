// Web-Mercator tile arithmetic and the checks on z/x/y that every tile request passes first.
export const MAX_ZOOM = 22;

export class TileRangeError extends Error {}

/** Parses z/x/y path parts; throws TileRangeError with a message a person can act on. */
export function parseTile(zs: string, xs: string, ys: string): { z: number; x: number; y: number } {
  for (const [name, v] of [['z', zs], ['x', xs], ['y', ys]] as const) {
    if (!/^\d{1,8}$/.test(v)) throw new TileRangeError(`${name} must be a non-negative integer, got "${v.slice(0, 40)}"`);
  }
  const z = Number(zs);
  const x = Number(xs);
  const y = Number(ys);
  if (z > MAX_ZOOM) throw new TileRangeError(`z must be between 0 and ${MAX_ZOOM}, got ${z}`);
  const n = 2 ** z;
  if (x >= n) throw new TileRangeError(`x must be between 0 and ${n - 1} at zoom ${z}, got ${x}`);
  if (y >= n) throw new TileRangeError(`y must be between 0 and ${n - 1} at zoom ${z}, got ${y}`);
  return { z, x, y };
}

/** Longitude/latitude bounds [west, south, east, north] of a tile, grown by `margin` tile widths. */
export function tileBounds(z: number, x: number, y: number, margin = 0): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (xx: number) => (xx / n) * 360 - 180;
  const lat = (yy: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * yy) / n))) * 180) / Math.PI;
  return [lon(x - margin), lat(Math.min(n, y + 1 + margin)), lon(x + 1 + margin), lat(Math.max(0, y - margin))];
}

export function intersects(a: readonly number[], b: readonly number[]): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The tiles at zoom z covering a lon/lat bbox (clamped to the Mercator square). */
export function tilesCovering(bbox: readonly number[], z: number): { x: number; y: number }[] {
  const n = 2 ** z;
  const tx = (lon: number) => Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  const ty = (lat: number) => {
    const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
    return Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)));
  };
  const out: { x: number; y: number }[] = [];
  for (let x = tx(bbox[0]); x <= tx(bbox[2]); x++) for (let y = ty(bbox[3]); y <= ty(bbox[1]); y++) out.push({ x, y });
  return out;
}
