// Camera field of view: a point is seen within range and within half the field of view of the azimuth,
// across north (350° + 20°) and at the edges.
import { describe, expect, it } from 'vitest';
import { angleBetween, bearingDeg, sectorRing, seesPoint } from '../../server/domain/fov.ts';
import { geodesicDistance, metresPerDegree } from '../../server/geo/geodesic.ts';

const cam = { lon: 114.3, lat: 30.55, azimuth_deg: 350, hfov_deg: 40, range_m: 50 };
const m = metresPerDegree(30.55);
/** A point `d` metres from the camera at bearing `b`. */
const at = (b: number, d: number): [number, number] => [cam.lon + (Math.sin((b * Math.PI) / 180) * d) / m.x, cam.lat + (Math.cos((b * Math.PI) / 180) * d) / m.y];

describe('field of view', () => {
  it('bearings and angles wrap around north', () => {
    expect(bearingDeg(114.3, 30.55, 114.3, 30.56)).toBeCloseTo(0, 5);
    expect(bearingDeg(114.3, 30.55, 114.31, 30.55)).toBeCloseTo(90, 1);
    expect(angleBetween(350, 10)).toBe(20);
    expect(angleBetween(10, 350)).toBe(20);
    expect(angleBetween(90, 270)).toBe(180);
  });

  it.each([
    [0, 30, true], [10, 49, true], [329, 30, false], [331, 30, true], [11, 30, false], [350, 51, false], [170, 10, false],
  ])('bearing %d°, %d m → %s', (b, d, seen) => {
    const [lon, lat] = at(b, d);
    expect(seesPoint(cam, lon, lat)).toBe(seen);
  });

  it('a 360° camera sees all around within range; the camera sees its own spot', () => {
    const dome = { ...cam, hfov_deg: 360 };
    expect(seesPoint(dome, ...at(170, 40))).toBe(true);
    expect(seesPoint(dome, ...at(170, 60))).toBe(false);
    expect(seesPoint(cam, cam.lon, cam.lat)).toBe(true);
  });

  it('the sector ring starts and ends at the camera, its arc at the range', () => {
    const ring = sectorRing(cam, 8);
    expect(ring[0]).toEqual([cam.lon, cam.lat]);
    expect(ring.at(-1)).toEqual([cam.lon, cam.lat]);
    for (const p of ring.slice(1, -1)) expect(geodesicDistance(cam.lon, cam.lat, p[0], p[1])).toBeCloseTo(50, -0.5);
    expect(bearingDeg(cam.lon, cam.lat, ring[1][0], ring[1][1])).toBeCloseTo(330, 0);
  });
});
