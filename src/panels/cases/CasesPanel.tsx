// 案件 — city-management cases on the desktop, docked across the bottom like the drainage analysis: the
// case list with filters and the steps of the logged-in role, the KPIs, and (for admins) accounts and the
// audit log. Everything here needs an account: without a session the panel asks for a login.
import { lazy, Suspense, useState } from 'react';
import type { Geometry } from 'geojson';
import type { SessionUser } from '../../api/caseTypes.ts';
import { useSession } from '../../api/session.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAreas } from '../analysis/useAreas.ts';
import { LoginForm } from '../auth/LoginForm.tsx';
import { Icon } from '../Icon.tsx';
import { CaseIcon } from './CaseIcon.tsx';
import { CaseListView } from './CaseListView.tsx';
import { DepartmentsView } from './DepartmentsView.tsx';
import { KpiView } from './KpiView.tsx';
import { useCatalogue } from './useCatalogue.ts';
import './cases.css';

// Only admins open it: its code loads when they do.
const AdminView = lazy(() => import('../admin/AdminView.tsx').then((m) => ({ default: m.AdminView })));

type Tab = 'list' | 'kpi' | 'depts' | 'admin';

/** Who sees the departments with their KPIs: those who dispatch to them or command. */
const SEES_DEPARTMENTS: ReadonlySet<string> = new Set(['dispatcher', 'commander', 'admin']);

interface Props {
  selectedCase: number | null;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
  onDeselect(): void;
  onListShown(shown: boolean): void;
  onClose(): void;
}

export default function CasesPanel({ selectedCase, onSelect, onDeselect, onListShown, onClose }: Props) {
  const { t } = useI18n();
  const { session, loggedIn, logout } = useSession();
  const [tab, setTab] = useState<Tab>('list');
  const { areas } = useAreas();
  const { catalogue } = useCatalogue();
  const user = session.state === 'user' ? session.user : null;
  const tabs: Tab[] = ['list', 'kpi', ...(user && SEES_DEPARTMENTS.has(user.role) ? ['depts' as const] : []), ...(user?.role === 'admin' ? ['admin' as const] : [])];
  const shown: Tab = tabs.includes(tab) ? tab : 'list';

  return (
    <aside className="panel tool-panel wide has-results analysis-panel cases-panel" data-testid="cases-panel" aria-label={t('cases.title')}>
      <header className="panel-header">
        <h2><CaseIcon /> {t('cases.title')}</h2>
        {user && (
          <div className="tabs header-tabs" role="tablist">
            {tabs.map((id) => (
              <button key={id} type="button" role="tab" aria-selected={shown === id} className={shown === id ? 'on' : ''} data-testid={`cases-tab-${id}`}
                onClick={() => setTab(id)}>
                {id === 'depts' ? t('dept.tab') : t(`cases.tab.${id}`)}
              </button>
            ))}
          </div>
        )}
        <div className="header-actions">
          {user && (
            <span className="account-line muted" data-testid="cases-account">
              {t('cases.as', { name: user.display_name || user.username, role: t(`role.${user.role}`) })}{' '}
              <button type="button" className="link-button small-text" onClick={() => void logout()} data-testid="cases-logout">{t('auth.logout')}</button>
            </span>
          )}
          <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="cases-close">
            <Icon name="close" />
          </button>
        </div>
      </header>
      {session.state === 'checking' && <div className="loading-panel"><span className="spinner" /></div>}
      {session.state === 'anonymous' && (
        <div className="panel-body cases-login">
          <LoginForm hint={t('cases.loginHint')} onLoggedIn={(a) => loggedIn(a as SessionUser)} />
        </div>
      )}
      {user && shown === 'list' && <CaseListView key={user.username} user={user} catalogue={catalogue} areas={areas}
        selected={selectedCase} onSelect={onSelect} onDeselect={onDeselect} onShown={onListShown} />}
      {user && shown === 'kpi' && <KpiView />}
      {user && shown === 'depts' && <DepartmentsView />}
      {user && shown === 'admin' && (
        <Suspense fallback={<div className="loading-panel"><span className="spinner" /></div>}>
          <AdminView />
        </Suspense>
      )}
    </aside>
  );
}
