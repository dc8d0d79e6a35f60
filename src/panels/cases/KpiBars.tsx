// One KPI across the units as horizontal bars (SVG, no chart library): a unit's name, its bar, its value.
// A click drills into the unit when there is a level below.
import type { KpiRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { barScale, formatKpi } from './kpiFormat.ts';

const ROW = 20;
const LABEL_W = 84;
const VALUE_W = 48;
const W = 320;

export function KpiBars({ rows, kpiKey, onDrill }: { rows: KpiRow[]; kpiKey: string; onDrill?(row: KpiRow): void }) {
  const { num, lang } = useI18n();
  const values = rows.map((r) => r.kpis.find((k) => k.key === kpiKey) ?? null);
  const unit = values.find((v) => v)?.unit ?? 'count';
  const max = barScale(unit, values.map((v) => v?.value ?? null));
  const label = values.find((v) => v)?.label[lang] ?? kpiKey;
  const barW = W - LABEL_W - VALUE_W;
  return (
    <figure className="chart-figure kpi-bars">
      <svg viewBox={`0 0 ${W} ${rows.length * ROW + 4}`} className="chart" role="img" aria-label={label} data-testid="kpi-bars" data-kpi={kpiKey}>
        {rows.map((r, i) => {
          const k = values[i];
          const v = k?.value ?? 0;
          const w = Math.max(0, Math.min(1, v / max)) * barW;
          const y = i * ROW + 2;
          const name = r.name ?? '—';
          return (
            <g key={r.code} className={`chart-row${onDrill ? ' clickable' : ''}`} tabIndex={onDrill ? 0 : undefined} role={onDrill ? 'button' : undefined}
              onClick={() => onDrill?.(r)} onKeyDown={(e) => e.key === 'Enter' && onDrill?.(r)} data-testid="kpi-bar" data-code={r.code}>
              <rect className="chart-row-hit" x={0} y={y - 1} width={W} height={ROW} />
              <text className="chart-label" x={LABEL_W - 6} y={y + ROW / 2 + 3} textAnchor="end">{name.length > 7 ? `${name.slice(0, 6)}…` : name}</text>
              <rect x={LABEL_W} y={y + 3} width={w} height={ROW - 8} rx={2} className="kpi-bar" />
              <text className="chart-value" x={LABEL_W + w + 4} y={y + ROW / 2 + 3}>{k ? formatKpi(k, num) : '—'}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
