// Per street (and, drilled down, per community): km of pipe by structural or functional grade, hazards,
// and misconnections by kind and by status, from /api/drainage/summary. A chart of the chosen measure
// beside the table; a click on a street opens its communities and brings the street into view.
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { DrainageSummary, KmByGrade, NamedRef, SummaryFigures } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { gradeColors, layerColors, notInspectedColor } from '../../map/palette.ts';
import { StackedBarChart } from '../charts/StackedBarChart.tsx';
import { Icon } from '../Icon.tsx';
import { gradeLabel, remediationStatus } from '../format.ts';
import { flyToBbox } from './flyTo.ts';
import type { Areas } from './useAreas.ts';
import { MISCONNECTION_KINDS, REMEDIATION_STATUSES } from '../../../common/enums.ts';
import { useSynthetic } from '../../api/dataLayers.ts';

type Measure = 'sgrade' | 'fgrade' | 'misconnections';
const MEASURES: readonly Measure[] = ['sgrade', 'fgrade', 'misconnections'];
const GRADE_KEYS = ['1', '2', '3', '4', 'none'] as const;
const GRADE_COLORS = [...gradeColors, notInspectedColor];
const KINDS = MISCONNECTION_KINDS;
const STATUSES = REMEDIATION_STATUSES;
// Found, confirmed (darker: someone checked it on site), fixed (green: done).
// In REMEDIATION_STATUSES order: found, confirmed, in_repair, fixed, verified, rejected.
const STATUS_COLORS = [layerColors.misconnection, '#7d1538', layerColors.inRepair, layerColors.caseClosed, '#2b8a3e', '#adb5bd'];

type Load = { state: 'loading' } | { state: 'ready'; data: DrainageSummary; street: string | null } | { state: 'error'; message: string; missing: boolean };

const gradeValues = (k: KmByGrade | undefined) => GRADE_KEYS.map((g) => Number(k?.[g] ?? 0));

