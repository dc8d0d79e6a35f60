import { useT } from '../i18n/index.tsx';

export function ServerBanner() {
  const t = useT();
  return (
    <div className="server-banner" data-testid="server-banner" role="alert">
      <span className="spinner" aria-hidden="true" />
      {t('server.unavailable')}
    </div>
  );
}
