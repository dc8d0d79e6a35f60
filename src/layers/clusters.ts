import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { CLUSTER_MAX_RADIUS_PX, CLUSTER_STROKE_PX } from '../../common/clusters.ts';
import { layerColors } from '../map/palette.ts';
import { isAggregate } from './filters.ts';
import type { StyleContext } from './types.ts';

interface ClusterOptions {
  source: string;
  sourceLayer: string;
  color?: string | ExpressionSpecification;
  maxzoom?: number;
  /** Outlines only, so that what is drawn beneath (the case density) shows through. */
  hollow?: boolean;
}

/** The `count` of an aggregated feature; tests and the layer tree sum it for counts in view. */
export const clusterCount: ExpressionSpecification = ['to-number', ['get', 'count'], 0];

const zoomRange = (opts: ClusterOptions) => (opts.maxzoom === undefined ? {} : { maxzoom: opts.maxzoom });

/**
 * Aggregated features drawn as circles sized by `count`. Every point layer uses this, so whatever the
 * server aggregates at low zoom is shown rather than silently dropped. The server places clusters on the
 * grid of common/clusters.ts and the radius stays under its bound, so circles never overlap.
 */
export function clusterLayers(prefix: string, opts: ClusterOptions, ctx: StyleContext): LayerSpecification[] {
  const color = opts.color ?? layerColors.cluster;
  const r = CLUSTER_MAX_RADIUS_PX;
  return [
    {
      id: `${prefix}-cluster`,
      type: 'circle',
      source: opts.source,
      'source-layer': opts.sourceLayer,
      filter: isAggregate,
      ...zoomRange(opts),
      paint: {
        'circle-color': opts.hollow ? ctx.base.symbolStroke : color,
        'circle-opacity': opts.hollow ? 0.15 : 0.85,
        'circle-radius': ['interpolate', ['linear'], clusterCount, 1, r * 0.5, 10, r * 0.62, 100, r * 0.75, 1000, r * 0.88, 10000, r],
        'circle-stroke-color': opts.hollow ? color : ctx.base.symbolStroke,
        'circle-stroke-width': CLUSTER_STROKE_PX,
      },
    },
  ];
}

/**
 * The count on each cluster, among the labels (above every geometry, placed before the basemap's names,
 * which give way to it). It fits its circle, and a layer's circles never overlap.
 */
export function clusterLabels(prefix: string, opts: ClusterOptions): LayerSpecification[] {
  const count = clusterCount;
  const oneDecimal = (d: number) => ['/', ['round', ['/', count, d / 10]], 10];
  return [
    {
      id: `${prefix}-cluster-count`,
      type: 'symbol',
      source: opts.source,
      'source-layer': opts.sourceLayer,
      filter: isAggregate,
      ...zoomRange(opts),
      layout: {
        // At most four characters, the width a circle holds: 987, 9.9k, 12k, 5.3M.
        'text-field': [
          'case',
          ['<', count, 1000], ['to-string', count],
          ['<', count, 9950], ['concat', ['to-string', oneDecimal(1000)], 'k'],
          ['<', count, 999_500], ['concat', ['to-string', ['round', ['/', count, 1000]]], 'k'],
          ['concat', ['to-string', oneDecimal(1_000_000)], 'M'],
        ] as ExpressionSpecification,
        'text-size': 11,
        // Never over another layer's count (cases, cameras and manholes share the grid); within a layer
        // counts never meet, so none of them gives way.
        'text-allow-overlap': false,
        'text-padding': 0,
      },
      paint: {
        'text-color': layerColors.clusterText,
        'text-halo-color': layerColors.clusterTextHalo,
        'text-halo-width': opts.hollow ? 1.5 : 0,
      },
    },
  ];
}
