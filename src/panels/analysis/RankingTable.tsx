// The ranked reaches, one row each: code, where, diameter, the index with its grade, the advice and the
// defect codes found. A click (or Enter) on a row flies to the reach and opens its details.
import type { ReachRow, ReachSort } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { defectLabel } from '../format.ts';
import { IndexValue } from './IndexValue.tsx';

interface Props {
  rows: readonly ReachRow[];
  sort: ReachSort;
  offset: number;
  selectedId: number | null;
  onRow(row: ReachRow): void;
}

export function RankingTable({ rows, sort, offset, selectedId, onRow }: Props) {
  const i = useI18n();
  const { t, tr, lang } = i;
  const byRi = sort === 'ri';
  return (
    <table className="result-table ranking-table" data-testid="ranking-table">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>{t('analysis.pipeCode')}</th>
          <th>{t('analysis.where')}</th>
          <th className="num">{t('field.diameter_mm')}</th>
          <th>{byRi ? t('analysis.ri') : t('analysis.mi')}</th>
          <th>{byRi ? t('analysis.repairAdvice') : t('analysis.maintenanceAdvice')}</th>
          <th>{t('analysis.defects')}</th>
          <th className="num" title={t('analysis.openHazardsHint')}>{t('analysis.openHazards')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, k) => {
          const advice = byRi ? r.sadvice : r.fadvice;
          const where = [r.street?.name, r.community?.name].filter(Boolean).join(' · ') || r.road_name || '—';
          return (
            <tr key={r.pipe_id} data-testid="reach-row" data-pipe-id={r.pipe_id} data-ri={r.ri ?? ''} data-mi={r.mi ?? ''}
              data-street={r.street?.code ?? ''} data-community={r.community?.code ?? ''} data-diameter={r.diameter_mm ?? ''}
              data-codes={r.codes.join(',')} data-repaired={r.repaired.map((d) => d.code).join(',')} data-sgrade={r.sgrade ?? ''} data-fgrade={r.fgrade ?? ''}
              className={selectedId === r.pipe_id ? 'selected' : undefined} tabIndex={0}
              onClick={() => onRow(r)} onKeyDown={(e) => e.key === 'Enter' && onRow(r)}>
              <td className="num muted">{offset + k + 1}</td>
              <td className="code">{r.code}</td>
              <td className="where" title={where}>{where}</td>
              <td className="num">{r.diameter_mm ? `DN${r.diameter_mm}` : '—'}</td>
              <td>
                {byRi
                  ? <IndexValue value={r.ri} grade={r.ri_grade} testId="reach-index" />
                  : <IndexValue value={r.mi} grade={r.mi_grade} testId="reach-index" />}
              </td>
              <td className="advice">{advice ? (lang === 'zh' ? advice.zh : advice.en) : '—'}</td>
              <td className="codes">
                {r.codes.map((c) => <span key={c} className="code-chip" title={tr(`defect.${c}`, c)}>{c}</span>)}
                {r.repaired.map((d) => (
                  <span key={`r${d.at_m}${d.code}`} className="code-chip repaired" data-testid="repaired-chip"
                    title={`${defectLabel(d.code, d.grade, i)} · ${t('details.repairedHint')}`}>{d.code} {t('fmt.repaired')}</span>
                ))}
              </td>
              <td className="num">{r.hazards_open || '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
