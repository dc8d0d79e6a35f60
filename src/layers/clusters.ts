import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { isAggregate } from './filters.ts';
import type { StyleContext } from './types.ts';

interface ClusterOptions {
  source: string;
  sourceLayer: string;
  color?: string | ExpressionSpecification;
  maxzoom?: number;
}

/** The `count` of an aggregated feature; tests and the layer tree sum it for counts in view. */
export const clusterCount: ExpressionSpecification = ['to-number', ['get', 'count'], 0];

/**
 * Aggregated features drawn as circles sized by `count` with the count on top. Every point layer
 * uses this, so whatever the server aggregates at low zoom is shown rather than silently dropped.
 */
export function clusterLayers(prefix: string, opts: ClusterOptions, ctx: StyleContext): LayerSpecification[] {
  const count = clusterCount;
  const zoomRange = opts.maxzoom === undefined ? {} : { maxzoom: opts.maxzoom };
  return [
    {
      id: `${prefix}-cluster`,
      type: 'circle',
      source: opts.source,
      'source-layer': opts.sourceLayer,
      filter: isAggregate,
      ...zoomRange,
      paint: {
        'circle-color': opts.color ?? layerColors.cluster,
        'circle-opacity': 0.85,
        'circle-radius': ['interpolate', ['linear'], count, 1, 7, 10, 9, 100, 13, 1000, 18, 10000, 24],
        'circle-stroke-color': ctx.base.symbolStroke,
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: `${prefix}-cluster-count`,
      type: 'symbol',
      source: opts.source,
      'source-layer': opts.sourceLayer,
      filter: isAggregate,
      ...zoomRange,
      layout: {
        // Benchmark-scale data (millions of cases) gives five-digit clusters; keep the label inside the circle.
        'text-field': ['case', ['>=', count, 10000], ['concat', ['to-string', ['round', ['/', count, 1000]]], 'k'], ['to-string', count]],
        'text-size': 11,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': layerColors.clusterText },
    },
  ];
}
