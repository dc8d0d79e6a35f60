// Frame intervals of the map while the camera follows a script, for the UI benchmarks (ui.ts, ui-3d.ts):
// requestAnimationFrame stamps taken in the page, so the browser's frame pacing is measured, not ours.
import type { Page } from 'playwright-core';

export interface FrameStats { frames: number; durationMs: number; fps: number; meanMs: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; over50ms: number }

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
};
export const r1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Runs `moves` — statements in the page that may use `map`, the start `c` (center), `z` (zoom), `b`
 * (bearing), and `await move(easeToOptions)` — and returns the frame intervals' statistics.
 */
export async function frameStats(page: Page, moves: string): Promise<FrameStats> {
  // A string, not a function: the TypeScript loader adds helpers (__name) that do not exist in the page.
  const intervals = (await page.evaluate(`(async () => {
    const map = window.__map;
    const stamps = [];
    let running = true;
    const tick = (t) => { stamps.push(t); if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const move = (o) => new Promise((resolve) => { map.once('moveend', () => resolve()); map.easeTo({ ...o, easing: (x) => x }); });
    const c = map.getCenter();
    const z = map.getZoom();
    const b = map.getBearing();
    ${moves}
    running = false;
    return stamps.slice(1).map((t, i) => t - stamps[i]);
  })()`)) as number[];
  const total = intervals.reduce((s, x) => s + x, 0);
  return {
    frames: intervals.length,
    durationMs: Math.round(total),
    fps: r1((intervals.length / total) * 1000),
    meanMs: r1(total / intervals.length),
    p50Ms: r1(pct(intervals, 50)),
    p95Ms: r1(pct(intervals, 95)),
    p99Ms: r1(pct(intervals, 99)),
    maxMs: r1(Math.max(...intervals)),
    over50ms: intervals.filter((x) => x > 50).length,
  };
}
