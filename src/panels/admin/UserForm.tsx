// Create an account, or change one: display name, role, grids (a field worker's cases are those of their
// grids), a handler's department, active, a new password. The server checks everything again and its message is shown.
import { useEffect, useState, type FormEvent } from 'react';
import { departmentsApi, type Department } from '../../api/departments.ts';
import type { NewUserBody, Role, UserPatch, UserRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';

export const ROLES: readonly Role[] = ['field', 'handler', 'dispatcher', 'planner', 'commander', 'admin'];

const parseGrids = (s: string) => s.split(/[\s,，;；]+/).map((g) => g.trim()).filter(Boolean);
const badGrid = (g: string) => !/^\d{15}$/.test(g);

interface Props {
  user: UserRow | null;
  onSave(body: NewUserBody | UserPatch): Promise<void>;
  onCancel(): void;
}

export function UserForm({ user, onSave, onCancel }: Props) {
  const { t, lang } = useI18n();
  const [username, setUsername] = useState('');
  const [department, setDepartment] = useState(user?.department_code ?? '');
  const [departments, setDepartments] = useState<Department[]>([]);
  const [displayName, setDisplayName] = useState(user?.display_name ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'field');
  const [grids, setGrids] = useState((user?.grids ?? []).join('\n'));
  const [active, setActive] = useState(user?.active ?? true);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gridList = parseGrids(grids);
  const wrong = gridList.filter(badGrid);

  useEffect(() => {
    const ctrl = new AbortController();
    departmentsApi.list(undefined, ctrl.signal).then((l) => setDepartments(l.items), () => {});
    return () => ctrl.abort();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (wrong.length) return;
    setBusy(true);
    setError(null);
    try {
      if (user) {
        const patch: UserPatch = {};
        if (displayName !== user.display_name) patch.display_name = displayName;
        if (role !== user.role) patch.role = role;
        if (gridList.join(',') !== user.grids.join(',')) patch.grids = gridList;
        if (department !== (user.department_code ?? '')) patch.department_code = department || null;
        if (active !== user.active) patch.active = active;
        if (password) patch.password = password;
        if (Object.keys(patch).length) await onSave(patch);
        else onCancel();
      } else {
        await onSave({ username: username.trim(), display_name: displayName.trim() || undefined, password, role, grids: gridList, ...(department ? { department_code: department } : {}) });
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="filter-form user-form" onSubmit={submit} data-testid="user-form">
      <h4>{user ? t('admin.editUser', { name: user.username }) : t('admin.newUser')}</h4>
      {!user && (
        <label className="filter-field">
          <span>{t('auth.username')} *</span>
          <input type="text" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required pattern="[A-Za-z0-9_.\-]{2,40}" data-testid="user-username" />
        </label>
      )}
      <label className="filter-field">
        <span>{t('admin.displayName')}</span>
        <input type="text" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} maxLength={80} data-testid="user-display-name" />
      </label>
      <label className="filter-field">
        <span>{t('admin.role')}</span>
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} data-testid="user-role">
          {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
        </select>
      </label>
      {(role === 'handler' || department) && (
        <label className="filter-field">
          <span>{t('admin.department')}{role === 'handler' ? ' *' : ''}</span>
          <select value={department} onChange={(e) => setDepartment(e.currentTarget.value)} required={role === 'handler'} data-testid="user-department">
            <option value="">—</option>
            {departments.map((d) => <option key={d.code} value={d.code}>{lang === 'zh' ? d.name_zh : d.name_en}</option>)}
          </select>
          <span className="muted">{t('admin.departmentHint')}</span>
        </label>
      )}
      <label className="filter-field">
        <span>{t('admin.grids')}</span>
        <textarea rows={3} value={grids} onChange={(e) => setGrids(e.currentTarget.value)} aria-invalid={wrong.length > 0} data-testid="user-grids"
          placeholder="420106009001013" />
        <span className={wrong.length ? 'inline-error' : 'muted'}>{wrong.length ? t('admin.badGrids', { list: wrong.slice(0, 3).join(', ') }) : t('admin.gridsHint')}</span>
      </label>
      <label className="filter-field">
        <span>{user ? t('admin.newPassword') : `${t('auth.password')} *`}</span>
        <input type="password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required={!user} autoComplete="new-password" data-testid="user-password" />
      </label>
      {user && (
        <label className="check-field">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} data-testid="user-active" />
          <span>{t('admin.active')}</span>
        </label>
      )}
      {error && <p className="inline-error" role="alert" data-testid="user-error">{error}</p>}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || wrong.length > 0} data-testid="user-save">{busy && <span className="spinner" />} {t('admin.save')}</button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
