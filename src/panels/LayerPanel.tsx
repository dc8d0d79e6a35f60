import { useState } from 'react';
import type { MapLayerGroup } from '../layers/index.ts';
import { useT } from '../i18n/index.tsx';

interface Props {
  groups: readonly MapLayerGroup[];
  visible: ReadonlySet<string>;
  onToggle(id: string, visible: boolean): void;
}

function Swatch({ group }: { group: MapLayerGroup }) {
  if (typeof group.swatch === 'string') {
    return <span className="swatch" style={{ background: group.swatch }} aria-hidden="true" />;
  }
  const stops = group.swatch.map((s) => s.color).join(', ');
  return <span className="swatch" style={{ background: `linear-gradient(135deg, ${stops})` }} aria-hidden="true" />;
}

function Legend({ group }: { group: MapLayerGroup }) {
  const t = useT();
  if (typeof group.swatch === 'string') return null;
  return (
    <span className="swatch-legend">
      {group.swatch.map((s) => (
        <span key={s.labelKey} className="swatch-legend-item" title={t(s.labelKey)}>
          <span className="swatch swatch-line" style={{ background: s.color }} aria-hidden="true" />
          {t(s.labelKey)}
        </span>
      ))}
    </span>
  );
}

export function LayerPanel({ groups, visible, onToggle }: Props) {
  const t = useT();
  const [open, setOpen] = useState(true);

  return (
    <section className="panel layer-panel" data-testid="layer-panel" aria-label={t('panel.layers')}>
      <header className="panel-header">
        <h2>{t('panel.layers')}</h2>
        <button
          type="button"
          className="icon-button"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          title={t(open ? 'panel.collapse' : 'panel.expand')}
          data-testid="layer-panel-collapse"
        >
          {open ? '−' : '+'}
        </button>
      </header>
      {open && (
        <ul className="layer-list">
          {groups.map((g) => (
            <li key={g.id}>
              <label className="layer-row">
                <input
                  type="checkbox"
                  checked={visible.has(g.id)}
                  onChange={(e) => onToggle(g.id, e.currentTarget.checked)}
                  data-testid={`layer-toggle-${g.id}`}
                />
                <Swatch group={g} />
                <span className="layer-name">{t(g.labelKey)}</span>
              </label>
              <Legend group={g} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
