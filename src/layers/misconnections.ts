import type { LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { formatValue, remediationStatus } from '../panels/format.ts';

const source = 'misconnections';
const sourceLayer = 'misconnections';

const layers = (ctx: StyleContext): LayerSpecification[] => [
  ...clusterLayers('misconnections', { source, sourceLayer, color: layerColors.misconnection }, ctx),
  {
    id: 'misconnections-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 1.8, 14, 3, 17, 6],
      // Repaired ones (fixed, verified) fade out but stay visible: the record is part of the survey history;
      // a false report (rejected) nearly goes. Confirmed: a dark ring; in repair: the blue one.
      'circle-color': ['match', ['get', 'status'], ['fixed', 'verified', 'rejected'], ctx.base.symbolStroke, layerColors.misconnection],
      'circle-opacity': ['match', ['get', 'status'], ['fixed', 'verified'], 0.6, 'rejected', 0.25, 0.9],
      'circle-stroke-color': ['match', ['get', 'status'], 'confirmed', '#5c0a25', 'in_repair', layerColors.inRepair, layerColors.misconnection],
      'circle-stroke-width': ['match', ['get', 'status'], 'confirmed', 1.5, 'in_repair', 2.2, 0.8],
    },
  },
];

const misconnections: TileLayerModule = {
  id: 'misconnections',
  kind: 'tile',
  labelKey: 'layer.misconnections',
  folder: 'drainage',
  data: ['misconnections'],
  treeOrder: 40,
  drawOrder: 60,
  defaultVisible: false,
  features: { title: (p, i) => [formatValue('kind', p.kind, i), remediationStatus(p.status, i)].join(' · ') },
  layers,
  legend: () => [
    { shape: 'circle', color: layerColors.misconnection, labelKey: 'legend.misconnFound' },
    { shape: 'ring', color: layerColors.inRepair, labelKey: 'legend.inRepair' },
    { shape: 'ring', color: layerColors.misconnection, labelKey: 'legend.misconnFixed' },
  ],
};
export default misconnections;
