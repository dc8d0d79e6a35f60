// The validation report of an imported network: what was read and written, what was skipped and why,
// and what the topology check found (new and snapped nodes, disconnected parts, zero-length and
// duplicate pipes, cycles) and where the flow direction came from.
import type { DirectionCounts, ImportReport } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Fact, Facts, Section } from '../details/parts.tsx';
import { crsWords } from './sourceWords.ts';
import { ImportChecks } from '../checks/ImportChecks.tsx';

export function ImportReportView({ report, importId }: { report: ImportReport; importId?: number }) {
  const i18n = useI18n();
  const { t, tr, num } = i18n;
  const warn = (n: number, limit = 0) => (n > limit ? 'warn' : undefined);
  return (
    <div className="import-report" data-testid="import-report">
      <Facts>
        <Fact label={t('import.readNodes')} testId="report-read-nodes">{num(report.read.nodes)}</Fact>
        <Fact label={t('import.readLinks')} testId="report-read-links">{num(report.read.links)}</Fact>
        <Fact label={t('import.writtenManholes')} testId="report-written-manholes">{num(report.written.manholes)}</Fact>
        <Fact label={t('import.writtenPipes')} testId="report-written-pipes">{num(report.written.pipes)}</Fact>
        <Fact label={t('import.createdNodes')} testId="report-created-nodes">{num(report.created_nodes)}</Fact>
        <Fact label={t('import.snappedNodes')} testId="report-snapped-nodes">{num(report.snapped_nodes)}</Fact>
      </Facts>
      <Section title={t('import.topology')} testId="report-topology">
        <table className="mini-table">
          <tbody>
            <tr className={warn(report.components, 1)}><td>{t('import.components')}</td><td className="num" data-testid="report-components">{num(report.components)}</td></tr>
            <tr className={warn(report.zero_length)}><td>{t('import.zeroLength')}</td><td className="num" data-testid="report-zero-length">{num(report.zero_length)}</td></tr>
            <tr className={warn(report.duplicates)}><td>{t('import.duplicates')}</td><td className="num" data-testid="report-duplicates">{num(report.duplicates)}</td></tr>
            <tr className={warn(report.cycles)}><td>{t('import.cycles')}</td><td className="num" data-testid="report-cycles">{num(report.cycles)}</td></tr>
            <tr className={warn(report.split_links ?? 0)}><td>{t('import.splitLinks')}</td><td className="num" data-testid="report-split-links">{num(report.split_links ?? 0)}</td></tr>
            <tr><td>{t('import.outfalls')}</td><td className="num" data-testid="report-outfalls">{report.outfalls === undefined ? '—' : num(report.outfalls)}</td></tr>
            <tr><td>{t('import.direction')}</td><td className="num" data-testid="report-direction"><Direction direction={report.direction} /></td></tr>
            <tr><td>{t('import.crs')}</td><td className="num" data-testid="report-crs" title={report.crs}>{report.crs_source ? crsWords(report.crs_source, i18n) : report.crs}</td></tr>
          </tbody>
        </table>
        {report.components > 1 && <p className="muted">{t('import.componentsHint')}</p>}
      </Section>
      {report.checks && <ImportChecks checks={report.checks} importId={importId} />}
      {(report.warnings ?? []).length > 0 && (
        <Section title={`${t('import.warnings')} (${num(report.warnings!.length)})`} testId="report-warnings">
          <ul className="warning-list">{report.warnings!.map((w, k) => <li key={k}>{w}</li>)}</ul>
        </Section>
      )}
      <Section title={`${t('import.skipped')} (${num(report.skipped.reduce((s, x) => s + x.count, 0))})`} testId="report-skipped">
        {report.skipped.length === 0 ? <p className="muted">{t('import.nothingSkipped')}</p> : (
          <table className="mini-table">
            <thead><tr><th>{t('import.what')}</th><th>{t('import.reason')}</th><th className="num">{t('import.count')}</th></tr></thead>
            <tbody>
              {report.skipped.map((s, k) => (
                <tr key={k} data-testid="report-skipped-row">
                  <td>{tr(`import.what.${s.what}`, s.what)}</td>
                  <td title={s.examples?.length ? `${t('import.examples')}: ${s.examples.join(', ')}` : undefined}>{s.reason}</td>
                  <td className="num">{num(s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}

const DIRECTION_SOURCES: readonly (keyof DirectionCounts)[] = ['from_file', 'from_inverts', 'digitised', 'reversed'];

/** Where the flow direction came from: links per source, the ones that apply. */
function Direction({ direction }: { direction: ImportReport['direction'] }) {
  const { tr, num } = useI18n();
  if (typeof direction === 'string') return <>{tr(`import.direction.${direction}`, direction)}</>;
  const parts = DIRECTION_SOURCES.filter((k) => (direction[k] ?? 0) > 0);
  if (!parts.length) return <>—</>;
  return <>{parts.map((k) => `${tr(`import.direction.${k}`, k)} ${num(direction[k])}`).join(' · ')}</>;
}
