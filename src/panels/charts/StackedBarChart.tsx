// Stacked horizontal bars with a label per row and the row's total at its end, in plain SVG (the same
// approach as LineChart: a fixed view box that scales with the panel). Rows can be clicked.
import { useI18n } from '../../i18n/index.tsx';

export interface StackedRow {
  key: string;
  label: string;
  values: readonly number[];
}

interface Props {
  rows: readonly StackedRow[];
  colors: readonly string[];
  /** Names of the parts, in the order of `values`, for the tooltips. */
  parts: readonly string[];
  unit: string;
  digits?: number;
  label: string;
  onRow?(key: string): void;
  testId?: string;
}

const W = 320;
const ROW = 18;
const LABEL_W = 88;
const VALUE_W = 40;
const PAD_T = 4;

export function StackedBarChart({ rows, colors, parts, unit, digits = 1, label, onRow, testId }: Props) {
  const { num } = useI18n();
  const totals = rows.map((r) => r.values.reduce((s, v) => s + v, 0));
  const max = Math.max(0, ...totals);
  const barW = W - LABEL_W - VALUE_W - 8;
  const h = PAD_T * 2 + rows.length * ROW;
  return (
    <svg className="chart stacked-chart" viewBox={`0 0 ${W} ${h}`} role="img" aria-label={label} data-testid={testId}>
      {rows.map((r, i) => {
        const y = PAD_T + i * ROW;
        let x = LABEL_W;
        return (
          <g key={r.key} className={onRow ? 'chart-row clickable' : 'chart-row'} data-testid="chart-row" data-key={r.key}
            onClick={onRow ? () => onRow(r.key) : undefined}
            onKeyDown={onRow ? (e) => e.key === 'Enter' && onRow(r.key) : undefined}
            tabIndex={onRow ? 0 : undefined} role={onRow ? 'button' : undefined}>
            <rect x={0} y={y} width={W} height={ROW} className="chart-row-hit" />
            <text x={LABEL_W - 5} y={y + ROW / 2 + 4} textAnchor="end" className="chart-label">{r.label}</text>
            {r.values.map((v, j) => {
              const w = max > 0 ? (v / max) * barW : 0;
              const rect = w > 0 ? (
                <rect key={j} x={x} y={y + 3} width={w} height={ROW - 6} fill={colors[j]}>
                  <title>{`${r.label} · ${parts[j]}: ${num(v, digits)} ${unit}`}</title>
                </rect>
              ) : null;
              x += w;
              return rect;
            })}
            <text x={x + 4} y={y + ROW / 2 + 4} className="chart-value">{num(totals[i], digits)}</text>
          </g>
        );
      })}
    </svg>
  );
}
