// The remediation loop of a hazard or misconnection in its details: its status with the history (who, when,
// from → to, the case or inspection behind a step), the steps this account may take (the server says which),
// and 立案: a case raised from it with the fitting catalogue item and its description prefilled.
import { useEffect, useState } from 'react';
import type { Remediation, RemediationLayer } from '../../../common/api/remediation.ts';
import { api } from '../../api/endpoints.ts';
import { isAbort } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { remediationStatus } from '../format.ts';
import { Section } from './parts.tsx';
import '../cases/cases.css';

/** Steps that need a note saying why (the domain's rules; the server checks again). */
const NEEDS_NOTE: ReadonlySet<string> = new Set(['reject', 'restore', 'reopen']);
/** Steps that turn the item back or away: secondary buttons. */
const BACKWARD: ReadonlySet<string> = new Set(['reject', 'restore', 'reopen']);

interface Props {
  layer: RemediationLayer;
  id: number;
  /** The status the feature's properties carry, shown while the history loads or to anonymous readers. */
  status: unknown;
  onSelect(layer: string, id: string | number): void;
}

export function RemediationSection({ layer, id, status, onSelect }: Props) {
  const i = useI18n();
  const { t, tr, date } = i;
  const [r, setR] = useState<Remediation | null>(null);
  const [form, setForm] = useState<{ kind: 'note'; action: string } | { kind: 'case' } | null>(null);
  const [note, setNote] = useState('');
  const [item, setItem] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setR(null);
    setForm(null);
    // Anonymous readers get a 401: they see the status only.
    api.remediation(layer, id, abort.signal).then(setR).catch((e: unknown) => { if (!isAbort(e)) setR(null); });
    return () => abort.abort();
  }, [layer, id]);

  const send = async (work: () => Promise<Remediation>) => {
    setBusy(true);
    setError(null);
    try {
      setR(await work());
      setForm(null);
      setNote('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const step = (action: string) => (NEEDS_NOTE.has(action)
    ? setForm({ kind: 'note', action })
    : void send(() => api.remediationStep(layer, id, action)));
  const openCase = () => {
    if (!r) return;
    setItem(r.case_items[0]?.code ?? '');
    setDescription(r.description);
    setForm({ kind: 'case' });
  };

  const current = r?.status ?? status;
  return (
    <Section title={t('remediation.title')} testId="remediation">
      <p>
        <span className={`remediation-status status-${String(current)}`} data-testid="remediation-status" data-status={String(current)}>
          {remediationStatus(current, i)}
        </span>
        {r?.status_at && <span className="muted"> · {date(r.status_at)}</span>}
      </p>
      {r && (
        <>
          {r.history.length > 0 ? (
            <ol className="remediation-history" data-testid="remediation-history">
              {r.history.map((s, n) => (
                <li key={n}>
                  <span className="muted">{date(s.at)}</span>{' '}
                  <strong>{tr(`remediation.action.${s.action}`, s.action)}</strong>{' '}
                  {remediationStatus(s.from_status, i)} → {remediationStatus(s.to_status, i)}{' · '}
                  {s.role === 'system' ? t('remediation.bySystem') : s.actor}
                  {s.case_id !== null && <>{' · '}<button type="button" className="link-button" onClick={() => onSelect('cases', s.case_id!)}>{t('remediation.case', { no: s.case_no ?? `#${s.case_id}` })}</button></>}
                  {s.note && <div className="muted">{s.note}</div>}
                </li>
              ))}
            </ol>
          ) : <p className="muted">{t('remediation.noHistory')}</p>}
          {r.cases.length > 0 && (
            <p data-testid="remediation-cases">
              {t('remediation.cases')}{' '}
              {r.cases.map((c) => (
                <button key={c.id} type="button" className="link-button" data-testid="remediation-case" onClick={() => onSelect('cases', c.id)}>
                  {c.case_no} ({tr(`value.status.${c.status}`, c.status)})
                </button>
              ))}
            </p>
          )}
          {form?.kind === 'note' && (
            <form className="case-actions" onSubmit={(e) => { e.preventDefault(); void send(() => api.remediationStep(layer, id, form.action, note)); }}>
              <label>{t('remediation.note')}
                <textarea data-testid="remediation-note" value={note} required maxLength={2000} onChange={(e) => setNote(e.target.value)} />
              </label>
              <div className="action-buttons">
                <button type="submit" className="button primary" disabled={busy || !note.trim()} data-testid="remediation-submit">{tr(`remediation.action.${form.action}`, form.action)}</button>
                <button type="button" className="button" onClick={() => setForm(null)}>{t('common.cancel')}</button>
              </div>
            </form>
          )}
          {form?.kind === 'case' && (
            <form className="case-actions" data-testid="remediation-case-form"
              onSubmit={(e) => { e.preventDefault(); void send(async () => (await api.raiseCase(layer, id, { item_code: item, description })).remediation); }}>
              <label>{t('remediation.item')}
                <select data-testid="remediation-item" value={item} onChange={(e) => setItem(e.target.value)}>
                  {r.case_items.map((c) => <option key={c.code} value={c.code}>{c.code} {i.lang === 'zh' ? c.name_zh : c.name_en}</option>)}
                </select>
              </label>
              <label>{t('remediation.description')}
                <textarea data-testid="remediation-description" value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
              </label>
              <div className="action-buttons">
                <button type="submit" className="button primary" disabled={busy} data-testid="remediation-raise-submit">{t('remediation.raiseSubmit')}</button>
                <button type="button" className="button" onClick={() => setForm(null)}>{t('common.cancel')}</button>
              </div>
            </form>
          )}
          {!form && (r.actions.length > 0 || r.can_raise_case) && (
            <div className="action-buttons" data-testid="remediation-actions">
              {r.actions.map((a) => (
                <button key={a} type="button" className={`button${BACKWARD.has(a) ? '' : ' primary'}`} data-testid={`remediation-${a}`} disabled={busy} onClick={() => step(a)}>
                  {tr(`remediation.action.${a}`, a)}
                </button>
              ))}
              {r.can_raise_case && (
                <button type="button" className="button primary" data-testid="remediation-raise" disabled={busy} onClick={openCase}>{t('remediation.raise')}</button>
              )}
            </div>
          )}
          {error && <p className="error" role="alert" data-testid="remediation-error">{error}</p>}
        </>
      )}
    </Section>
  );
}
