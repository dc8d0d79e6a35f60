// deck.gl on the wall: alarm pulses and the focus ring, live vehicles, staff and devices, and new-case
// highlights, over the map.
// The overlay is *not* interleaved (unlike the desktop's DeckController): the pulses animate all day, and
// on its own canvas an animation frame redraws only deck's few hundred objects, not the whole 4K map
// underneath. Layers are rebuilt from the same ids every frame, so deck diffs them and keeps GPU buffers;
// data arrays change identity only when the data does.
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { VehicleTracks } from '../../api/types.ts';
import type { PositionEvent } from '../../api/live.ts';
import { alarmLayers, type AlarmStation } from '../../layers/deck/alarms.ts';
import { vehicleLayers } from '../../layers/deck/vehicles.ts';
import { personnelLayers, type PersonnelDot } from '../../layers/deck/personnel.ts';
import type { DeckLayerContext } from '../../layers/deck/types.ts';
import { patchMapForDeck } from '../../map/deck/compat.ts';
import type { WallAlarm } from '../state/alarms.ts';
import { appendPosition, tableFromTracks, trackFrame, type TrackTable } from '../state/vehicles.ts';
import { alarmFocusLayers, type FocusPoint } from '../layers/alarmFocus.ts';
import { HIGHLIGHT_MS, newCaseLayers, type NewCase } from '../layers/newCases.ts';

/** Pulses need ~20 fps to look smooth; vehicles alone move a pixel or two a second at district scale. */
const FRAME_MS_PULSE = 50;
const FRAME_MS_VEHICLES = 250;
/** With reduced motion nothing animates; vehicles still step and highlights still expire, every 2 s. */
const FRAME_MS_REDUCED = 2000;
/** Vehicles are drawn this far behind the clock, so that they glide between fixes (every ~30 s). */
const VEHICLE_LAG_S = 30;
const MAX_NEW_CASES = 50;

/** deck's pixel sizes × the wall's scale (the layer modules draw for a 1080p screen). */
function scaled(layer: Layer, k: number): Layer {
  if (k === 1) return layer;
  const p = layer.props as unknown as Record<string, number | undefined>;
  return layer.clone({
    radiusScale: (p.radiusScale ?? 1) * k,
    lineWidthScale: (p.lineWidthScale ?? 1) * k,
    widthScale: (p.widthScale ?? 1) * k,
  } as never);
}

export interface WallDeckOptions {
  scale: number;
  /** The user (or the kiosk's policy) asked for less motion: nothing pulses, vehicles jump. */
  reducedMotion: boolean;
  /** Server time in ms (the wall's clock may be off). */
  now(): number;
}

export class WallDeck {
  private readonly overlay: MapboxOverlay;
  private alarms: AlarmStation[] = [];
  private focus: FocusPoint[] = [];
  private table: TrackTable = new Map();
  private vehicles: ReturnType<typeof trackFrame> = { tracks: [], t0: 0 };
  private vehiclesDirty = false;
  private newCases: NewCase[] = [];
  private people: PersonnelDot[] = [];
  private overlays = { vehicles: true, newCases: true, staff: false };
  private raf = 0;
  private lastFrame = 0;
  private readonly started = performance.now();
  private destroyed = false;

  constructor(
    private readonly map: MapLibreMap,
    private opts: WallDeckOptions,
  ) {
    patchMapForDeck(map);
    this.overlay = new MapboxOverlay({ interleaved: false, layers: [], useDevicePixels: false });
    map.addControl(this.overlay);
    this.render();
  }

  setScale(scale: number): void {
    if (scale === this.opts.scale) return;
    this.opts = { ...this.opts, scale };
    this.render();
  }

  /** The scene's own layers: vehicles, new cases, staff and devices draw only in the scenes that show them. */
  setOverlays(o: { vehicles: boolean; newCases: boolean; staff: boolean }): void {
    if (o.vehicles === this.overlays.vehicles && o.newCases === this.overlays.newCases && o.staff === this.overlays.staff) return;
    this.overlays = { vehicles: o.vehicles, newCases: o.newCases, staff: o.staff };
    this.kick();
  }

  /** Staff on duty (for an account that may see them) and devices where they last reported. */
  setPersonnel(dots: PersonnelDot[]): void {
    this.people = dots;
    this.kick();
  }

  setAlarms(alarms: readonly WallAlarm[], focusIds: readonly string[]): void {
    const active = alarms.filter((a) => a.clearedAt === null);
    this.alarms = active.map((a) => ({ id: a.id, name: a.station, kind: a.kind, status: a.level, position: [a.lon, a.lat] }));
    const focus = new Set(focusIds);
    this.focus = active.filter((a) => focus.has(a.id)).map((a) => ({ id: a.id, level: a.level, position: [a.lon, a.lat] }));
    this.kick();
  }

