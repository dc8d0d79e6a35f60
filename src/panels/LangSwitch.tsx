import { loadLanguage, useI18n } from '../i18n/index.tsx';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'zh' ? 'en' : 'zh';
  // The other language is a lazy chunk: fetched as the pointer or focus reaches the button, ready by the click.
  const prefetch = () => void loadLanguage(other).catch(() => undefined);
  return (
    <button
      type="button"
      className="chrome-button lang-switch"
      data-testid="lang-switch"
      title={t('lang.switchHint')}
      aria-label={t('lang.switchHint')}
      onPointerEnter={prefetch}
      onFocus={prefetch}
      onClick={() => setLang(other)}
    >
      {t('lang.switch')}
    </button>
  );
}
