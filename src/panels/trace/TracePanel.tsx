// The result of an up- or downstream trace: the traced reaches drawn over the pipes (and the map fitted
// to them), what they reach, downloads of them, and a button to clear it all.
import { useEffect } from 'react';
import type { FeatureCollection, Geometry } from 'geojson';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { geometryBbox } from '../../map/geom.ts';
import { flyToBbox } from '../analysis/flyTo.ts';
import { Icon } from '../Icon.tsx';
import { TraceExportLinks } from './TraceExportLinks.tsx';
import { TraceResultView } from './TraceResultView.tsx';
import type { TraceRequest } from './traceRequest.ts';
import { useTrace } from './useTrace.ts';
import { useSynthetic } from '../../api/dataLayers.ts';
import { profileOfTrace } from '../profile/profileOfTrace.ts';
import { profileActions } from '../profile/profileStore.ts';
import { reportUrl } from '../../report/reportScope.ts';

interface Props {
  request: TraceRequest;
  onClear(): void;
  onFeatures(fc: FeatureCollection | null): void;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
}

export function TracePanel({ request, onClear, onFeatures, onSelect }: Props) {
  const { t, tr } = useI18n();
  const synthetic = useSynthetic();
  const { map } = useMapHandle();
  const { load, geometry } = useTrace(request);

  useEffect(() => {
    if (geometry.state !== 'ready') return;
    onFeatures(geometry.features);
    const b = geometryBbox({ type: 'GeometryCollection', geometries: geometry.features.features.map((f) => f.geometry) });
    if (map && b) flyToBbox(map, b, 17.5);
  }, [geometry]);
  useEffect(() => () => onFeatures(null), [request.from, request.direction]);

  const title = request.purpose === 'outfall' ? t('trace.toOutfall') : t(request.direction === 'upstream' ? 'trace.upstreamTitle' : 'trace.downstreamTitle');
  return (
    <aside className="panel trace-panel" data-testid="trace-panel" data-state={load.state} data-geometry={geometry.state} data-direction={request.direction}
      aria-label={title}>
      <header className="panel-header">
        <h2><Icon name={request.purpose === 'outfall' ? 'outfall' : request.direction === 'upstream' ? 'upstream' : 'downstream'} /> {title}</h2>
        <div className="header-actions">
          {load.state === 'ready' && profileOfTrace(request, load.result) && (
            <button type="button" className="button small" data-testid="trace-profile" title={t('profile.fromTraceHint')}
              onClick={() => profileActions.open(profileOfTrace(request, load.result)!)}>{t('profile.open')}</button>
          )}
          <a className="button small" href={reportUrl({ trace: request.from, direction: request.direction })} target="_blank" rel="noopener"
            data-testid="trace-report" title={t('report.openTrace')}><Icon name="printer" /></a>
          <button type="button" className="button small" onClick={onClear} data-testid="trace-clear">{t('trace.clear')}</button>
        </div>
      </header>
      <div className="panel-body">
        <p className="trace-origin">
          {t('trace.from')}{' '}
          <span className={`result-kind kind-${request.origin.layer}`}>{tr(`kind.${request.origin.layer}`, request.origin.layer)}</span>{' '}
          <button type="button" className="link-button" onClick={() => onSelect(request.origin.layer, request.origin.id)}>{request.origin.label}</button>
        </p>
        {load.state === 'loading' && (
          <div className="details-loading" data-testid="trace-loading">
            <span><span className="spinner" /> {t('trace.running')}</span>
            <div className="skeleton" /><div className="skeleton short" />
          </div>
        )}
        {load.state === 'error' && (
          <p className="details-error" role="alert" data-testid="trace-error">
            <Icon name="warning" /> {load.notFound ? t('trace.notFound') : t('trace.failed')} <span className="muted">{load.message}</span>
          </p>
        )}
        {geometry.state === 'error' && load.state === 'ready' && (
          <p className="inline-error" role="alert">{t('trace.geometryFailed')} <span className="muted">{geometry.message}</span></p>
        )}
        {load.state === 'ready' && (
          <>
            <TraceResultView result={load.result} request={request} onSelect={onSelect} />
            <p className="muted trace-meta" data-testid="trace-meta">{synthetic ? `${t('common.synthetic')} · ` : ''}{`${load.result.method} ${Math.round(load.result.timing_ms.trace + load.result.timing_ms.describe)} ms`}</p>
          </>
        )}
      </div>
      {load.state === 'ready' && (
        <footer className="panel-footer">
          <TraceExportLinks from={request.from} direction={request.direction} />
        </footer>
      )}
    </aside>
  );
}
