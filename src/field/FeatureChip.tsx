// What a tap on the map hit: its name or code, and "navigate" to walk there.
import { useI18n } from '../i18n/index.tsx';

export interface TappedFeature {
  layer: string;
  id: string;
  label: string;
  lon: number;
  lat: number;
}

export function FeatureChip({ f, onNavigate, onClose }: { f: TappedFeature; onNavigate(): void; onClose(): void }) {
  const { t } = useI18n();
  return (
    <section className="fm-chip fm-card" data-testid="field-feature" data-layer={f.layer}>
      <div className="fm-chip-text">
        <span className="muted fm-small">{t(`kind.${f.layer}` as 'kind.manholes')}</span>
        <strong>{f.label}</strong>
      </div>
      <button type="button" className="button small primary" onClick={onNavigate} data-testid="field-feature-navigate">{t('fm.navigate')}</button>
      <button type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')}>×</button>
    </section>
  );
}
