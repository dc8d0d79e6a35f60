import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Cjj181InputError,
  eFromDiameter,
  gradeOf,
  scoreSegment,
  type DefectInput,
  type SegmentInput,
} from '../../server/domain/cjj181/score.ts';
import { DEFECT_CODE_INDEX, DEFECT_CODES, F_SCALE, MI_SCALE, RI_SCALE, type DefectCode } from '../../server/domain/cjj181/tables.ts';

/** A point-like defect: local codes count as 1 m whatever length ≤ 1 m is recorded. */
const at = (code: string, grade: number, distance_m: number, length_m = 1): DefectInput => ({ code, grade, distance_m, length_m });

const segment = (defects: DefectInput[], over: Partial<SegmentInput> = {}): SegmentInput => ({
  length_m: 40,
  diameter_mm: 800,
  area: 'arterial',
  soil: 'general',
  defects,
  ...over,
});

describe('worked example (CJJ 181-2012 §8, RI/MI formulas)', () => {
  const r = scoreSegment(
    segment([at('PL', 3, 5.0), at('CK', 2, 12.0), at('TJ', 4, 13.2), at('CJ', 2, 15.0, 10), at('SG', 1, 30.0)]),
  );

  it('structural: S, Smax, F, SM, spacing classes', () => {
    const s = r.structural;
    expect([s.n, s.n1, s.n2]).toEqual([3, 1, 2]);
    expect(s.S).toBe(6.067);
    expect(s.Smax).toBe(10);
    expect(s.F).toBe(10);
    expect(s.grade).toBe(4);
    expect(s.gradeText.zh).toBe(F_SCALE.texts[4].zh);
    expect(s.SM).toBe(0.075);
    expect(s.density?.code).toBe('local');
    expect(s.density?.zh).toBe('局部缺陷');
    const spacing = r.defects.filter((d) => d.kind === 'structural').map((d) => [d.members[0].code, d.spacing, d.alpha, d.gap_m]);
    expect(spacing).toEqual([
      ['PL', 'far', 1, 7],
      ['CK', 'close', 1.1, 1.2],
      ['TJ', 'close', 1.1, 1.2],
    ]);
  });

  it('structural: K/E kept because F ≥ 4, RI 7.75 grade Ⅳ 立即修复, local repair', () => {
    const s = r.structural;
    expect([s.K, s.E, s.T]).toEqual([6, 3, 0]);
    expect(r.weights).toEqual({ K: 6, E: 3, T: 0 });
    expect(s.RI).toBe(7.75);
    expect(s.riGrade).toBe(4);
    expect(s.riGradeText.zh).toContain('立即修复');
    expect(s.advice).toMatchObject({ code: 'local', zh: '局部修复' });
  });

  it('functional: Y, G, YM and MI = 1.6 with K = E = 0 because G < 4', () => {
    const f = r.functional;
    expect(f.m).toBe(2);
    expect(f.Y).toBe(1.25);
    expect(f.Ymax).toBe(2);
    expect(f.G).toBe(2);
    expect(f.grade).toBe(2);
    expect(f.YM).toBe(0.41);
    expect(f.density?.code).toBe('partial');
    expect([f.K, f.E]).toEqual([0, 0]);
    expect(f.MI).toBe(1.6);
    expect(f.miGrade).toBe(2);
    expect(f.advice).toMatchObject({ code: 'plan', zh: '宜安排养护计划' });
  });
});

