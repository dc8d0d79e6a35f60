// What the design checks found in an import, in its report: counts per check, and the way to see them
// listed and on the map.
import type { ImportReport } from '../../api/types.ts';
import type { CheckCode } from '../../../common/api/network.ts';
import { CHECK_CODES } from '../../../common/api/network.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Section } from '../details/parts.tsx';
import { checksActions } from './checksStore.ts';

export function ImportChecks({ checks, importId }: { checks: NonNullable<ImportReport['checks']>; importId?: number }) {
  const { t, num } = useI18n();
  const found = CHECK_CODES.filter((c: CheckCode) => (checks.counts[c] ?? 0) > 0);
  return (
    <Section title={`${t('check.title')} (${num(checks.total)})`} testId="report-checks">
      {found.length === 0 ? <p className="muted">{t('check.none')}</p> : (
        <table className="mini-table">
          <tbody>
            {found.map((c) => (
              <tr key={c} className="warn"><td>{t(`check.${c}` as MessageKey)}</td><td className="num" data-testid={`report-check-${c}`}>{num(checks.counts[c] ?? 0)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {importId !== undefined && checks.total > 0 && (
        <button type="button" className="button small" data-testid="report-checks-open" onClick={() => checksActions.open({ kind: 'import', id: importId })}>
          {t('check.showImport')}
        </button>
      )}
    </Section>
  );
}
