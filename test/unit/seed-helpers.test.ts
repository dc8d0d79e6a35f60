import { describe, expect, it } from 'vitest';
import { apportion } from '../../scripts/seed/admin.ts';
import { decodeRing, wuchangOutline } from '../../scripts/seed/boundary.ts';
import { pointInRing } from '../../scripts/seed/geometry.ts';

describe('apportion', () => {
  it('splits a total exactly over weights, each part at least 1', () => {
    const parts = apportion([10, 1, 0.01, 5], 100);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.min(...parts)).toBeGreaterThanOrEqual(1);
    expect(parts[0]).toBeGreaterThan(parts[3]);
  });
});

describe('the Wuchang outline', () => {
  it('decodes ECharts zigzag deltas', () => {
    // "@@" = no move, "BA" = (+1, -1) in 1/1024 degree units, from the offset.
    expect(decodeRing('@@DA', [1024, 2048])).toEqual([[1, 2], [1 + 2 / 1024, 2 - 1 / 1024]]);
  });
  it('is the district around Wuchang, moved from GCJ-02 to WGS84', () => {
    const ring = wuchangOutline().coordinates[0][0];
    expect(ring.length).toBeGreaterThan(500);
    expect(pointInRing([114.31, 30.55], ring)).toBe(true); // near 黄鹤楼/首义
    expect(pointInRing([114.26, 30.56], ring)).toBe(false); // Hanyang, across the Yangtze
    const lons = ring.map((p) => p[0]);
    expect(Math.min(...lons)).toBeGreaterThan(114.15);
    expect(Math.max(...lons)).toBeLessThan(114.45);
  });
});
