// Sensor thresholds with hysteresis: a datastream is normal, warning or alarm. A level is entered when the
// value crosses its threshold and left only when the value is back past the threshold by the hysteresis
// band, so a water level hovering at a threshold does not flap between states with every reading.
// 'above' streams alarm on high values (water level, gas), 'below' streams on low ones (pressure).

export type Level = 'normal' | 'warning' | 'alarm';
const RANK: Record<Level, number> = { normal: 0, warning: 1, alarm: 2 };

export interface Thresholds {
  direction: 'above' | 'below';
  warn: number | null;
  alarm: number | null;
  /** Band below (above, for 'below' streams) a threshold that must be crossed to leave its level. */
  hysteresis?: number | null;
}

/**
 * The default band when a datastream does not set one: 10 % of the gap between the warning and alarm
 * levels, or 5 % of the single threshold's magnitude; never 0 (a band of 0 would flap on noise).
 */
export function band(t: Thresholds): number {
  if (t.hysteresis !== undefined && t.hysteresis !== null && t.hysteresis >= 0) return t.hysteresis;
  if (t.warn !== null && t.alarm !== null && t.warn !== t.alarm) return Math.abs(t.alarm - t.warn) * 0.1;
  const one = t.alarm ?? t.warn ?? 0;
  return Math.max(Math.abs(one) * 0.05, 1e-6);
}

/** The level after a reading, given the level before it. */
export function nextLevel(current: Level, value: number, t: Thresholds): Level {
  if (!Number.isFinite(value)) return current;
  // Work in "higher is worse" terms: a 'below' stream is mirrored.
  const s = t.direction === 'above' ? 1 : -1;
  const v = s * value;
  const warn = t.warn === null ? null : s * t.warn;
  const alarm = t.alarm === null ? null : s * t.alarm;
  const h = band(t);
  // Entering: the worst level whose threshold the value reaches.
  const reached: Level = alarm !== null && v >= alarm ? 'alarm' : warn !== null && v >= warn ? 'warning' : 'normal';
  if (RANK[reached] >= RANK[current]) return reached;
  // Leaving: step down only past the band below the current level's threshold (and again for the next).
  let level = current;
  if (level === 'alarm' && (alarm === null || v < alarm - h)) level = 'warning';
  if (level === 'warning' && (warn === null || v < warn - h)) level = 'normal';
  // From alarm straight to normal when the value fell past both bands.
  return RANK[level] < RANK[reached] ? reached : level;
}

export interface LevelChange { from: Level; to: Level; value: number; t: Date }

/** Runs readings (in time order) through the state machine; returns the final level and each change. */
export function runReadings(start: Level, readings: { t: Date; value: number }[], t: Thresholds): { level: Level; changes: LevelChange[] } {
  let level = start;
  const changes: LevelChange[] = [];
  for (const r of readings) {
    const next = nextLevel(level, r.value, t);
    if (next !== level) changes.push({ from: level, to: next, value: r.value, t: r.t });
    level = next;
  }
  return { level, changes };
}
