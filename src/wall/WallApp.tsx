// The commander's wall (/wall, /wall?street=CODE, /wall?community=CODE): a full-bleed live map with panels on
// its edges, for a video wall that runs all day with nobody at it. Figures of the unit come from
// GET /api/wall/summary (every 30 s and after a reconnect) and move in between with the live events of the
// unit (GET /api/live): alarms fly the map to them, vehicles move, new cases flash; the 城管 scene adds the
// staff on duty and devices (GET /api/personnel, for a wall with an account). The units below are
// listed and outlined; clicking one drills down (the URL changes, back goes up). A scene (防汛/城管/视频/全部)
// chooses the map's layers; it can be pinned. A playlist rotates the unit's views and/or the scenes. Everything recovers by itself from a server restart or a
// network drop; lists and buffers are bounded so a week on the wall uses what the first hour did.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/endpoints.ts';
import { useSession } from '../api/session.ts';
import { fetchRecent, type LiveKind, type LiveMessage } from '../api/live.ts';
import { wallApi, type ChildUnit, type WallPlace } from '../api/wall.ts';
import { readPinnedScene, writePinnedScene } from '../prefs/wallScene.ts';
import { useI18n } from '../i18n/index.tsx';
import { useAlarmList } from './hooks/useAlarmList.ts';
import { useFocus } from './hooks/useFocus.ts';
import { useInsets } from './hooks/useInsets.ts';
import { useLive } from './hooks/useLive.ts';
import { usePlaylist } from './hooks/usePlaylist.ts';
import { usePolled } from './hooks/usePolled.ts';
import { useReducedMotion, useViewport } from './hooks/useViewport.ts';
import { WallMap, type WallTarget } from './map/WallMap.tsx';
import type { WallDeck } from './map/WallDeck.ts';
import { wallScale } from './map/scaleStyle.ts';
import { AlarmPanel } from './panels/AlarmPanel.tsx';
import { CamerasPanel } from './panels/CamerasPanel.tsx';
import { CasesPanel } from './panels/CasesPanel.tsx';
import { FeedPanel } from './panels/FeedPanel.tsx';
import { MapLegend } from './panels/MapLegend.tsx';
import { SensorsPanel } from './panels/SensorsPanel.tsx';
import { TrendPanel } from './panels/TrendPanel.tsx';
import { VehiclesPanel } from './panels/VehiclesPanel.tsx';
import { PersonnelPanel } from './panels/PersonnelPanel.tsx';
import { personnelDots } from '../layers/deck/personnel.ts';
import { ViewIndicator } from './panels/ViewIndicator.tsx';
import { WallHeader } from './panels/WallHeader.tsx';
import { activeCounts, sortedAlarms } from './state/alarms.ts';
import { applyCaseEvent, applySummary, caseFigures, emptyCounters, ServerClock } from './state/counters.ts';
import { alarmFeedItem, caseFeedItem, feedOfRecent, MAX_FEED, mergeFeed, pushFeed, type FeedItem } from './state/feed.ts';
import { unitFilter } from './state/inUnit.ts';
import { placeFrom, placeKey, placeOfUnit, sceneFrom, wallUrl } from './state/place.ts';
import { rotationFrom, stepsOf, viewsOf } from './state/playlist.ts';
import { sceneOverlays, type ChosenScene, type Scene } from './state/scenes.ts';
import { SceneBar } from './panels/SceneBar.tsx';
import { UnitsPanel } from './panels/UnitsPanel.tsx';
import { exposeWallHooks } from './testHooks.ts';
import './wall.css';

const SUMMARY_MS = 30_000;
/** The list is kept by events; a slow re-read is the safety net for anything missed. */
const ALARMS_MS = 5 * 60_000;
const CAMERAS_MS = 5 * 60_000;
const UNIT_MS = 60_000;
const TRACKS_MS = 10 * 60_000;
const TRACK_MINUTES = 10;
/** Staff send a fix every 10–60 s, recorders each minute; people are not live events (their place is not public). */
const PERSONNEL_MS = 15_000;
/** After alarm or camera events the summary is re-read once its server cache (5 s) has expired. */
const SUMMARY_AFTER_EVENT_MS = 6_000;
const CAMERAS_AFTER_EVENT_MS = 30_000;
const LATEST_CASE_MS = 60_000;
/** Alarm list items at most (fewer if fewer fit; the rest are counted). */
const ALARMS_SHOWN = 12;
/** The events the feed is made of, read from the log when the wall opens (a case's steps between reported and closed make no line). */
const FEED_KINDS: readonly LiveKind[] = ['alarm', 'case'];
const RECENT_EVENTS = 4 * MAX_FEED;

