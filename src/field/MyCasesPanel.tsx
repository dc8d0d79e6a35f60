// 我的案件: the cases I can act on now, overdue ones flagged; then my own reports with where each stands
// (a rejected one with why). What is waiting to be sent is listed above by the shell.
import type { Catalogue, CaseRow } from '../api/caseTypes.ts';
import { useI18n } from '../i18n/index.tsx';
import { itemName } from '../panels/cases/labels.ts';
import { StatusBadge } from '../panels/cases/StatusBadge.tsx';
import type { MyCases } from './useMyCases.ts';

interface Props {
  cases: MyCases;
  catalogue: Catalogue | null;
  /** Case ids with a step waiting in the outbox. */
  pendingCases: ReadonlySet<number>;
  onOpen(c: CaseRow): void;
  onReload(): void;
}

export function MyCasesPanel({ cases, catalogue, pendingCases, onOpen, onReload }: Props) {
  const { t, date, lang } = useI18n();
  if (cases.state === 'loading') return <p className="muted fm-pad"><span className="spinner small" /> {t('common.loading')}</p>;
  if (cases.state === 'error') {
    return <div className="fm-empty"><p className="inline-error">{t('fm.casesFailed')}</p><button type="button" className="button" onClick={onReload}>{t('common.retry')}</button></div>;
  }
  return (
    <div className="fm-cases" data-testid="field-cases">
      {cases.department && <h4 className="fm-list-title" data-testid="field-queue-title">{t('fm.queueOf', { name: cases.department[lang] })}</h4>}
      <div className="fm-list-head">
        <span className="muted fm-small">{cases.stale ? t('fm.asOf', { at: date(cases.at) }) : t('fm.casesCount', { n: cases.items.length })}</span>
        <button type="button" className="link-button" onClick={onReload} data-testid="field-cases-reload">{t('fm.refresh')}</button>
      </div>
      {!cases.items.length && <p className="muted fm-pad" data-testid="field-cases-empty">{t(cases.department ? 'fm.queueEmpty' : 'fm.noCases')}</p>}
      <CaseList rows={cases.items} catalogue={catalogue} pendingCases={pendingCases} onOpen={onOpen} testId="field-case-row" />
      {/* A handler reports nothing: only an inspector has reports of their own. */}
      {!cases.department && (
        <>
          <h4 className="fm-list-title">{t('fm.myReports')}</h4>
          {!cases.reports.length && <p className="muted fm-pad" data-testid="field-reports-empty">{t('fm.noReports')}</p>}
          <CaseList rows={cases.reports} catalogue={catalogue} pendingCases={pendingCases} onOpen={onOpen} testId="field-report-row" />
        </>
      )}
    </div>
  );
}

function CaseList({ rows, catalogue, pendingCases, onOpen, testId }: { rows: CaseRow[]; testId: string } & Pick<Props, 'catalogue' | 'pendingCases' | 'onOpen'>) {
  const { t, lang, date } = useI18n();
  return (
    <ul className="fm-case-list">
      {rows.map((c) => (
        <li key={c.id}>
          <button type="button" className={`fm-case-row${c.overdue ? ' overdue' : ''}`} onClick={() => onOpen(c)} data-testid={testId}
            data-case-id={c.id} data-status={c.status}>
            <span className="fm-case-row-top">
              <strong>{itemName(catalogue, c.item_code, lang)}</strong>
              <StatusBadge c={c} />
            </span>
            <span className="fm-small muted">
              {c.case_no}
              {c.deadline_at ? <> · {t('cases.deadline')} {date(c.deadline_at)}</> : <> · {t('cases.reportedAt')} {date(c.reported_at)}</>}
            </span>
            {c.status === 'rejected' && c.rejection_reason && (
              <span className="fm-small fm-late" data-testid="field-report-reason">{t('fm.rejectedBecause', { reason: c.rejection_reason })}</span>
            )}
            {c.description && <span className="fm-small fm-ellipsis">{c.description}</span>}
            {pendingCases.has(c.id) && <span className="fm-tag pending">{t('outbox.pending')}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
