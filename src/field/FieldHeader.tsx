// The thin bar at the top: who is working, whether the phone is online, how much waits to be sent.
import type { SessionUser } from '../api/caseTypes.ts';
import { useI18n } from '../i18n/index.tsx';
import { LangSwitch } from '../panels/LangSwitch.tsx';

interface Props {
  user: SessionUser;
  online: boolean;
  pending: number;
  onPending(): void;
  onLogout(): void;
}

export function FieldHeader({ user, online, pending, onPending, onLogout }: Props) {
  const { t } = useI18n();
  return (
    <header className="fm-header" data-testid="field-header">
      <div className="fm-title">
        <strong>{t('fm.title')}</strong>
        <span className="fm-user" data-testid="field-user">{user.display_name || user.username}</span>
      </div>
      <span className={`fm-net ${online ? 'on' : 'off'}`} data-testid="field-net" data-online={online}>
        {online ? t('fm.online') : t('fm.offline')}
      </span>
      {pending > 0 && (
        <button type="button" className="fm-pending-pill" onClick={onPending} data-testid="field-pending-count" data-count={pending}>
          {t('outbox.pendingCount', { n: pending })}
        </button>
      )}
      <LangSwitch />
      <button type="button" className="chrome-button fm-logout" onClick={onLogout} data-testid="field-logout">{t('auth.logout')}</button>
    </header>
  );
}
