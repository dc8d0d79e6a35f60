// The geometry of a longitudinal profile chart, built from the profile alone (no DOM, no React): the
// ground line, the pipe band between invert and crown per reach, the manholes as verticals, the water
// surface where a sensor reports one, defect and hazard markers, the axes' ticks. ProfileChart draws
// it as SVG; the printable report may draw the same geometry at its own size.
import type { Profile } from '../../../common/api/network.ts';

export interface ChartSize { width: number; height: number; margin?: { top: number; right: number; bottom: number; left: number } }

export interface ProfileChartGeometry {
  width: number;
  height: number;
  plot: { x: number; y: number; w: number; h: number };
  /** Levels shown, metres: [low, high]; null when the path has no levels at all. */
  levels: [number, number] | null;
  /** SVG path data; empty where nothing is known. */
  ground: string;
  water: string;
  reaches: { id: number; code: string; x0: number; x1: number; band: string | null; reversed: boolean; invert: string | null }[];
  stations: { id: number; code: string; x: number; top: number | null; bottom: number | null; kind: string }[];
  marks: { kind: 'defect' | 'hazard'; id: number; pipeId: number; code: string; grade: number; x: number; y: number }[];
  xTicks: { x: number; value: number }[];
  yTicks: { y: number; value: number }[];
}

const DEFAULT_MARGIN = { top: 16, right: 16, bottom: 30, left: 52 };

/** A round step giving about `count` ticks over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** A polyline broken where a value is missing: `M` starts each run; a lone point gets a short dash. */
function brokenLine(points: { x: number; y: number | null }[], dash = 5): string {
  const runs: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] = [];
  for (const p of points) {
    if (p.y === null) { if (run.length) runs.push(run); run = []; } else run.push({ x: p.x, y: p.y });
  }
  if (run.length) runs.push(run);
  return runs.map((r) => (r.length === 1
    ? `M${f(r[0].x - dash)},${f(r[0].y)}H${f(r[0].x + dash)}`
    : r.map((p, i) => `${i ? 'L' : 'M'}${f(p.x)},${f(p.y)}`).join(''))).join('');
}

const f = (v: number) => String(Math.round(v * 10) / 10);

export function buildProfileChart(profile: Profile, size: ChartSize): ProfileChartGeometry {
  const m = size.margin ?? DEFAULT_MARGIN;
  const plot = { x: m.left, y: m.top, w: Math.max(size.width - m.left - m.right, 10), h: Math.max(size.height - m.top - m.bottom, 10) };
  const length = Math.max(profile.length_m, 1);
  const X = (chainage: number) => plot.x + (chainage / length) * plot.w;

  const values: number[] = [];
  for (const s of profile.stations) for (const v of [s.ground_m, s.invert_m, s.crown_m, s.water_m]) if (v !== null) values.push(v);
  for (const r of profile.reaches) for (const v of [r.up_invert_m, r.down_invert_m, r.up_crown_m, r.down_crown_m]) if (v !== null) values.push(v);
  const levels: [number, number] | null = values.length ? [Math.min(...values), Math.max(...values)] : null;
  // A little air above the ground and below the lowest invert.
  const pad = levels ? Math.max((levels[1] - levels[0]) * 0.08, 0.2) : 0;
  const [lo, hi] = levels ? [levels[0] - pad, levels[1] + pad] : [0, 1];
  const Y = (level: number) => plot.y + plot.h - ((level - lo) / (hi - lo)) * plot.h;
  const y = (v: number | null) => (v === null ? null : Y(v));

  const reaches = profile.reaches.map((r) => {
    const x0 = X(r.from_chainage_m);
    const x1 = X(r.to_chainage_m);
    const known = r.up_invert_m !== null && r.down_invert_m !== null;
    const band = known && r.up_crown_m !== null && r.down_crown_m !== null
      ? `M${f(x0)},${f(Y(r.up_invert_m!))}L${f(x1)},${f(Y(r.down_invert_m!))}L${f(x1)},${f(Y(r.down_crown_m!))}L${f(x0)},${f(Y(r.up_crown_m!))}Z`
      : null;
    return {
      id: r.id, code: r.code, x0, x1, band, reversed: r.slope !== null && r.slope < 0,
      invert: known ? `M${f(x0)},${f(Y(r.up_invert_m!))}L${f(x1)},${f(Y(r.down_invert_m!))}` : null,
    };
  });
  const byReach = new Map(profile.reaches.map((r) => [r.id, r]));
  const marks = profile.marks.map((k) => {
    const r = byReach.get(k.pipe_id);
    // On the crown where the reach has one (the marker sits on the pipe), else mid-plot.
    let level: number | null = null;
    if (r && r.up_crown_m !== null && r.down_crown_m !== null) {
      const t = r.length_m > 0 ? (k.chainage_m - r.from_chainage_m) / r.length_m : 0;
      level = r.up_crown_m + (r.down_crown_m - r.up_crown_m) * Math.min(Math.max(t, 0), 1);
    }
    return { kind: k.kind, id: k.id, pipeId: k.pipe_id, code: k.code, grade: k.grade, x: X(k.chainage_m), y: level === null ? plot.y + plot.h / 2 : Y(level) - 6 };
  });
  return {
    width: size.width, height: size.height, plot, levels,
    ground: brokenLine(profile.stations.map((s) => ({ x: X(s.chainage_m), y: y(s.ground_m) }))),
    water: brokenLine(profile.stations.map((s) => ({ x: X(s.chainage_m), y: y(s.water_m) }))),
    reaches,
    stations: profile.stations.map((s) => ({ id: s.manhole.id, code: s.manhole.code, kind: s.manhole.kind, x: X(s.chainage_m), top: y(s.ground_m), bottom: y(s.invert_m) })),
    marks,
    xTicks: ticks(0, profile.length_m, Math.max(2, Math.floor(plot.w / 90))).map((v) => ({ x: X(v), value: v })),
    yTicks: levels ? ticks(lo, hi, Math.max(2, Math.floor(plot.h / 40))).map((v) => ({ y: Y(v), value: v })) : [],
  };
}
