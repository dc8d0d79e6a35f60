import type { LayerSpecification } from 'maplibre-gl';
import { layerColors, pipeColors } from '../map/palette.ts';
import { clusterLabels, clusterLayers } from './clusters.ts';
import { isRaw, matchColor } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { formatValue } from '../panels/format.ts';

const source = 'manholes';
const sourceLayer = 'manholes';

const clusters = { source, sourceLayer, color: layerColors.manhole };

const layers = (ctx: StyleContext): LayerSpecification[] => [
  ...clusterLayers('manholes', clusters, ctx),
  {
    id: 'manholes-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      // Outfalls matter most (where the network meets the river/lakes), so they are larger and teal.
      'circle-radius': [
        'interpolate', ['linear'], ['zoom'],
        14, ['match', ['get', 'kind'], 'outfall', 3, 1.2],
        16, ['match', ['get', 'kind'], 'outfall', 4.5, 2.2],
        18, ['match', ['get', 'kind'], 'outfall', 8, 5],
      ],
      'circle-color': ctx.base.symbolStroke,
      'circle-stroke-color': [
        'match', ['get', 'kind'],
        'outfall', layerColors.outfall,
        'junction', layerColors.junction,
        matchColor('usage', { rain: pipeColors.rain, sewage: pipeColors.sewage, combined: pipeColors.combined }, layerColors.manhole),
      ],
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 14, 0.8, 18, 2],
    },
  },
];

const manholes: TileLayerModule = {
  id: 'manholes',
  kind: 'tile',
  labelKey: 'layer.manholes',
  folder: 'drainage',
  data: ['manholes'],
  treeOrder: 20,
  drawOrder: 50,
  defaultVisible: false,
  features: { title: (p, i) => [p.code, p.kind && formatValue('kind', p.kind, i)].filter(Boolean).join(' · ') },
  layers,
  labels: () => clusterLabels('manholes', clusters),
  legend: () => [
    { shape: 'ring', color: pipeColors.rain, labelKey: 'legend.manholeByUsage' },
    { shape: 'ring', color: layerColors.outfall, labelKey: 'facility.outfall' },
    { shape: 'circle', color: layerColors.manhole, labelKey: 'legend.cluster' },
  ],
};
export default manholes;
