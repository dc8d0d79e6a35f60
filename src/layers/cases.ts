import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'cases';
const sourceLayer = 'cases';

/** Share of a cluster's cases still open: green when the backlog is cleared, orange when it is not. */
const openShare: ExpressionSpecification = [
  '/', ['to-number', ['get', 'open'], 0], ['max', 1, ['to-number', ['get', 'count'], 1]],
];

const isClosed: ExpressionSpecification = ['in', ['get', 'status'], ['literal', ['closed', 'close', 'archived', 'cancelled']]];

const layers: LayerSpecification[] = [
  ...clusterLayers('cases', {
    source,
    sourceLayer,
    color: ['interpolate', ['linear'], openShare, 0, layerColors.caseClosed, 0.5, layerColors.caseOpen],
  }),
  {
    id: 'cases-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 6.5],
      'circle-color': ['case', isClosed, layerColors.caseClosed, layerColors.caseOpen],
      // 部件 (component) cases as squares would need a sprite; a thicker ring tells them apart instead.
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': ['match', ['get', 'class'], 'component', 2.5, 1],
    },
  },
];

export const casesGroup: MapLayerGroup = {
  id: 'cases',
  labelKey: 'layer.cases',
  swatch: layerColors.caseOpen,
  defaultVisible: false,
  layers,
};