describe('lengths and density', () => {
  it('sanity identity: 1 m defects spaced > 1.5 m apart give SM = n / L', () => {
    const defects = [at('PL', 2, 0), at('CK', 3, 5), at('TJ', 1, 10.5), at('SL', 4, 20), at('BX', 2, 30, 1)];
    const r = scoreSegment(segment(defects, { length_m: 50 }));
    expect(r.structural.n2).toBe(0);
    expect(r.structural.SM).toBe(round3(5 / 50));
  });

  it('a local defect shorter than 1 m counts as 1 m; a longer one and a continuous one use their length', () => {
    const r = scoreSegment(segment([at('PL', 2, 0, 0.2), at('SL', 2, 10, 3), at('BX', 2, 20, 0.5)], { length_m: 30 }));
    expect(r.defects.map((d) => d.length_m)).toEqual([1, 3, 0.5]);
    // S = 2, SM = 2·(1 + 3 + 0.5) / (2·30)
    expect(r.structural.SM).toBe(0.15);
  });

  it.each([
    [0.9, 'local'],
    [1, 'partial'],
    [5, 'partial'],
    [5.1, 'overall'],
  ])('a deformation over %s m of a 10 m segment is density %s', (len, cls) => {
    const r = scoreSegment(segment([at('BX', 3, 0, len)], { length_m: 10 }));
    expect(r.structural.density?.code).toBe(cls);
  });

  it('repair advice: none when RI ≤ 1, full when SM ≥ 0.1', () => {
    expect(scoreSegment(segment([at('PL', 1, 3)])).structural.advice.code).toBe('none');
    const full = scoreSegment(segment([at('BX', 3, 0, 5)], { length_m: 10 }));
    expect(full.structural.riGrade).toBeGreaterThan(1);
    expect(full.structural.advice).toMatchObject({ code: 'full', zh: '整体修复' });
  });
});

describe('same-metre merge', () => {
  it('three grade-3 defects in one metre (5 + 5 + 5) are one defect of 10', () => {
    const r = scoreSegment(segment([at('PL', 3, 10.0), at('CK', 3, 10.4), at('TJ', 3, 11.0)]));
    expect(r.defects).toHaveLength(1);
    expect(r.defects[0].score).toBe(10);
    expect(r.defects[0].members.map((m) => m.code)).toEqual(['PL', 'CK', 'TJ']);
    expect(r.defects[0].length_m).toBe(1);
    expect(r.structural).toMatchObject({ n: 1, S: 10, Smax: 10, F: 10, SM: 0.025 });
  });

  it('the window is measured from the first defect of the group, not chained', () => {
    const r = scoreSegment(segment([at('PL', 1, 10.0), at('CK', 1, 10.9), at('TJ', 1, 11.01)]));
    expect(r.defects.map((d) => d.members.length)).toEqual([2, 1]);
    expect(r.defects[0].score).toBe(1);
  });

  it('structural and functional defects in the same metre are not merged together', () => {
    const r = scoreSegment(segment([at('PL', 3, 10), at('SG', 3, 10.5)]));
    expect(r.structural.F).toBe(5);
    expect(r.functional.G).toBe(5);
  });
});

