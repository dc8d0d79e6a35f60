// One figure with its label, large enough to read from the back of the room. `value` carries the raw
// number (data-value) so tests and screen readers get it without the formatting.
export type KpiTone = 'neutral' | 'good' | 'warning' | 'alarm' | 'muted';

interface Props {
  label: string;
  text: string;
  value: number | null;
  unit?: string;
  sub?: string;
  tone?: KpiTone;
  size?: 'large' | 'medium';
  testId: string;
}

export function Kpi({ label, text, value, unit, sub, tone = 'neutral', size = 'large', testId }: Props) {
  return (
    <div className={`wall-kpi tone-${tone} size-${size}`} data-testid={testId} data-value={value ?? ''}>
      <div className="wall-kpi-label">{label}</div>
      <div className="wall-kpi-value">
        {text}
        {unit && <span className="wall-kpi-unit">{unit}</span>}
      </div>
      {sub && <div className="wall-kpi-sub">{sub}</div>}
    </div>
  );
}
