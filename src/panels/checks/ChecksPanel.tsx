// The network design checks: over the whole network, the map's view or one import; counts per check,
// findings listed (errors first) and filtered by severity and check, each shown on the map and opened
// in the details with a click.
import { useEffect, useMemo, useState } from 'react';
import type { Geometry } from 'geojson';
import type { LayerSpecification } from 'maplibre-gl';
import { CHECK_CODES, SEVERITIES, type ChecksResult, type CheckCode, type Finding, type Severity } from '../../../common/api/network.ts';
import { api } from '../../api/endpoints.ts';
import { isAbort } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { Icon } from '../Icon.tsx';
import { keepLayers } from '../profile/mapOverlay.ts';
import { checksActions, useChecksState, type ChecksScope } from './checksStore.ts';
import { findingReason } from './checkWords.ts';

export const CHECKS_SOURCE = 'network-checks';
const SEVERITY_COLOUR: Record<Severity, string> = { error: '#e03131', warning: '#f08c00', info: '#868e96' };
const LIST_SHOWN = 300;

const checkLayers = (): LayerSpecification[] => [{
  id: 'network-checks-point', type: 'circle', source: CHECKS_SOURCE,
  paint: {
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 8],
    'circle-color': ['match', ['get', 'severity'], 'error', SEVERITY_COLOUR.error, 'warning', SEVERITY_COLOUR.warning, SEVERITY_COLOUR.info],
    'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
  },
}];

type Load = { state: 'loading' } | { state: 'ready'; result: ChecksResult } | { state: 'error'; message: string };

function ChecksPanel({ onSelect }: { onSelect(layer: string, id: string | number, geometry?: Geometry | null): void }) {
  const i = useI18n();
  const { t, num } = i;
  const { map } = useMapHandle();
  const { scope } = useChecksState();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [severities, setSeverities] = useState<Set<Severity>>(new Set(SEVERITIES));
  const [code, setCode] = useState<CheckCode | ''>('');
  const [run, setRun] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ state: 'loading' });
    const b = map?.getBounds();
    const params = scope.kind === 'import' ? { import: scope.id }
      : scope.kind === 'view' && b ? { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',') } : {};
    api.checks(params, ctl.signal).then((result) => setLoad({ state: 'ready', result }))
      .catch((e: unknown) => { if (!isAbort(e)) setLoad({ state: 'error', message: (e as Error).message }); });
    return () => ctl.abort();
  }, [scope, run, map]);

  const shown = useMemo(() => (load.state === 'ready'
    ? load.result.findings.filter((f) => severities.has(f.severity) && (!code || f.code === code)) : []), [load, severities, code]);

  useEffect(() => {
    if (!map) return;
    const fc = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: shown.map((f) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [f.lon, f.lat] }, properties: { severity: f.severity, code: f.code },
    })) });
    const kept = keepLayers(map, checkLayers, { [CHECKS_SOURCE]: fc() });
    return () => kept.remove();
  }, [map, shown]);

  const pick = (s: ChecksScope) => checksActions.scope(s);
  const open = (f: Finding) => {
    const geometry: Geometry = { type: 'Point', coordinates: [f.lon, f.lat] };
    if (f.pipe) onSelect('pipes', f.pipe.id, geometry);
    else if (f.manhole) onSelect('manholes', f.manhole.id, geometry);
    map?.easeTo({ center: [f.lon, f.lat], zoom: Math.max(map.getZoom(), 17) });
  };

  return (
    <aside className="panel tool-panel checks-panel" data-testid="checks-panel" data-state={load.state} aria-label={t('check.title')}>
      <header className="panel-header">
        <h2><Icon name="warning" /> {t('check.title')}</h2>
        <div className="header-actions">
          <button type="button" className="button small" onClick={() => setRun(run + 1)} data-testid="checks-rerun">{t('check.rerun')}</button>
          <button type="button" className="button small" onClick={checksActions.close}>{t('common.close')}</button>
        </div>
      </header>
      <div className="panel-body">
        <div className="chip-list checks-scope" role="radiogroup" aria-label={t('check.scope')}>
          <button type="button" className={`chip${scope.kind === 'network' ? ' active' : ''}`} onClick={() => pick({ kind: 'network' })} data-testid="checks-scope-network">{t('check.scope.network')}</button>
          <button type="button" className={`chip${scope.kind === 'view' ? ' active' : ''}`} onClick={() => pick({ kind: 'view' })} data-testid="checks-scope-view">{t('check.scope.view')}</button>
          {scope.kind === 'import' && <span className="chip active">{t('check.scope.import', { id: scope.id })}</span>}
        </div>
        {load.state === 'loading' && <p className="muted"><span className="spinner" /> {t('common.loading')}</p>}
        {load.state === 'error' && <p className="details-error" role="alert"><Icon name="warning" /> {t('check.failed')} <span className="muted">{load.message}</span></p>}
        {load.state === 'ready' && (
          <>
            <p className="muted" data-testid="checks-total">{t('check.total', { n: num(load.result.total), ms: num(load.result.timing_ms) })}</p>
            <div className="checks-filter">
              {SEVERITIES.map((s) => (
                <label key={s} className="check-severity">
                  <input type="checkbox" checked={severities.has(s)} data-testid={`checks-severity-${s}`} onChange={(e) => {
                    const next = new Set(severities);
                    if (e.target.checked) next.add(s); else next.delete(s);
                    setSeverities(next);
                  }} />
                  <span className={`severity-dot severity-${s}`} /> {t(`check.severity.${s}` as MessageKey)}
                </label>
              ))}
              <select value={code} onChange={(e) => setCode(e.target.value as CheckCode | '')} data-testid="checks-code" aria-label={t('check.code')}>
                <option value="">{t('check.allCodes')}</option>
                {CHECK_CODES.map((c) => <option key={c} value={c}>{t(`check.${c}` as MessageKey)} ({num(load.result.counts[c] ?? 0)})</option>)}
              </select>
            </div>
            {shown.length === 0 ? <p className="muted" data-testid="checks-none">{t('check.none')}</p> : (
              <ul className="ref-list checks-list" data-testid="checks-list">
                {shown.slice(0, LIST_SHOWN).map((f, k) => (
                  <li key={k} data-testid="check-finding" data-code={f.code}>
                    <span className={`severity-dot severity-${f.severity}`} title={t(`check.severity.${f.severity}` as MessageKey)} />{' '}
                    <strong>{t(`check.${f.code}` as MessageKey)}</strong>{' '}
                    <button type="button" className="link-button" onClick={() => open(f)}>{f.pipe?.code ?? f.manhole?.code}</button>
                    <div className="muted check-reason">{findingReason(f, i)}</div>
                  </li>
                ))}
              </ul>
            )}
            {(shown.length > LIST_SHOWN || load.result.truncated) && <p className="muted">{t('check.listed', { n: num(Math.min(shown.length, LIST_SHOWN)) })}</p>}
          </>
        )}
      </div>
    </aside>
  );
}

export default ChecksPanel;