export default function WallApp() {
  const { setLang, t } = useI18n();
  const viewport = useViewport();
  const scale = wallScale(viewport.width, viewport.height);
  const reducedMotion = useReducedMotion();
  const rotation = useMemo(() => rotationFrom(window.location.search), []);
  const intervalS = rotation.intervalS;

  // --- the unit and the scene: in the URL; drilling down pushes a history entry -------------------------
  const [place, setPlace] = useState<WallPlace>(() => placeFrom(window.location.search));
  const key = placeKey(place);
  const [pinned, setPinned] = useState(() => readPinnedScene() !== null);
  const [scene, setScene] = useState<Scene>(() => sceneFrom(window.location.search) ?? readPinnedScene() ?? 'overview');
  /** A scene chosen by hand holds (the playlist stops rotating scenes) until the page reloads. */
  const [chosen, setChosen] = useState(false);
  useEffect(() => {
    const onPop = () => {
      setPlace(placeFrom(window.location.search));
      const s = sceneFrom(window.location.search);
      if (s) setScene(s);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((p: WallPlace) => {
    window.history.pushState(null, '', wallUrl(window.location.search, p, sceneFrom(window.location.search)));
    setPlace(p);
  }, []);
  const chooseScene = useCallback((s: ChosenScene) => {
    setScene(s);
    setChosen(true);
    if (readPinnedScene()) writePinnedScene(s);
    window.history.replaceState(null, '', wallUrl(window.location.search, placeFrom(window.location.search), s));
  }, []);
  const clock = useRef(new ServerClock()).current;
  const now = useCallback(() => clock.now(), [clock]);

  // A kiosk is configured by its URL: `?lang=en` for the English wall. The wall is always dark.
  useEffect(() => {
    const lang = new URLSearchParams(window.location.search).get('lang');
    if (lang === 'zh' || lang === 'en') setLang(lang);
    document.documentElement.dataset.theme = 'dark';
  }, [setLang]);

  // An operator logged in on the wall's browser may handle alarms from it; a kiosk without a session only shows them.
  const { session } = useSession();
  const canHandle = session.state === 'user' && session.user.role !== 'planner';

  const [deck, setDeck] = useState<WallDeck | null>(null);
  const deckRef = useRef<WallDeck | null>(null);
  deckRef.current = deck;

  // --- figures read from the server -------------------------------------------------------------
  const [counters, setCounters] = useState(emptyCounters);
  const placeRef = useRef(place);
  placeRef.current = place;
  useEffect(() => setCounters(emptyCounters()), [key]);
  const summary = usePolled((signal) => wallApi.summary(placeRef.current, signal), SUMMARY_MS, (s) => {
    clock.observe(s.at);
    setCounters((c) => applySummary(c, s));
  }, key);
  const alarms = useAlarmList();
  const alarmsRead = usePolled((signal) => wallApi.alarms(placeRef.current, signal), ALARMS_MS, (r) => alarms.load(r.items), key);
  const online = usePolled((signal) => wallApi.camerasOnline(placeRef.current, signal), CAMERAS_MS, undefined, key);
  const coverage = usePolled((signal) => wallApi.coverage(placeRef.current, signal), CAMERAS_MS, undefined, key);
  const unitRead = usePolled((signal) => wallApi.unit(placeRef.current, signal), UNIT_MS, undefined, key);
  const unit = unitRead.data;
  const inUnit = useMemo(() => unitFilter(unit, place.community ?? place.street), [unit, place]);
  const inUnitRef = useRef(inUnit);
  inUnitRef.current = inUnit;
  const tracksRef = useRef<Parameters<WallDeck['setVehicles']>[0] | null>(null);
  const tracks = usePolled((signal) => api.vehicleTracks(TRACK_MINUTES, signal), TRACKS_MS, (v) => {
    tracksRef.current = v;
    deckRef.current?.setVehicles(v);
  });
  useEffect(() => {
    if (deck && tracksRef.current) deck.setVehicles(tracksRef.current);
  }, [deck]);

  // Re-reads after events, coalesced: one timer per figure at a time.
  const later = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const refreshSoon = useCallback((key: string, ms: number, fn: () => void) => {
    if (later.current.has(key)) return;
    later.current.set(key, setTimeout(() => {
      later.current.delete(key);
      fn();
    }, ms));
  }, []);
  useEffect(() => () => {
    for (const timer of later.current.values()) clearTimeout(timer);
    later.current.clear();
  }, []);

  // --- live events -------------------------------------------------------------------------------
  const { focus, show } = useFocus(alarms.list);
  const [feed, setFeed] = useState<FeedItem[]>([]);
  const [latestCase, setLatestCase] = useState<{ no: string; at: number } | null>(null);
  const [reloadToken, setReloadToken] = useState(0);
  const seenCases = useRef(new Set<string>());

  const onMessage = useCallback((m: LiveMessage) => {
    const at = Date.now();
    switch (m.kind) {
      case 'alarm': {
        if (!inUnitRef.current.point(m.data.lon, m.data.lat)) break;
        const { change, alarm } = alarms.event(m.data);
        if (!alarm) break;
        if (change === 'new' || change === 'escalated') show(alarm);
        if (change === 'new' || change === 'escalated' || change === 'cleared') setFeed((f) => pushFeed(f, alarmFeedItem(alarm, change, at)));
        if (change !== 'ignored' && change !== 'updated') refreshSoon('summary', SUMMARY_AFTER_EVENT_MS, summary.refresh);
        break;
      }
      case 'observation':
        alarms.observation(m.data);
        break;
      case 'position':
        deckRef.current?.addPosition(m.data);
        break;
      case 'case': {
        const e = m.data;
        if (!inUnitRef.current.grid(e.grid_code)) break;
        setCounters((c) => applyCaseEvent(c, e, clock.now()));
        const key = `${e.id}:${e.status}`;
        if (seenCases.current.has(key)) break;
        if (seenCases.current.size > 2000) seenCases.current.clear();
        seenCases.current.add(key);
        if (e.status === 'reported') {
          deckRef.current?.addNewCase({ id: String(e.id), caseNo: e.case_no, position: [e.lon, e.lat], at });
          setLatestCase({ no: e.case_no, at });
        }
        const item = caseFeedItem(e, at);
        if (item) setFeed((f) => pushFeed(f, item));
        break;
      }
      case 'camera':
        refreshSoon('summary', SUMMARY_AFTER_EVENT_MS, summary.refresh);
        refreshSoon('cameras', CAMERAS_AFTER_EVENT_MS, online.refresh);
        break;
      case 'liveness':
        // A station, vehicle or camera fell silent or came back: the figures that count them.
        refreshSoon('summary', SUMMARY_AFTER_EVENT_MS, summary.refresh);
        break;
    }
  }, [alarms, show, refreshSoon, summary.refresh, online.refresh, clock]);

  const rereadAll = useCallback(() => {
    summary.refresh();
    alarmsRead.refresh();
    online.refresh();
    coverage.refresh();
    unitRead.refresh();
    tracks.refresh();
  }, [summary.refresh, alarmsRead.refresh, online.refresh, coverage.refresh, unitRead.refresh, tracks.refresh]);

  const live = useLive({
    onMessage,
    // Too much was missed for a replay: read everything again.
    onReset: rereadAll,
    // The replay brings the events; the figures that are not events are read again, and tiles that
    // failed while the server was away load again.
    onReconnected: () => {
      summary.refresh();
      setReloadToken((n) => n + 1);
    },
  });

  // A wall that opens (or reloads) shows what happened a moment ago: once the stream is open (so nothing
  // falls between the two), the log's recent alarms and cases join the feed, at their own (server) times.
  const streamOpen = live.state === 'open';
  const recentRead = useRef(false);
  // Another unit: its feed starts empty, and its recent events are read once its outline is known.
  const unitReady = unit !== null && placeKey(placeOfUnit(unit.level, unit.code)) === key;
  useEffect(() => {
    setFeed([]);
    recentRead.current = false;
  }, [key]);
  useEffect(() => {
    if (!streamOpen || !unitReady || recentRead.current) return;
    recentRead.current = true;
    fetchRecent(FEED_KINDS, RECENT_EVENTS).then((r) => {
      const skew = clock.now() - Date.now();
      const mine = r.events.filter((e) => {
        const d = e.data as { lon?: number; lat?: number; grid_code?: string | null };
        return e.kind === 'case' ? inUnitRef.current.grid(d.grid_code ?? null) : inUnitRef.current.point(d.lon ?? NaN, d.lat ?? NaN);
      });
      setFeed((f) => mergeFeed(f, feedOfRecent(mine.map((e) => ({ kind: e.kind, data: e.data, at: Date.parse(e.at) - skew })))));
    }, () => { /* the feed fills from live events alone */ });
  }, [streamOpen, unitReady, clock]);

  // The newest case is named in the cases panel for a minute (the map's ring is shorter: it draws the eye).
  useEffect(() => {
    if (!latestCase) return;
    const timer = setTimeout(() => setLatestCase(null), LATEST_CASE_MS - (Date.now() - latestCase.at));
    return () => clearTimeout(timer);
  }, [latestCase]);

  // --- the map: playlist, alarms, insets -----------------------------------------------------------
  const views = useMemo(() => viewsOf(unit), [unit]);
  const names = useMemo(() => new Map((unit?.children ?? []).map((c) => [c.code, c.level === 'grid' ? t('wall.units.gridNo', { no: c.code.slice(-3) }) : c.name])), [unit, t]);
  const held = pinned || chosen;
  const steps = useMemo(() => stepsOf(views, rotation, scene, held), [views, rotation, scene, held]);
  const playlist = usePlaylist(steps.length, intervalS * 1000, focus?.until ?? 0, key);
  const step = steps[playlist.index] ?? null;
  const view = step?.view ?? null;
  const shownScene = step?.scene ?? scene;
  const pin = useCallback((on: boolean) => {
    // The overview is no scene to pin: pinning it pins 全部.
    const s = shownScene === 'overview' ? 'all' : shownScene;
    setPinned(on);
    setScene(s);
    writePinnedScene(on ? s : null);
    window.history.replaceState(null, '', wallUrl(window.location.search, placeFrom(window.location.search), on ? s : null));
  }, [shownScene]);
  const drill = useCallback((u: ChildUnit) => {
    if (u.level !== 'grid') go(placeOfUnit(u.level, u.code));
  }, [go]);
  const onMapUnit = useCallback((code: string) => {
    const u = unit?.children.find((c) => c.code === code);
    if (u) drill(u);
  }, [unit, drill]);
  const overlays = sceneOverlays(shownScene);
  useEffect(() => {
    deck?.setOverlays(overlays);
  }, [deck, overlays.vehicles, overlays.newCases, overlays.staff]);
  // Where staff and devices are needs an account (GET /api/personnel; people only for the roles that may see
  // them): a kiosk without one shows their counts alone. Read only while the scene draws them.
  const readPeople = overlays.staff && session.state === 'user';
  const people = usePolled((signal) => (readPeople ? api.personnel(signal) : Promise.resolve(null)), PERSONNEL_MS, undefined, `${readPeople}`);
  useEffect(() => {
    const p = people.data;
    // A recorder worn by someone drawn stands where they do: their dot stands for both.
    const drawn = new Set(p?.staff.filter((x) => x.lon != null).map((x) => x.id));
    const dots = p ? personnelDots({ ...p, devices: p.devices.filter((d) => d.staff_id === null || !drawn.has(d.staff_id)) }) : [];
    deck?.setPersonnel(dots.filter((d) => inUnit.point(d.position[0], d.position[1])));
  }, [deck, people.data, inUnit]);
  const sorted = useMemo(() => sortedAlarms(alarms.list), [alarms.list]);

  const target = useMemo<WallTarget | null>(() => {
    if (focus) {
      const points = focus.ids.map((id) => alarms.list.get(id)).filter((a) => a !== undefined).map((a) => [a.lon, a.lat] as [number, number]);
      if (points.length) return { kind: 'alarms', key: `a:${focus.since}:${focus.ids.join(',')}`, points };
    }
    return view ? { kind: 'view', key: `v:${view.id}:${playlist.startedAt}`, bbox: view.bbox } : null;
  }, [focus, view, playlist.startedAt, alarms.list]);

  useEffect(() => {
    deck?.setAlarms(sorted, focus?.ids ?? []);
  }, [deck, sorted, focus]);

  const blind = useMemo(() => coverage.data?.blind_grids.map((g) => g.code) ?? [], [coverage.data]);
  const highlight = focus || !view || view.name === null ? null : view.id;
  const look = useMemo(() => ({ scene: shownScene, blindGrids: blind, highlight, unit: unitReady ? unit : null }), [shownScene, blind, highlight, unitReady, unit]);

  const header = useRef<HTMLElement>(null);
  const left = useRef<HTMLElement>(null);
  const right = useRef<HTMLElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const insets = useInsets({ top: header, left, right, bottom });

  // --- test hooks ----------------------------------------------------------------------------------
  const hookState = useRef({ sorted, focus, live, view, playlist, views, scale, shownScene, steps });
  hookState.current = { sorted, focus, live, view, playlist, views, scale, shownScene, steps };
  useEffect(() => {
    exposeWallHooks({
      deckReady: () => deckRef.current !== null,
      deckPickCount: (prefix) => deckRef.current?.pickCount(prefix) ?? 0,
      alarmAt: (lon, lat) => deckRef.current?.alarmAt(lon, lat) ?? null,
      alarms: () => ({ ids: hookState.current.sorted.map((a) => a.id), focus: hookState.current.focus?.ids ?? [] }),
      live: () => {
        const l = hookState.current.live;
        return { state: l.state, lastEventId: l.client?.lastEventId ?? null, ...(l.client?.stats ?? { opens: 0, reconnects: 0, events: 0, resets: 0 }) };
      },
      view: () => ({ id: hookState.current.view?.id ?? null, index: hookState.current.playlist.index, paused: hookState.current.playlist.paused, count: hookState.current.views.length,
        scene: hookState.current.shownScene, steps: hookState.current.steps.length }),
      scale: () => hookState.current.scale,
    });
    return () => exposeWallHooks(undefined);
  }, []);

  const figures = caseFigures(counters, clock.now());
  const s = summary.data;
  const counts = alarmsRead.data ? activeCounts(alarms.list) : s ? { alarm: s.alarms.alarm ?? 0, warning: s.alarms.warning ?? 0 } : null;

  // The district's streets fit the left column above the feed; below a street (more units, and a shorter
  // camera list) they go right, above the cameras, where the alarm list gives up the room it does not need.
  const unitsRight = unitReady && unit.level !== 'district';
  const units = <UnitsPanel units={unitReady ? unit.children : null} current={focus ? null : view?.id ?? null} onUnit={drill} />;

  return (
    <div className="wall" data-testid="wall" style={{ ['--wall-scale' as string]: scale }}>
      <WallMap
        scale={scale}
        padding={insets}
        target={target}
        look={look}
        onUnit={onMapUnit}
        reducedMotion={reducedMotion}
        reloadToken={reloadToken}
        now={now}
        onDeck={setDeck}
      />
      <WallHeader
        ref={header}
        unit={unitReady ? unit : null}
        parents={unitReady ? unit.parents : []}
        onUp={(u) => go(placeOfUnit(u.level, u.code))}
        reconnecting={live.state === 'reconnecting' || summary.failing}
        updatedAt={s?.at ?? null}
        stale={summary.failing}
        now={now}
      />
      <aside className="wall-column wall-left" ref={left} aria-label={t('wall.cases')}>
        <CasesPanel figures={figures} latest={latestCase?.no ?? null} />
        <TrendPanel hours={figures?.trend ?? null} />
        <SensorsPanel sensors={s?.sensors ?? null} />
        <VehiclesPanel vehicles={s?.vehicles ?? null} />
        {!unitsRight && units}
        <FeedPanel items={feed} />
      </aside>
      <aside className="wall-column wall-right" ref={right} aria-label={t('wall.alarms')}>
        <AlarmPanel alarms={sorted} counts={counts} focus={focus?.ids ?? []} max={ALARMS_SHOWN} canHandle={canHandle} />
        {/* Under the alarms, whose list gives up the room (the left column has none to spare at 1080p). */}
        {overlays.staff && <PersonnelPanel staff={s?.staff ?? null} devices={s?.devices ?? null} />}
        {unitsRight && units}
        <CamerasPanel
          cameras={s?.cameras ?? null}
          rate={s?.camera_online_rate ?? null}
          streets={online.data?.units ?? null}
          level={online.data?.level ?? 'street'}
          names={names}
          coverage={coverage.data}
          current={focus ? null : view?.id ?? null}
        />
      </aside>
      <SceneBar scene={shownScene} pinned={pinned} onScene={chooseScene} onPin={pin} />
      <MapLegend staff={overlays.staff} />
      <ViewIndicator
        ref={bottom}
        name={view?.name ?? (unitReady && unit.level !== 'district' ? unit.name : null)}
        scene={rotation.scenes && !held && shownScene !== 'overview' ? shownScene : null}
        index={playlist.index}
        count={steps.length}
        intervalS={intervalS}
        paused={playlist.paused}
        startedAt={playlist.startedAt}
      />
    </div>
  );
}
