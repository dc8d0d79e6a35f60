// Threshold hysteresis: enter a level at its threshold, leave it only past the band; no flapping when a
// value hovers at a threshold; 'below' streams mirrored; defaults for the band.
import { describe, expect, it } from 'vitest';
import { band, nextLevel, runReadings, type Thresholds } from '../../server/domain/alarms.ts';

const level: Thresholds = { direction: 'above', warn: 1.0, alarm: 1.5, hysteresis: 0.1 };
const at = (i: number) => new Date(Date.UTC(2026, 6, 1, 0, i));

describe('alarm hysteresis', () => {
  it('raises at the thresholds and clears only past the band', () => {
    expect(nextLevel('normal', 0.99, level)).toBe('normal');
    expect(nextLevel('normal', 1.0, level)).toBe('warning');
    expect(nextLevel('warning', 1.5, level)).toBe('alarm');
    expect(nextLevel('normal', 2.0, level)).toBe('alarm');
    expect(nextLevel('alarm', 1.45, level)).toBe('alarm'); // inside the band under 1.5
    expect(nextLevel('alarm', 1.39, level)).toBe('warning');
    expect(nextLevel('warning', 0.95, level)).toBe('warning'); // inside the band under 1.0
    expect(nextLevel('warning', 0.89, level)).toBe('normal');
    expect(nextLevel('alarm', 0.5, level)).toBe('normal'); // past both bands at once
  });

  it('a value hovering at a threshold changes level once, not with every reading', () => {
    const readings = [0.98, 1.01, 0.99, 1.02, 0.97, 1.0, 0.96, 1.01].map((value, i) => ({ t: at(i), value }));
    const r = runReadings('normal', readings, level);
    expect(r.changes.map((c) => `${c.from}→${c.to}`)).toEqual(['normal→warning']);
    // Without hysteresis (band 0) the same readings would flap every time.
    const flap = runReadings('normal', readings, { ...level, hysteresis: 0 });
    expect(flap.changes.length).toBe(7);
  });

  it('a storm: rises through warning and alarm, falls back to normal, each change once', () => {
    const values = [0.4, 0.8, 1.05, 1.3, 1.6, 1.8, 1.55, 1.45, 1.2, 1.0, 0.92, 0.85, 0.6];
    const r = runReadings('normal', values.map((value, i) => ({ t: at(i), value })), level);
    expect(r.changes.map((c) => `${c.to}@${c.value}`)).toEqual(['warning@1.05', 'alarm@1.6', 'warning@1.2', 'normal@0.85']);
    expect(r.level).toBe('normal');
  });

  it("'below' streams alarm on low values, mirrored", () => {
    const pressure: Thresholds = { direction: 'below', warn: 0.3, alarm: 0.2, hysteresis: 0.02 };
    expect(nextLevel('normal', 0.31, pressure)).toBe('normal');
    expect(nextLevel('normal', 0.3, pressure)).toBe('warning');
    expect(nextLevel('warning', 0.19, pressure)).toBe('alarm');
    expect(nextLevel('alarm', 0.21, pressure)).toBe('alarm');
    expect(nextLevel('alarm', 0.23, pressure)).toBe('warning');
    expect(nextLevel('warning', 0.33, pressure)).toBe('normal');
  });

  it('default bands, one threshold only, NaN readings ignored', () => {
    expect(band({ direction: 'above', warn: 1, alarm: 1.5 })).toBeCloseTo(0.05);
    expect(band({ direction: 'above', warn: null, alarm: 20 })).toBeCloseTo(1);
    const gas: Thresholds = { direction: 'above', warn: null, alarm: 20 };
    expect(nextLevel('normal', 19, gas)).toBe('normal');
    expect(nextLevel('normal', 20, gas)).toBe('alarm');
    expect(nextLevel('alarm', 19.5, gas)).toBe('alarm');
    expect(nextLevel('alarm', 18.9, gas)).toBe('normal');
    expect(nextLevel('warning', Number.NaN, level)).toBe('warning');
  });
});