export function SummaryView({ areas }: { areas: Areas | null }) {
  const i = useI18n();
  const { t, num } = i;
  const synthetic = useSynthetic();
  const { map } = useMapHandle();
  const [street, setStreet] = useState<NamedRef | null>(null);
  const [measure, setMeasure] = useState<Measure>('sgrade');
  const [loaded, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setLoad({ state: 'loading' });
    api.summary(street ? 'community' : 'street', street?.code, abort.signal)
      .then((data) => setLoad({ state: 'ready', data, street: street?.code ?? null }))
      .catch((e: unknown) => {
        if (!isAbort(e)) setLoad({ state: 'error', message: (e as Error).message, missing: e instanceof ApiError && e.notFound });
      });
    return () => abort.abort();
  }, [street?.code, attempt]);
  // Between a drill-down and its effect, the last answer belongs to the other level: not shown as this one's.
  const load: Load = loaded.state === 'ready' && loaded.street !== (street?.code ?? null) ? { state: 'loading' } : loaded;

  const flyToArea = (code: string) => {
    const a = areas && [...areas.streets, ...areas.communities].find((x) => x.code === code);
    if (map && a) flyToBbox(map, a.bbox, 16);
  };
  const openRow = (code: string) => {
    flyToArea(code);
    if (street) return;
    const row = load.state === 'ready' ? load.data.rows.find((r) => r.code === code) : undefined;
    if (row) setStreet({ code: row.code, name: row.name });
  };

  const gradeNames = GRADE_KEYS.map((g) => (g === 'none' ? t('legend.notInspected') : gradeLabel(g, i)));
  const statusNames = STATUSES.map((s) => remediationStatus(s, i));
  const chart = (rows: DrainageSummary['rows']) => {
    const values = (f: SummaryFigures) =>
      measure === 'misconnections' ? STATUSES.map((s) => Number(f.misconnections.by_status[s] ?? 0))
        : gradeValues(measure === 'sgrade' ? f.km_by_sgrade : f.km_by_fgrade);
    return (
      <StackedBarChart
        rows={rows.map((r) => ({ key: r.code, label: r.name, values: values(r) }))}
        colors={measure === 'misconnections' ? STATUS_COLORS : GRADE_COLORS}
        parts={measure === 'misconnections' ? statusNames : gradeNames}
        unit={measure === 'misconnections' ? t('unit.points') : 'km'}
        digits={measure === 'misconnections' ? 0 : 1}
        label={t(`analysis.measure.${measure}`)}
        onRow={openRow}
        testId="summary-chart"
      />
    );
  };

  return (
    <div className="analysis-body summary-view" data-testid="summary-view" data-level={street ? 'community' : 'street'} data-state={load.state}>
      <div className="analysis-side summary-chart-side">
        <nav className="breadcrumb" data-testid="summary-breadcrumb">
          {street ? (
            <>
              <button type="button" className="link-button" data-testid="summary-back" onClick={() => setStreet(null)}>{t('area.district')}</button>
              <span aria-hidden="true"> › </span>
              <strong>{street.name}</strong>
            </>
          ) : <strong>{t('area.district')}</strong>}
        </nav>
        <div className="segmented inline" role="radiogroup" aria-label={t('analysis.measure')} data-testid="summary-measure">
          {MEASURES.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={measure === m} className={measure === m ? 'on' : ''}
              data-testid={`measure-${m}`} onClick={() => setMeasure(m)}>
              {t(`analysis.measureShort.${m}`)}
            </button>
          ))}
        </div>
        {load.state === 'ready' && chart(load.data.rows)}
        <p className="muted chart-note">{t(street ? 'analysis.chartHintCommunity' : 'analysis.chartHintStreet')}</p>
      </div>
      <div className="analysis-main">
        {load.state === 'loading' && <p className="muted" data-testid="summary-loading"><span className="spinner small" /> {t('common.loading')}</p>}
        {load.state === 'error' && (
          <p className="inline-error" role="alert" data-testid="summary-error">
            <Icon name="warning" /> {t(load.missing ? 'analysis.notAvailable' : 'analysis.loadFailed')} <span className="muted">{load.message}</span>{' '}
            <button type="button" className="link-button" onClick={() => setAttempt((n) => n + 1)}>{t('common.retry')}</button>
          </p>
        )}
        {load.state === 'ready' && (
          <div className="result-table-wrap">
            <table className="result-table summary-table" data-testid="summary-table">
              <thead>
                <tr>
                  <th rowSpan={2}>{t(street ? 'kind.communities' : 'kind.streets')}</th>
                  <th rowSpan={2} className="num">{t('analysis.pipeKm')}</th>
                  <th colSpan={2} className="group">{t('layer.hazards')}</th>
                  {measure === 'misconnections'
                    ? <th colSpan={7} className="group">{t('layer.misconnections')}</th>
                    : <th colSpan={5} className="group">{t(`analysis.measure.${measure}`)}</th>}
                </tr>
                <tr>
                  <th className="num">{t('analysis.total')}</th>
                  <th className="num">{t('analysis.open')}</th>
                  {measure === 'misconnections' ? (
                    <>
                      <th className="num">{t('analysis.total')}</th>
                      {KINDS.map((k) => <th key={k} className="num">{t(`value.kind.${k}`)}</th>)}
                      {STATUSES.map((s, k) => <th key={s} className="num"><span className="swatch" style={{ background: STATUS_COLORS[k] }} />{statusNames[k]}</th>)}
                    </>
                  ) : GRADE_KEYS.map((g, k) => (
                    <th key={g} className="num"><span className="swatch" style={{ background: GRADE_COLORS[k] }} />{gradeNames[k]}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {load.data.rows.map((r) => (
                  <tr key={r.code} data-testid="summary-row" data-code={r.code} data-km={r.km.total} tabIndex={0}
                    title={street ? t('analysis.flyToCommunity') : t('analysis.drillDown')}
                    onClick={() => openRow(r.code)} onKeyDown={(e) => e.key === 'Enter' && openRow(r.code)}>
                    <td className="name">{r.name}</td>
                    <FigureCells f={r} measure={measure} />
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="summary-total">
                  <td className="name">{street ? t('analysis.streetTotal', { name: street.name }) : t('analysis.districtTotal')}</td>
                  <FigureCells f={load.data.total} measure={measure} />
                </tr>
              </tfoot>
            </table>
          </div>
        )}
        {load.state === 'ready' && (
          <p className="muted table-note">
            {t('analysis.kmNote', { main: num(load.data.total.km.main, 1), community: num(load.data.total.km.community, 1) })}{synthetic ? ` · ${t('common.synthetic')}` : ''}
          </p>
        )}
      </div>
    </div>
  );
}

function FigureCells({ f, measure }: { f: SummaryFigures; measure: Measure }) {
  const { num } = useI18n();
  const n = (v: number | undefined, d = 0) => <td className="num">{v ? num(v, d) : '—'}</td>;
  return (
    <>
      <td className="num" title={`${num(f.km.main, 2)} + ${num(f.km.community, 2)} km`}>{num(f.km.total, 1)}</td>
      {n(f.hazards.total)}
      {n(f.hazards.open)}
      {measure === 'misconnections' ? (
        <>
          {n(f.misconnections.total)}
          {KINDS.map((k) => <td key={k} className="num">{num(f.misconnections.by_kind[k] ?? 0)}</td>)}
          {STATUSES.map((s) => <td key={s} className="num">{num(f.misconnections.by_status[s] ?? 0)}</td>)}
        </>
      ) : gradeValues(measure === 'sgrade' ? f.km_by_sgrade : f.km_by_fgrade).map((v, k) => (
        <td key={k} className="num">{v ? num(v, 2) : '—'}</td>
      ))}
    </>
  );
}
