// Cases reported per hour over the last 24 hours as bars, in plain SVG. Text is sized in view-box units
// that come out at the panel's reading size (the SVG scales with the panel, and the panel with the wall).
import { useI18n } from '../../i18n/index.tsx';

interface Props {
  hours: readonly { hour: string; reported: number }[];
  label: string;
}

const W = 480;
const H = 190;
const PAD = { l: 44, r: 6, t: 14, b: 30 };

export function TrendChart({ hours, label }: Props) {
  const { t, num } = useI18n();
  const max = Math.max(1, ...hours.map((h) => h.reported));
  // A round top for the axis: 1, 2, 5 × 10^n.
  const mag = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 5, 10].map((m) => m * mag).find((v) => v >= max) ?? max;
  const bw = (W - PAD.l - PAD.r) / Math.max(1, hours.length);
  const y = (v: number) => PAD.t + (1 - v / top) * (H - PAD.t - PAD.b);
  const hourOf = (h: string) => Number(h.slice(11, 13));
  return (
    <svg className="wall-trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="trend-chart">
      {[0, top / 2, top].map((v) => (
        <g key={v}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="wall-trend-grid" />
          <text x={PAD.l - 6} y={y(v) + 6} textAnchor="end" className="wall-trend-axis">{num(v)}</text>
        </g>
      ))}
      {hours.map((h, i) => (
        <rect key={h.hour} x={PAD.l + i * bw + 1.5} width={Math.max(1, bw - 3)} y={y(h.reported)} height={Math.max(0, y(0) - y(h.reported))}
          className={i === hours.length - 1 ? 'wall-trend-bar now' : 'wall-trend-bar'} data-hour={h.hour} data-value={h.reported}>
          <title>{`${h.hour.replace('T', ' ')}:00 · ${num(h.reported)}`}</title>
        </rect>
      ))}
      {hours.map((h, i) => (hourOf(h.hour) % 6 === 0 && i < hours.length - 3
        ? <text key={`l${h.hour}`} x={PAD.l + (i + 0.5) * bw} y={H - 6} textAnchor="middle" className="wall-trend-axis">{t('wall.trendHour', { h: hourOf(h.hour) })}</text>
        : null))}
      <text x={W - PAD.r} y={H - 6} textAnchor="end" className="wall-trend-axis now">{t('wall.trendNow')}</text>
    </svg>
  );
}
