// A street's daily online rate over the last days as a small line (no axes: the row's number is the figure).
interface Props {
  values: readonly number[];
  /** The value range drawn (rates live in a narrow band; 0–1 would flatten them). */
  lo: number;
  hi: number;
}

const W = 60;
const H = 16;

export function Sparkline({ values, lo, hi }: Props) {
  if (values.length < 2) return <svg className="wall-spark" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" />;
  const span = Math.max(1e-6, hi - lo);
  const pts = values.map((v, i) => `${((i / (values.length - 1)) * W).toFixed(1)},${(H - 1 - ((Math.min(hi, Math.max(lo, v)) - lo) / span) * (H - 2)).toFixed(1)}`);
  return (
    <svg className="wall-spark" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
      <polyline points={pts.join(' ')} />
    </svg>
  );
}
