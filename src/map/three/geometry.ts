// Where the 3D view draws a reach or a manhole: metres relative to the ground (negative below it), the
// vertical exaggerated so pipes 2–6 m deep read apart at street scale. Pure: no deck.gl, no map.
import type { Manhole3d, Reach3d } from '../../../common/api/network3d.ts';
import { gradeColors, gradeNoneColor, rgb } from '../palette.ts';

export const DEFAULT_EXAGGERATION = 5;
export const EXAGGERATIONS = [1, 2, 5, 10, 20] as const;

export type Position3 = [lon: number, lat: number, z: number];

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
const R = 6371008.8;
const rad = Math.PI / 180;

/** Ground distance between two lon/lat points in metres (equirectangular: fine over one reach). */
function metres(a: readonly number[], b: readonly number[]): number {
  const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad);
  const y = (b[1] - a[1]) * rad;
  return Math.hypot(x, y) * R;
}

/** Whether a reach has the four levels its depth needs. */
export const hasLevels = (r: Reach3d): boolean =>
  r.up_invert_m !== null && r.down_invert_m !== null && r.up_ground_m !== null && r.down_ground_m !== null;

/**
 * The pipe's axis (invert + half the diameter) under the ground along its plan path, the levels
 * interpolated by distance from the upstream end. A reach without levels lies on the ground (z 0).
 */
export function reachPath(r: Reach3d, exaggeration: number): Position3[] {
  if (!hasLevels(r)) return r.path.map(([lon, lat]) => [lon, lat, 0]);
  const half = (r.diameter_mm ?? 0) / 2000;
  const cum = [0];
  for (let i = 1; i < r.path.length; i++) cum.push(cum[i - 1] + metres(r.path[i - 1], r.path[i]));
  const total = cum[cum.length - 1] || 1;
  return r.path.map(([lon, lat], i) => {
    const t = cum[i] / total;
    const depth = lerp(r.up_ground_m!, r.down_ground_m!, t) - lerp(r.up_invert_m!, r.down_invert_m!, t) - half;
    return [lon, lat, -depth * exaggeration];
  });
}

/** A shaft from the ground down to the manhole's invert, in exaggerated metres (0: depth unknown). */
export const shaftDepth = (m: Manhole3d, exaggeration: number): number => Math.max(0, m.depth_m ?? 0) * exaggeration;

/** Never inspected: the flat map's grey (notInspectedColor) darkened, so it reads under the pale ground veil. */
const NOT_INSPECTED_3D: [number, number, number] = [96, 104, 114];

/** CJJ 181 colour of a reach: its worse grade Ⅰ–Ⅳ, green when inspected without graded defects, grey when never inspected. */
export function reachColor(r: Pick<Reach3d, 'grade' | 'inspected'>): [number, number, number] {
  if (r.grade !== null && r.grade >= 1 && r.grade <= 4) return rgb(gradeColors[r.grade - 1]);
  return r.inspected ? rgb(gradeNoneColor) : NOT_INSPECTED_3D;
}

/** Tube width in metres: the diameter, 300 mm when unknown. */
export const reachWidth = (r: Reach3d): number => (r.diameter_mm ?? 300) / 1000;
