// /field: the phone app for grid inspectors. Without a session it shows the login; with one (or, offline,
// with the account remembered from the last visit) the map and the jobs.
import { useEffect, useState } from 'react';
import { useSession } from '../api/session.ts';
import { useI18n } from '../i18n/index.tsx';
import { useTheme } from '../prefs/theme.ts';
import { FieldLogin } from './FieldLogin.tsx';
import { FieldShell } from './FieldShell.tsx';
import { registerPhoneSw } from './registerSw.ts';
import './testHooks.ts';
import { useOnline } from './useOnline.ts';
import './field.css';

export default function FieldApp() {
  const { t } = useI18n();
  const [theme] = useTheme();
  const { session, loggedIn, logout, refresh } = useSession('onemap.field.user');
  const online = useOnline();
  const [relogin, setRelogin] = useState(false);

  useEffect(() => {
    void registerPhoneSw('/field').then((s) => {
      window.__fieldSw = s;
    });
  }, []);

  // Opened offline: who is logged in is known from the last visit; ask the server once it is reachable.
  useEffect(() => {
    if (online && session.state === 'user' && session.offline) refresh();
  }, [online, session, refresh]);

  if (session.state === 'checking') {
    return <div className="app-loading" data-testid="app-loading" aria-label={t('common.loading')}><span className="spinner" /></div>;
  }
  if (session.state === 'anonymous' || relogin) {
    return <FieldLogin onLoggedIn={(u) => { setRelogin(false); loggedIn(u); }} />;
  }
  return <FieldShell key={session.user.username} user={session.user} theme={theme} onLogout={() => void logout()} onRelogin={() => setRelogin(true)} />;
}
