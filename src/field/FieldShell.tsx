// The field app once logged in: the map fills the phone; a sheet slides up over its lower part for the
// job at hand (nearby, report, my cases); the bar at the bottom switches jobs. State that must survive
// switching (the report being written, where I navigate to) lives here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CaseAction, CaseRow, NearestHit, SessionUser } from '../api/caseTypes.ts';
import { useI18n } from '../i18n/index.tsx';
import { MapContext, type MapHandle } from '../map/MapContext.ts';
import type { IdentifyHit } from '../map/MapView.tsx';
import type { Theme } from '../map/palette.ts';
import { itemName } from '../panels/cases/labels.ts';
import { OverdueRing } from '../panels/cases/OverdueRing.tsx';
import type { StepInput } from '../panels/cases/StepForm.tsx';
import { targetOf, useCatalogue } from '../panels/cases/useCatalogue.ts';
import { FeatureChip, type TappedFeature } from './FeatureChip.tsx';
import { FieldCaseCard } from './FieldCaseCard.tsx';
import { FieldHeader } from './FieldHeader.tsx';
import { FieldMap } from './FieldMap.tsx';
import { FieldTabs, type FieldTab } from './FieldTabs.tsx';
import { GridBadge } from './GridBadge.tsx';
import { LocateButton } from './LocateButton.tsx';
import { MyCasesPanel } from './MyCasesPanel.tsx';
import { NavBanner, type NavTarget } from './NavBanner.tsx';
import { hitLabel, NearbyPanel } from './NearbyPanel.tsx';
import type { QueuedPhoto, QueuedStep } from '../outbox/types.ts';
import { useOutbox } from '../outbox/useOutbox.ts';
import { PendingList } from './PendingList.tsx';
import { EMPTY_DRAFT, ReportPanel, type ReportDraft } from './ReportPanel.tsx';
import { Toast } from './Toast.tsx';
import { useGeolocation } from './useGeolocation.ts';
import { useDuty } from './useDuty.ts';
import { DutyBar } from './DutyBar.tsx';
import { useGridAt } from './useGridAt.ts';
import { useMyCases } from './useMyCases.ts';
import { useNearby } from './useNearby.ts';
import { useOnline } from './useOnline.ts';
import { uuid } from './uuid.ts';

interface Props {
  user: SessionUser;
  theme: Theme;
  onLogout(): void;
  /** The session ended while work waited to be sent: log in again. */
  onRelogin(): void;
}

const toQueued = async (photos: Blob[]): Promise<QueuedPhoto[]> =>
  Promise.all(photos.map(async (b) => ({ bytes: await b.arrayBuffer(), type: b.type || 'image/jpeg' })));

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

