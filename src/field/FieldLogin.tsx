// The field app's first screen without a session: the shared login form, phone-sized.
import type { SessionUser } from '../api/caseTypes.ts';
import { useI18n } from '../i18n/index.tsx';
import { LangSwitch } from '../panels/LangSwitch.tsx';
import { LoginForm } from '../panels/auth/LoginForm.tsx';
import { useSynthetic } from '../api/dataLayers.ts';

export function FieldLogin({ onLoggedIn }: { onLoggedIn(u: SessionUser): void }) {
  const { t } = useI18n();
  const synthetic = useSynthetic();
  return (
    <main className="fm-login" data-testid="field-login">
      <div className="fm-login-head">
        <div>
          <h1>{t('app.title')}</h1>
          <p>{t('fm.subtitle')}</p>
        </div>
        <LangSwitch />
      </div>
      {/* The login answer carries the account's grids too; the shared form types it as the common part. */}
      <LoginForm hint={t('fm.loginHint')} onLoggedIn={(a) => onLoggedIn(a as SessionUser)} />
      {synthetic && <p className="fm-synthetic muted">{t('badge.synthetic')}</p>}
    </main>
  );
}
