import type { VectorSourceSpecification } from 'maplibre-gl';

/** Vector-tile sources served by our own server (see tiles/ and the README's tile layers). */
export const SOURCE_IDS = [
  'basemap',
  'grids',
  'facilities',
  'pipes',
  'misconnections',
  'hazards',
  'manholes',
  'sensors',
  'cameras',
  'cases',
] as const;

export type SourceId = (typeof SOURCE_IDS)[number];

/** Absolute, because MapLibre resolves TileJSON and tile URLs inside a worker where relative URLs break. */
export function tileJsonUrl(id: SourceId, origin: string = window.location.origin): string {
  return `${origin}/tiles/${id}.json`;
}

export function vectorSource(id: SourceId, origin?: string): VectorSourceSpecification {
  return {
    type: 'vector',
    url: tileJsonUrl(id, origin),
    attribution: '武昌“一张图” · 合成数据 Synthetic data',
  };
}
