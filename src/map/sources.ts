import type { VectorSourceSpecification } from 'maplibre-gl';

// Vector-tile sources served by our own server: one per tile layer module (src/layers/catalog.ts), of
// the same id as the module and as its tiles/ layer on the server, or one composite source holding several
// layers in each tile (tileSources.ts), whose TileJSON is /tiles/{id},{id},….json.

/** Absolute, because MapLibre resolves TileJSON and tile URLs inside a worker where relative URLs break. */
export function tileJsonUrl(ids: string | readonly string[], origin: string = window.location.origin): string {
  return `${origin}/tiles/${typeof ids === 'string' ? ids : ids.join(',')}.json`;
}

export function vectorSource(ids: string | readonly string[], origin?: string): VectorSourceSpecification {
  return {
    type: 'vector',
    url: tileJsonUrl(ids, origin),
    attribution: '武昌“一张图” · 合成数据 Synthetic data',
  };
}
