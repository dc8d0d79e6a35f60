// The desktop one-map (`/`): the map, the layer tree, search, identify, tools and the status bar.
import { lazy, Suspense, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Geometry } from 'geojson';
import { useServerHealth } from './api/health.ts';
import type { EditLayer } from '../common/enums.ts';
import type { DeckLayerId } from './layers/catalog.ts';
import { MapView, type FeatureHit, type HoverHit, type IdentifyHit } from './map/MapView.tsx';
import { MapContext, type MapHandle } from './map/MapContext.ts';
import type { LayerCount } from './map/counts.ts';
import { useViewCounts } from './map/useViewCounts.ts';
import type { DeckController, FeedState } from './map/deck/DeckController.ts';
import { readUrlState, writeUrlState } from './map/urlState.ts';
import { useBasemap } from './prefs/basemap.ts';
import { useTheme } from './prefs/theme.ts';
import { mapUiReducer } from './state.ts';
import { HoverTooltip } from './panels/HoverTooltip.tsx';
import { LayerTree, type LayerStatus } from './panels/LayerTree.tsx';
import { LoadingBar } from './panels/LoadingBar.tsx';
import { MapControls } from './panels/MapControls.tsx';
import { View3DControls } from './panels/View3DControls.tsx';
import { PanelErrorBoundary } from './panels/PanelErrorBoundary.tsx';
import { ServerBanner } from './panels/ServerBanner.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { TopBar } from './panels/TopBar.tsx';
import type { ToolId } from './panels/tools/toolIds.ts';
import { CasesButton } from './panels/cases/CasesButton.tsx';
import { OverdueRing } from './panels/cases/OverdueRing.tsx';
import { ChecksButton } from './panels/checks/ChecksButton.tsx';
import { checksActions, useChecksState } from './panels/checks/checksStore.ts';
import { useProfileState } from './panels/profile/profileStore.ts';
import { traceKey, type TraceRequest } from './panels/trace/traceRequest.ts';
import type { ImportLayer } from '../server/importers/layers/names.ts';

// Tools (measure, draw and select, export), the drainage analysis and the import dialog load when first used.
const ToolPanel = lazy(() => import('./panels/tools/ToolPanel.tsx'));
const AnalysisPanel = lazy(() => import('./panels/analysis/AnalysisPanel.tsx'));
const ImportDialog = lazy(() => import('./panels/imports/ImportDialog.tsx'));
const EditPanel = lazy(() => import('./panels/edit/EditPanel.tsx'));
// Cases, KPIs and administration: the city-management work area, loaded when first opened.
const CasesPanel = lazy(() => import('./panels/cases/CasesPanel.tsx'));
// The longitudinal profile under the map, loaded when a profile is first asked for.
const ProfileDock = lazy(() => import('./panels/profile/ProfileDock.tsx').then((m) => ({ default: m.ProfileDock })));
// The network design checks, loaded when first opened.
const ChecksPanel = lazy(() => import('./panels/checks/ChecksPanel.tsx'));
// What a click opens (a feature's details with its charts and stream player, the chooser, a trace): not
// on the screen of a first load, so not in its JavaScript.
const DetailsPanel = lazy(() => import('./panels/details/DetailsPanel.tsx').then((m) => ({ default: m.DetailsPanel })));
const HitChooser = lazy(() => import('./panels/HitChooser.tsx').then((m) => ({ default: m.HitChooser })));
const TracePanel = lazy(() => import('./panels/trace/TracePanel.tsx').then((m) => ({ default: m.TracePanel })));

