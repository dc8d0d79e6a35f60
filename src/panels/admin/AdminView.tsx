// 系统管理 (admins only): accounts, the audit log and the district's data layer by layer.
import { useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { AuditView } from './AuditView.tsx';
import { DataView } from './DataView.tsx';
import { UsersView } from './UsersView.tsx';
import './admin.css';

export function AdminView() {
  const { t } = useI18n();
  const [tab, setTab] = useState<'users' | 'audit' | 'data'>('users');
  return (
    <div className="admin-view" data-testid="admin-view">
      <div className="tabs admin-tabs" role="tablist">
        {(['users', 'audit', 'data'] as const).map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'on' : ''} onClick={() => setTab(id)} data-testid={`admin-tab-${id}`}>
            {t(`admin.tab.${id}`)}
          </button>
        ))}
      </div>
      {tab === 'users' ? <UsersView /> : tab === 'audit' ? <AuditView /> : <DataView />}
    </div>
  );
}
