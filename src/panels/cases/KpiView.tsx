// 统计考核: the case KPIs of a period per street, drilled down to a street's communities and a community's
// grids; a bar chart of one KPI, the table of all, and the same numbers as CSV.
import { useEffect, useState } from 'react';
import { casesApi, kpiCsvUrl } from '../../api/cases.ts';
import type { KpiAnswer, KpiLevel, KpiRow } from '../../api/caseTypes.ts';
import { isAbort } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';
import { KpiBars } from './KpiBars.tsx';
import { KpiTable } from './KpiTable.tsx';
import { endOf, preset, startOf, validPeriod, type Period } from './period.ts';
import { PeriodPicker } from './PeriodPicker.tsx';

interface Step {
  level: KpiLevel;
  within?: string;
  name?: string;
}

const BELOW: Partial<Record<KpiLevel, KpiLevel>> = { street: 'community', community: 'grid' };

export function KpiView() {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState<Period>(() => preset('last30'));
  const [path, setPath] = useState<Step[]>([{ level: 'street' }]);
  const [kpiKey, setKpiKey] = useState('onTimeClosingRate');
  const [answer, setAnswer] = useState<KpiAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // Which query the shown answer is for: until the new one arrives the view is loading, not ready
  // (the effect that sets `loading` runs only after the render with the new level).
  const [answerKey, setAnswerKey] = useState<string | null>(null);
  const here = path[path.length - 1];
  const params = validPeriod(period) ? { level: here.level, within: here.within, from: startOf(period.from), to: endOf(period.to) } : null;
  const key = JSON.stringify(params);

  useEffect(() => {
    if (!params) return;
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    casesApi.kpi(params, ctrl.signal).then((a) => {
      setAnswer(a);
      setAnswerKey(key);
      setLoading(false);
    }, (e: unknown) => {
      if (isAbort(e) || ctrl.signal.aborted) return;
      setError((e as Error).message);
      setLoading(false);
    });
    return () => ctrl.abort();
  }, [key]);

  const below = BELOW[here.level];
  // Cases outside any unit of the level (code null) have nothing below them to drill into.
  const drill = below ? (r: KpiRow) => { if (r.code) setPath([...path, { level: below, within: r.code, name: r.name ?? r.code }]); } : undefined;
  const rows = answer?.rows ?? [];
  const kpis = (rows[0]?.kpis ?? []).filter((k) => !k.extra);
  // The preferred KPI, or the first the server has (the list is the server's, not ours).
  const chosen = kpis.some((k) => k.key === kpiKey) || !kpis.length ? kpiKey : kpis[0].key;

  return (
    <div className="kpi-view" data-testid="kpi-view" data-state={loading || answerKey !== key ? (error ? 'error' : 'loading') : error ? 'error' : 'ready'} data-level={here.level}>
      <div className="kpi-controls">
        <PeriodPicker value={period} onChange={setPeriod} />
        <label className="filter-field kpi-choose">
          <span>{t('kpi.chart')}</span>
          <select value={chosen} onChange={(e) => setKpiKey(e.currentTarget.value)} data-testid="kpi-choose">
            {kpis.map((k) => <option key={k.key} value={k.key}>{k.label[lang]}</option>)}
          </select>
        </label>
        {params && (
          <a className="button small kpi-csv" href={kpiCsvUrl({ ...params, lang })} download data-testid="kpi-csv">
            <Icon name="download" /> {t('kpi.csv')}
          </a>
        )}
      </div>
      <div className="analysis-toolbar kpi-toolbar">
        <nav className="breadcrumb" data-testid="kpi-breadcrumb">
          {path.map((s, i) => (
            <span key={`${s.level}-${s.within ?? ''}`}>
              {i > 0 && ' › '}
              {i < path.length - 1
                ? <button type="button" className="link-button" onClick={() => setPath(path.slice(0, i + 1))}>{s.name ?? t('area.district')}</button>
                : <strong>{s.name ?? t('area.district')}</strong>}
            </span>
          ))}
          <span className="muted"> · {t(`kpi.level.${here.level}`)}</span>
        </nav>
        <span className="muted chart-note">{below ? t('kpi.drillHint') : t('kpi.gridHint')}</span>
        {loading && <span className="spinner small" />}
        {error && <span className="inline-error" role="alert">{error}</span>}
      </div>
      <div className="kpi-main">
        <KpiBars rows={rows} kpiKey={chosen} onDrill={drill} />
        <KpiTable rows={rows} kpiKey={chosen} onKpi={setKpiKey} onDrill={drill} />
      </div>
    </div>
  );
}
