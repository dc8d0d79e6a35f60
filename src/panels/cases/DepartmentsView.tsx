// 处置单位: the handling units with their remit and, for a period of dispatches, their KPIs — 准确派遣率
// (dispatches not returned), 按期处置率, 返工 — and the open and overdue cases each has now.
import { useEffect, useState } from 'react';
import { departmentsApi, type Department } from '../../api/departments.ts';
import { useI18n } from '../../i18n/index.tsx';
import { endOf, preset, startOf, validPeriod, type Period } from './period.ts';
import { PeriodPicker } from './PeriodPicker.tsx';

export function DepartmentsView() {
  const { t, lang, num } = useI18n();
  const [period, setPeriod] = useState<Period>(() => preset('last30'));
  const [items, setItems] = useState<Department[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const valid = validPeriod(period);

  useEffect(() => {
    if (!valid) return;
    const ctrl = new AbortController();
    setError(null);
    departmentsApi.list({ from: startOf(period.from), to: endOf(period.to) }, ctrl.signal)
      .then((l) => setItems(l.items), (e: unknown) => !ctrl.signal.aborted && setError((e as Error).message));
    return () => ctrl.abort();
  }, [period.from, period.to, valid]);

  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${num(v * 100, 1)}%`);
  return (
    <div className="panel-body kpi-view" data-testid="departments-view">
      <div className="kpi-controls">
        <PeriodPicker value={period} onChange={setPeriod} legend={t('dept.period')} />
      </div>
      {error && <p className="inline-error" role="alert">{error}</p>}
      {!items && !error && <div className="loading-panel"><span className="spinner" /></div>}
      {items && (
        <div className="result-table-wrap kpi-table-wrap">
          <table className="result-table dept-table" data-testid="departments-table">
            <thead>
              <tr>
                <th>{t('dept.name')}</th>
                <th>{t('dept.kind')}</th>
                <th className="num">{t('dept.dispatches')}</th>
                <th className="num">{t('dept.returned')}</th>
                <th className="num">{t('dept.accurateRate')}</th>
                <th className="num">{t('dept.cases')}</th>
                <th className="num">{t('dept.onTimeRate')}</th>
                <th className="num">{t('dept.open')}</th>
                <th className="num">{t('dept.overdue')}</th>
                <th className="num">{t('dept.reworked')}</th>
                <th className="num">{t('dept.reworkRate')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const k = d.kpis;
                return (
                  <tr key={d.code} className="static" data-testid="department-row" data-code={d.code}>
                    <td className="name" title={t('dept.scope', { items: d.items.join(', ') })}>{lang === 'zh' ? d.name_zh : d.name_en}</td>
                    <td>{t(`dept.kind.${d.kind}`)}</td>
                    <td className="num">{num(k?.dispatches ?? 0)}</td>
                    <td className="num">{num(k?.returned ?? 0)}</td>
                    <td className="num" data-kpi="accurate">{pct(k?.accurate_rate)}</td>
                    <td className="num">{num(k?.cases ?? 0)}</td>
                    <td className="num" data-kpi="on-time">{pct(k?.on_time_rate)}</td>
                    <td className="num">{num(k?.open ?? 0)}</td>
                    <td className={`num${k && k.overdue > 0 ? ' warn' : ''}`}>{num(k?.overdue ?? 0)}</td>
                    <td className="num">{num(k?.reworked ?? 0)}</td>
                    <td className="num">{pct(k?.rework_rate)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {!items.length && <p className="muted table-note">{t('dept.none')}</p>}
        </div>
      )}
    </div>
  );
}
