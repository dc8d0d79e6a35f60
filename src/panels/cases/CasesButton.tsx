// The top bar's way into the cases panel.
import { useI18n } from '../../i18n/index.tsx';
import { CaseIcon } from './CaseIcon.tsx';

export function CasesButton({ open, onToggle }: { open: boolean; onToggle(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className={`tool-button${open ? ' active' : ''}`} aria-pressed={open} title={t('cases.tool')} data-testid="tool-cases" onClick={onToggle}>
      <CaseIcon />
      <span className="tool-label">{t('cases.toolShort')}</span>
    </button>
  );
}
