// deck.gl interleaved into MapLibre (@deck.gl/mapbox MapboxOverlay, interleaved: true): owns the overlay,
// the data feeds of the deck layers (vehicle tracks, case density, alarm stations and camera sectors from
// the tiles), and the animation clock. Loaded lazily: the first page draws without deck.gl until a
// deck layer is on. The layer modules in src/layers/deck/ build the layers; this only composes them.
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Map as MapLibreMap } from 'maplibre-gl';

type SourceFeature = ReturnType<MapLibreMap['querySourceFeatures']>[number];
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { VehicleTracks } from '../../api/types.ts';
import type { DeckLayerId } from '../../layers/deck/types.ts';
import { FOV_MIN_ZOOM } from '../../layers/fov.ts';
import type { DensityMode } from '../../layers/types.ts';
import { alarmLayers, type AlarmStation } from '../../layers/deck/alarms.ts';
import { densityLayers, type DensityCell } from '../../layers/deck/density.ts';
import { fovLayers, sameFov, type CameraFov } from '../../layers/deck/fov.ts';
import { vehicleHeads, vehicleLayers, type VehicleHead } from '../../layers/deck/vehicles.ts';
import { personnelDots, personnelLayers, type PersonnelDot } from '../../layers/deck/personnel.ts';
import type { DeckLayerContext } from '../../layers/deck/types.ts';
import type { Theme } from '../palette.ts';
import { sourceOfLayer } from '../tileSources.ts';
import { patchMapForDeck } from './compat.ts';

export interface DeckState {
  drawn: ReadonlySet<DeckLayerId>;
  opacity: Readonly<Record<string, number>>;
  densityMode: DensityMode;
  theme: Theme;
  playing: boolean;
  /** Replay speed: track seconds per wall-clock second. */
  speed: number;
}

/** `restricted`: the server answers this feed to accounts only (people's positions), and this page has none that may see it. */
export type FeedState = { state: 'idle' | 'loading' | 'ready' | 'error' | 'restricted'; message?: string; count?: number };

export interface DeckPick {
  layer: DeckLayerId;
  object: unknown;
  /** A short label for the hover tooltip. */
  kind: 'vehicle' | 'alarm' | 'fov' | 'density' | 'personnel';
}

export interface DeckCallbacks {
  onStatus(id: DeckLayerId, status: FeedState): void;
  /** Replay time of the vehicles (epoch s), about once a second while playing. */
  onReplayTime?(t: number, from: number, to: number): void;
  onHover?(pick: DeckPick | null, x: number, y: number): void;
}

/** Frame interval of the animations: vehicles move smoothly at 30 fps; pulses alone need only 20. */
const FRAME_MS_VEHICLES = 1000 / 30;
const FRAME_MS_PULSES = 1000 / 20;
const VEHICLE_REFRESH_MS = 60_000;
const TRACK_MINUTES = 60;
/** The field app sends a position every 10 s or so. */
const PERSONNEL_REFRESH_MS = 15_000;

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

function layerOf(layerId: string | undefined): DeckPick['kind'] | null {
  if (!layerId) return null;
  if (layerId.startsWith('vehicles')) return 'vehicle';
  if (layerId.startsWith('alarms')) return 'alarm';
  if (layerId.startsWith('fov')) return 'fov';
  if (layerId.startsWith('density')) return 'density';
  if (layerId.startsWith('personnel')) return 'personnel';
  return null;
}
/** Alarms and fields of view are read from the tiles the map already loaded, wherever their source is. */
const SENSORS = sourceOfLayer('sensors');
const CAMERAS = sourceOfLayer('cameras');

const KIND_TO_LAYER: Record<DeckPick['kind'], DeckLayerId> = { vehicle: 'vehicles', alarm: 'alarms', fov: 'fov', density: 'density', personnel: 'personnel' };