export function FieldShell({ user, theme, onLogout, onRelogin }: Props) {
  const i18n = useI18n();
  const { t, lang, tr } = i18n;
  const [handle, setHandle] = useState<MapHandle>({ map: null, deck: null });
  const map = handle.map;
  const [tab, setTab] = useState<FieldTab | null>(null);
  const geo = useGeolocation();
  // 网格员 and 执法队员 (field accounts) go on duty; others have no duty here.
  const onDutyRole = user.role === 'field' || user.role === 'admin';
  const duty = useDuty(onDutyRole);
  const fix = geo.fix;
  const online = useOnline();
  const grid = useGridAt(fix, online);
  const { nearby, reload: reloadNearby } = useNearby(fix, tab === 'nearby', online);
  const [target, setTarget] = useState<NavTarget | null>(null);
  const [draft, setDraft] = useState<ReportDraft>(EMPTY_DRAFT);
  const [picking, setPicking] = useState(false);
  const [tapped, setTapped] = useState<TappedFeature | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [openCase, setOpenCase] = useState<CaseRow | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const outbox = useOutbox(user.username);
  const { catalogue, error: catalogueError, retry: retryCatalogue } = useCatalogue();
  const cases = useMyCases(user.username, user.role, catalogue, reloadKey + outbox.sentCount, online, user.department_code);
  const sheetRef = useRef<HTMLElement>(null);

  // The part of the map no sheet covers, for flying to things.
  const padding = useCallback(() => ({ top: 60, left: 30, right: 30, bottom: (sheetRef.current?.offsetHeight ?? 0) + 30 }), []);
  const flyTo = useCallback((lon: number, lat: number, zoom = 17) => {
    map?.flyTo({ center: [lon, lat], zoom: Math.max(zoom, map.getZoom()), padding: padding(), duration: reducedMotion() ? 0 : 800 });
  }, [map, padding]);

  // The first fix after "locate me" brings the map to me; later fixes move only the marker.
  const follow = useRef(false);
  useEffect(() => {
    if (fix && follow.current) {
      follow.current = false;
      flyTo(fix.lon, fix.lat);
    }
  }, [fix, flyTo]);
  const startGeo = geo.locate;
  // On start, once the grid I stand in is known, the map shows all of it with me in it.
  const fitGrid = useRef(false);
  useEffect(() => {
    if (!fitGrid.current || !map || !fix || grid.state !== 'inside' || !grid.at.grid) return;
    fitGrid.current = false;
    const [w, s, e, n] = grid.at.grid.bbox;
    map.fitBounds([[Math.min(w, fix.lon), Math.min(s, fix.lat)], [Math.max(e, fix.lon), Math.max(n, fix.lat)]],
      { padding: padding(), maxZoom: 18, duration: reducedMotion() ? 0 : 800 });
  }, [map, fix, grid, padding]);
  // A worker who has allowed the position before opens the app where they stand (their grid and the assets
  // around them, not the district); without that permission the prompt still waits for "locate me".
  useEffect(() => {
    let live = true;
    navigator.permissions?.query({ name: 'geolocation' }).then((p) => {
      if (!live || p.state !== 'granted') return;
      follow.current = true;
      fitGrid.current = true;
      startGeo();
    }, () => { /* no Permissions API: wait for a tap */ });
    return () => { live = false; };
  }, [startGeo]);
  const locate = useCallback(() => {
    if (fix) flyTo(fix.lon, fix.lat);
    else follow.current = true;
    startGeo();
  }, [fix, flyTo, startGeo]);

  // A sent submission: say so, and reload what it changed.
  useEffect(() => {
    const n = outbox.lastSent;
    if (!n) return;
    setToast(n.item.kind === 'report'
      ? t('outbox.sentReport', { no: n.caseNo })
      : t('outbox.sentStep', { action: tr(`wf.${n.item.action}`, n.item.action), no: n.caseNo }));
  }, [outbox.lastSent, t, tr]);

  const navigate = useCallback((to: NavTarget) => {
    setTarget(to);
    setTapped(null);
    setTab(null);
    if (fix) {
      map?.fitBounds([[Math.min(fix.lon, to.lon), Math.min(fix.lat, to.lat)], [Math.max(fix.lon, to.lon), Math.max(fix.lat, to.lat)]],
        { padding: { top: 150, bottom: 90, left: 50, right: 50 }, maxZoom: 18, duration: reducedMotion() ? 0 : 800 });
    } else {
      flyTo(to.lon, to.lat);
    }
  }, [fix, flyTo, map]);

  const onNearby = useCallback((layer: string, hit: NearestHit) => {
    navigate({ layer, id: hit.id, label: hitLabel(hit, i18n, layer), lon: hit.lon, lat: hit.lat });
  }, [navigate, i18n]);

  const onIdentify = useCallback((hit: IdentifyHit) => {
    if (hit.kind !== 'feature' || hit.geometry.type !== 'Point') {
      setTapped(null);
      return;
    }
    const [lon, lat] = hit.geometry.coordinates as [number, number];
    const p = hit.properties;
    const mine = hit.key.layer === 'cases' && cases.state === 'ready' ? cases.items.find((c) => String(c.id) === hit.key.id) : undefined;
    if (mine) {
      setOpenCase(mine);
      setTab('cases');
      return;
    }
    const label = String(p.name ?? p.case_no ?? p.code ?? hit.key.id);
    setTapped({ layer: hit.key.layer, id: hit.key.id, label, lon, lat });
  }, [cases]);

  const submitReport = useCallback(async (d: ReportDraft, at: { lon: number; lat: number }) => {
    if (!d.item) return;
    await outbox.box.add({
      kind: 'report', id: uuid(), user: user.username, createdAt: Date.now(), photos: await toQueued(d.photos), attempts: 0, nextAt: 0,
      item_code: d.item.code, label: itemName(catalogue, d.item.code, lang), lon: at.lon, lat: at.lat, description: d.description.trim(),
    });
    setDraft(EMPTY_DRAFT);
    setToast(navigator.onLine ? t('outbox.queuedOnline') : t('outbox.queuedOffline'));
  }, [outbox.box, user.username, catalogue, lang, t]);

  const submitStep = useCallback(async (c: CaseRow, action: CaseAction, input: StepInput) => {
    const to = targetOf(catalogue, action);
    if (!to) throw new Error(t('fm.stepUnknown'));
    await outbox.box.add({
      kind: 'step', id: uuid(), user: user.username, createdAt: Date.now(), photos: await toQueued(input.photos), attempts: 0, nextAt: 0,
      caseId: c.id, caseNo: c.case_no, action, from: c.status, to, note: input.note, reason: input.reason,
    });
    setToast(navigator.onLine ? t('outbox.queuedOnline') : t('outbox.queuedOffline'));
  }, [outbox.box, user.username, catalogue, t]);

  const pendingSteps = useMemo(() => new Map(outbox.items.filter((i): i is QueuedStep => i.kind === 'step').map((s) => [s.caseId, s])), [outbox.items]);
  const pendingCases = useMemo(() => new Set(pendingSteps.keys()), [pendingSteps]);

  // The open case follows the list when it reloads (after a step was sent).
  useEffect(() => {
    if (openCase && cases.state === 'ready') {
      const fresh = cases.items.find((c) => c.id === openCase.id);
      if (fresh && fresh.updated_at !== openCase.updated_at) setOpenCase(fresh);
    }
  }, [cases, openCase]);

  const overlay = useMemo(() => ({
    me: fix ? { lon: fix.lon, lat: fix.lat, accuracy: fix.accuracy, heading: fix.heading } : null,
    target: target ? { lon: target.lon, lat: target.lat } : null,
    pin: draft.where === 'map' ? draft.pin : null,
  }), [fix, target, draft.where, draft.pin]);

  const onReady = useCallback((m: MapLibreMap | null) => setHandle((h) => ({ ...h, map: m })), []);
  const mineGrid = grid.state === 'inside' && !!grid.at.grid && user.grids.some((g) => grid.at.grid!.code.startsWith(g.trim()));
  const pendingCount = outbox.items.length;

  return (
    <MapContext.Provider value={handle}>
      <div className={`fm-app${tab ? ' sheet-open' : ''}${picking ? ' picking' : ''}`} data-theme={theme} data-testid="field-app">
        <FieldHeader user={user} online={online} pending={pendingCount} onPending={() => setTab('cases')} onLogout={onLogout} />
        <div className="fm-map-wrap">
          <FieldMap theme={theme} overlay={overlay} picking={picking} onReady={onReady} onIdentify={onIdentify}
            onPick={(lon, lat) => setDraft((d) => ({ ...d, where: 'map', pin: { lon, lat } }))} />
          <OverdueRing />
          <div className="fm-float-top">
            {target ? <NavBanner target={target} fix={fix} onEnd={() => setTarget(null)} /> : <GridBadge grid={grid} mine={mineGrid} online={online} />}
            {onDutyRole && <DutyBar duty={duty} />}
            {geo.state === 'denied' && <p className="fm-card fm-warn" data-testid="field-geo-denied">{t('fm.geoDenied')}</p>}
          </div>
          {!picking && <LocateButton state={geo.state} onLocate={locate} />}
          {tapped && !tab && !picking && (
            <FeatureChip f={tapped} onClose={() => setTapped(null)}
              onNavigate={() => navigate({ layer: tapped.layer, id: tapped.id, label: tapped.label, lon: tapped.lon, lat: tapped.lat })} />
          )}
          {picking && (
            <div className="fm-pickbar fm-card" data-testid="field-pickbar">
              <span>{draft.pin ? `${draft.pin.lon.toFixed(6)}, ${draft.pin.lat.toFixed(6)}` : t('fm.tapToPick')}</span>
              <button type="button" className="button primary" disabled={!draft.pin} onClick={() => { setPicking(false); setTab('report'); }}
                data-testid="field-pick-done">{t('fm.pickDone')}</button>
            </div>
          )}
        </div>
        {tab && !picking && (
          <section className="fm-sheet" ref={sheetRef} data-testid={`field-sheet-${tab}`} aria-label={t(`fm.tab.${tab}`)}>
            <button type="button" className="fm-sheet-handle" onClick={() => setTab(null)} aria-label={t('fm.hideSheet')} data-testid="field-sheet-close" />
            <div className="fm-sheet-body">
              {(tab === 'report' || tab === 'cases') && (
                <PendingList items={outbox.items} catalogue={catalogue} online={online} onLogin={onRelogin}
                  onRetry={(id) => void outbox.box.retry(id)} onDiscard={(id) => void outbox.box.discard(id)} />
              )}
              {outbox.storageError && <p className="inline-error">{t('outbox.noStorage')}</p>}
              {tab === 'nearby' && <NearbyPanel fix={fix} nearby={nearby} onLocate={locate} onRetry={reloadNearby} onNavigate={onNearby} />}
              {tab === 'report' && (
                <ReportPanel catalogue={catalogue} catalogueError={catalogueError} draft={draft} onDraft={setDraft} fix={fix} onLocate={locate}
                  onPickOnMap={() => setPicking(true)} onSubmit={submitReport} onRetryCatalogue={retryCatalogue} />
              )}
              {tab === 'cases' && (openCase ? (
                <FieldCaseCard row={openCase} catalogue={catalogue} pending={pendingSteps.get(openCase.id)} reloadKey={reloadKey + outbox.sentCount}
                  onStep={submitStep} onBack={() => setOpenCase(null)}
                  onShow={(c) => { setTab(null); flyTo(c.lon, c.lat, 18); setTapped({ layer: 'cases', id: String(c.id), label: c.case_no, lon: c.lon, lat: c.lat }); }} />
              ) : (
                <MyCasesPanel cases={cases} catalogue={catalogue} pendingCases={pendingCases} onOpen={setOpenCase} onReload={() => setReloadKey((k) => k + 1)} />
              ))}
            </div>
          </section>
        )}
        <FieldTabs tab={picking ? null : tab} onTab={(next) => { setPicking(false); setTab(next); }} handler={user.role === 'handler'}
          counts={{ cases: cases.state === 'ready' ? cases.items.length : 0, report: pendingCount }} />
        <Toast text={toast} onDone={() => setToast(null)} />
      </div>
    </MapContext.Provider>
  );
}
