// Case density from /api/cases/density: hexagon bins (HexagonLayer) or a heatmap (HeatmapLayer) of the
// server's pre-aggregated cells, each weighted by its case count.
import { HeatmapLayer, HexagonLayer } from '@deck.gl/aggregation-layers';
import type { Layer } from '@deck.gl/core';
import type { DensityMode } from '../types.ts';
import { densityRamp } from '../../map/palette.ts';
import { before, DENSITY_BEFORE } from './order.ts';
import type { DeckLayerContext } from './types.ts';

export type DensityCell = [lon: number, lat: number, n: number, open: number];

export interface DensityData {
  cells: readonly DensityCell[];
  mode: DensityMode;
  /** Latitude of the view, for metres per pixel. */
  latitude: number;
}

/** Hexagon radius: ~22 screen px at the integer zoom, so bins do not re-form on every wheel tick. */
export function hexRadius(zoom: number, latitude: number): number {
  const metresPerPixel = (40_075_016.686 * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** Math.round(zoom));
  return Math.max(10, Math.round(22 * metresPerPixel));
}

export function densityLayers(data: DensityData, ctx: DeckLayerContext): Layer[] {
  const { cells, mode } = data;
  if (mode === 'heat') {
    return [
      new HeatmapLayer<DensityCell>({
        id: 'density-heat',
        data: cells,
        getPosition: (d) => [d[0], d[1]],
        getWeight: (d) => d[2],
        radiusPixels: 28,
        intensity: 1,
        threshold: 0.04,
        colorRange: densityRamp,
        opacity: 0.75 * ctx.opacity,
        ...before(DENSITY_BEFORE),
      }),
    ];
  }
  return [
    new HexagonLayer<DensityCell>({
      id: 'density-hex',
      data: cells,
      getPosition: (d) => [d[0], d[1]],
      getColorWeight: (d) => d[2],
      colorAggregation: 'SUM',
      getElevationWeight: (d) => d[2],
      elevationAggregation: 'SUM',
      radius: hexRadius(ctx.zoom, data.latitude),
      coverage: 0.92,
      colorRange: densityRamp,
      colorScaleType: 'quantile',
      gpuAggregation: false,
      extruded: false,
      opacity: 0.62 * ctx.opacity,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 181, 255, 160],
      ...before(DENSITY_BEFORE),
    }),
  ];
}
