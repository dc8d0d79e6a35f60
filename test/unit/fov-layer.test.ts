// The camera sector layer is rebuilt on every animation frame: its data must stay the same array while the
// cameras are the same (else deck.gl recomputes and uploads every polygon per frame), and change when a
// camera moves, turns, widens, reaches further, changes status, comes or goes.
import { describe, expect, it } from 'vitest';
import { fovLayers, type CameraFov } from '../../src/layers/deck/fov.ts';
import type { DeckLayerContext } from '../../src/layers/deck/types.ts';

const cameras: CameraFov[] = [
  { id: 1, status: 'online', lon: 114.31, lat: 30.55, azimuth: 90, hfov: 60, range_m: 50 },
  { id: 2, status: 'offline', lon: 114.312, lat: 30.551, azimuth: 200, hfov: 360, range_m: 30 },
];
/** A frame of the animation clock. */
const frame = (n: number): DeckLayerContext => ({ theme: 'light', opacity: 1, clock: n / 30, zoom: 17 });
const dataOf = (cams: readonly CameraFov[], n: number) => fovLayers(cams, frame(n))[0].props.data;

describe('camera sector layer data', () => {
  it('is the same array from frame to frame for the same cameras', () => {
    const first = dataOf(cameras, 0);
    for (let n = 1; n < 60; n++) expect(dataOf(cameras, n)).toBe(first);
    // The tiles read again into equal objects (a new array): still the same data.
    expect(dataOf(cameras.map((c) => ({ ...c })), 60)).toBe(first);
    expect((first as unknown[]).length).toBe(2);
  });

  it.each<[string, Partial<CameraFov>]>([
    ['turns', { azimuth: 180 }],
    ['widens', { hfov: 90 }],
    ['reaches further', { range_m: 80 }],
    ['moves', { lon: 114.3101 }],
    ['changes status', { status: 'damaged' }],
  ])('changes when a camera %s, and then stays again', (_, change) => {
    const before = dataOf(cameras, 0);
    const changed = cameras.map((c, i) => (i === 0 ? { ...c, ...change } : c));
    const after = dataOf(changed, 1);
    expect(after).not.toBe(before);
    expect(dataOf(changed, 2)).toBe(after);
    expect(dataOf(cameras, 3)).not.toBe(after);
  });

  it('changes when a camera comes or goes', () => {
    const both = dataOf(cameras, 0);
    const one = dataOf(cameras.slice(0, 1), 1);
    expect(one).not.toBe(both);
    expect((one as unknown[]).length).toBe(1);
  });

  it('gives the turned camera its new sector', () => {
    const east = (dataOf(cameras, 0) as { ring: number[][] }[])[0].ring;
    const south = (dataOf([{ ...cameras[0], azimuth: 180 }, cameras[1]], 1) as { ring: number[][] }[])[0].ring;
    // A sector facing east reaches east of the camera; one facing south reaches south of it.
    expect(Math.max(...east.map((p) => p[0]))).toBeGreaterThan(cameras[0].lon + 0.0003);
    expect(Math.min(...south.map((p) => p[1]))).toBeLessThan(cameras[0].lat - 0.0003);
  });
});
