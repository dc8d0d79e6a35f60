import { useT } from '../i18n/index.tsx';
import { LangSwitch } from './LangSwitch.tsx';
import { SyntheticBadge } from './SyntheticBadge.tsx';

export function TitleBar() {
  const t = useT();
  return (
    <header className="title-bar">
      <div className="title-text">
        <h1 data-testid="app-title">{t('app.title')}</h1>
        <p>{t('app.subtitle')}</p>
      </div>
      <SyntheticBadge />
      <LangSwitch />
    </header>
  );
}
