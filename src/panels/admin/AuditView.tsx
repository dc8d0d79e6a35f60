// 审计日志: every write, login and logout, newest first, filtered by what it touched and who did it; a
// row opens the before/after record.
import { Fragment, useEffect, useState } from 'react';
import { casesApi } from '../../api/cases.ts';
import type { AuditEntry } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';

const PAGE = 50;
const ENTITIES = ['case', 'user', 'import', 'datastream', 'vehicle', 'camera'];

export function AuditView() {
  const { t, tr, date } = useI18n();
  const [entity, setEntity] = useState('');
  const [actor, setActor] = useState('');
  const [applied, setApplied] = useState({ entity: '', actor: '' });
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = (before?: string) => {
    setBusy(true);
    setError(null);
    return casesApi.audit({ entity: applied.entity || undefined, actor: applied.actor || undefined, limit: PAGE, before_id: before }).then((r) => {
      setItems((prev) => (before ? [...prev, ...r.items] : r.items));
      setDone(r.items.length < PAGE);
    }, (e: unknown) => setError((e as Error).message)).finally(() => setBusy(false));
  };
  useEffect(() => {
    void load();
  }, [applied]);

  return (
    <div className="analysis-body admin-audit" data-testid="admin-audit">
      <form className="analysis-side filter-form" onSubmit={(e) => { e.preventDefault(); setApplied({ entity: entity.trim(), actor: actor.trim() }); }}>
        <label className="filter-field">
          <span>{t('admin.entity')}</span>
          <input type="text" list="audit-entities" value={entity} onChange={(e) => setEntity(e.currentTarget.value)} data-testid="audit-entity" />
          <datalist id="audit-entities">{ENTITIES.map((e) => <option key={e} value={e} />)}</datalist>
        </label>
        <label className="filter-field">
          <span>{t('admin.actor')}</span>
          <input type="text" value={actor} onChange={(e) => setActor(e.currentTarget.value)} data-testid="audit-actor" />
        </label>
        <button type="submit" className="button small" data-testid="audit-apply">{t('admin.filter')}</button>
      </form>
      <div className="analysis-main">
        {error && <p className="inline-error" role="alert">{error}</p>}
        <div className="result-table-wrap">
          <table className="result-table audit-table" data-testid="audit-table">
            <thead>
              <tr><th>{t('admin.at')}</th><th>{t('admin.actor')}</th><th>{t('admin.role')}</th><th>{t('admin.action')}</th><th>{t('admin.entity')}</th><th>IP</th></tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <Fragment key={a.id}>
                  <tr data-testid="audit-row" data-entity={a.entity} data-action={a.action} data-actor={a.actor} onClick={() => setOpen(open === a.id ? null : a.id)}>
                    <td className="num">{date(a.at)}</td>
                    <td>{a.actor}</td>
                    <td>{tr(`role.${a.role}`, a.role)}</td>
                    <td className="code">{a.action}</td>
                    <td className="code">{a.entity}{a.entity_id ? ` #${a.entity_id}` : ''}</td>
                    <td className="code">{a.ip ?? ''}</td>
                  </tr>
                  {open === a.id && (
                    <tr className="audit-detail">
                      <td colSpan={6}>
                        <div className="audit-json">
                          <div><strong>{t('admin.before')}</strong><pre>{a.before ? JSON.stringify(a.before, null, 1) : '—'}</pre></div>
                          <div><strong>{t('admin.after')}</strong><pre>{a.after ? JSON.stringify(a.after, null, 1) : '—'}</pre></div>
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {!done && items.length > 0 && (
            <div className="table-more">
              <button type="button" className="button small" disabled={busy} onClick={() => void load(items[items.length - 1].id)} data-testid="audit-more">{t('cases.more')}</button>
            </div>
          )}
          {!items.length && !busy && <p className="muted table-note">{t('admin.noAudit')}</p>}
        </div>
      </div>
    </div>
  );
}
