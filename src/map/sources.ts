import type { VectorSourceSpecification } from 'maplibre-gl';

// Vector-tile sources served by our own server: one per tile layer module (src/layers/catalog.ts), of
// the same id as the module and as its tiles/ layer on the server.

/** Absolute, because MapLibre resolves TileJSON and tile URLs inside a worker where relative URLs break. */
export function tileJsonUrl(id: string, origin: string = window.location.origin): string {
  return `${origin}/tiles/${id}.json`;
}

export function vectorSource(id: string, origin?: string): VectorSourceSpecification {
  return {
    type: 'vector',
    url: tileJsonUrl(id, origin),
    attribution: '武昌“一张图” · 合成数据 Synthetic data',
  };
}
