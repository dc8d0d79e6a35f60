// When a click lands on several features (cases stacked at one address, a crowd of dots at z18), a small
// list next to the click names each one, as QGIS's and ArcGIS's identify do; hovering a row rings that
// feature on the map, choosing one selects it.
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/index.tsx';
import type { FeatureHit } from '../map/MapView.tsx';
import { featureTitle } from '../map/identify.ts';
import { formatValue } from './format.ts';

interface Props {
  hits: FeatureHit[];
  point: [number, number];
  onChoose(hit: FeatureHit): void;
  onHover(hit: FeatureHit | null): void;
  onClose(): void;
}

export function HitChooser({ hits, point, onChoose, onHover, onClose }: Props) {
  const i = useI18n();
  const { t, tr, num } = i;
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector('button')?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // Beside the click, kept inside the window.
  const width = 280;
  const left = Math.min(point[0] + 14, window.innerWidth - width - 12);
  const top = Math.max(8, Math.min(point[1] - 10, window.innerHeight - 320));
  return (
    <div ref={ref} className="panel hit-chooser" data-testid="hit-chooser" role="menu" aria-label={t('chooser.label')}
      style={{ left, top, width }} onMouseLeave={() => onHover(null)}>
      <div className="hit-chooser-head muted">{t('chooser.title', { n: num(hits.length) })}</div>
      <ul>
        {hits.map((h) => {
          const status = h.properties.status;
          const title = featureTitle(h.key.layer, h.properties, i) || `#${h.key.id}`;
          return (
            <li key={`${h.key.layer}:${h.key.id}`}>
              <button type="button" role="menuitem" data-testid="hit-choice" data-layer={h.key.layer} data-id={h.key.id}
                onMouseEnter={() => onHover(h)} onFocus={() => onHover(h)} onClick={() => onChoose(h)}>
                <span className={`result-kind kind-${h.key.layer}`}>{tr(`kind.${h.key.layer}`, tr(`layer.${h.key.layer}`, h.key.layer))}</span>
                <span className="hit-title">{title}</span>
                {typeof status === 'string' && !title.includes(formatValue('status', status, i)) && (
                  <span className="muted hit-status">{formatValue('status', status, i)}</span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
