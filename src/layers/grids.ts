import type { LayerSpecification } from 'maplibre-gl';
import { layerColors } from '../map/palette.ts';
import type { StyleContext, TileLayerModule } from './types.ts';

const source = 'grids';
const sourceLayer = 'grids';

const layers = (): LayerSpecification[] => [
  {
    // A near-invisible fill makes the whole grid cell hit-testable for identify / "which grid am I in".
    id: 'grids-fill',
    type: 'fill',
    source,
    'source-layer': sourceLayer,
    paint: { 'fill-color': layerColors.grids, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0.02, 16, 0.05] },
  },
  {
    id: 'grids-line',
    type: 'line',
    source,
    'source-layer': sourceLayer,
    paint: {
      'line-color': layerColors.grids,
      'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.5, 16, 1.4],
      // Faint in the overview (1367 cells would hatch the map), firm where one grid matters.
      'line-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0.3, 14, 0.5, 16, 0.8],
      'line-dasharray': [3, 2],
    },
  },
];

const labels = (ctx: StyleContext): LayerSpecification[] => [
  {
    id: 'grids-code',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 15,
    layout: {
      // 15 digits do not fit a cell at z15: community and grid sequence (the last 6) identify it
      // within the street; the full code once there is room.
      'text-field': [
        'step', ['zoom'],
        ['concat', ['slice', ['to-string', ['get', 'code']], 9, 12], '-', ['slice', ['to-string', ['get', 'code']], 12]],
        16.5, ['to-string', ['get', 'code']],
      ],
      'text-size': ['interpolate', ['linear'], ['zoom'], 15, 10, 18, 12],
      'text-padding': 6,
    },
    paint: { 'text-color': ctx.base.gridLabel, 'text-halo-color': ctx.base.halo, 'text-halo-width': 1.2 },
  },
];

const grids: TileLayerModule = {
  id: 'grids',
  kind: 'tile',
  labelKey: 'layer.grids',
  folder: 'base',
  data: ['grids'],
  treeOrder: 20,
  drawOrder: 20,
  defaultVisible: true,
  // The details API knows a grid by its 15-digit code.
  features: { key: 'code', title: (p) => String(p.code ?? ''), preselect: false },
  layers,
  labels,
  legend: () => [{ shape: 'dash', color: layerColors.grids, labelKey: 'legend.gridCell' }],
};
export default grids;
