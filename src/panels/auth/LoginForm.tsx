// Log in with an account of the city's system, for the actions that need one (importing a network
// needs a planner). The server keeps the session in an HttpOnly cookie; nothing is stored here.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.ts';
import { ApiError } from '../../api/client.ts';
import type { Account } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';

export function LoginForm({ hint, onLoggedIn }: { hint: string; onLoggedIn(a: Account): void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLoggedIn((await api.login(username.trim(), password)).user);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(status === 401 ? t('auth.wrong') : status === 429 ? t('auth.tooMany') : `${t('auth.failed')} ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="login-form" onSubmit={submit} data-testid="login-form">
      <p className="muted">{hint}</p>
      <div className="filter-pair">
        <label className="filter-field">
          <span>{t('auth.username')}</span>
          <input type="text" autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} data-testid="login-username" required />
        </label>
        <label className="filter-field">
          <span>{t('auth.password')}</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="login-password" required />
        </label>
      </div>
      {error && <p className="inline-error" role="alert" data-testid="login-error">{error}</p>}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !username.trim() || !password} data-testid="login-submit">
          {busy && <span className="spinner" />} {t('auth.login')}
        </button>
      </div>
    </form>
  );
}
