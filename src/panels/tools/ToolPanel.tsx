// The tools panel (loaded on first use): measure a distance or an area, or draw a polygon or circle and
// list the features of chosen layers inside it (/api/query/within), then export them as CSV or GeoJSON.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { api } from '../../api/endpoints.ts';
import { isAbort } from '../../api/client.ts';
import type { WithinResult } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { FEATURE_LAYERS, type LayerId } from '../../layers/catalog.ts';
import { featureTitle } from '../../map/identify.ts';
import { layerColors } from '../../map/palette.ts';
import { useMapHandle } from '../../map/MapContext.ts';
import { geometryBbox } from '../../map/geom.ts';
import { keepInFreeArea } from '../analysis/flyTo.ts';
import { Icon } from '../Icon.tsx';
import { fieldLabel, formatValue } from '../format.ts';
import { circleRadiusM, DrawSession, shapeFeatures, type DrawKind, type Shape } from './draw.ts';
import { download, timestamp } from './download.ts';
import { columnsOf, selectionCsv, selectionGeoJson } from './exporters.ts';
import { formatArea, formatDistance, measure, measureLabels } from './measure.ts';
import type { ToolId } from './toolIds.ts';

const QUERY_LIMIT = 5000;
const TABLE_ROWS = 300;

const KIND: Record<ToolId, DrawKind> = {
  'measure-line': 'line',
  'measure-area': 'polygon',
  'select-polygon': 'polygon',
  'select-circle': 'circle',
};

interface Props {
  tool: ToolId;
  onTool(t: ToolId | null): void;
  visible: ReadonlySet<LayerId>;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
}

type Query =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'done'; result: WithinResult };

