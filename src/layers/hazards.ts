import type { LayerSpecification } from 'maplibre-gl';
import { gradeColors, layerColors } from '../map/palette.ts';
import { clusterLayers } from './clusters.ts';
import { isRaw } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { defectLabel, remediationStatus } from '../panels/format.ts';

const source = 'hazards';
const sourceLayer = 'hazards';

const layers = (ctx: StyleContext): LayerSpecification[] => [
  ...clusterLayers('hazards', { source, sourceLayer, color: layerColors.hazard }, ctx),
  {
    id: 'hazards-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: isRaw,
    layout: { 'circle-sort-key': ['to-number', ['get', 'grade'], 0] },
    paint: {
      // Severity drives both size and colour so grade Ⅳ stands out even for colour-blind readers.
      'circle-radius': [
        'interpolate', ['linear'], ['zoom'],
        11, ['+', 1, ['*', 0.5, ['to-number', ['get', 'grade'], 1]]],
        17, ['+', 3.5, ['*', 1.5, ['to-number', ['get', 'grade'], 1]]],
      ],
      'circle-color': [
        'match', ['to-number', ['get', 'grade'], 0],
        1, gradeColors[0], 2, gradeColors[1], 3, gradeColors[2], 4, gradeColors[3],
        layerColors.hazard,
      ],
      // In repair: a blue ring; otherwise functional defects get a dark ring, structural a light one.
      'circle-stroke-color': ['case', ['==', ['get', 'status'], 'in_repair'], layerColors.inRepair,
        ['match', ['get', 'kind'], 'functional', '#343a40', ctx.base.symbolStroke === '#ffffff' ? '#ffffff' : '#dee2e6']],
      'circle-stroke-width': ['match', ['get', 'status'], 'in_repair', 2.4, 1.2],
      // Repaired (fixed, verified) fade; a false report (rejected) nearly goes.
      'circle-opacity': ['match', ['get', 'status'], ['fixed', 'verified'], 0.45, 'rejected', 0.2, 1],
      'circle-stroke-opacity': ['match', ['get', 'status'], ['fixed', 'verified'], 0.45, 'rejected', 0.2, 1],
    },
  },
];

const labels = (ctx: StyleContext): LayerSpecification[] => [
  {
    id: 'hazards-code',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 17,
    filter: isRaw,
    layout: {
      'text-field': ['concat', ['get', 'code'], ' ', ['to-string', ['get', 'grade']]],
      'text-size': 11,
      'text-offset': [0, 1.2],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': gradeColors[3], 'text-halo-color': ctx.base.halo, 'text-halo-width': 1.4 },
  },
];

const hazards: TileLayerModule = {
  id: 'hazards',
  kind: 'tile',
  labelKey: 'layer.hazards',
  folder: 'drainage',
  data: ['hazards'],
  treeOrder: 30,
  drawOrder: 70,
  defaultVisible: true,
  features: {
    title: (p, i) => [p.code ? defectLabel(String(p.code), p.grade, i) : null, p.status && remediationStatus(p.status, i)].filter(Boolean).join(' · '),
  },
  layers,
  labels,
  legend: () => [
    { shape: 'circle', color: gradeColors[0], labelKey: 'legend.grade1' },
    { shape: 'circle', color: gradeColors[1], labelKey: 'legend.grade2' },
    { shape: 'circle', color: gradeColors[2], labelKey: 'legend.grade3' },
    { shape: 'circle', color: gradeColors[3], labelKey: 'legend.grade4' },
    { shape: 'ring', color: '#343a40', labelKey: 'legend.functional' },
    { shape: 'ring', color: layerColors.inRepair, labelKey: 'legend.inRepair' },
  ],
};
export default hazards;
