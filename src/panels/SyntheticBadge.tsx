import { useDataLayers } from '../api/dataLayers.ts';
import { useT } from '../i18n/index.tsx';

/**
 * Generated data must say so on every screen that shows it: the badge stands while any layer still holds
 * synthetic rows, and names them when some layers are the district's own already.
 */
export function SyntheticBadge() {
  const t = useT();
  const layers = useDataLayers();
  if (!layers) return null;
  const all = [...layers.values()];
  const synthetic = all.filter((l) => l.synthetic);
  if (!synthetic.length) return null;
  const partly = synthetic.length < all.filter((l) => l.loaded).length;
  const names = synthetic.map((l) => t(`data.layer.${l.id}`)).join('、');
  return (
    <div className="synthetic-badge" data-testid="synthetic-badge" role="note"
      title={partly ? t('badge.syntheticSome', { layers: names }) : t('badge.syntheticHint')}>
      {t(partly ? 'badge.syntheticPartly' : 'badge.synthetic')}
    </div>
  );
}
