// The KPI table: one row per unit, one column per KPI (the standard's eight; the two extra ones are in the
// CSV). A row's name drills into the unit's parts.
import type { KpiRow } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { formatKpi } from './kpiFormat.ts';

export function KpiTable({ rows, kpiKey, onKpi, onDrill }: { rows: KpiRow[]; kpiKey: string; onKpi(key: string): void; onDrill?(r: KpiRow): void }) {
  const { t, lang, num } = useI18n();
  const columns = (rows[0]?.kpis ?? []).filter((k) => !k.extra); // the CSV's columns too (kpiSheet)
  return (
    <div className="result-table-wrap kpi-table-wrap">
      <table className="result-table kpi-table" data-testid="kpi-table">
        <thead>
          <tr>
            <th>{t('field.name')}</th>
            <th className="num">{t('kpi.reported')}</th>
            {columns.map((k) => (
              <th key={k.key} className={`num${k.key === kpiKey ? ' on' : ''}`} title={k.definition}>
                <button type="button" className="th-button" onClick={() => onKpi(k.key)} data-testid={`kpi-col-${k.key}`}>{k.label[lang]}</button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code} data-testid="kpi-row" data-code={r.code} onClick={() => onDrill?.(r)} className={onDrill ? '' : 'static'}>
              <td className="name">{r.name}</td>
              <td className="num">{num(r.counts.reported ?? 0)}</td>
              {columns.map((c) => {
                const k = r.kpis.find((x) => x.key === c.key);
                return <td key={c.key} className={`num${c.key === kpiKey ? ' on' : ''}`} data-kpi={c.key}>{k ? formatKpi(k, num) : '—'}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {!rows.length && <p className="muted table-note">{t('kpi.none')}</p>}
    </div>
  );
}
