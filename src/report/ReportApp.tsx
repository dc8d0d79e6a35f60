// The printable report (`/report`) of an area or a trace: header with the district and the date, the map,
// the longitudinal profile, the condition table and the design checks, laid out for A4 or A3 and printed
// through the browser (window.print → "Save as PDF"). The paper is chosen on the page; @page follows it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { NetworkReport } from '../../common/api/network3d.ts';
import { api } from '../api/endpoints.ts';
import { traceFeatures } from '../panels/trace/useTrace.ts';
import { useI18n } from '../i18n/index.tsx';
import { ChecksSection, ProfileSection } from './OptionalSections.tsx';
import { ConditionTable } from './ConditionTable.tsx';
import { ReportMap } from './ReportMap.tsx';
import { pageSize, PAPERS, parseReportUrl, type Paper } from './reportScope.ts';
import './report.css';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; report: NetworkReport; trace: FeatureCollection | null };

export default function ReportApp() {
  const { t, tr, num, date } = useI18n();
  const parsed = useMemo(() => parseReportUrl(window.location.search), []);
  const [paper, setPaper] = useState<Paper>(parsed?.paper ?? 'a4-portrait');
  const [data, setData] = useState<Loaded>({ state: 'loading' });
  const [settled, setSettled] = useState({ map: false, checks: false, profile: false });
  const settle = useCallback((part: keyof typeof settled) => setSettled((s) => (s[part] ? s : { ...s, [part]: true })), []);
  const [now] = useState(() => new Date());

  useEffect(() => {
    if (!parsed) return;
    const abort = new AbortController();
    const { scope } = parsed;
    const load = async (): Promise<Loaded> => {
      if ('bbox' in scope) return { state: 'ready', report: await api.networkReport({ bbox: scope.bbox }, abort.signal), trace: null };
      const [summary, trace] = await Promise.all([api.trace(scope.trace, scope.direction, abort.signal), api.traceGeoJson(scope.trace, scope.direction, abort.signal)]);
      // Drawn as the map draws a trace (its overlay's roles), without the start point.
      return { state: 'ready', report: await api.networkReport({ ids: summary.pipes.ids }, abort.signal), trace: traceFeatures(trace.features, null) };
    };
    load().then(setData, (e: unknown) => {
      if (!abort.signal.aborted) setData({ state: 'error', message: (e as Error).message });
    });
    return () => abort.abort();
  }, [parsed]);

  if (!parsed) return <main className="report-page"><p className="report-note" role="alert">{t('report.badAddress')}</p></main>;
  const { scope } = parsed;
  const report = data.state === 'ready' ? data.report : null;
  const bbox = report?.bbox ?? ('bbox' in scope ? scope.bbox : null);
  const ready = data.state !== 'loading' && settled.checks && settled.profile && (settled.map || !bbox);
  const title = 'bbox' in scope ? t('report.titleArea') : t(scope.direction === 'upstream' ? 'report.titleUpstream' : 'report.titleDownstream');

  return (
    <main className={`report-page paper-${paper}`} data-testid="report" data-ready={ready} data-paper={paper}>
      <style>{`@page { size: ${pageSize(paper)}; margin: 12mm 10mm; }`}</style>
      <div className="report-toolbar no-print">
        <label>
          {t('report.paper')}{' '}
          <select data-testid="report-paper" value={paper} onChange={(e) => setPaper(e.target.value as Paper)}>
            {PAPERS.map((p) => <option key={p} value={p}>{tr(`report.paper.${p}`, p)}</option>)}
          </select>
        </label>
        <button type="button" className="button" data-testid="report-print" disabled={!ready} onClick={() => window.print()}>{t('report.print')}</button>
      </div>
      <header className="report-header">
        <h1>{report?.district ?? t('report.districtUnknown')} · {title}</h1>
        <p>
          {t('report.date', { date: date(now) })}
          {'trace' in scope && <> · {t('report.traceFrom', { from: scope.trace })}</>}
          {report && <> · {t('report.totals', { n: num(report.count), km: num(Math.round(report.length_m / 100) / 10) })}</>}
        </p>
      </header>
      {data.state === 'loading' && <p className="report-note">{t('report.loading')}</p>}
      {data.state === 'error' && <p className="report-note" role="alert">{t('report.failed', { error: data.message })}</p>}
      {data.state === 'ready' && (
        <>
          <section className="report-section report-map-section" data-testid="report-map-section">
            <h2>{t('report.map')}</h2>
            {bbox ? <ReportMap bbox={bbox} trace={data.trace} onDone={() => settle('map')} /> : <p className="report-note">{t('report.empty')}</p>}
          </section>
          <ProfileSection from={'trace' in scope ? scope.trace : null} onSettled={() => settle('profile')} />
          <ConditionTable report={data.report} />
          <ChecksSection query={bbox ? `bbox=${bbox.map((v) => v.toFixed(6)).join(',')}` : ''} onSettled={() => settle('checks')} />
        </>
      )}
    </main>
  );
}
