// A case just reported: a ring that shrinks onto the spot and fades over HIGHLIGHT_S, so a new case catches
// the eye once and then leaves the map to the tiles' case symbols.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { layerColors, rgb } from '../../map/palette.ts';

export interface NewCase {
  id: string;
  caseNo: string;
  position: [number, number];
  /** Client time (ms) it arrived. */
  at: number;
}

export const HIGHLIGHT_MS = 20_000;

const COLOR = rgb(layerColors.caseOpen);

export function newCaseLayers(cases: readonly NewCase[], now: number, scale: number): Layer[] {
  const age = (c: NewCase) => Math.min(1, Math.max(0, (now - c.at) / HIGHLIGHT_MS));
  return [
    new ScatterplotLayer<NewCase>({
      id: 'newcases-ring',
      data: cases,
      getPosition: (c) => c.position,
      // From 40 px down to 12 px over the first fifth, then it stays and fades.
      getRadius: (c) => 12 + 28 * Math.max(0, 1 - age(c) * 5),
      getLineColor: (c) => [...COLOR, Math.round(255 * (1 - age(c)))] as [number, number, number, number],
      getFillColor: (c) => [...COLOR, Math.round(90 * (1 - age(c)))] as [number, number, number, number],
      radiusUnits: 'pixels',
      radiusScale: scale,
      stroked: true,
      filled: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      lineWidthScale: scale,
      updateTriggers: { getRadius: now, getLineColor: now, getFillColor: now },
      pickable: true,
    }),
  ];
}
