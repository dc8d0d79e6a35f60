// A layer import's report, from a dry run, a commit or a refusal (as far as it got): the rows read, valid
// and refused; what was, or would be, inserted, updated, left unchanged; how the file was read (encoding,
// sheet and header row, coordinate system, how many positions land in the district); warnings.
import { useI18n } from '../../i18n/index.tsx';
import { Fact, Facts, Section } from '../details/parts.tsx';
import { RejectedRows } from './RejectedRows.tsx';
import { crsWords, encodingWords } from './sourceWords.ts';
import type { LayerReport } from './useLayerImport.ts';

export function LayerReportView({ report }: { report: LayerReport }) {
  const i18n = useI18n();
  const { t, num } = i18n;
  const c = report.counts;
  const would = !report.committed;
  return (
    <div className="import-report" data-testid="import-report" data-dry-run={String(!!report.dry_run)}>
      {c && (
        <Facts>
          <Fact label={t('import.rowsRead')} testId="report-read">{num(c.read)}</Fact>
          <Fact label={t('import.rowsValid')} testId="report-valid">{num(c.valid)}</Fact>
          <Fact label={t('import.rowsRejected')} testId="report-rejected">{num(c.rejected)}</Fact>
          <Fact label={t(would ? 'import.wouldInsert' : 'import.inserted')} testId="report-insert">{num(c.insert)}</Fact>
          <Fact label={t(would ? 'import.wouldUpdate' : 'import.updated')} testId="report-update">{num(c.update)}</Fact>
          <Fact label={t('import.unchanged')} testId="report-unchanged">{num(c.unchanged)}</Fact>
          {c.removed > 0 && <Fact label={t(would ? 'import.wouldRemove' : 'import.removed')} testId="report-removed">{num(c.removed)}</Fact>}
        </Facts>
      )}
      <Section title={t('import.source')} testId="report-source">
        <table className="mini-table">
          <tbody>
            {report.format && <tr><td>{t('import.format')}</td><td data-testid="report-format">{i18n.tr(`import.format.${report.format}`, report.format)}</td></tr>}
            <tr><td>{t('import.encoding')}</td><td data-testid="report-encoding">{report.encoding ? encodingWords(report.encoding, i18n) : t('import.encodingNone')}</td></tr>
            {report.sheet && <tr><td>{t('import.sheet')}</td><td data-testid="report-sheet">{report.sheet}</td></tr>}
            {report.header && (
              <tr><td>{t('import.headerRow')}</td><td data-testid="report-header">
                {t(report.header.rows === 2 ? 'import.headerRowsTwo' : 'import.headerRowOne', { row: report.header.row })}
                {report.header.skipped.length > 0 && <span className="muted" title={report.header.skipped.join('\n')}> · {t('import.headerSkipped', { n: report.header.skipped.length })}</span>}
              </td></tr>
            )}
            {report.crs_source !== undefined && (
              <tr><td>{t('import.crs')}</td><td data-testid="report-crs" title={report.crs}>{report.crs_source ? crsWords(report.crs_source, i18n) : t('import.noPositions')}</td></tr>
            )}
            {report.landing && (
              <tr><td>{t('import.landing')}</td><td data-testid="report-landing">{t('import.landingText', { inside: num(report.landing.inside), total: num(report.landing.total) })}</td></tr>
            )}
          </tbody>
        </table>
      </Section>
      {(report.warnings ?? []).length > 0 && (
        <Section title={`${t('import.warnings')} (${num(report.warnings!.length)})`} testId="report-warnings">
          <ul className="warning-list">{report.warnings!.map((w, k) => <li key={k}>{w}</li>)}</ul>
        </Section>
      )}
      {c && <RejectedRows rejected={report.rejected ?? []} total={c.rejected} />}
    </div>
  );
}
