// The in-memory nearest search must give exactly what a full scan ranked by WGS84 distance gives, for
// query points inside, at the edge of and outside the data, with ties broken by id.
import { describe, expect, it } from 'vitest';
import { geodesicDistance, metresPerDegree } from '../../server/geo/geodesic.ts';
import { PointIndex, type IndexedPoint } from '../../server/features/point-index.ts';
import { mulberry32 as rng } from '../../scripts/seed/random.ts';


function points(n: number, seed: number): IndexedPoint[] {
  const r = rng(seed);
  // Clustered like manholes along streets: half uniform, half on a few lines.
  return Array.from({ length: n }, (_, i) => {
    const onLine = i % 2 === 0;
    const lon = onLine ? 114.3 + Math.floor(r() * 5) * 0.01 : 114.26 + r() * 0.1;
    const lat = 30.5 + r() * 0.1;
    return { id: i + 1, code: `P${i + 1}`, name: null, lon, lat, properties: { i } };
  });
}

function bruteForce(pts: IndexedPoint[], lon: number, lat: number, k: number) {
  return pts
    .map((p) => ({ id: p.id as number, d: geodesicDistance(lon, lat, p.lon, p.lat) }))
    .sort((a, b) => a.d - b.d || a.id - b.id)
    .slice(0, k);
}

describe('geodesicDistance', () => {
  it('matches known WGS84 distances', () => {
    // A degree at the equator (GeographicLib), and two Wuchang cases as PostGIS 3.3 geography measures them.
    expect(geodesicDistance(0, 0, 0, 1)).toBeCloseTo(110574.389, 2);
    expect(geodesicDistance(114.3, 30, 114.3, 31)).toBeCloseTo(110860.92556608, 4);
    expect(geodesicDistance(114.3, 30.55, 114.3123, 30.5611)).toBeCloseTo(1704.98276719, 4);
    expect(geodesicDistance(0, 0, 1, 0)).toBeCloseTo(111319.491, 2);
    expect(geodesicDistance(114.3, 30.5, 114.3, 30.5)).toBe(0);
    // Nearly antipodal: no convergence, still a finite, sensible number (half the circumference).
    const far = geodesicDistance(0, 0, 179.9, 0.1);
    expect(far).toBeGreaterThan(19_900_000);
    expect(far).toBeLessThan(20_040_000);
  });

  it('the local metres per degree agree with short geodesics', () => {
    const m = metresPerDegree(30.55);
    expect(geodesicDistance(114.3, 30.55, 114.301, 30.55)).toBeCloseTo(m.x * 0.001, 2);
    expect(geodesicDistance(114.3, 30.55, 114.3, 30.551)).toBeCloseTo(m.y * 0.001, 2);
  });
});

describe('PointIndex', () => {
  const pts = points(5000, 7);
  const index = new PointIndex(pts);

  it('finds the same k nearest as a full scan, inside, at the edge and outside the data', () => {
    const r = rng(99);
    const queries: [number, number][] = Array.from({ length: 300 }, () => [114.2 + r() * 0.22, 30.45 + r() * 0.2]);
    queries.push([114.26, 30.5], [114.36, 30.6], [113.9, 30.2], [114.3, 30.55]);
    for (const [lon, lat] of queries) {
      for (const k of [1, 5, 50]) {
        const got = index.nearest(lon, lat, k).map((n) => ({ id: n.point.id, d: n.distance_m }));
        expect(got, `${lon},${lat} k=${k}`).toEqual(bruteForce(pts, lon, lat, k));
      }
    }
  });

  it('breaks distance ties by id, and returns fewer than k when there are fewer points', () => {
    const same: IndexedPoint[] = [3, 1, 2].map((id) => ({ id, code: null, name: null, lon: 114.3, lat: 30.5, properties: {} }));
    const small = new PointIndex(same);
    expect(small.nearest(114.31, 30.5, 5).map((n) => n.point.id)).toEqual([1, 2, 3]);
    expect(new PointIndex([]).nearest(114.3, 30.5, 3)).toEqual([]);
  });

  it('leaves points far from all data to the database', () => {
    expect(index.covers(114.3, 30.55)).toBe(true);
    expect(index.covers(116.4, 39.9)).toBe(false);
    expect(new PointIndex([]).covers(114.3, 30.55)).toBe(false);
  });
});