export function App() {
  const [ui, dispatch] = useReducer(mapUiReducer, undefined, readUrlState);
  const profile = useProfileState();
  const [theme, setTheme] = useTheme();
  const server = useServerHealth();
  const [handle, setHandle] = useState<MapHandle>({ map: null, deck: null });
  const [tool, setTool] = useState<ToolId | null>(null);
  const [hover, setHover] = useState<HoverHit | null>(null);
  const [counts, setCounts] = useState<Partial<Record<string, LayerCount>>>({});
  const [deckStatus, setDeckStatus] = useState<Partial<Record<DeckLayerId, FeedState>>>({});
  const [loading, setLoading] = useState(true);
  const [sourceErrors, setSourceErrors] = useState<Partial<Record<string, string>>>({});
  const onSourceError = useCallback((source: string, message: string | null) => {
    setSourceErrors((prev) => {
      if ((prev[source] ?? null) === message) return prev;
      const next = { ...prev };
      if (message === null) delete next[source];
      else next[source] = message;
      return next;
    });
  }, []);
  // Vehicles replay on their own unless the user asked for less motion (they can still press play).
  const [playback, setPlayback] = useState(() => ({ playing: !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches, speed: 10 }));
  const [replay, setReplay] = useState<{ t: number; from: number; to: number } | null>(null);
  const [selectionGeometry, setSelectionGeometry] = useState<Geometry | null>(null);
  const [identifyPoint, setIdentifyPoint] = useState<[number, number] | null>(null);
  // Several features under a click: the chooser lists them; the row under the pointer is ringed meanwhile.
  const [chooser, setChooser] = useState<{ hits: FeatureHit[]; point: [number, number] } | null>(null);
  const [previewGeometry, setPreviewGeometry] = useState<Geometry | null>(null);
  // The case list's detail column stands in for the details panel while the list is on screen.
  const [caseListShown, setCaseListShown] = useState(false);
  const [vehicleId, setVehicleId] = useState<number | null>(null);
  const [analysisOpen, setAnalysisOpen] = useState(false);
  // The import dialog, open for the network (true) or for a registry layer (the layer tree's "not imported" hint).
  const [importOpen, setImportOpen] = useState<false | ImportLayer>(false);
  // The edit mode owns the map's clicks, like a tool: one or the other.
  const [editOpen, setEditOpen] = useState(false);
  // The cases panel shares the bottom dock: it gives way to the analysis and the selection table while they are open.
  const [casesOpen, setCasesOpen] = useState(false);
  const [trace, setTrace] = useState<TraceRequest | null>(null);
  const [traceFeatures, setTraceFeatures] = useState<FeatureCollection | null>(null);
  const checks = useChecksState();

  // The selection table and the drainage analysis share the bottom dock: one at a time.
  const chooseTool = useCallback((next: ToolId | null) => {
    setTool(next);
    if (next) setEditOpen(false);
    if (next?.startsWith('select')) setAnalysisOpen(false);
  }, []);
  const toggleAnalysis = useCallback(() => {
    setAnalysisOpen((open) => {
      if (!open) setTool((cur) => (cur?.startsWith('select') ? null : cur));
      return !open;
    });
  }, []);
  const clearTrace = useCallback(() => {
    setTrace(null);
    setTraceFeatures(null);
  }, []);
  const toggleEdit = useCallback(() => {
    setEditOpen((open) => {
      if (!open) setTool(null);
      return !open;
    });
  }, []);
  const showEditLayer = useCallback((layer: EditLayer) => dispatch({ type: 'toggleMany', ids: [layer], on: true }), []);
  const showNetwork = useCallback(() => dispatch({ type: 'toggleMany', ids: ['pipes', 'manholes'], on: true }), []);

  useEffect(() => writeUrlState(ui), [ui]);
  useEffect(() => {
    // A pasted link in the same tab changes only the hash; MapLibre follows `map=`, we follow the rest.
    const onHashChange = () => dispatch({ type: 'replace', state: readUrlState() });
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const basemap = useBasemap();
  const style = useMemo(
    () => ({ theme, pipeColor: ui.pipeColor, visible: ui.visible, opacity: ui.opacity, basemap: basemap.active }),
    [theme, ui.pipeColor, ui.visible, ui.opacity, basemap.active],
  );
  const view3d = useMemo(() => ({ on: ui.view3d, exaggeration: ui.exaggeration }), [ui.view3d, ui.exaggeration]);
  const deck = useMemo(() => ({ densityMode: ui.densityMode, playing: playback.playing, speed: playback.speed }), [ui.densityMode, playback]);

  const onReady = useCallback((map: MapLibreMap | null) => setHandle((h) => ({ ...h, map })), []);
  const onDeck = useCallback((d: DeckController | null) => setHandle((h) => ({ ...h, deck: d })), []);
  const onDeckStatus = useCallback((id: DeckLayerId, s: FeedState) => setDeckStatus((prev) => ({ ...prev, [id]: s })), []);
  const onReplayTime = useCallback((t: number, from: number, to: number) => setReplay({ t, from, to }), []);

  const onIdentify = useCallback((hit: IdentifyHit) => {
    setPreviewGeometry(null);
    if (hit.kind === 'choose') {
      setChooser({ hits: hit.hits, point: hit.point });
      return;
    }
    setChooser(null);
    setIdentifyPoint(hit.lngLat);
    if (hit.kind === 'feature') {
      setVehicleId(null);
      setSelectionGeometry(hit.geometry);
      dispatch({ type: 'select', selection: hit.key });
    } else if (hit.kind === 'deck') {
      const o = hit.pick.object as Record<string, unknown>;
      if (hit.pick.kind === 'vehicle') {
        const track = (o as { track: { id: number } }).track;
        setVehicleId(track.id);
        setSelectionGeometry(null);
        dispatch({ type: 'select', selection: { layer: 'vehicles', id: String(track.id) } });
      } else if (hit.pick.kind === 'alarm') {
        const pos = o.position as [number, number];
        setSelectionGeometry({ type: 'Point', coordinates: pos });
        dispatch({ type: 'select', selection: { layer: 'sensors', id: String(o.id) } });
      } else if (hit.pick.kind === 'fov') {
        const cam = (o as { camera: { id: number; lon: number; lat: number } }).camera;
        setSelectionGeometry({ type: 'Point', coordinates: [cam.lon, cam.lat] });
        dispatch({ type: 'select', selection: { layer: 'cameras', id: String(cam.id) } });
      }
    } else {
      setSelectionGeometry(null);
      dispatch({ type: 'select', selection: null });
    }
  }, []);

  const select = useCallback((layer: string, id: string | number, geometry?: Geometry | null) => {
    setVehicleId(null);
    if (geometry !== undefined) setSelectionGeometry(geometry);
    dispatch({ type: 'select', selection: { layer, id: String(id) } });
  }, []);

  const closeChooser = useCallback(() => {
    setChooser(null);
    setPreviewGeometry(null);
  }, []);
  // The chooser stands next to the click: once the map moves it points at nothing.
  useEffect(() => {
    const map = handle.map;
    if (!map) return;
    map.on('movestart', closeChooser);
    return () => {
      map.off('movestart', closeChooser);
    };
  }, [handle.map, closeChooser]);

  const closeDetails = useCallback(() => {
    setSelectionGeometry(null);
    setVehicleId(null);
    dispatch({ type: 'select', selection: null });
  }, []);

  const densityOn = ui.visible.has('density');
  const exactCounts = useViewCounts(handle.map, counts, densityOn);
  const layerStatus = useMemo(() => {
    const out: Partial<Record<string, LayerStatus>> = {};
    for (const [id, c] of Object.entries(counts)) if (c) out[id] = { state: 'ready', count: c.total, aggregated: c.aggregated };
    for (const [id, n] of Object.entries(exactCounts)) if (out[id] && n !== undefined) out[id] = { state: 'ready', count: n, aggregated: false };
    for (const [id, s] of Object.entries(deckStatus)) if (s && s.state !== 'idle') out[id] = { state: s.state, count: s.count, message: s.message };
    // The density is drawn from the same cases: its figure is the case layer's.
    const density = out.density;
    if (density?.state === 'ready' && exactCounts.cases !== undefined) out.density = { ...density, count: exactCounts.cases };
    for (const [id, message] of Object.entries(sourceErrors)) if (message) out[id] = { ...out[id], state: 'error', message };
    return out;
  }, [counts, exactCounts, deckStatus, sourceErrors]);

  const mainRef = useRef<HTMLDivElement>(null);

  // Esc leaves a tool (when nothing is being drawn) or closes the details.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || (e.target as HTMLElement | null)?.tagName === 'INPUT') return;
      // With the chooser open, Esc closes only the chooser (it listens itself).
      if (!tool && ui.selection && !chooser) closeDetails();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tool, ui.selection, chooser, closeDetails]);

  return (
    <MapContext.Provider value={handle}>
      <div className="app" data-theme={theme} ref={mainRef}>
        <MapView
          style={style}
          deck={deck}
          reloadToken={server.recoveries}
          toolActive={tool !== null || editOpen}
          selection={previewGeometry ?? selectionGeometry}
          trace={traceFeatures}
          view3d={view3d}
          onReady={onReady}
          onDeck={onDeck}
          onIdentify={onIdentify}
          onHover={setHover}
          onDeckStatus={onDeckStatus}
          onReplayTime={onReplayTime}
          onCounts={setCounts}
          onLoading={setLoading}
          onSourceError={onSourceError}
        />
        <LoadingBar active={loading} />
        <TopBar
          theme={theme}
          onTheme={setTheme}
          tool={tool}
          onTool={chooseTool}
          onSelect={select}
          visible={ui.visible}
          pipeColor={ui.pipeColor}
          analysisOpen={analysisOpen}
          onAnalysis={toggleAnalysis}
          onImport={() => setImportOpen('pipes')}
          editOpen={editOpen}
          onEdit={toggleEdit}
          extraTools={<>
            <CasesButton open={casesOpen && !analysisOpen} onToggle={() => {
              setCasesOpen(!(casesOpen && !analysisOpen));
              setAnalysisOpen(false);
            }} />
            <ChecksButton />
          </>}
        />
        <LayerTree
          state={ui}
          dispatch={dispatch}
          status={layerStatus}
          theme={theme}
          playback={playback}
          onPlayback={setPlayback}
          replay={replay}
          basemaps={basemap}
          onImportLayer={setImportOpen}
        />
        {tool?.startsWith('select') && (
          // Selection results are a table: it gets the width at the bottom, like an attribute table.
          <div className="bottom-dock">
            <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="tool-panel-loading"><span className="spinner" /></div>}>
              <ToolPanel tool={tool} onTool={chooseTool} visible={ui.visible} onSelect={select} />
            </Suspense>
          </div>
        )}
        {casesOpen && !analysisOpen && !tool?.startsWith('select') && (
          <div className="bottom-dock cases-dock">
            <PanelErrorBoundary onClose={() => setCasesOpen(false)}>
              <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="cases-loading"><span className="spinner" /></div>}>
                <CasesPanel selectedCase={ui.selection?.layer === 'cases' ? Number(ui.selection.id) : null}
                  onSelect={select} onDeselect={closeDetails} onListShown={setCaseListShown} onClose={() => setCasesOpen(false)} />
              </Suspense>
            </PanelErrorBoundary>
          </div>
        )}
        {analysisOpen && !tool?.startsWith('select') && (
          <div className="bottom-dock analysis-dock">
            <PanelErrorBoundary onClose={() => setAnalysisOpen(false)}>
              <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="analysis-loading"><span className="spinner" /></div>}>
                <AnalysisPanel
                  selectedPipe={ui.selection?.layer === 'pipes' ? Number(ui.selection.id) : null}
                  onSelect={select}
                  onImport={() => setImportOpen('pipes')}
                  onClose={() => setAnalysisOpen(false)}
                />
              </Suspense>
            </PanelErrorBoundary>
          </div>
        )}
        {profile.request && <Suspense fallback={null}><ProfileDock /></Suspense>}
        <div className="right-dock">
          {checks.open && (
            <PanelErrorBoundary onClose={checksActions.close}>
              <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="checks-loading"><span className="spinner" /></div>}>
                <ChecksPanel onSelect={select} />
              </Suspense>
            </PanelErrorBoundary>
          )}
          {editOpen && (
            <PanelErrorBoundary onClose={() => setEditOpen(false)}>
              <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="edit-loading"><span className="spinner" /></div>}>
                <EditPanel onClose={() => setEditOpen(false)} onShowLayer={showEditLayer} />
              </Suspense>
            </PanelErrorBoundary>
          )}
          {tool && !tool.startsWith('select') && (
            <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="tool-panel-loading"><span className="spinner" /></div>}>
              <ToolPanel tool={tool} onTool={chooseTool} visible={ui.visible} onSelect={select} />
            </Suspense>
          )}
          {trace && (
            <PanelErrorBoundary key={traceKey(trace)} onClose={clearTrace}>
              <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="trace-loading"><span className="spinner" /></div>}>
                <TracePanel request={trace} onClear={clearTrace} onFeatures={setTraceFeatures} onSelect={select} />
              </Suspense>
            </PanelErrorBoundary>
          )}
          {ui.selection && !(caseListShown && ui.selection.layer === 'cases') && (
            <Suspense fallback={<div className="panel tool-panel loading-panel" data-testid="details-loading"><span className="spinner" /></div>}>
              <DetailsPanel
                key={`${ui.selection.layer}:${ui.selection.id}`}
                selection={ui.selection}
                vehicleId={vehicleId}
                clickedAt={identifyPoint}
                onClose={closeDetails}
                onGeometry={setSelectionGeometry}
                onSelect={select}
                onTrace={setTrace}
              />
            </Suspense>
          )}
        </div>
        {importOpen && (
          <PanelErrorBoundary onClose={() => setImportOpen(false)}>
            <Suspense fallback={null}>
              <ImportDialog layer={importOpen} onClose={() => setImportOpen(false)} onShowNetwork={showNetwork} />
            </Suspense>
          </PanelErrorBoundary>
        )}
        <OverdueRing />
        <MapControls extra={<View3DControls on={ui.view3d} exaggeration={ui.exaggeration}
          onToggle={(on) => dispatch({ type: 'view3d', on })} onExaggeration={(value) => dispatch({ type: 'exaggeration', value })} />} />
        <StatusBar />
        {hover && !tool && !editOpen && !chooser && <HoverTooltip hit={hover} />}
        {chooser && !tool && !editOpen && (
          <Suspense fallback={null}>
            <HitChooser hits={chooser.hits} point={chooser.point} onChoose={onIdentify}
              onHover={(h) => setPreviewGeometry(h?.geometry ?? null)} onClose={closeChooser} />
          </Suspense>
        )}
        {server.state === 'down' && <ServerBanner />}
      </div>
    </MapContext.Provider>
  );
}
