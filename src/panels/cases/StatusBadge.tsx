// A case's status as a coloured tag, with "overdue" beside it when the deadline has passed.
import type { CaseRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { statusLabel } from './labels.ts';
import './cases.css';

export function StatusBadge({ c }: { c: Pick<CaseRow, 'status' | 'overdue'> }) {
  const { t, tr } = useI18n();
  return (
    <span className="status-badges">
      <span className={`case-status st-${c.status}`} data-testid="case-status" data-status={c.status}>{statusLabel(tr, c.status)}</span>
      {c.overdue && <span className="case-overdue" data-testid="case-overdue">{t('cases.overdue')}</span>}
    </span>
  );
}