describe('structural spacing factor α', () => {
  // A 3 m deformation (score 1) from 0 to 3 m, then a grade-2 fracture (score 2) s metres after its end.
  it.each([
    [1.0, 'adjacent', 1],
    [1.2, 'close', 1.1],
    [1.5, 'close', 1.1],
    [1.6, 'far', 1],
  ])('net spacing %s m → %s, α = %s', (s, cls, alpha) => {
    const r = scoreSegment(segment([at('BX', 1, 0, 3), at('PL', 2, 3 + s)]));
    expect(r.defects.map((d) => d.spacing)).toEqual([cls, cls]);
    expect(r.defects.map((d) => d.alpha)).toEqual([alpha, alpha]);
    expect(r.structural.S).toBe(round3((alpha * 3) / 2));
    expect(r.structural.n2).toBe(alpha === 1 ? 0 : 2);
  });

  it.each([
    [1.2, 1.1],
    [1.5, 1.1],
    [1.6, 1],
  ])('two local defects %s m apart: α = %s', (s, alpha) => {
    const r = scoreSegment(segment([at('PL', 2, 10), at('CK', 2, 10 + s)]));
    expect(r.defects.map((d) => d.alpha)).toEqual([alpha, alpha]);
  });

  it('float noise does not push a gap across a bound', () => {
    // 2.2 − (0.1 + 0.6) = 1.5000000000000002 and 4.4 − (0.1 + 3.3) = 1.0000000000000004 in floating point.
    const at15 = scoreSegment(segment([at('BX', 1, 0.1, 0.6), at('PL', 2, 2.2)]));
    expect(at15.defects.map((d) => d.spacing)).toEqual(['close', 'close']);
    const at10 = scoreSegment(segment([at('BX', 1, 0.1, 3.3), at('PL', 2, 4.4)]));
    expect(at10.defects.map((d) => d.spacing)).toEqual(['adjacent', 'adjacent']);
  });

  it('two local defects 1.0 m apart are merged instead (no α)', () => {
    const r = scoreSegment(segment([at('PL', 2, 10), at('CK', 2, 11)]));
    expect(r.defects).toHaveLength(1);
    expect(r.structural).toMatchObject({ n: 1, S: 4, n2: 0 });
  });

  it('both neighbours: the nearest one decides', () => {
    // BX 0–3 m, PL at 3.5 (0.5 m after BX, 1.2 m before CK), CK at 4.7.
    const r = scoreSegment(segment([at('BX', 1, 0, 3), at('PL', 2, 3.5), at('CK', 2, 4.7)]));
    expect(r.defects.map((d) => [d.members[0].code, d.gap_m, d.spacing, d.alpha])).toEqual([
      ['BX', 0.5, 'adjacent', 1],
      ['PL', 0.5, 'adjacent', 1], // an "either neighbour" rule would give 1.1 here
      ['CK', 1.2, 'close', 1.1],
    ]);
    // A close neighbour on one side and a far one on the other: close.
    const r2 = scoreSegment(segment([at('PL', 2, 0), at('CK', 2, 1.2), at('TJ', 2, 5)]));
    expect(r2.defects.map((d) => d.spacing)).toEqual(['close', 'close', 'far']);
  });

  it('a defect inside a long deformation overlaps it (negative gap, no α)', () => {
    const r = scoreSegment(segment([at('BX', 2, 0, 10), at('PL', 2, 5)]));
    expect(r.defects.map((d) => d.gap_m)).toEqual([-5, -5]);
    expect(r.defects.map((d) => d.alpha)).toEqual([1, 1]);
  });

  it('functional defects never get α', () => {
    const r = scoreSegment(segment([at('SG', 2, 10), at('ZW', 2, 11.2)]));
    expect(r.defects.map((d) => [d.spacing, d.alpha])).toEqual([
      ['close', 1],
      ['close', 1],
    ]);
    expect(r.functional.Y).toBe(2);
  });
});

describe('K / E / T clauses', () => {
  const heavy = { area: 'cbd', diameter_mm: 1600 } as const; // K = 10, E = 10

  it('RI: F < 4 → K = E = 0; F = 4 keeps them', () => {
    const below = scoreSegment(segment([at('TJ', 2, 10), at('PL', 1, 10.5)], heavy)); // 3 + 0.5
    expect(below.structural.F).toBe(3.5);
    expect([below.structural.K, below.structural.E]).toEqual([0, 0]);
    expect(below.structural.RI).toBe(2.45);
    const at4 = scoreSegment(segment([at('TJ', 2, 10), at('TJ', 1, 10.5)], heavy)); // 3 + 1
    expect(at4.structural.F).toBe(4);
    expect([at4.structural.K, at4.structural.E]).toEqual([10, 10]);
    expect(at4.structural.RI).toBe(4.3);
    expect(at4.structural.riGrade).toBe(3);
  });

  it('MI: G < 4 → K = E = 0; G = 4 keeps them (F plays no part)', () => {
    const below = scoreSegment(segment([at('CQ', 2, 10), at('CJ', 1, 10.5, 0.5)], heavy)); // 3 + 0.5
    expect(below.functional.G).toBe(3.5);
    expect([below.functional.K, below.functional.E]).toEqual([0, 0]);
    expect(below.functional.MI).toBe(2.8);
    const at4 = scoreSegment(segment([at('ZW', 2, 10), at('SG', 2, 10.5)], heavy)); // 2 + 2, F = 0
    expect(at4.structural.F).toBe(0);
    expect(at4.functional.G).toBe(4);
    expect([at4.functional.K, at4.functional.E]).toEqual([10, 10]);
    expect(at4.functional.MI).toBe(5.2);
    expect(at4.functional.miGrade).toBe(3);
    expect(at4.functional.advice.code).toBe('soon');
  });

  it('T: used whenever F > 0 (even below 4), zero when F = 0', () => {
    const r = scoreSegment(segment([at('TJ', 2, 10)], { soil: 'silt_sand' }));
    expect(r.structural.T).toBe(10);
    expect(r.structural.RI).toBe(3.6); // 0.7·3 + 0.15·10
    const none = scoreSegment(segment([], { soil: 'silt_sand' }));
    expect(none.weights.T).toBe(10);
    expect(none.structural.T).toBe(0);
  });
});

