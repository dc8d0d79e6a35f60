import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { clusterLabels, clusterLayers } from './clusters.ts';
import { isRaw } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { formatValue } from '../panels/format.ts';

const source = 'cases';
const sourceLayer = 'cases';

/** Share of a cluster's cases still open: green when the backlog is cleared, orange when it is not. */
const openShare: ExpressionSpecification = [
  '/', ['to-number', ['get', 'open'], 0], ['max', 1, ['to-number', ['get', 'count'], 1]],
];

/** The server's case_is_open(): everything but closed and rejected is still in the workflow. */
const isClosed: ExpressionSpecification = ['in', ['get', 'status'], ['literal', ['closed', 'rejected']]];

/** With the case density drawn (beneath), clusters are outlines with their counts, so the hexagons show. */
const clusters = (ctx: StyleContext) => ({
  source,
  sourceLayer,
  color: ['interpolate', ['linear'], openShare, 0, layerColors.caseClosed, 0.05, layerColors.caseOpen] as ExpressionSpecification,
  hollow: ctx.caseDensity,
});

const layers = (ctx: StyleContext): LayerSpecification[] => [
  ...clusterLayers('cases', clusters(ctx), ctx),
  {
    id: 'cases-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    layout: { 'circle-sort-key': ['case', isClosed, 0, 1] },
    paint: {
      // Closed cases are history: small and faint; open ones are the work and stand out.
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, ['case', isClosed, 1.6, 3], 17, ['case', isClosed, 3.5, 7]],
      'circle-color': ['case', isClosed, layerColors.caseClosed, layerColors.caseOpen],
      'circle-opacity': ['case', isClosed, 0.45, 0.95],
      // 部件 (component) cases as squares would need a sprite; a thicker ring tells them apart instead.
      'circle-stroke-color': ctx.base.symbolStroke,
      'circle-stroke-width': ['case', isClosed, 0, ['match', ['get', 'class'], 'component', 2.5, 1.2]],
    },
  },
];

const cases: TileLayerModule = {
  id: 'cases',
  kind: 'tile',
  labelKey: 'layer.cases',
  folder: 'city',
  data: ['cases'],
  treeOrder: 10,
  drawOrder: 90,
  defaultVisible: false,
  features: { title: (p, i) => [p.case_no, formatValue('status', p.status, i)].filter(Boolean).join(' · ') },
  layers,
  labels: (ctx) => clusterLabels('cases', clusters(ctx)),
  legend: () => [
    { shape: 'circle', color: layerColors.caseOpen, labelKey: 'legend.caseOpen' },
    { shape: 'circle', color: layerColors.caseClosed, labelKey: 'legend.caseClosed' },
    { shape: 'ring', color: layerColors.caseOpen, labelKey: 'legend.caseComponent' },
    { shape: 'ramp', color: [layerColors.caseClosed, layerColors.caseOpen], labelKey: 'legend.clusterOpenShare' },
  ],
};
export default cases;
