import type { LegendItem } from '../layers/types.ts';
import { useI18n } from '../i18n/index.tsx';

/** One legend symbol, drawn the way the map draws it. */
export function LegendSymbol({ item }: { item: LegendItem }) {
  const c = Array.isArray(item.color) ? item.color : [item.color as string];
  switch (item.shape) {
    case 'line':
      return <span className="lg lg-line" style={{ background: c[0] }} />;
    case 'dash':
      return <span className="lg lg-dash" style={{ borderColor: c[0] }} />;
    case 'trail':
      return <span className="lg lg-trail" style={{ background: `linear-gradient(90deg, transparent, ${c[0]})` }} />;
    case 'circle':
      return <span className="lg lg-circle" style={{ background: c[0] }} />;
    case 'ring':
      return <span className="lg lg-ring" style={{ borderColor: c[0] }} />;
    case 'pulse':
      return <span className="lg lg-pulse" style={{ background: c[0], color: c[0] }} />;
    case 'fill':
      return <span className="lg lg-fill" style={{ background: c[0] }} />;
    case 'sector':
      return <span className="lg lg-sector"><svg viewBox="0 0 16 16" width="16" height="16"><path d="M8 14 L2.5 4 A8 8 0 0 1 13.5 4 Z" fill={c[0]} fillOpacity="0.35" stroke={c[0]} /></svg></span>;
    case 'ramp':
      return <span className="lg lg-ramp" style={{ background: `linear-gradient(90deg, ${c.join(', ')})` }} />;
  }
}

export function LegendList({ items }: { items: readonly LegendItem[] }) {
  const { t } = useI18n();
  return (
    <ul className="legend-list">
      {items.map((item, i) => (
        <li key={i} className="legend-item">
          <LegendSymbol item={item} />
          <span>{item.labelKey ? t(item.labelKey) : item.label}</span>
        </li>
      ))}
    </ul>
  );
}
