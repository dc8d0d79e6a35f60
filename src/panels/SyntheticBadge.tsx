import { useT } from '../i18n/index.tsx';

/** The data is generated, and every screen that shows it must say so. */
export function SyntheticBadge() {
  const t = useT();
  return (
    <div className="synthetic-badge" data-testid="synthetic-badge" role="note" title={t('badge.syntheticHint')}>
      {t('badge.synthetic')}
    </div>
  );
}
