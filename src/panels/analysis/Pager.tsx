// "Rows a–b of n" with previous / next: the ranking pages through the server's limit/offset.
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';

export function Pager({ offset, limit, total, onOffset }: { offset: number; limit: number; total: number; onOffset(o: number): void }) {
  const { t, num } = useI18n();
  const last = Math.min(total, offset + limit);
  return (
    <div className="pager" data-testid="pager">
      <span data-testid="pager-range">
        {total === 0 ? t('analysis.noRows') : t('analysis.rows', { from: num(offset + 1), to: num(last), total: num(total) })}
      </span>
      <button type="button" className="icon-button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}
        title={t('analysis.prevPage')} aria-label={t('analysis.prevPage')} data-testid="pager-prev">
        <span className="chevron flip"><Icon name="chevron" /></span>
      </button>
      <button type="button" className="icon-button" disabled={last >= total} onClick={() => onOffset(offset + limit)}
        title={t('analysis.nextPage')} aria-label={t('analysis.nextPage')} data-testid="pager-next">
        <Icon name="chevron" />
      </button>
    </div>
  );
}
