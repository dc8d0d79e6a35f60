// The pure parts of the longitudinal profile: stations, crowns and slopes from rows (server/domain), and
// the chart geometry the browser and the printable report draw (src/panels/profile/chartGeometry.ts).
import { describe, expect, it } from 'vitest';
import { buildProfile, reachSlope } from '../../server/domain/network/profile.ts';
import { buildProfileChart, niceStep } from '../../src/panels/profile/chartGeometry.ts';

const manhole = (id: number, ground: number | null, invert: number | null, depth: number | null = null, water: number | null = null) =>
  ({ id, code: `M${id}`, kind: 'manhole', ground_m: ground, invert_m: invert, depth_m: depth, water_depth_m: water });
const reach = (id: number, length: number, d: number | null, up: number | null, down: number | null) =>
  ({ id, code: `P${id}`, usage: 'sewage', length_m: length, diameter_mm: d, up_invert_m: up, down_invert_m: down, sgrade: null, fgrade: null });

describe('buildProfile', () => {
  const p = buildProfile(
    [manhole(1, 20, 18), manhole(2, 20.5, null, 2.7, 0.4), manhole(3, null, null)],
    [reach(10, 50, 300, 18, 17.9), reach(11, 40, 400, 17.8, 17.9)],
    [{ pipe_id: 11, kind: 'hazard', id: 5, code: 'PL', grade: 3, at_m: 99, status: 'found' }, { pipe_id: 10, kind: 'defect', id: 4, code: 'CJ', grade: 2, at_m: 10, status: null }]);

  it('chains the reaches: chainage, crowns, slopes (negative is 倒坡), bottoms from ground − depth, water over the bottom', () => {
    expect(p.stations.map((s) => s.chainage_m)).toEqual([0, 50, 90]);
    expect(p.length_m).toBe(90);
    expect(p.reaches[0]).toMatchObject({ up_crown_m: 18.3, down_crown_m: 18.2, slope: 0.002 });
    expect(p.reaches[1].slope).toBeCloseTo(-0.0025, 6);
    expect(p.stations[1]).toMatchObject({ invert_m: 17.8, depth_m: 2.7, water_m: 18.2, crown_m: 18.2, diameter_mm: 400 });
    expect(p.stations[2]).toMatchObject({ ground_m: null, invert_m: null, depth_m: null, slope: null, diameter_mm: null });
  });

  it('places marks at their chainage, clamped to their reach, in order', () => {
    expect(p.marks.map((m) => [m.kind, m.chainage_m])).toEqual([['defect', 10], ['hazard', 90]]);
  });

  it('needs one manhole more than reaches; a slope needs both inverts and a length', () => {
    expect(() => buildProfile([manhole(1, 1, 1)], [reach(1, 1, 1, 1, 1)], [])).toThrow();
    expect(reachSlope({ up_invert_m: null, down_invert_m: 1, length_m: 3 })).toBeNull();
    expect(reachSlope({ up_invert_m: 2, down_invert_m: 1, length_m: 0 })).toBeNull();
  });

  it('draws as chart geometry: one band per reach with levels, reversed ones flagged, the ground broken where unknown', () => {
    const g = buildProfileChart({ ...p, from: { id: 1, code: 'M1' }, to: { id: 3, code: 'M3' }, splits: 0, timing_ms: { path: 0, read: 0 } }, { width: 600, height: 200 });
    expect(g.reaches.map((r) => [r.id, r.band !== null, r.reversed])).toEqual([[10, true, false], [11, true, true]]);
    expect(g.stations[0].x).toBe(g.plot.x);
    expect(g.stations[2].x).toBeCloseTo(g.plot.x + g.plot.w, 6);
    expect(g.ground.match(/M/g)).toHaveLength(1);
    expect(g.water).toMatch(/^M[\d.]+,[\d.]+H/);
    expect(g.levels![0]).toBeLessThan(17.8 + 1e-9);
    expect(g.yTicks.every((t) => t.y >= g.plot.y - 1e-6 && t.y <= g.plot.y + g.plot.h + 1e-6)).toBe(true);
    expect(niceStep(90, 5)).toBe(20);
  });
});
