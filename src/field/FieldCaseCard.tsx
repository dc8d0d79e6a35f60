// One of my cases: what and where, its deadline, its history with photos, the cameras that see the spot,
// and the steps I can take now. Steps go through the outbox like reports do.
import { useEffect, useState } from 'react';
import { casesApi } from '../api/cases.ts';
import type { Catalogue, CaseAction, CaseDetail, CaseRow } from '../api/caseTypes.ts';
import { useI18n } from '../i18n/index.tsx';
import { CaseActions } from '../panels/cases/CaseActions.tsx';
import { CaseTimeline } from '../panels/cases/CaseTimeline.tsx';
import { actionLabel, itemName } from '../panels/cases/labels.ts';
import { StatusBadge } from '../panels/cases/StatusBadge.tsx';
import type { StepInput } from '../panels/cases/StepForm.tsx';
import type { QueuedStep } from '../outbox/types.ts';

interface Props {
  row: CaseRow;
  catalogue: Catalogue | null;
  pending: QueuedStep | undefined;
  reloadKey: number;
  onStep(c: CaseRow, action: CaseAction, input: StepInput): Promise<void>;
  onBack(): void;
  onShow(c: CaseRow): void;
}

export function FieldCaseCard({ row, catalogue, pending, reloadKey, onStep, onBack, onShow }: Props) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setFailed(false);
    casesApi.one(row.id, ctrl.signal).then(setDetail, () => !ctrl.signal.aborted && setFailed(true));
    return () => ctrl.abort();
  }, [row.id, reloadKey]);

  // The freshest of the two: the detail once loaded, else the list's row (all there is offline).
  const c: CaseRow = detail && detail.updated_at >= row.updated_at ? detail : row;
  return (
    <article className="fm-case-card" data-testid="field-case-card" data-case-id={c.id} data-status={c.status}>
      <button type="button" className="link-button" onClick={onBack} data-testid="case-back">‹ {t('fm.myCases')}</button>
      <h3 className="fm-case-title">{itemName(catalogue, c.item_code, lang)}</h3>
      <div className="fm-case-meta">
        <code>{c.case_no}</code> <StatusBadge c={c} />
      </div>
      {c.description && <p className="fm-case-desc">{c.description}</p>}
      <dl className="facts">
        {c.address && <div className="fact"><dt>{t('field.address')}</dt><dd>{c.address}</dd></div>}
        <div className="fact"><dt>{t('cases.grid')}</dt><dd><code>{c.grid_code}</code></dd></div>
        <div className="fact"><dt>{t('cases.reportedAt')}</dt><dd>{date(c.reported_at)}</dd></div>
        {c.deadline_at && <div className="fact"><dt>{t('cases.deadline')}</dt><dd className={c.overdue ? 'fm-late' : ''}>{date(c.deadline_at)}</dd></div>}
      </dl>
      <button type="button" className="button small" onClick={() => onShow(c)} data-testid="case-show-on-map">{t('fm.showOnMap')}</button>

      <section className="details-section">
        <h4>{t('cases.actions')}</h4>
        {pending ? (
          <p className="fm-tag pending" data-testid="case-pending-step">
            {t('outbox.step', { action: actionLabel(i18n, catalogue, pending.action), no: c.case_no })} · {t('outbox.pending')}
          </p>
        ) : (
          <CaseActions actions={c.actions} catalogue={catalogue} onStep={(a, input) => onStep(c, a, input)} />
        )}
      </section>

      <section className="details-section">
        <h4>{t('details.timeline')}</h4>
        {detail ? <CaseTimeline transitions={detail.transitions} /> : failed ? <p className="muted">{t('fm.historyOffline')}</p> : <p className="muted"><span className="spinner small" /></p>}
      </section>
      {detail && detail.cameras.length > 0 && (
        <section className="details-section" data-testid="case-cameras">
          <h4>{t('cases.cameras')}</h4>
          <ul className="ref-list">
            {detail.cameras.map((cam) => (
              <li key={cam.id}>{cam.name} <span className={`fm-tag s-${cam.status}`}>{i18n.tr(`value.status.${cam.status}`, cam.status)}</span></li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
