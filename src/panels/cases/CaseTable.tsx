// The case list as a table: number, item, status (overdue flagged), where, reported, deadline. A click
// opens the case; "more" fetches the next page.
import type { Catalogue, CaseRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { Areas } from '../analysis/useAreas.ts';
import { itemName } from './labels.ts';
import { StatusBadge } from './StatusBadge.tsx';

interface Props {
  items: CaseRow[];
  catalogue: Catalogue | null;
  areas: Areas | null;
  selected: number | null;
  hasMore: boolean;
  loading: boolean;
  onOpen(c: CaseRow): void;
  onMore(): void;
}

export function CaseTable({ items, catalogue, areas, selected, hasMore, loading, onOpen, onMore }: Props) {
  const { t, lang, date } = useI18n();
  const streetName = (code: string | null) => (code && areas?.streets.find((s) => s.code === code)?.name) || code || '—';
  const communityName = (code: string | null) => (code && areas?.communities.find((s) => s.code === code)?.name) || code || '';
  return (
    <div className="result-table-wrap case-table-wrap">
      <table className="result-table case-table" data-testid="case-table">
        <thead>
          <tr>
            <th>{t('field.case_no')}</th>
            <th>{t('cases.item')}</th>
            <th>{t('field.status')}</th>
            <th className="where">{t('cases.where')}</th>
            <th>{t('cases.reportedAt')}</th>
            <th>{t('cases.deadline')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} className={`${selected === c.id ? 'selected' : ''}${c.overdue ? ' overdue' : ''}`} tabIndex={0} data-testid="case-row"
              data-case-id={c.id} data-status={c.status} data-overdue={c.overdue} data-street={c.street_code ?? ''} data-community={c.community_code ?? ''}
              data-grid={c.grid_code ?? ''} data-class={c.class_code} data-reported={c.reported_at}
              onClick={() => onOpen(c)} onKeyDown={(e) => e.key === 'Enter' && onOpen(c)}>
              <td className="code">{c.case_no}</td>
              <td className="item">{itemName(catalogue, c.item_code, lang)}</td>
              <td><StatusBadge c={c} /></td>
              <td className="where">{streetName(c.street_code)} · {communityName(c.community_code)}</td>
              <td className="num">{date(c.reported_at)}</td>
              <td className={`num${c.overdue ? ' late' : ''}`}>{c.deadline_at ? date(c.deadline_at) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!items.length && !loading && <p className="muted table-note" data-testid="case-table-empty">{t('cases.none')}</p>}
      {(hasMore || loading) && (
        <div className="table-more">
          <button type="button" className="button small" disabled={loading} onClick={onMore} data-testid="case-more">
            {loading && <span className="spinner small" />} {t('cases.more')}
          </button>
        </div>
      )}
    </div>
  );
}
