// The commander's wall (/wall): a full-bleed live map with panels on its edges, for a video wall that runs all
// day with nobody at it. Figures come from GET /api/wall/summary (every 30 s and after a reconnect) and move in
// between with the live events (GET /api/live): alarms fly the map to them, vehicles move, new cases flash.
// A playlist rotates district → each street. Everything recovers by itself from a server restart or a
// network drop; lists and buffers are bounded so a week on the wall uses what the first hour did.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/endpoints.ts';
import { useSession } from '../api/session.ts';
import { fetchRecent, type LiveKind, type LiveMessage } from '../api/live.ts';
import { wallApi } from '../api/wall.ts';
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
import { ViewIndicator } from './panels/ViewIndicator.tsx';
import { WallHeader } from './panels/WallHeader.tsx';
import { activeCounts, sortedAlarms } from './state/alarms.ts';
import { applyCaseEvent, applySummary, caseFigures, emptyCounters, ServerClock } from './state/counters.ts';
import { alarmFeedItem, caseFeedItem, feedOfRecent, MAX_FEED, mergeFeed, pushFeed, type FeedItem } from './state/feed.ts';
import { intervalFrom, viewsOf } from './state/playlist.ts';
import { exposeWallHooks } from './testHooks.ts';
import './wall.css';

const SUMMARY_MS = 30_000;
/** The list is kept by events; a slow re-read is the safety net for anything missed. */
const ALARMS_MS = 5 * 60_000;
const CAMERAS_MS = 5 * 60_000;
const STREETS_MS = 60 * 60_000;
const TRACKS_MS = 10 * 60_000;
const TRACK_MINUTES = 10;
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
  const intervalS = useMemo(() => intervalFrom(window.location.search), []);
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
  const summary = usePolled(wallApi.summary, SUMMARY_MS, (s) => {
    clock.observe(s.at);
    setCounters((c) => applySummary(c, s));
  });
  const alarms = useAlarmList();
  const alarmsRead = usePolled(wallApi.alarms, ALARMS_MS, (r) => alarms.load(r.items));
  const online = usePolled(wallApi.camerasOnline, CAMERAS_MS);
  const coverage = usePolled(wallApi.coverage, CAMERAS_MS);
  const streets = usePolled(wallApi.streets, STREETS_MS);
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
    tracks.refresh();
  }, [summary.refresh, alarmsRead.refresh, online.refresh, coverage.refresh, tracks.refresh]);

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
  useEffect(() => {
    if (!streamOpen || recentRead.current) return;
    recentRead.current = true;
    fetchRecent(FEED_KINDS, RECENT_EVENTS).then((r) => {
      const skew = clock.now() - Date.now();
      setFeed((f) => mergeFeed(f, feedOfRecent(r.events.map((e) => ({ kind: e.kind, data: e.data, at: Date.parse(e.at) - skew })))));
    }, () => { /* the feed fills from live events alone */ });
  }, [streamOpen, clock]);

  // The newest case is named in the cases panel for a minute (the map's ring is shorter: it draws the eye).
  useEffect(() => {
    if (!latestCase) return;
    const timer = setTimeout(() => setLatestCase(null), LATEST_CASE_MS - (Date.now() - latestCase.at));
    return () => clearTimeout(timer);
  }, [latestCase]);

  // --- the map: playlist, alarms, insets -----------------------------------------------------------
  const views = useMemo(() => viewsOf(streets.data ?? []), [streets.data]);
  const names = useMemo(() => new Map((streets.data ?? []).map((s) => [s.code, s.name])), [streets.data]);
  const playlist = usePlaylist(views.length, intervalS * 1000, focus?.until ?? 0);
  const view = views[playlist.index] ?? null;
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

  const header = useRef<HTMLElement>(null);
  const left = useRef<HTMLElement>(null);
  const right = useRef<HTMLElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const insets = useInsets({ top: header, left, right, bottom });

  // --- test hooks ----------------------------------------------------------------------------------
  const hookState = useRef({ sorted, focus, live, view, playlist, views, scale });
  hookState.current = { sorted, focus, live, view, playlist, views, scale };
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
      view: () => ({ id: hookState.current.view?.id ?? null, index: hookState.current.playlist.index, paused: hookState.current.playlist.paused, count: hookState.current.views.length }),
      scale: () => hookState.current.scale,
    });
    return () => exposeWallHooks(undefined);
  }, []);

  const figures = caseFigures(counters, clock.now());
  const s = summary.data;
  const counts = alarmsRead.data ? activeCounts(alarms.list) : s ? { alarm: s.alarms.alarm ?? 0, warning: s.alarms.warning ?? 0 } : null;

  return (
    <div className="wall" data-testid="wall" style={{ ['--wall-scale' as string]: scale }}>
      <WallMap
        scale={scale}
        padding={insets}
        target={target}
        blindGrids={blind}
        street={focus || !view || view.id === 'district' ? null : view.id}
        reducedMotion={reducedMotion}
        reloadToken={reloadToken}
        now={now}
        onDeck={setDeck}
      />
      <WallHeader
        ref={header}
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
        <FeedPanel items={feed} />
      </aside>
      <aside className="wall-column wall-right" ref={right} aria-label={t('wall.alarms')}>
        <AlarmPanel alarms={sorted} counts={counts} focus={focus?.ids ?? []} max={ALARMS_SHOWN} canHandle={canHandle} />
        <CamerasPanel
          cameras={s?.cameras ?? null}
          rate={s?.camera_online_rate ?? null}
          streets={online.data?.units ?? null}
          names={names}
          coverage={coverage.data}
          current={focus ? null : view?.id ?? null}
        />
      </aside>
      <MapLegend />
      <ViewIndicator
        ref={bottom}
        name={view?.name ?? null}
        index={playlist.index}
        count={views.length}
        intervalS={intervalS}
        paused={playlist.paused}
        startedAt={playlist.startedAt}
      />
    </div>
  );
}
