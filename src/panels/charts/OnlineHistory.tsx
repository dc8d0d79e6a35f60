// A camera's daily online rate over 30 days as bars in plain SVG, coloured by that day's status.
import { useI18n } from '../../i18n/index.tsx';
import { cameraStatusColors } from '../../layers/cameras.ts';

interface Props {
  days: readonly { day: string; online_ratio: number; status: string }[];
}

const W = 320;
const H = 96;
const PAD = { l: 30, r: 4, t: 8, b: 18 };

export function OnlineHistory({ days }: Props) {
  const { num, tr, t } = useI18n();
  const data = [...days].sort((a, b) => a.day.localeCompare(b.day));
  if (!data.length) return <p className="chart-empty">{t('chart.noHistory')}</p>;
  const bw = (W - PAD.l - PAD.r) / data.length;
  const y = (r: number) => PAD.t + (1 - r) * (H - PAD.t - PAD.b);
  const avg = data.reduce((s, d) => s + d.online_ratio, 0) / data.length;
  const md = (s: string) => s.slice(5, 10);
  return (
    <figure className="chart-figure">
      <svg className="chart bar-chart" viewBox={`0 0 ${W} ${H}`} role="img" data-testid="online-history"
        aria-label={t('chart.onlineAvg', { pct: num(avg * 100, 1) })}>
        {[0, 0.5, 1].map((r) => (
          <g key={r}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(r)} y2={y(r)} className="chart-grid" />
            <text x={PAD.l - 4} y={y(r) + 3} textAnchor="end" className="chart-axis">{r * 100}%</text>
          </g>
        ))}
        {data.map((d, i) => (
          <rect key={d.day} x={PAD.l + i * bw + 0.5} width={Math.max(1, bw - 1)} y={y(d.online_ratio)} height={Math.max(0.5, y(0) - y(d.online_ratio))}
            fill={cameraStatusColors[d.status as keyof typeof cameraStatusColors] ?? cameraStatusColors.offline}>
            <title>{`${d.day} · ${num(d.online_ratio * 100, 1)}% · ${tr(`value.status.${d.status}`, d.status)}`}</title>
          </rect>
        ))}
        <line x1={PAD.l} x2={W - PAD.r} y1={y(avg)} y2={y(avg)} className="chart-avg" />
        <text x={PAD.l} y={H - 5} className="chart-axis">{md(data[0].day)}</text>
        <text x={W - PAD.r} y={H - 5} textAnchor="end" className="chart-axis">{md(data[data.length - 1].day)}</text>
      </svg>
      <figcaption>{t('chart.onlineAvg', { pct: num(avg * 100, 1) })}</figcaption>
    </figure>
  );
}