export class DeckController {
  readonly overlay: MapboxOverlay;
  private state: DeckState;
  private tracks: VehicleTracks | null = null;
  private density: { cells: DensityCell[]; level: number } = { cells: [], level: 0 };
  private stations: AlarmStation[] = [];
  private cameras: CameraFov[] = [];
  private people: PersonnelDot[] = [];
  private personnelAbort: AbortController | null = null;
  private personnelTimer: ReturnType<typeof setInterval> | undefined;
  /** Refused (no account that sees people): not asked again until the layer is switched off and on. */
  private personnelRestricted = false;
  private statuses = new Map<DeckLayerId, FeedState>();
  private densityAbort: AbortController | null = null;
  private vehicleAbort: AbortController | null = null;
  private vehicleTimer: ReturnType<typeof setInterval> | undefined;
  private densityTimer: ReturnType<typeof setTimeout> | undefined;
  private raf = 0;
  private lastFrame = 0;
  private startedAt = performance.now();
  /** Replay position within the track window, in track seconds. */
  private replayOffset = 0;
  private lastTick = performance.now();
  private lastReplayReport = 0;
  private destroyed = false;
  private started = false;

  constructor(
    private readonly map: MapLibreMap,
    state: DeckState,
    private readonly cb: DeckCallbacks,
  ) {
    // Start from nothing drawn, so that update() below sees every layer of `state` as newly switched on.
    this.state = { ...state, drawn: new Set() };
    patchMapForDeck(map);
    this.overlay = new MapboxOverlay({
      interleaved: true,
      layers: [],
      onHover: (info: PickingInfo) => this.hover(info),
    });
    map.addControl(this.overlay);
    map.on('moveend', this.onMoveEnd);
    map.on('idle', this.onIdle);
    map.on('sourcedata', this.onSourceData);
    // Animations start once the first view has loaded, so they do not compete with its tiles.
    map.once('idle', () => {
      this.started = true;
      this.animate();
    });
    this.update(state);
  }

