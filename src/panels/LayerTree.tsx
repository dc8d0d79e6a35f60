// The layer tree: folders of layers, each with a toggle, its legend, an opacity slider, the number of
// features in view and its loading state; options (pipe colouring, density mode, vehicle replay) under
// the layer they change. Everything here is state in the URL except the replay clock.
import { useEffect, useState, type Dispatch } from 'react';
import type { ImportLayer } from '../../server/importers/layers/names.ts';
import { allEmpty, useDataLayers } from '../api/dataLayers.ts';
import { getJson } from '../api/client.ts';
import type { Me } from '../../common/api/auth.ts';
import { useI18n } from '../i18n/index.tsx';
import { CATALOG, isDrawn, type CatalogEntry, type LayerId } from '../layers/catalog.ts';
import { DENSITY_MODES, PIPE_COLOR_MODES } from '../layers/types.ts';
import { styleContext } from '../map/style.ts';
import type { Theme } from '../map/palette.ts';
import { useMapHandle } from '../map/MapContext.ts';
import { useMapZoom } from '../map/hooks.ts';
import { EMBEDDED, type useBasemap } from '../prefs/basemap.ts';
import type { MapUiAction, MapUiState } from '../state.ts';
import { Icon } from './Icon.tsx';
import { LegendList, LegendSymbol } from './Legend.tsx';

export interface LayerStatus {
  state: 'idle' | 'loading' | 'ready' | 'error' | 'restricted';
  count?: number;
  aggregated?: boolean;
  message?: string;
}

interface Props {
  state: MapUiState;
  dispatch: Dispatch<MapUiAction>;
  status: Partial<Record<string, LayerStatus>>;
  theme: Theme;
  playback: { playing: boolean; speed: number };
  onPlayback(p: { playing: boolean; speed: number }): void;
  replay: { t: number; from: number; to: number } | null;
  /** The external basemaps offered and the one chosen (prefs/basemap.ts). */
  basemaps: Pick<ReturnType<typeof useBasemap>, 'list' | 'choice' | 'choose'>;
  /** Opens the import dialog for a layer (a layer with no rows says "not imported — import"). */
  onImportLayer(layer: ImportLayer): void;
}

/** Roles that may import (POST /api/imports). */
const MAY_IMPORT = new Set(['planner', 'admin']);

/** Whether the account may import; asked only once some layer is empty (an anonymous visitor's 401 otherwise for nothing). */
function useMayImport(ask: boolean): boolean {
  const [may, setMay] = useState(false);
  useEffect(() => {
    if (!ask) return;
    const ctrl = new AbortController();
    getJson<Me>('/api/auth/me', ctrl.signal).then((r) => setMay(MAY_IMPORT.has(r.user.role)), () => setMay(false));
    return () => ctrl.abort();
  }, [ask]);
  return may;
}

const SPEEDS = [1, 10, 60];

