// A small time-series chart in plain SVG: a datastream over a period with its warn and alarm levels; the
// time axis shows hours for a day or two, dates beyond.
import { useI18n } from '../../i18n/index.tsx';

interface Props {
  points: readonly { t: string; value: number }[];
  unit: string;
  warn?: number | null;
  alarm?: number | null;
  label: string;
}

const W = 320;
const H = 128;
const PAD = { l: 40, r: 8, t: 10, b: 22 };

export function LineChart({ points, unit, warn, alarm, label }: Props) {
  const { num, lang, t } = useI18n();
  const data = points
    .map((p) => ({ t: new Date(p.t).getTime(), v: p.value }))
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
    .sort((a, b) => a.t - b.t);
  if (data.length < 2) return <p className="chart-empty">{t('chart.noObservations')}</p>;
  const t0 = data[0].t;
  const t1 = data[data.length - 1].t;
  const values = data.map((d) => d.v);
  const levels = [warn, alarm].filter((v): v is number => typeof v === 'number');
  let lo = Math.min(...values, ...levels);
  let hi = Math.max(...values, ...levels);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const padV = (hi - lo) * 0.08;
  lo -= padV;
  hi += padV;
  const x = (t: number) => PAD.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - (v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const path = data.map((d, i) => `${i ? 'L' : 'M'}${x(d.t).toFixed(1)},${y(d.v).toFixed(1)}`).join('');
  const area = `${path}L${x(t1).toFixed(1)},${H - PAD.b}L${x(t0).toFixed(1)},${H - PAD.b}Z`;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const fmtT = t1 - t0 > 2 * 86_400_000
    ? (ms: number) => new Date(ms).toLocaleDateString(locale, { month: '2-digit', day: '2-digit' })
    : (ms: number) => new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  const ticks = [lo + padV, (lo + hi) / 2, hi - padV];
  const last = data[data.length - 1];
  return (
    <svg className="chart line-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="observation-chart">
      {ticks.map((v, i) => (
        <g key={i}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="chart-grid" />
          <text x={PAD.l - 4} y={y(v) + 3} textAnchor="end" className="chart-axis">{num(v, Math.abs(hi - lo) < 5 ? 2 : 0)}</text>
        </g>
      ))}
      <path d={area} className="chart-area" />
      <path d={path} className="chart-line" />
      {typeof warn === 'number' && <line x1={PAD.l} x2={W - PAD.r} y1={y(warn)} y2={y(warn)} className="chart-warn"><title>warn {warn} {unit}</title></line>}
      {typeof alarm === 'number' && <line x1={PAD.l} x2={W - PAD.r} y1={y(alarm)} y2={y(alarm)} className="chart-alarm"><title>alarm {alarm} {unit}</title></line>}
      <circle cx={x(last.t)} cy={y(last.v)} r={3} className="chart-last" />
      <text x={PAD.l} y={H - 6} className="chart-axis">{fmtT(t0)}</text>
      <text x={(PAD.l + W - PAD.r) / 2} y={H - 6} textAnchor="middle" className="chart-axis">{fmtT((t0 + t1) / 2)}</text>
      <text x={W - PAD.r} y={H - 6} textAnchor="end" className="chart-axis">{fmtT(t1)}</text>
      <text x={W - PAD.r} y={PAD.t + 2} textAnchor="end" className="chart-unit">{unit}</text>
    </svg>
  );
}