  update(next: DeckState): void {
    const prev = this.state;
    this.state = next;
    const on = (id: DeckLayerId) => next.drawn.has(id);
    if (on('vehicles') && !prev.drawn.has('vehicles')) this.loadVehicles();
    if (on('vehicles') && !this.vehicleTimer) this.vehicleTimer = setInterval(() => this.loadVehicles(), VEHICLE_REFRESH_MS);
    if (!on('vehicles') && this.vehicleTimer) {
      clearInterval(this.vehicleTimer);
      this.vehicleTimer = undefined;
    }
    if (!on('personnel')) this.personnelRestricted = false;
    if (on('personnel') && !prev.drawn.has('personnel')) void this.loadPersonnel();
    if (on('personnel') && !this.personnelTimer && !this.personnelRestricted) {
      this.personnelTimer = setInterval(() => void this.loadPersonnel(), PERSONNEL_REFRESH_MS);
    }
    if (!on('personnel') && this.personnelTimer) {
      clearInterval(this.personnelTimer);
      this.personnelTimer = undefined;
    }
    if (on('density') && (!prev.drawn.has('density') || !this.density.cells.length)) this.loadDensity();
    if (on('alarms')) this.readStations();
    if (on('fov')) this.readCameras();
    this.viewDirty = true;
    for (const id of ['vehicles', 'density', 'alarms', 'fov', 'personnel'] as DeckLayerId[]) if (!on(id)) this.setStatus(id, { state: 'idle' });
    this.render();
    this.animate();
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.raf);
    clearInterval(this.vehicleTimer);
    clearInterval(this.personnelTimer);
    this.personnelAbort?.abort();
    clearTimeout(this.densityTimer);
    this.densityAbort?.abort();
    this.vehicleAbort?.abort();
    this.map.off('moveend', this.onMoveEnd);
    this.map.off('idle', this.onIdle);
    this.map.off('sourcedata', this.onSourceData);
    try {
      this.map.removeControl(this.overlay);
    } catch {
      /* the map is already gone */
    }
  }

  /** The deck object under a screen point, for identify. */
  pick(x: number, y: number): DeckPick | null {
    const info = this.overlay.pickObject({ x, y, radius: 4 });
    return this.toPick(info);
  }

  /** Objects of a layer drawn in the viewport (tests and the tree's counts). */
  countInView(id: DeckLayerId): number {
    const b = this.map.getBounds();
    const inView = (lon: number, lat: number) => b.contains([lon, lat]);
    switch (id) {
      case 'vehicles': return this.tracks ? this.heads().filter((h) => inView(...h.position)).length : 0;
      case 'alarms': return this.stations.filter((s) => inView(...s.position)).length;
      case 'fov': return this.map.getZoom() >= FOV_MIN_ZOOM ? this.cameras.filter((c) => inView(c.lon, c.lat)).length : 0;
      case 'density': return this.density.cells.reduce((s, c) => s + (inView(c[0], c[1]) ? c[2] : 0), 0);
      case 'personnel': return this.people.filter((d) => inView(...d.position)).length;
    }
  }

  /** Rendered objects of a deck layer, by picking the whole viewport (tests). */
  pickCount(id: DeckLayerId): number {
    const canvas = this.map.getCanvas();
    const picks = this.overlay.pickObjects({ x: 0, y: 0, width: canvas.clientWidth, height: canvas.clientHeight, maxObjects: 5000 });
    return picks.filter((p) => p.layer && layerOf(p.layer.id) && KIND_TO_LAYER[layerOf(p.layer.id)!] === id).length;
  }

  /** One vehicle's track and where it is at the replay time (the details panel). */
  vehicle(id: number): { track: VehicleTracks['vehicles'][number]; head: VehicleHead | null; time: number | null } | null {
    const track = this.tracks?.vehicles.find((v) => v.id === id);
    if (!track || !this.tracks) return null;
    const time = this.tracks.from + this.replayOffset;
    return { track, head: vehicleHeads([track], time)[0] ?? null, time };
  }

  replayTime(): number | null {
    if (!this.tracks) return null;
    return this.tracks.from + this.replayOffset;
  }

  /** Jump the replay to a time in the window (the tree's slider). */
  seek(t: number): void {
    if (!this.tracks) return;
    this.replayOffset = Math.max(0, Math.min(this.tracks.to - this.tracks.from, t - this.tracks.from));
    this.cb.onReplayTime?.(this.tracks.from + this.replayOffset, this.tracks.from, this.tracks.to);
    this.render();
  }

  // --- feeds -------------------------------------------------------------------------------------

  private setStatus(id: DeckLayerId, s: FeedState): void {
    const prev = this.statuses.get(id);
    if (prev && prev.state === s.state && prev.count === s.count && prev.message === s.message) return;
    this.statuses.set(id, s);
    this.cb.onStatus(id, s);
  }

  private async loadVehicles(): Promise<void> {
    this.vehicleAbort?.abort();
    const abort = (this.vehicleAbort = new AbortController());
    if (!this.tracks) this.setStatus('vehicles', { state: 'loading' });
    try {
      const tracks = await api.vehicleTracks(TRACK_MINUTES, abort.signal);
      if (this.destroyed || abort.signal.aborted) return;
      const first = !this.tracks;
      this.tracks = tracks;
      // Start near the end of the window: the replay opens on "now" and loops.
      if (first) this.replayOffset = Math.max(0, tracks.to - tracks.from - 10 * 60);
      this.setStatus('vehicles', { state: 'ready', count: tracks.vehicles.length });
      this.cb.onReplayTime?.(tracks.from + this.replayOffset, tracks.from, tracks.to);
      this.render();
      this.animate();
    } catch (e) {
      if (isAbort(e) || this.destroyed) return;
      this.setStatus('vehicles', { state: 'error', message: (e as Error).message });
    }
  }

  /** On-duty staff (for accounts that may see them) and devices, with a position. */
  private async loadPersonnel(): Promise<void> {
    this.personnelAbort?.abort();
    const abort = (this.personnelAbort = new AbortController());
    if (!this.people.length) this.setStatus('personnel', { state: 'loading' });
    try {
      const p = await api.personnel(abort.signal);
      if (this.destroyed || abort.signal.aborted) return;
      const dots = personnelDots(p);
      this.people = dots;
      this.setStatus('personnel', { state: 'ready', count: dots.length });
      this.render();
    } catch (e) {
      if (isAbort(e) || this.destroyed) return;
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        // Asking again every refresh would only repeat the refusal: the layer says why it stays empty.
        clearInterval(this.personnelTimer);
        this.personnelTimer = undefined;
        this.personnelRestricted = true;
        return this.setStatus('personnel', { state: 'restricted' });
      }
      this.setStatus('personnel', { state: 'error', message: (e as Error).message });
    }
  }

  private loadDensity(): void {
    clearTimeout(this.densityTimer);
    this.densityTimer = setTimeout(() => void this.fetchDensity(), 150);
  }

  private async fetchDensity(): Promise<void> {
    if (!this.state.drawn.has('density')) return;
    this.densityAbort?.abort();
    const abort = (this.densityAbort = new AbortController());
    const b = this.map.getBounds();
    // A margin of half a screen, so a short pan does not show an empty edge before the refetch.
    const dx = (b.getEast() - b.getWest()) / 2;
    const dy = (b.getNorth() - b.getSouth()) / 2;
    const bbox = [
      Math.max(-180, b.getWest() - dx), Math.max(-85, b.getSouth() - dy),
      Math.min(180, b.getEast() + dx), Math.min(85, b.getNorth() + dy),
    ];
    this.setStatus('density', { state: 'loading', count: this.statuses.get('density')?.count });
    try {
      const d = await api.caseDensity(bbox, this.map.getZoom(), abort.signal);
      if (this.destroyed || abort.signal.aborted) return;
      this.density = { cells: d.cells, level: d.level };
      this.setStatus('density', { state: 'ready', count: this.countInView('density') });
      this.render();
    } catch (e) {
      if (isAbort(e) || this.destroyed) return;
      this.setStatus('density', { state: 'error', message: (e as Error).message });
    }
  }

  /** Alarm and warning stations from the loaded sensor tiles (no extra request). */
  private readStations(): void {
    if (!this.state.drawn.has('alarms') || !this.map.getSource(SENSORS)) return;
    const seen = new Map<string, AlarmStation>();
    let features: SourceFeature[] = [];
    try {
      features = this.map.querySourceFeatures(SENSORS, { sourceLayer: 'sensors', filter: ['in', ['get', 'status'], ['literal', ['alarm', 'warning']]] });
    } catch {
      return;
    }
    for (const f of features) {
      if (f.geometry.type !== 'Point') continue;
      const id = String(f.id ?? f.properties.id);
      if (seen.has(id)) continue;
      const [lon, lat] = f.geometry.coordinates as [number, number];
      seen.set(id, {
        id: f.id ?? (f.properties.id as number),
        code: f.properties.code as string,
        name: f.properties.name as string,
        kind: f.properties.kind as string,
        status: f.properties.status as AlarmStation['status'],
        position: [lon, lat],
      });
    }
    const next = [...seen.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const changed = next.length !== this.stations.length || next.some((s, i) => s.id !== this.stations[i].id || s.status !== this.stations[i].status);
    if (changed) {
      this.stations = next;
      this.render();
      this.animate();
    }
    this.setStatus('alarms', { state: 'ready', count: this.countInView('alarms') });
  }

  /** Cameras with their view geometry from the loaded camera tiles, at zooms where tiles hold raw points. */
  private readCameras(): void {
    if (!this.state.drawn.has('fov') || !this.map.getSource(CAMERAS)) return;
    if (this.map.getZoom() < FOV_MIN_ZOOM) {
      if (this.cameras.length) {
        this.cameras = [];
        this.render();
      }
      this.setStatus('fov', { state: 'ready', count: 0 });
      return;
    }
    const seen = new Map<string, CameraFov>();
    let features: SourceFeature[] = [];
    try {
      features = this.map.querySourceFeatures(CAMERAS, { sourceLayer: 'cameras', filter: ['!', ['has', 'count']] });
    } catch {
      return;
    }
    for (const f of features) {
      if (f.geometry.type !== 'Point') continue;
      const p = f.properties;
      const id = String(f.id ?? p.id);
      if (seen.has(id) || p.azimuth === undefined) continue;
      const [lon, lat] = f.geometry.coordinates as [number, number];
      seen.set(id, {
        id: f.id ?? (p.id as number), name: p.name as string, code: p.code as string, status: String(p.status),
        lon, lat, azimuth: Number(p.azimuth), hfov: Number(p.hfov), range_m: Number(p.range_m),
      });
    }
    const next = [...seen.values()];
    // Kept unless a camera came, went, turned or changed status: the sectors (and deck's buffers) follow this array.
    if (!sameFov(this.cameras, next)) {
      this.cameras = next;
      this.render();
    }
    this.setStatus('fov', { state: 'ready', count: this.countInView('fov') });
  }

  /** Set by moves and tile loads: 'idle' fires after every animated frame, so work only when set. */
  private viewDirty = true;

  private onMoveEnd = () => {
    this.viewDirty = true;
    if (this.state.drawn.has('density')) this.loadDensity();
  };

  private onIdle = () => {
    if (!this.viewDirty) return;
    this.viewDirty = false;
    if (this.state.drawn.has('alarms')) this.readStations();
    if (this.state.drawn.has('fov')) this.readCameras();
    if (this.state.drawn.has('vehicles') && this.tracks) this.setStatus('vehicles', { state: 'ready', count: this.countInView('vehicles') });
    if (this.state.drawn.has('density') && this.statuses.get('density')?.state === 'ready') {
      this.setStatus('density', { state: 'ready', count: this.countInView('density') });
    }
  };

  private onSourceData = (e: { sourceId?: string; isSourceLoaded?: boolean }) => {
    if (!e.isSourceLoaded) return;
    this.viewDirty = true;
    if (e.sourceId === SENSORS && this.state.drawn.has('alarms')) this.readStations();
    if (e.sourceId === CAMERAS && this.state.drawn.has('fov')) this.readCameras();
  };

  // --- drawing -----------------------------------------------------------------------------------

  private heads(): VehicleHead[] {
    return this.tracks ? vehicleHeads(this.tracks.vehicles, this.tracks.from + this.replayOffset) : [];
  }

  private context(id: DeckLayerId, clock: number): DeckLayerContext {
    return { theme: this.state.theme, opacity: this.state.opacity[id] ?? 1, clock, zoom: this.map.getZoom() };
  }

  private layers(): Layer[] {
    const s = this.state;
    const clock = reducedMotion() ? 0.5 : (performance.now() - this.startedAt) / 1000;
    const out: Layer[] = [];
    if (s.drawn.has('density') && this.density.cells.length) {
      out.push(...densityLayers({ cells: this.density.cells, mode: s.densityMode, latitude: this.map.getCenter().lat }, this.context('density', clock)));
    }
    if (s.drawn.has('fov') && this.cameras.length && this.map.getZoom() >= FOV_MIN_ZOOM) {
      out.push(...fovLayers(this.cameras, this.context('fov', clock)));
    }
    if (s.drawn.has('vehicles') && this.tracks) {
      out.push(...vehicleLayers({ tracks: this.tracks.vehicles, time: this.tracks.from + this.replayOffset, t0: this.tracks.from }, this.context('vehicles', clock)));
    }
    if (s.drawn.has('personnel') && this.people.length) {
      out.push(...personnelLayers(this.people, this.context('personnel', clock)));
    }
    if (s.drawn.has('alarms') && this.stations.length) {
      out.push(...alarmLayers(this.stations, this.context('alarms', clock)));
    }
    return out;
  }

  private render(): void {
    if (this.destroyed) return;
    this.overlay.setProps({ layers: this.layers() });
  }

  private needsAnimation(): boolean {
    if (!this.started) return false;
    const s = this.state;
    const vehicles = s.drawn.has('vehicles') && s.playing && !!this.tracks;
    const pulses = s.drawn.has('alarms') && this.stations.length > 0 && !reducedMotion();
    return vehicles || pulses;
  }

  private animate(): void {
    if (this.raf || this.destroyed || !this.needsAnimation()) return;
    this.lastTick = performance.now();
    const frame = (now: number) => {
      this.raf = 0;
      if (this.destroyed || !this.needsAnimation()) return;
      this.raf = requestAnimationFrame(frame);
      const vehiclesMoving = this.state.drawn.has('vehicles') && this.state.playing && !!this.tracks;
      if (now - this.lastFrame < (vehiclesMoving ? FRAME_MS_VEHICLES : FRAME_MS_PULSES) - 2) return;
      const dt = Math.min(0.25, (now - this.lastTick) / 1000);
      this.lastTick = now;
      this.lastFrame = now;
      if (this.tracks && this.state.playing && this.state.drawn.has('vehicles')) {
        const span = Math.max(1, this.tracks.to - this.tracks.from);
        this.replayOffset = (this.replayOffset + dt * this.state.speed) % span;
        if (now - this.lastReplayReport > 1000) {
          this.lastReplayReport = now;
          this.cb.onReplayTime?.(this.tracks.from + this.replayOffset, this.tracks.from, this.tracks.to);
        }
      }
      this.render();
    };
    this.raf = requestAnimationFrame(frame);
  }

  private toPick(info: PickingInfo | null): DeckPick | null {
    if (!info || !info.layer || info.object === undefined || info.object === null) return null;
    const kind = layerOf(info.layer.id);
    if (!kind) return null;
    return { layer: KIND_TO_LAYER[kind], object: info.object, kind };
  }

  private hover(info: PickingInfo): void {
    this.cb.onHover?.(this.toPick(info), info.x, info.y);
  }
}