export default function ToolPanel({ tool, onTool, visible, onSelect }: Props) {
  const i = useI18n();
  const { t } = i;
  const { map } = useMapHandle();
  const [shape, setShape] = useState<Shape | null>(null);
  const session = useRef<DrawSession | null>(null);
  const isSelect = tool.startsWith('select');
  const [layers, setLayers] = useState<Set<string>>(() => {
    const on = FEATURE_LAYERS.filter((m) => visible.has(m.id) && m.features?.preselect !== false).map((m) => m.id);
    return new Set(on.length ? on : ['pipes', 'manholes']);
  });
  const [query, setQuery] = useState<Query>({ state: 'idle' });
  const [tab, setTab] = useState<string | null>(null);

  useEffect(() => {
    if (!map) return;
    const s = new DrawSession(map, {
      kind: KIND[tool],
      color: isSelect ? layerColors.draw : layerColors.measure,
      onChange: (sh) => setShape({ ...sh }),
      annotate: isSelect && tool !== 'select-circle' ? undefined : measureLabels,
    });
    session.current = s;
    setQuery({ state: 'idle' });
    (window as unknown as { __onemapTool?: unknown }).__onemapTool = {
      addPoint: (lon: number, lat: number) => s.addPoint([lon, lat]),
      finish: () => s.finish(),
    };
    return () => {
      s.destroy();
      session.current = null;
      delete (window as unknown as { __onemapTool?: unknown }).__onemapTool;
    };
  }, [map, tool]);

  // Run the query when a selection shape is finished, and again when the chosen layers change.
  const done = shape?.done ?? false;
  const shapeKey = done ? JSON.stringify(shape?.points) : '';
  useEffect(() => {
    if (!isSelect || !done || !shape) return;
    if (layers.size === 0) {
      setQuery({ state: 'idle' });
      return;
    }
    const abort = new AbortController();
    setQuery({ state: 'loading' });
    const body = shape.kind === 'circle'
      ? { layers: [...layers], circle: { lon: shape.points[0][0], lat: shape.points[0][1], radius_m: Math.round(circleRadiusM(shape) * 10) / 10 }, limit: QUERY_LIMIT }
      : { layers: [...layers], geometry: { type: 'Polygon', coordinates: [[...shape.points, shape.points[0]]] } as Polygon, limit: QUERY_LIMIT };
    api.within(body, abort.signal)
      .then((result) => {
        setQuery({ state: 'done', result });
        setTab((cur) => (cur && result.features[cur] ? cur : Object.keys(result.features).find((k) => result.features[k].features.length) ?? null));
      })
      .catch((e: unknown) => {
        if (!isAbort(e)) setQuery({ state: 'error', message: (e as Error).message });
      });
    return () => abort.abort();
  }, [isSelect, shapeKey, [...layers].sort().join(',')]);

  // The results table opens over the lower map: once it has its height, bring the shape into what is left.
  useEffect(() => {
    if (!map || !shape || query.state !== 'done') return;
    const frame = requestAnimationFrame(() => {
      const b = geometryBbox({ type: 'GeometryCollection', geometries: shapeFeatures(shape, '').map((f) => f.geometry) });
      if (b) keepInFreeArea(map, b);
    });
    return () => cancelAnimationFrame(frame);
  }, [query.state, shapeKey]);

  const m = shape ? measure(shape) : null;
  const result = query.state === 'done' ? query.result : null;
  const nonEmpty = result ? Object.entries(result.features).filter(([, fc]) => fc.features.length > 0) : [];
  const total = result ? Object.values(result.counts).reduce((s, n) => s + n, 0) : 0;

  const exportAs = (format: 'csv' | 'geojson') => {
    if (!result || !shape) return;
    const chosen = Object.fromEntries(nonEmpty) as Record<string, FeatureCollection>;
    const name = `wuchang-selection-${timestamp()}`;
    if (format === 'csv') download(`${name}.csv`, 'text/csv;charset=utf-8', selectionCsv(chosen));
    else {
      download(`${name}.geojson`, 'application/geo+json', selectionGeoJson(chosen, {
        synthetic: true, source: 'Wuchang One-Map', exported_at: new Date().toISOString(),
        selection: shape.kind === 'circle' ? { circle: { center: shape.points[0], radius_m: circleRadiusM(shape) } } : { polygon: [...shape.points, shape.points[0]] },
        counts: result.counts,
      }));
    }
  };

  const hint = !shape || shape.points.length === 0
    ? t(tool === 'select-circle' ? 'tools.hintCircleStart' : 'tools.hintStart')
    : shape.done ? t('tools.hintDone') : t(tool === 'select-circle' ? 'tools.hintCircleEnd' : 'tools.hintNext');

  return (
    <aside className={`panel tool-panel${isSelect ? ' wide' : ''}${query.state !== 'idle' ? ' has-results' : ''}`} data-testid="tool-panel" data-tool={tool}>
      <header className="panel-header">
        <h2>{t(`tool.${tool}.title` as const)}</h2>
        <div className="header-actions">
          {shape && shape.points.length > 0 && (
            <button type="button" className="button small" onClick={() => session.current?.reset()} data-testid="tool-reset">{t('tools.redraw')}</button>
          )}
          {shape && !shape.done && shape.points.length >= (shape.kind === 'polygon' ? 3 : 2) && (
            <button type="button" className="button small primary" onClick={() => session.current?.finish()} data-testid="tool-finish">{t('tools.finish')}</button>
          )}
          <button type="button" className="icon-button" onClick={() => onTool(null)} title={t('common.close')} aria-label={t('common.close')} data-testid="tool-close">
            <Icon name="close" />
          </button>
        </div>
      </header>
      <div className={`panel-body${isSelect ? ' select-body' : ''}`}>
        <div className="select-controls">
          <p className="tool-hint" data-testid="tool-hint">{hint}</p>
          {!isSelect && m && (
            <dl className="facts measure-result" data-testid="measure-result">
              {tool === 'measure-line' ? (
                <div className="fact"><dt>{t('tools.length')}</dt><dd data-testid="measure-length">{formatDistance(m.lengthM)}</dd></div>
              ) : (
                <>
                  <div className="fact"><dt>{t('tools.area')}</dt><dd data-testid="measure-area">{m.areaM2 !== null ? formatArea(m.areaM2) : '—'}</dd></div>
                  <div className="fact"><dt>{t('tools.perimeter')}</dt><dd>{m.perimeterM !== null ? formatDistance(m.perimeterM) : '—'}</dd></div>
                </>
              )}
              <div className="fact"><dt>{t('tools.vertices')}</dt><dd>{shape?.points.length ?? 0}</dd></div>
            </dl>
          )}
          {isSelect && shape && shape.kind === 'circle' && m && m.lengthM > 0 && (
            <p className="muted">{t('tools.radius')} {formatDistance(m.lengthM)} · {t('tools.area')} {formatArea(m.areaM2 ?? 0)}</p>
          )}
          {isSelect && shape && shape.kind === 'polygon' && m?.areaM2 && <p className="muted">{t('tools.area')} {formatArea(m.areaM2)}</p>}
          {isSelect && (
            <fieldset className="layer-choice" data-testid="select-layers">
              <legend>{t('tools.layersToQuery')}</legend>
              {FEATURE_LAYERS.map(({ id: l, labelKey }) => (
                <label key={l} className="chip">
                  <input type="checkbox" checked={layers.has(l)} data-testid={`select-layer-${l}`}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setLayers((s) => {
                        const n = new Set(s);
                        if (on) n.add(l);
                        else n.delete(l);
                        return n;
                      });
                    }} />
                  {t(labelKey)}
                  {result?.counts[l] !== undefined && <span className="chip-count">{i.num(result.counts[l])}</span>}
                </label>
              ))}
            </fieldset>
          )}
        </div>
        {isSelect && (
          <div className="select-results">
            {query.state === 'idle' && !result && <p className="muted select-empty">{t('tools.selectHint')}</p>}
            {query.state === 'loading' && <p className="muted" data-testid="select-loading"><span className="spinner" /> {t('tools.querying')}</p>}
            {query.state === 'error' && (
              <p className="inline-error" role="alert" data-testid="select-error">
                <Icon name="warning" /> {t('tools.queryFailed')} <span className="muted">{query.message}</span>
              </p>
            )}
            {result && (
              <div className="selection-result" data-testid="selection-result">
                <div className="selection-summary">
                  <span data-testid="selection-total">{t('tools.found', { n: i.num(total) })}</span>
                  <span className="spacer" />
                  <button type="button" className="button small" disabled={!nonEmpty.length} onClick={() => exportAs('csv')} data-testid="export-csv">
                    <Icon name="download" /> CSV
                  </button>
                  <button type="button" className="button small" disabled={!nonEmpty.length} onClick={() => exportAs('geojson')} data-testid="export-geojson">
                    <Icon name="download" /> GeoJSON
                  </button>
                </div>
                {nonEmpty.length > 0 && (
                  <div className="tabs" role="tablist">
                    {nonEmpty.map(([l, fc]) => (
                      <button key={l} type="button" role="tab" aria-selected={tab === l} className={tab === l ? 'on' : ''} onClick={() => setTab(l)} data-testid={`result-tab-${l}`}>
                        {i.tr(`layer.${l}`, l)} <span className="chip-count">{i.num(result.counts[l] ?? fc.features.length)}</span>
                      </button>
                    ))}
                  </div>
                )}
                {tab && result.features[tab] && (
                  <ResultTable layer={tab} features={result.features[tab].features} total={result.counts[tab] ?? 0} onSelect={onSelect} />
                )}
              </div>
            )}
          </div>
        )}
      </div>
    </aside>
  );
}