  setVehicles(tracks: VehicleTracks): void {
    this.table = tableFromTracks(tracks);
    this.vehicles = trackFrame(this.table);
    this.kick();
  }

  addPosition(p: PositionEvent): void {
    if (appendPosition(this.table, p)) {
      this.vehiclesDirty = true;
      this.kick();
    }
  }

  addNewCase(c: NewCase): void {
    this.newCases = [...this.newCases.filter((x) => x.id !== c.id), c].slice(-MAX_NEW_CASES);
    this.kick();
  }

  /** Objects drawn now, per layer family, found by picking the whole canvas (tests). */
  pickCount(prefix: 'alarms' | 'vehicles' | 'newcases' | 'personnel'): number {
    const canvas = this.map.getCanvas();
    const picks = this.overlay.pickObjects({ x: 0, y: 0, width: canvas.clientWidth, height: canvas.clientHeight, maxObjects: 10_000 });
    return picks.filter((p) => p.layer?.id.startsWith(prefix)).length;
  }

  /** The id of the alarm drawn at a place, by picking at its screen point (tests: "it is on the map"). */
  alarmAt(lon: number, lat: number): string | null {
    const p = this.map.project([lon, lat]);
    const picks = this.overlay.pickMultipleObjects({ x: p.x, y: p.y, radius: 6 * this.opts.scale, depth: 10 });
    const hit = picks.find((x) => x.layer?.id.startsWith('alarms') && x.object);
    return hit ? String((hit.object as { id: string | number }).id) : null;
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.raf);
    try {
      this.map.removeControl(this.overlay);
    } catch {
      /* the map is already gone */
    }
    this.overlay.finalize();
  }

  private needsFrames(): boolean {
    return this.alarms.length > 0 || this.newCases.length > 0 || this.table.size > 0;
  }

  /** Something changed: draw now, and keep animating while anything moves. */
  private kick(): void {
    if (this.destroyed) return;
    if (this.opts.reducedMotion || !this.raf) this.render();
    if (!this.raf && this.needsFrames()) this.raf = requestAnimationFrame(this.frame);
  }

  private frame = (t: number): void => {
    this.raf = 0;
    if (this.destroyed || !this.needsFrames()) return;
    this.raf = requestAnimationFrame(this.frame);
    const pulsing = this.alarms.length > 0 || this.newCases.length > 0;
    const every = this.opts.reducedMotion ? FRAME_MS_REDUCED : pulsing ? FRAME_MS_PULSE : FRAME_MS_VEHICLES;
    if (t - this.lastFrame < every - 2) return;
    this.lastFrame = t;
    this.render();
  };

  private render(): void {
    if (this.destroyed) return;
    const nowMs = Date.now();
    // Highlights that are over leave the data (and their layer then draws nothing).
    if (this.newCases.length && nowMs - this.newCases[0].at > HIGHLIGHT_MS) {
      this.newCases = this.newCases.filter((c) => nowMs - c.at <= HIGHLIGHT_MS);
    }
    if (this.vehiclesDirty && (!this.vehicles.tracks.length || nowMs - this.vehicleBuiltAt > 1000)) {
      // Appended fixes reach the GPU at most once a second: the trail attributes are rebuilt with them.
      this.vehicles = trackFrame(this.table);
      this.vehiclesDirty = false;
      this.vehicleBuiltAt = nowMs;
    }
    const k = this.opts.scale;
    const clock = (performance.now() - this.started) / 1000;
    const ctx: DeckLayerContext = { theme: 'dark', opacity: 1, clock: this.opts.reducedMotion ? 0 : clock, zoom: this.map.getZoom() };
    const time = this.opts.now() / 1000 - (this.opts.reducedMotion ? 0 : VEHICLE_LAG_S);
    const layers: Layer[] = [
      ...(this.overlays.vehicles ? vehicleLayers({ tracks: this.vehicles.tracks, time, t0: this.vehicles.t0 }, ctx) : []),
      // People are dense over the whole district: their dots shrink by up to half below a street's zoom.
      ...(this.overlays.staff ? personnelLayers(this.people, ctx).map((l) => scaled(l, Math.min(1, Math.max(0.5, (ctx.zoom - Math.log2(k) - 11) / 3)))) : []),
      ...(this.overlays.newCases ? newCaseLayers(this.newCases, nowMs, 1) : []),
      ...alarmLayers(this.alarms, ctx),
      ...alarmFocusLayers(this.focus, clock, 1, !this.opts.reducedMotion),
    ].map((l) => scaled(l, k));
    this.overlay.setProps({ layers });
  }

  private vehicleBuiltAt = 0;
}