describe('grades', () => {
  it.each([
    [0, 1],
    [1, 1],
    [1.001, 2],
    [3, 2],
    [3.001, 3],
    [6, 3],
    [6.001, 4],
    [3 + 4e-16, 2], // float noise on a bound does not change the grade
  ])('gradeOf(%s, F/G thresholds) = %s', (v, g) => {
    expect(gradeOf(v, F_SCALE.thresholds)).toBe(g);
  });

  it.each([
    [1, 1],
    [1.001, 2],
    [4, 2],
    [4.001, 3],
    [7, 3],
    [7.001, 4],
  ])('gradeOf(%s, RI/MI thresholds) = %s', (v, g) => {
    expect(gradeOf(v, RI_SCALE.thresholds)).toBe(g);
    expect(gradeOf(v, MI_SCALE.thresholds)).toBe(g);
  });

  it.each([
    [[at('TJ', 1, 10)], 1, 1],
    [[at('TJ', 1, 10), at('PL', 1, 10.5)], 1.5, 2],
    [[at('TJ', 2, 10)], 3, 2],
    [[at('TJ', 2, 10), at('PL', 1, 10.5)], 3.5, 3],
    [[at('PL', 3, 10), at('TJ', 1, 10.5)], 6, 3],
    [[at('PL', 3, 10), at('TJ', 1, 10.5), at('CK', 1, 10.8)], 6.5, 4],
  ])('structural F on the bounds: %j → F = %s, grade %s', (defects, F, grade) => {
    const r = scoreSegment(segment(defects));
    expect(r.structural.F).toBe(F);
    expect(r.structural.grade).toBe(grade);
  });

  it.each([
    ['other', 1, 0.5, 0.4, 1, 'none'],
    ['other', 2, 2, 1.6, 2, 'plan'],
    ['other', 3, 5, 4, 2, 'plan'], // MI = 4 exactly is still Ⅱ
    ['cbd', 3, 5, 5.5, 3, 'soon'], // G ≥ 4 keeps K = 10
    ['other', 4, 10, 8, 4, 'immediate'],
  ] as const)('maintenance advice follows the MI grade (%s, SG-%s)', (area, sg, G, MI, miGrade, advice) => {
    const r = scoreSegment(segment([at('SG', sg, 10)], { area, diameter_mm: 300 }));
    expect(r.functional.G).toBe(G);
    expect(r.functional.MI).toBe(MI);
    expect(r.functional.miGrade).toBe(miGrade);
    expect(r.functional.advice.code).toBe(advice);
  });
});

describe('E from diameter', () => {
  it.each([
    [599, 0],
    [600, 3],
    [1000, 3],
    [1001, 6],
    [1500, 6],
    [1501, 10],
    [null, 0],
  ])('D = %s mm → E = %s', (d, e) => {
    expect(eFromDiameter(d)).toBe(e);
  });
});

