// The report's condition table: the totals per CJJ 181 grade, then each reach, worst first, with its
// grades and graded defects. Rows never split across pages and the header repeats on each (report.css).
import type { NetworkReport } from '../../common/api/network3d.ts';
import { useI18n } from '../i18n/index.tsx';

const ROMAN = ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ'];
const grade = (g: number | null) => (g ? ROMAN[g] : '—');

export function ConditionTable({ report }: { report: NetworkReport }) {
  const { t, tr, num } = useI18n();
  const [g1, g2, g3, g4, g0, none] = report.by_grade;
  return (
    <section className="report-section" data-testid="report-condition">
      <h2>{t('report.condition')}</h2>
      <p className="report-grades">
        {[g1, g2, g3, g4].map((n, i) => <span key={i} className={`grade-chip grade-${i + 1}`}>{tr(`legend.grade${i + 1}`)} {num(n)}</span>)}
        <span className="grade-chip">{t('report.noDefects')} {num(g0)}</span>
        <span className="grade-chip">{t('legend.notInspected')} {num(none)}</span>
      </p>
      {report.reaches.length < report.count && <p className="report-note">{t('report.listed', { n: num(report.reaches.length), total: num(report.count) })}</p>}
      <table className="report-table">
        <thead>
          <tr>
            <th>#</th><th>{t('report.col.code')}</th><th>{t('report.col.road')}</th><th>{t('report.col.usage')}</th><th>{t('report.col.diameter')}</th>
            <th>{t('report.col.material')}</th><th>{t('report.col.length')}</th><th>{t('report.col.sgrade')}</th><th>{t('report.col.fgrade')}</th>
            <th>{t('report.col.inspected')}</th><th>{t('report.col.defects')}</th>
          </tr>
        </thead>
        <tbody>
          {report.reaches.map((r, i) => (
            <tr key={r.id}>
              <td>{num(i + 1)}</td><td>{r.code}</td><td>{r.road_name ?? ''}</td><td>{tr(`value.usage.${r.usage}`, r.usage)}</td>
              <td>{r.diameter_mm ?? ''}</td><td>{r.material ?? ''}</td><td>{num(r.length_m)}</td>
              <td className={r.sgrade ? `grade-${r.sgrade}` : ''}>{grade(r.sgrade)}</td><td className={r.fgrade ? `grade-${r.fgrade}` : ''}>{grade(r.fgrade)}</td>
              <td>{r.inspected_at ?? t('legend.notInspected')}</td><td>{r.defects.join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
