// Who is logged in: asked of the server once per page (the session itself is an HttpOnly cookie the page
// never sees), then kept in React state; login and logout update it.
import { useCallback, useEffect, useState } from 'react';
import { casesApi } from './cases.ts';
import type { SessionUser } from './caseTypes.ts';
import { ApiError } from './client.ts';

export type Session =
  | { state: 'checking' }
  | { state: 'anonymous' }
  /** `offline`: the server could not be asked; the account is the one remembered from the last visit. */
  | { state: 'user'; user: SessionUser; offline?: boolean };

export interface SessionHandle {
  session: Session;
  /** After a successful login (LoginForm reports the account). */
  loggedIn(user: SessionUser): void;
  logout(): Promise<void>;
  /** Ask the server again (after the connection returns, or a 401 on some call). */
  refresh(): void;
}

/**
 * `rememberKey`: keep the account in localStorage so that a phone opening the field app without a
 * connection still knows who its queued reports belong to. The desktop does not need it.
 */
export function useSession(rememberKey?: string): SessionHandle {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);

  const remember = useCallback((user: SessionUser | null) => {
    if (!rememberKey) return;
    try {
      if (user) localStorage.setItem(rememberKey, JSON.stringify(user));
      else localStorage.removeItem(rememberKey);
    } catch {
      /* storage blocked: the app still works while the page is open */
    }
  }, [rememberKey]);

  useEffect(() => {
    const ctrl = new AbortController();
    casesApi.me(ctrl.signal).then(
      ({ user }) => {
        remember(user);
        setSession({ state: 'user', user });
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401) {
          remember(null);
          setSession({ state: 'anonymous' });
          return;
        }
        // Unreachable: the remembered account, if any, so offline work can go on.
        const stored = rememberKey ? readStored(rememberKey) : null;
        setSession(stored ? { state: 'user', user: stored, offline: true } : { state: 'anonymous' });
      },
    );
    return () => ctrl.abort();
  }, [attempt, remember, rememberKey]);

  const loggedIn = useCallback((user: SessionUser) => {
    remember(user);
    setSession({ state: 'user', user });
  }, [remember]);

  const logout = useCallback(async () => {
    try {
      await casesApi.logout();
    } finally {
      remember(null);
      setSession({ state: 'anonymous' });
    }
  }, [remember]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  return { session, loggedIn, logout, refresh };
}

function readStored(key: string): SessionUser | null {
  try {
    const raw = localStorage.getItem(key);
    const u = raw ? (JSON.parse(raw) as SessionUser) : null;
    return u && typeof u.username === 'string' && typeof u.role === 'string' ? u : null;
  } catch {
    return null;
  }
}
