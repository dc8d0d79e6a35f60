// One case on the desktop: item, status and deadline, where, description and photos, the steps this
// account may take (sent straight to the server, its message shown on refusal), the history and the
// cameras that see the spot.
import { useCallback, useEffect, useState } from 'react';
import { casesApi, uploadPhoto } from '../../api/cases.ts';
import type { Catalogue, CaseAction, CaseDetail, CaseRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';
import { CaseActions } from './CaseActions.tsx';
import { CaseTimeline } from './CaseTimeline.tsx';
import { itemName } from './labels.ts';
import { StatusBadge } from './StatusBadge.tsx';
import type { StepInput } from './StepForm.tsx';

interface Props {
  id: number;
  catalogue: Catalogue | null;
  onChanged(c: CaseRow): void;
  onLocate(c: CaseRow): void;
  onClose(): void;
}

export function CaseDetailView({ id, catalogue, onChanged, onLocate, onClose }: Props) {
  const { t, lang, date, tr } = useI18n();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    casesApi.one(id, ctrl.signal).then(setDetail, (e: unknown) => !ctrl.signal.aborted && setError((e as Error).message));
    return () => ctrl.abort();
  }, [id, attempt]);

  const step = useCallback(async (action: CaseAction, input: StepInput) => {
    const photos: string[] = [];
    for (const p of input.photos) photos.push((await uploadPhoto(p)).id);
    const after = await casesApi.step(id, action, {
      ...(input.note ? { note: input.note } : {}), ...(input.reason ? { reason: input.reason } : {}), ...(photos.length ? { photos } : {}),
      ...(input.department_code ? { department_code: input.department_code } : {}),
    });
    onChanged(after);
    setAttempt((n) => n + 1);
  }, [id, onChanged]);

  const header = (
    <div className="case-detail-head">
      <h3 className="details-title" data-testid="case-detail-title">{detail ? itemName(catalogue, detail.item_code, lang) : '…'}</h3>
      <div className="header-actions">
        {detail && (
          <button type="button" className="icon-button" onClick={() => onLocate(detail)} title={t('cases.showOnMap')} aria-label={t('cases.showOnMap')} data-testid="case-locate">
            <Icon name="target" />
          </button>
        )}
        <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="case-detail-close">
          <Icon name="close" />
        </button>
      </div>
    </div>
  );

  if (error) return <section className="case-detail">{header}<p className="details-error">{error}</p></section>;
  if (!detail) return <section className="case-detail">{header}<div className="details-loading"><div className="skeleton" /><div className="skeleton short" /></div></section>;
  return (
    <section className="case-detail" data-testid="case-detail" data-case-id={detail.id} data-status={detail.status}>
      {header}
      <div className="case-detail-meta">
        <code>{detail.case_no}</code> <StatusBadge c={detail} />
        {detail.item && <span className="muted">{lang === 'zh' ? detail.item.subclass_zh : detail.item.subclass_en} · {t('fm.deadlineHours', { n: detail.item.deadline_hours })}</span>}
      </div>
      {detail.description && <p className="case-desc">{detail.description}</p>}
      <dl className="facts">
        <div className="fact"><dt>{t('field.source')}</dt><dd>{tr(`cases.source.${detail.source}`, detail.source)}</dd></div>
        <div className="fact"><dt>{t('cases.grid')}</dt><dd><code>{detail.grid_code}</code></dd></div>
        <div className="fact"><dt>{t('cases.reportedAt')}</dt><dd>{date(detail.reported_at)}</dd></div>
        {detail.department_code && <div className="fact"><dt>{t('dept.case')}</dt><dd data-testid="case-department">{detail.department_zh ?? detail.department_code}</dd></div>}
        <div className="fact"><dt>{t('cases.deadline')}</dt><dd className={detail.overdue ? 'late' : ''}>{detail.deadline_at ? date(detail.deadline_at) : '—'}</dd></div>
        {detail.address && <div className="fact"><dt>{t('field.address')}</dt><dd>{detail.address}</dd></div>}
        {detail.reporter && <div className="fact"><dt>{t('field.reporter')}</dt><dd>{detail.reporter}</dd></div>}
      </dl>
      {detail.photos.length > 0 && (
        <div className="photo-row">
          {detail.photos.map((p, k) => <a key={p} href={p} target="_blank" rel="noreferrer" className="photo-thumb"><img src={p} alt={t('photo.thumb', { n: k + 1 })} /></a>)}
        </div>
      )}
      <section className="details-section">
        <h4>{t('cases.actions')}</h4>
        <CaseActions actions={detail.actions} catalogue={catalogue} caseId={detail.id} onStep={step} />
      </section>
      <section className="details-section">
        <h4>{t('details.timeline')}</h4>
        <CaseTimeline transitions={detail.transitions} />
      </section>
      {detail.cameras.length > 0 && (
        <section className="details-section" data-testid="case-cameras">
          <h4>{t('cases.cameras')}</h4>
          <ul className="ref-list">
            {detail.cameras.map((c) => <li key={c.id}>{c.name} <span className="muted">({tr(`value.status.${c.status}`, c.status)})</span></li>)}
          </ul>
        </section>
      )}
      {detail.evaluation && (
        <p className="muted" data-testid="case-evaluation">{t(detail.evaluation.level === 'basic' ? 'cases.basicSatisfied' : detail.evaluation.satisfied ? 'cases.satisfied' : 'cases.unsatisfied')}{detail.evaluation.comment ? `：${detail.evaluation.comment}` : ''}</p>
      )}
      {detail.supplements.length > 0 && (
        <section data-testid="case-supplements">
          <h4>{t('cases.supplements')}</h4>
          <ul className="ref-list">
            {detail.supplements.map((u) => (
              <li key={u.at}>{new Date(u.at).toLocaleString()} {u.description ?? ''} {u.photos.map((p) => <a key={p} href={p} target="_blank" rel="noreferrer">📷</a>)}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
