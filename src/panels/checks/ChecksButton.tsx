// The top bar's button for the design checks.
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';
import { checksActions, useChecksState } from './checksStore.ts';

export function ChecksButton() {
  const { t } = useI18n();
  const { open } = useChecksState();
  return (
    <button type="button" className={`tool-button${open ? ' active' : ''}`} aria-pressed={open} onClick={checksActions.toggle}
      data-testid="checks-button" title={t('check.buttonHint')}>
      <Icon name="warning" /> <span className="tool-label">{t('check.button')}</span>
    </button>
  );
}