describe('empty and unscored', () => {
  it('no defects: everything zero, grade Ⅰ, no advice', () => {
    const r = scoreSegment(segment([], { area: 'cbd', diameter_mm: 2000, soil: 'muck' }));
    expect(r.structural).toMatchObject({ n: 0, S: 0, Smax: 0, F: 0, SM: 0, K: 0, E: 0, T: 0, RI: 0, grade: 1, riGrade: 1, density: null });
    expect(r.structural.advice.code).toBe('none');
    expect(r.functional).toMatchObject({ m: 0, Y: 0, G: 0, YM: 0, MI: 0, grade: 1, miGrade: 1, density: null });
    expect(r.functional.advice.code).toBe('none');
    expect(r.defects).toEqual([]);
  });

  it('FZ is carried through but not scored, and does not join a same-metre merge', () => {
    const r = scoreSegment(segment([at('FZ', 3, 10), at('SG', 2, 10.2)]));
    expect(r.unscored).toEqual([
      { code: 'FZ', name_zh: '浮渣', name_en: 'Floating debris', kind: 'functional', grade: 3, distance_m: 10, length_m: 1 },
    ]);
    expect(r.defects).toHaveLength(1);
    expect(r.functional).toMatchObject({ m: 1, G: 2 });
    const only = scoreSegment(segment([at('FZ', 1, 3)]));
    expect(only.functional).toMatchObject({ m: 0, G: 0, MI: 0 });
  });

  it('a local extension code flagged scored: false is carried, not scored', () => {
    const lf: DefectCode = { code: 'LF', name_zh: '裂缝', name_en: 'Crack (local)', kind: 'structural', scores: [0, 0, 0, 0], scored: false, continuous: false };
    const codes = new Map([...DEFECT_CODE_INDEX, ['LF', lf]]);
    const r = scoreSegment(segment([at('LF', 4, 10)]), codes);
    expect(r.unscored.map((u) => u.code)).toEqual(['LF']);
    expect(r.structural.n).toBe(0);
    // The default table does not know it.
    expect(() => scoreSegment(segment([at('LF', 4, 10)]))).toThrow(/unknown defect code "LF"/);
  });
});

describe('bad input throws Cjj181InputError', () => {
  it.each([
    [[at('XX', 1, 0)], /defects\[0\]: unknown defect code "XX"/],
    [[at('PL', 1, 0), at('FS', 4, 3)], /defects\[1\]: grade 4 is not defined for FS/],
    [[at('TL', 3, 0)], /grade 3 is not defined for TL/],
    [[at('FZ', 4, 0)], /grade 4 is not defined for FZ/],
    [[at('PL', 0, 0)], /grade must be an integer 1–4/],
    [[at('PL', 5, 0)], /grade must be an integer 1–4/],
    [[at('PL', 1.5, 0)], /grade must be an integer 1–4/],
    [[at('PL', 1, -1)], /distance_m must be a number ≥ 0/],
    [[at('PL', 1, 0, Number.NaN)], /length_m must be a number ≥ 0/],
  ])('%j', (defects, msg) => {
    expect(() => scoreSegment(segment(defects))).toThrow(Cjj181InputError);
    expect(() => scoreSegment(segment(defects))).toThrow(msg);
  });

  it('segment length, area and soil', () => {
    expect(() => scoreSegment(segment([], { length_m: 0 }))).toThrow(/segment length_m must be a number > 0/);
    expect(() => scoreSegment(segment([], { area: 'downtown' as never }))).toThrow(/unknown area class "downtown"/);
    expect(() => scoreSegment(segment([], { soil: 'clay' as never }))).toThrow(/unknown soil class "clay"/);
  });
});

describe('tables agree with server/db/migrations/003_drainage.sql', () => {
  const sql = readFileSync(new URL('../../server/db/migrations/003_drainage.sql', import.meta.url), 'utf8');
  const rows = [...sql.matchAll(/\('(\w+)', '([^']*)', '([^']*)', '(structural|functional)', '\{([^}]*)\}', (true|false), (true|false)\)/g)].map(
    (m) => ({
      code: m[1],
      name_zh: m[2],
      name_en: m[3],
      kind: m[4],
      scores: m[5].split(',').map((s) => (s.trim() === 'NULL' ? null : Number(s))),
      scored: m[6] === 'true',
      continuous: m[7] === 'true',
    }),
  );

  it('has the same rows in the same order', () => {
    expect(rows.length).toBe(16);
    expect(DEFECT_CODES.map((d) => ({ ...d, scores: [...d.scores] }))).toEqual(rows);
  });
});

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