function ResultTable({ layer, features, total, onSelect }: { layer: string; features: Feature[]; total: number; onSelect: Props['onSelect'] }) {
  const i = useI18n();
  const { map } = useMapHandle();
  const cols = useMemo(() => columnsOf(features.slice(0, 200)).filter((c) => c !== 'id').slice(0, 8), [features]);
  const rows = features.slice(0, TABLE_ROWS);
  return (
    <div className="result-table-wrap">
      <table className="result-table" data-testid="result-table">
        <thead>
          <tr>
            <th>id</th>
            {cols.map((c) => <th key={c}>{fieldLabel(c, i)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((f, k) => {
            const p = (f.properties ?? {}) as Record<string, unknown>;
            const id = (f.id ?? p.id ?? p.code) as string | number;
            return (
              <tr key={`${id}-${k}`} data-testid="result-row" title={featureTitle(layer, p, i)}
                onClick={() => {
                  onSelect(layer, layer === 'grids' ? String(p.code ?? id) : id, f.geometry);
                  const b = f.geometry && geometryBbox(f.geometry);
                  if (map && b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 160, maxZoom: 18 });
                }}>
                <td>{String(id)}</td>
                {cols.map((c) => <td key={c}>{formatValue(c, p[c], i)}</td>)}
              </tr>
            );
          })}
        </tbody>
      </table>
      {(features.length > TABLE_ROWS || total > features.length) && (
        <p className="muted table-note">
          {i.t('tools.tableNote', { shown: i.num(rows.length), returned: i.num(features.length), total: i.num(total) })}
        </p>
      )}
    </div>
  );
}
