// 用户: every account with its role, grids and state; create one, or change one.
import { useCallback, useEffect, useState } from 'react';
import { casesApi } from '../../api/cases.ts';
import type { NewUserBody, UserPatch, UserRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { UserForm } from './UserForm.tsx';

export function UsersView() {
  const { t, date } = useI18n();
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    casesApi.users(ctrl.signal).then((r) => setUsers(r.items), (e: unknown) => !ctrl.signal.aborted && setError((e as Error).message));
    return () => ctrl.abort();
  }, [attempt]);

  const save = useCallback(async (body: NewUserBody | UserPatch) => {
    if (editing === 'new') await casesApi.createUser(body as NewUserBody);
    else if (editing) await casesApi.updateUser(editing.id, body as UserPatch);
    setEditing(null);
    setAttempt((n) => n + 1);
  }, [editing]);

  return (
    <div className="analysis-body admin-users" data-testid="admin-users">
      <div className="analysis-side">
        {editing ? (
          <UserForm key={editing === 'new' ? 'new' : editing.id} user={editing === 'new' ? null : editing} onSave={save} onCancel={() => setEditing(null)} />
        ) : (
          <>
            <button type="button" className="button primary" onClick={() => setEditing('new')} data-testid="user-new">＋ {t('admin.newUser')}</button>
            <p className="muted chart-note">{t('admin.usersHint')}</p>
          </>
        )}
      </div>
      <div className="analysis-main">
        {error && <p className="inline-error" role="alert">{error}</p>}
        <div className="result-table-wrap">
          <table className="result-table" data-testid="user-table">
            <thead>
              <tr>
                <th>{t('auth.username')}</th><th>{t('admin.displayName')}</th><th>{t('admin.role')}</th><th>{t('admin.grids')}</th>
                <th>{t('admin.state')}</th><th>{t('admin.created')}</th>
              </tr>
            </thead>
            <tbody>
              {users?.map((u) => (
                <tr key={u.id} data-testid="user-row" data-username={u.username} data-role={u.role} className={`${u.active ? '' : 'inactive'}${editing !== 'new' && editing?.id === u.id ? ' selected' : ''}`}
                  onClick={() => setEditing(u)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setEditing(u)}>
                  <td className="code">{u.username}</td>
                  <td>{u.display_name}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td className="grids" title={u.grids.join('\n')}>{u.grids.length ? `${u.grids[0]}${u.grids.length > 1 ? ` +${u.grids.length - 1}` : ''}` : '—'}</td>
                  <td>{u.active ? t('admin.activeYes') : t('admin.activeNo')}</td>
                  <td className="num">{date(u.created_at, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!users && !error && <p className="muted table-note"><span className="spinner small" /></p>}
        </div>
      </div>
    </div>
  );
}
