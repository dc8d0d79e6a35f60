import { useI18n } from '../i18n/index.tsx';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="chrome-button lang-switch"
      data-testid="lang-switch"
      title={t('lang.switchHint')}
      aria-label={t('lang.switchHint')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('lang.switch')}
    </button>
  );
}