export function LayerTree(props: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(true);
  const [closedFolders, setClosedFolders] = useState<Set<string>>(new Set());
  const { state, dispatch } = props;
  const presence = useDataLayers();
  const mayImport = useMayImport(!!presence && [...presence.values()].some((l) => !l.loaded));

  return (
    <section className={`panel layer-tree${open ? '' : ' collapsed'}`} data-testid="layer-panel" aria-label={t('panel.layers')}>
      <header className="panel-header">
        <h2><Icon name="layers" /> {t('panel.layers')}</h2>
        <button
          type="button"
          className="icon-button"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          title={t(open ? 'panel.collapse' : 'panel.expand')}
          data-testid="layer-panel-collapse"
        >
          <Icon name={open ? 'minus' : 'plus'} />
        </button>
      </header>
      {open && (
        <div className="layer-tree-body">
          {CATALOG.map((folder) => {
            const ids = folder.entries.map((e) => e.id);
            const on = ids.filter((id) => state.visible.has(id)).length;
            const folderOpen = !closedFolders.has(folder.id);
            return (
              <div key={folder.id} className="tree-folder" data-testid={`folder-${folder.id}`}>
                <div className="folder-row">
                  <button type="button" className="icon-button chevron-button" aria-expanded={folderOpen}
                    aria-label={folderOpen ? t('panel.collapse') : t('panel.expand')}
                    onClick={() => setClosedFolders((s) => {
                      const n = new Set(s);
                      if (n.has(folder.id)) n.delete(folder.id);
                      else n.add(folder.id);
                      return n;
                    })}>
                    <span className={`chevron${folderOpen ? ' open' : ''}`}><Icon name="chevron" /></span>
                  </button>
                  <label className="folder-label">
                    <input
                      type="checkbox"
                      checked={on === ids.length}
                      ref={(el) => {
                        if (el) el.indeterminate = on > 0 && on < ids.length;
                      }}
                      onChange={(e) => dispatch({ type: 'toggleMany', ids, on: e.currentTarget.checked })}
                      data-testid={`folder-toggle-${folder.id}`}
                    />
                    <span>{t(folder.labelKey)}</span>
                  </label>
                </div>
                {folderOpen && (
                  <ul className="layer-list">
                    {folder.entries.map((entry) => {
                      // Every data layer it draws is empty: say so, and how to fill it, instead of an empty map.
                      // (A child layer under a parent that says so already says nothing.)
                      const missing = allEmpty(presence, entry.data) && !(entry.parent && allEmpty(presence, folder.entries.find((p) => p.id === entry.parent)?.data ?? []));
                      const into = missing ? entry.data.map((d) => presence?.get(d)?.import_layer).find((l) => l) ?? null : null;
                      return <LayerRow key={entry.id} entry={entry} {...props} missing={missing} importInto={mayImport ? into : null} />;
                    })}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}

function LayerRow({ entry, state, dispatch, status, theme, playback, onPlayback, replay, basemaps, onImportLayer, missing, importInto }:
  Props & { entry: CatalogEntry; missing: boolean; importInto: ImportLayer | null }) {
  const { t, num, date, lang } = useI18n();
  const { map } = useMapHandle();
  const zoom = useMapZoom(map);
  const [expanded, setExpanded] = useState(false);
  const ctx = styleContext({ theme, pipeColor: state.pipeColor });
  const legend = entry.legend(ctx);
  const checked = state.visible.has(entry.id);
  const drawn = isDrawn(entry.id, state.visible);
  const parentOff = entry.parent !== undefined && !state.visible.has(entry.parent);
  const belowZoom = entry.minzoom !== undefined && zoom !== null && zoom < entry.minzoom;
  const st = drawn ? status[entry.id] : undefined;
  const opacity = Math.round((state.opacity[entry.id] ?? 1) * 100);
  const setOpacity = (v: number) => dispatch({ type: 'opacity', id: entry.id as LayerId, value: v / 100 });

  return (
    <li className={`layer-item${entry.parent ? ' child' : ''}${parentOff ? ' disabled' : ''}`} data-testid={`layer-${entry.id}`}>
      <div className="layer-row">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => dispatch({ type: 'toggle', id: entry.id, on: e.currentTarget.checked })}
          data-testid={`layer-toggle-${entry.id}`}
          id={`layer-toggle-${entry.id}`}
        />
        <span className="layer-swatch">{legend[0] && <LegendSymbol item={legend[0]} />}</span>
        <label className="layer-name" htmlFor={`layer-toggle-${entry.id}`}>{t(entry.labelKey)}</label>
        {st?.state === 'loading' && <span className="spinner small" title={t('common.loading')} data-testid={`layer-loading-${entry.id}`} />}
        {st?.state === 'error' && (
          <span className="layer-error" title={`${t('layer.loadFailed')}${st.message ? `: ${st.message}` : ''}`} data-testid={`layer-error-${entry.id}`}>
            <Icon name="warning" />
          </span>
        )}
        {st?.state === 'restricted' && (
          <span className="layer-missing" data-testid={`layer-restricted-${entry.id}`} title={t('layer.restrictedHint')}>{t('layer.restricted')}</span>
        )}
        {missing && (importInto ? (
          <button type="button" className="layer-missing link-button" data-testid={`layer-missing-${entry.id}`}
            title={t('data.missingImportHint')} onClick={() => onImportLayer(importInto)}>
            {t('data.missingImport')}
          </button>
        ) : (
          <span className="layer-missing" data-testid={`layer-missing-${entry.id}`} title={t('data.missingHint')}>{t('data.missing')}</span>
        ))}
        {!missing && drawn && belowZoom && <span className="layer-hint" title={t('layer.minzoomHint', { z: entry.minzoom ?? 0 })}>z{entry.minzoom}+</span>}
        {!missing && drawn && !belowZoom && st?.count !== undefined && (
          <span className="layer-count" title={t(st.aggregated ? 'layer.countAggregated' : 'layer.countInView')} data-testid={`layer-count-${entry.id}`}>
            {st.aggregated ? '≈' : ''}{num(st.count)}
          </span>
        )}
        <button type="button" className="icon-button chevron-button" aria-expanded={expanded}
          title={t(expanded ? 'layer.hideLegend' : 'layer.showLegend')} data-testid={`layer-expand-${entry.id}`}
          onClick={() => setExpanded(!expanded)}>
          <span className={`chevron${expanded ? ' open' : ''}`}><Icon name="chevron" /></span>
        </button>
      </div>
      {entry.options === 'pipeColor' && checked && (
        <div className="segmented" role="radiogroup" aria-label={t('pipes.colorBy')} data-testid="pipe-color-mode">
          {PIPE_COLOR_MODES.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={state.pipeColor === m} className={state.pipeColor === m ? 'on' : ''}
              data-testid={`pipe-color-${m}`} onClick={() => dispatch({ type: 'pipeColor', mode: m })}>
              {t(`pipes.color.${m}` as const)}
            </button>
          ))}
        </div>
      )}
      {entry.options === 'densityMode' && checked && (
        <div className="segmented" role="radiogroup" aria-label={t('density.mode')} data-testid="density-mode">
          {DENSITY_MODES.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={state.densityMode === m} className={state.densityMode === m ? 'on' : ''}
              data-testid={`density-${m}`} onClick={() => dispatch({ type: 'densityMode', mode: m })}>
              {t(`density.${m}` as const)}
            </button>
          ))}
        </div>
      )}
      {entry.options === 'basemapSource' && checked && basemaps.list.length > 0 && (
        <div className="basemap-switch" data-testid="basemap-switch">
          <select value={basemaps.choice.id} aria-label={t('basemap.source')} data-testid="basemap-source"
            onChange={(e) => basemaps.choose({ ...basemaps.choice, id: e.currentTarget.value })}>
            <option value={EMBEDDED}>{t('basemap.embedded')}</option>
            {basemaps.list.map((b) => <option key={b.id} value={b.id}>{lang === 'zh' ? b.name_zh : b.name_en}</option>)}
          </select>
          {basemaps.choice.id !== EMBEDDED && (
            <label className="basemap-labels">
              <input type="checkbox" checked={basemaps.choice.labels} data-testid="basemap-labels"
                onChange={(e) => basemaps.choose({ ...basemaps.choice, labels: e.currentTarget.checked })} />
              <span>{t('basemap.overlayLabels')}</span>
            </label>
          )}
          {basemaps.choice.id !== EMBEDDED && <span className="layer-note" data-testid="basemap-attribution">{basemaps.list.find((b) => b.id === basemaps.choice.id)?.attribution}</span>}
        </div>
      )}
      {entry.options === 'playback' && checked && (
        <div className="playback" data-testid="vehicle-playback">
          <button type="button" className="icon-button" onClick={() => onPlayback({ ...playback, playing: !playback.playing })}
            title={t(playback.playing ? 'vehicles.pause' : 'vehicles.play')} data-testid="vehicle-play">
            <Icon name={playback.playing ? 'pause' : 'play'} />
          </button>
          <select value={playback.speed} aria-label={t('vehicles.speed')} onChange={(e) => onPlayback({ ...playback, speed: Number(e.currentTarget.value) })}>
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
          <span className="replay-time" title={t('vehicles.replayHint')}>
            {replay ? date(replay.t * 1000) : '—'}
          </span>
        </div>
      )}
      {expanded && (
        <div className="layer-details">
          <LegendList items={legend} />
          {entry.options === 'pipeColor' && state.pipeColor !== 'usage' && <p className="layer-note">{t('legend.gradeFromZ14')}</p>}
          {entry.minzoom !== undefined && <p className="layer-note">{t('layer.minzoomHint', { z: entry.minzoom })}</p>}
          {entry.parent && <p className="layer-note">{t('layer.childHint')}</p>}
          <label className="opacity-row">
            <span>{t('layer.opacity')}</span>
            <input type="range" min={0} max={100} step={5} value={opacity} onChange={(e) => setOpacity(Number(e.currentTarget.value))}
              data-testid={`layer-opacity-${entry.id}`} aria-label={`${t(entry.labelKey)} ${t('layer.opacity')}`} />
            <output>{opacity}%</output>
          </label>
        </div>
      )}
    </li>
  );
}
