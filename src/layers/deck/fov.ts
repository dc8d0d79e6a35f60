// Camera fields of view at high zoom: a sector from each camera's azimuth, horizontal FOV and range
// (@turf/sector), coloured by status. Sectors are computed once per camera and kept, and the layer's data
// stays the same array while the cameras do: the layer is rebuilt on every animation frame (vehicles,
// alarm pulses), and a new `data` would make deck.gl recompute and upload every polygon each time.
import { PolygonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import sector from '@turf/sector';
import circle from '@turf/circle';
import type { Position } from 'geojson';
import { cameraStatusColors } from '../cameras.ts';
import { rgb } from '../../map/palette.ts';
import { before, FOV_BEFORE } from './order.ts';
import type { DeckLayerContext } from './types.ts';

export interface CameraFov {
  id: number | string;
  name?: string;
  code?: string;
  status: string;
  lon: number;
  lat: number;
  azimuth: number;
  hfov: number;
  range_m: number;
}

export interface FovSector {
  camera: CameraFov;
  ring: Position[];
}

const cache = new Map<string, FovSector>();

/** The sector polygon of a camera: the full circle for a 360° (fisheye) view. */
export function fovSector(c: CameraFov): FovSector {
  const key = `${c.id}:${c.lon}:${c.lat}:${c.azimuth}:${c.hfov}:${c.range_m}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const km = Math.max(1, c.range_m) / 1000;
  const poly = c.hfov >= 359.5
    ? circle([c.lon, c.lat], km, { steps: 32 })
    : sector([c.lon, c.lat], km, c.azimuth - c.hfov / 2, c.azimuth + c.hfov / 2, { steps: 24 });
  const s = { camera: c, ring: poly.geometry.coordinates[0] };
  if (cache.size > 20_000) cache.clear();
  cache.set(key, s);
  return s;
}

/** Same cameras, seen the same way: what the sectors' shapes (position, azimuth, FOV, range) and colours (status) depend on. */
export function sameFov(a: readonly CameraFov[], b: readonly CameraFov[]): boolean {
  return a === b || (a.length === b.length && a.every((c, i) => {
    const d = b[i];
    return c.id === d.id && c.lon === d.lon && c.lat === d.lat && c.azimuth === d.azimuth && c.hfov === d.hfov
      && c.range_m === d.range_m && c.status === d.status;
  }));
}

let last: { cameras: readonly CameraFov[]; sectors: FovSector[] } | null = null;

/** The cameras' sectors: the same array as last time while the cameras are the same (sameFov). */
export function fovSectors(cameras: readonly CameraFov[]): FovSector[] {
  if (last && sameFov(last.cameras, cameras)) {
    last.cameras = cameras;
    return last.sectors;
  }
  last = { cameras, sectors: cameras.map(fovSector) };
  return last.sectors;
}

export function fovLayers(cameras: readonly CameraFov[], ctx: DeckLayerContext): Layer[] {
  const sectors = fovSectors(cameras);
  const color = (s: FovSector) => rgb(cameraStatusColors[s.camera.status as keyof typeof cameraStatusColors] ?? cameraStatusColors.offline);
  return [
    new PolygonLayer<FovSector>({
      id: 'fov-sectors',
      data: sectors,
      getPolygon: (d) => d.ring,
      // Fisheye (360°) views are drawn fainter: they would otherwise cover everything around them.
      getFillColor: (d) => [...color(d), d.camera.hfov >= 359.5 ? 14 : d.camera.status === 'online' ? 34 : 24] as [number, number, number, number],
      getLineColor: (d) => [...color(d), d.camera.hfov >= 359.5 ? 70 : 150] as [number, number, number, number],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      stroked: true,
      filled: true,
      opacity: ctx.opacity,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 181, 255, 70],
      ...before(FOV_BEFORE),
    }),
  ];
}
