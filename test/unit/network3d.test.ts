// The 3D view's pure parts: where a reach lies under the ground, its colour, and its place in the URL.
import { describe, expect, it } from 'vitest';
import type { Reach3d } from '../../common/api/network3d.ts';
import { formatUrlState, parseUrlState } from '../../src/map/urlState.ts';
import { reachColor, reachPath, shaftDepth } from '../../src/map/three/geometry.ts';
import { gradeColors, rgb } from '../../src/map/palette.ts';
import { parseReportUrl, reportUrl } from '../../src/report/reportScope.ts';

const reach = (over: Partial<Reach3d> = {}): Reach3d => ({
  id: 1, code: 'P1', usage: 'rain', diameter_mm: 600, grade: null, inspected: false,
  up_invert_m: 18, down_invert_m: 17, up_ground_m: 21, down_ground_m: 21,
  // Two equal legs of about 100 m each along a parallel.
  path: [[114.33, 30.55], [114.331041, 30.55], [114.332082, 30.55]],
  ...over,
});

describe('3D geometry', () => {
  it('puts the pipe axis at ground − invert − radius, interpolated along the path and exaggerated', () => {
    const p = reachPath(reach(), 5);
    expect(p).toHaveLength(3);
    expect(p[0][2]).toBeCloseTo(-(21 - 18 - 0.3) * 5, 6);
    expect(p[1][2]).toBeCloseTo(-(21 - 17.5 - 0.3) * 5, 2);
    expect(p[2][2]).toBeCloseTo(-(21 - 17 - 0.3) * 5, 6);
    expect(reachPath(reach(), 1)[2][2]).toBeCloseTo(-3.7, 6);
  });

  it('lays a reach without levels on the ground; a shaft of unknown depth has none', () => {
    expect(reachPath(reach({ up_invert_m: null }), 5).every((q) => q[2] === 0)).toBe(true);
    expect(shaftDepth({ id: 1, code: 'M', lon: 0, lat: 0, ground_m: null, depth_m: null }, 5)).toBe(0);
    expect(shaftDepth({ id: 1, code: 'M', lon: 0, lat: 0, ground_m: 20, depth_m: 3 }, 5)).toBe(15);
  });

  it('colours by the worse CJJ 181 grade, apart from inspected-clean and never inspected', () => {
    expect(reachColor({ grade: 3, inspected: true })).toEqual(rgb(gradeColors[2]));
    expect(reachColor({ grade: null, inspected: true })).not.toEqual(reachColor({ grade: null, inspected: false }));
  });
});

describe('3D and report addresses', () => {
  it('round-trips view=3d and a non-default exaggeration; unknown values fall back', () => {
    const s = parseUrlState('#map=17/30.5/114.3/20/60&layers=pipes&view=3d&ex=10');
    expect(s.view3d).toBe(true);
    expect(s.exaggeration).toBe(10);
    const out = formatUrlState(s, '#map=17/30.5/114.3/20/60');
    expect(out).toContain('view=3d');
    expect(out).toContain('ex=10');
    expect(parseUrlState(`#${out}`)).toEqual(s);
    const flat = parseUrlState('#view=2d&ex=7');
    expect(flat.view3d).toBe(false);
    expect(flat.exaggeration).toBe(5);
    expect(formatUrlState(flat, '')).not.toContain('view=');
  });

  it('reads back the report scope and paper it wrote', () => {
    const area = reportUrl({ bbox: [114.3, 30.5, 114.4, 30.6] }, 'a3-landscape');
    expect(parseReportUrl(area.split('?')[1])).toEqual({ scope: { bbox: [114.3, 30.5, 114.4, 30.6] }, paper: 'a3-landscape' });
    const trace = reportUrl({ trace: 'manhole:12', direction: 'upstream' });
    expect(parseReportUrl(trace.split('?')[1])).toEqual({ scope: { trace: 'manhole:12', direction: 'upstream' }, paper: 'a4-portrait' });
    expect(parseReportUrl('bbox=1,2,0,3')).toBeNull();
    expect(parseReportUrl('trace=manhole:1&dir=sideways')).toBeNull();
  });
});
