// GPS vehicles replaying their last hour: a fading trail (TripsLayer) and the vehicle itself at the replay time.
import { ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { Layer } from '@deck.gl/core';
import type { VehicleTrack } from '../../api/types.ts';
import { rgb, vehicleColors } from '../../map/palette.ts';
import { before, TOP_BEFORE } from './order.ts';
import type { DeckLayerContext } from './types.ts';

export interface VehicleFrame {
  tracks: readonly VehicleTrack[];
  /** Replay time, epoch seconds. */
  time: number;
  /** Window start, epoch seconds: timestamps are sent relative to it (float32 on the GPU). */
  t0: number;
}

export interface VehicleHead {
  track: VehicleTrack;
  position: [number, number];
  /** km/h between the two fixes around the replay time. */
  speed: number;
  heading: number;
  /** Seconds since the vehicle's last fix at the replay time (silent vehicles). */
  age: number;
}

const TRAIL_SECONDS = 8 * 60;

const colorOf = (t: VehicleTrack) =>
  rgb(t.status === 'offline' ? vehicleColors.offline : vehicleColors[t.kind as keyof typeof vehicleColors] ?? vehicleColors.offline);

/** Where each vehicle is at `time`: linear between the fixes around it; before its first fix it is not shown. */
export function vehicleHeads(tracks: readonly VehicleTrack[], time: number): VehicleHead[] {
  const heads: VehicleHead[] = [];
  for (const track of tracks) {
    const p = track.path;
    if (!p.length || p[0][2] > time) {
      if (p.length === 1) heads.push({ track, position: [p[0][0], p[0][1]], speed: 0, heading: 0, age: Math.max(0, time - p[0][2]) });
      continue;
    }
    // Binary search for the last fix at or before `time`.
    let lo = 0;
    let hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (p[mid][2] <= time) lo = mid;
      else hi = mid - 1;
    }
    const a = p[lo];
    const b = p[Math.min(lo + 1, p.length - 1)];
    const span = b[2] - a[2];
    const f = span > 0 ? Math.min(1, (time - a[2]) / span) : 0;
    const lon = a[0] + (b[0] - a[0]) * f;
    const lat = a[1] + (b[1] - a[1]) * f;
    const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180) * 111_320;
    const dy = (b[1] - a[1]) * 110_540;
    const speed = span > 0 ? (Math.hypot(dx, dy) / span) * 3.6 : 0;
    heads.push({ track, position: [lon, lat], speed, heading: (Math.atan2(dx, dy) * 180) / Math.PI, age: b === a ? time - a[2] : 0 });
  }
  return heads;
}

export function vehicleLayers(frame: VehicleFrame, ctx: DeckLayerContext): Layer[] {
  const { tracks, time, t0 } = frame;
  const heads = vehicleHeads(tracks, time);
  const dark = ctx.theme === 'dark';
  return [
    new TripsLayer<VehicleTrack>({
      id: 'vehicles-trails',
      data: tracks,
      getPath: (d) => d.path.map((p) => [p[0], p[1]] as [number, number]),
      getTimestamps: (d) => d.path.map((p) => p[2] - t0),
      getColor: (d) => colorOf(d),
      currentTime: time - t0,
      trailLength: TRAIL_SECONDS,
      fadeTrail: true,
      widthUnits: 'pixels',
      getWidth: 3,
      widthMinPixels: 2,
      capRounded: true,
      jointRounded: true,
      opacity: 0.85 * ctx.opacity,
      ...before(TOP_BEFORE),
    }),
    new ScatterplotLayer<VehicleHead>({
      id: 'vehicles-heads',
      data: heads,
      getPosition: (d) => d.position,
      getFillColor: (d) => colorOf(d.track),
      getLineColor: dark ? [14, 23, 38] : [255, 255, 255],
      getRadius: (d) => (d.track.kind === 'emergency' ? 6 : 5),
      radiusUnits: 'pixels',
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      opacity: ctx.opacity,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 181, 255, 200],
      updateTriggers: { getPosition: time },
      ...before(TOP_BEFORE),
    }),
  ];
}
