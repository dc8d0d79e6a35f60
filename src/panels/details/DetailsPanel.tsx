// Identify: the details of the selected feature from /api/details/{layer}/{id}, one section per layer,
// with loading, not-found and error states (never an empty panel), and links to related features.
import { useEffect, useState } from 'react';
import type { Geometry } from 'geojson';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { Details, GridAt } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { geometryBbox, representativePoint } from '../../map/geom.ts';
import type { Selection } from '../../map/urlState.ts';
import { Icon } from '../Icon.tsx';
import { featureTitle } from '../../map/identify.ts';
import { PropertyTable } from './parts.tsx';
import { panelPadding } from '../searchTarget.ts';
import { LayerSection } from './sections.tsx';
import type { TraceRequest } from '../trace/traceRequest.ts';
import { VehicleDetails } from './VehicleDetails.tsx';

interface Props {
  selection: Selection;
  vehicleId: number | null;
  clickedAt: [number, number] | null;
  onClose(): void;
  onGeometry(g: Geometry | null): void;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
  onTrace(r: TraceRequest): void;
}

type Load =
  | { state: 'loading' }
  | { state: 'ready'; details: Details }
  | { state: 'error'; message: string; notFound: boolean; unreachable: boolean };

export function DetailsPanel(props: Props) {
  const i = useI18n();
  const { t, tr } = i;
  const { selection, onClose } = props;
  const layerName = tr(`layer.${selection.layer}`, tr(`kind.${selection.layer}`, selection.layer));

  return (
    <aside className="panel details-panel" data-testid="details-panel" data-layer={selection.layer} aria-label={t('details.title')}>
      <header className="panel-header">
        <h2><span className={`result-kind kind-${selection.layer}`}>{layerName}</span></h2>
        <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="details-close">
          <Icon name="close" />
        </button>
      </header>
      <div className="panel-body">
        {selection.layer === 'vehicles'
          ? <VehicleDetails id={Number(selection.id)} />
          : <FeatureDetails {...props} />}
      </div>
    </aside>
  );
}

function FeatureDetails({ selection, clickedAt, onGeometry, onSelect, onTrace }: Props) {
  const i = useI18n();
  const { t } = i;
  const { map } = useMapHandle();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [where, setWhere] = useState<GridAt | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setLoad({ state: 'loading' });
    api.details(selection.layer, selection.id, abort.signal)
      .then((details) => {
        setLoad({ state: 'ready', details });
        if (details.geometry) {
          onGeometry(details.geometry);
          // Bring it into view when it is not (a link, a search hit, a shared URL).
          const b = geometryBbox(details.geometry);
          if (map && b) {
            const view = map.getBounds();
            const inView = view.contains([b[0], b[1]]) && view.contains([b[2], b[3]]);
            if (!inView) {
              if (b[2] - b[0] > 1e-5 || b[3] - b[1] > 1e-5) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: panelPadding(), maxZoom: 18 });
              else map.easeTo({ center: [b[0], b[1]], zoom: Math.max(map.getZoom(), 17) });
            }
          }
          const p = representativePoint(details.geometry) ?? clickedAt;
          if (p && selection.layer !== 'grids') api.gridAt(p[0], p[1], abort.signal).then(setWhere).catch(() => {});
        }
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        const err = e instanceof ApiError ? e : new ApiError((e as Error).message, 0);
        setLoad({ state: 'error', message: err.message, notFound: err.notFound, unreachable: err.unreachable });
      });
    return () => abort.abort();
  }, [selection.layer, selection.id, attempt]);

  if (load.state === 'loading') {
    return (
      <div className="details-loading" data-testid="details-loading">
        <span className="spinner" /> {t('common.loading')}
        <div className="skeleton" /><div className="skeleton short" /><div className="skeleton" />
      </div>
    );
  }
  if (load.state === 'error') {
    return (
      <div className="details-error" role="alert" data-testid="details-error">
        <p><Icon name="warning" /> {load.notFound ? t('details.notFound') : load.unreachable ? t('details.unreachable') : t('details.failed')}</p>
        {!load.notFound && <p className="muted">{load.message}</p>}
        {!load.notFound && <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>{t('common.retry')}</button>}
      </div>
    );
  }
  const d = load.details;
  const title = featureTitle(selection.layer, d.properties, i);
  return (
    <div className="details" data-testid="details-content">
      <h3 className="details-title" data-testid="details-title">{title || `#${selection.id}`}</h3>
      <LayerSection details={d} title={title} onSelect={onSelect} onTrace={onTrace} />
      {where && (where.grid || where.community || where.street) && (
        <p className="details-where" data-testid="details-where">
          <Icon name="target" />{' '}
          {[where.street?.name, where.community?.name, where.grid && `${t('kind.grids')} ${where.grid.code}`].filter(Boolean).join(' · ')}
        </p>
      )}
      <details className="all-props">
        <summary>{t('details.allProperties')}</summary>
        <PropertyTable properties={d.properties} />
      </details>
    </div>
  );
}
