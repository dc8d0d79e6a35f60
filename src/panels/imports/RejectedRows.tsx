// The rows refused, each with its row number as the file shows it and the reason: the first ones in a
// scrolling list, with how many there are in all.
import type { LayerImportReport } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Section } from '../details/parts.tsx';

/** Rows listed at once; the report holds up to a thousand. */
const SHOWN = 200;

export function RejectedRows({ rejected, total }: { rejected: LayerImportReport['rejected']; total: number }) {
  const { t, num } = useI18n();
  if (!total) return null;
  const shown = rejected.slice(0, SHOWN);
  return (
    <Section title={`${t('import.rejectedRows')} (${num(total)})`} testId="import-rejected">
      <div className="rejected-scroll">
        <table className="mini-table">
          <thead><tr><th className="num">{t('import.row')}</th><th>{t('import.key')}</th><th>{t('import.reason')}</th></tr></thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.row} data-testid="rejected-row" data-row={r.row}>
                <td className="num">{num(r.row)}</td>
                <td>{r.key ?? '—'}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > shown.length && <p className="muted form-hint" data-testid="rejected-more">{t('import.rejectedMore', { shown: num(shown.length), total: num(total) })}</p>}
    </Section>
  );
}
