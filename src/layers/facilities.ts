import type { LayerSpecification } from 'maplibre-gl';
import { facilityColors, facilityStateColors, layerColors } from '../map/palette.ts';
import { all, isLine, isPoint, isPolygon, matchColor } from './filters.ts';
import type { StyleContext, TileLayerModule } from './types.ts';
import { facilityTitle } from '../panels/format.ts';
import { facilityStateLayers, facilityStateLabels } from './facility-state.ts';

const source = 'facilities';
const sourceLayer = 'facilities';

const kindColor = matchColor('kind', facilityColors, layerColors.facilities);

const layers = (ctx: StyleContext): LayerSpecification[] => [
  {
    // Monitored lakes are outlined over the basemap water rather than refilled.
    id: 'facilities-area',
    type: 'line',
    source,
    'source-layer': sourceLayer,
    filter: isPolygon,
    paint: { 'line-color': layerColors.facilities, 'line-width': 1.5, 'line-dasharray': [3, 1.5] },
  },
  {
    id: 'facilities-channel',
    type: 'line',
    source,
    'source-layer': sourceLayer,
    filter: isLine,
    layout: { 'line-cap': 'round' },
    paint: { 'line-color': ctx.base.waterOutline, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 4] },
  },
  {
    id: 'facilities-point',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: all(isPoint, ['!', ['has', 'count']]),
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3.5, 16, 7],
      'circle-color': kindColor,
      'circle-stroke-color': ctx.base.symbolStroke,
      'circle-stroke-width': 1.5,
    },
  },
  ...facilityStateLayers(),
];

const labels = (ctx: StyleContext): LayerSpecification[] => [
  {
    id: 'facilities-name',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 14,
    filter: all(isPoint, ['has', 'name']),
    layout: {
      'text-field': ['get', 'name'],
      'text-size': 11,
      'text-offset': [0, 1],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': kindColor, 'text-halo-color': ctx.base.halo, 'text-halo-width': 1.4 },
  },
  ...facilityStateLabels(ctx),
];

const facilities: TileLayerModule = {
  id: 'facilities',
  kind: 'tile',
  labelKey: 'layer.facilities',
  folder: 'drainage',
  data: ['facilities'],
  treeOrder: 50,
  drawOrder: 30,
  defaultVisible: true,
  features: { title: facilityTitle },
  layers,
  labels,
  legend: () => [
    { shape: 'circle', color: facilityColors.pumping_station, labelKey: 'facility.pumping_station' },
    { shape: 'circle', color: facilityColors.flood_gate, labelKey: 'facility.flood_gate' },
    { shape: 'circle', color: facilityColors.outfall, labelKey: 'facility.outfall' },
    { shape: 'circle', color: facilityColors.wwtp, labelKey: 'facility.wwtp' },
    { shape: 'circle', color: facilityColors.waterlogging_point, labelKey: 'facility.waterlogging_point' },
    { shape: 'dash', color: layerColors.facilities, labelKey: 'facility.lake' },
    { shape: 'ring', color: facilityStateColors.open, labelKey: 'facilityState.open' },
    { shape: 'ring', color: facilityStateColors.running, labelKey: 'facilityState.running' },
    { shape: 'ring', color: facilityStateColors.closed, labelKey: 'facilityState.idle' },
    { shape: 'line', color: facilityStateColors.warning, labelKey: 'facilityState.level.warning' },
    { shape: 'line', color: facilityStateColors.guarantee, labelKey: 'facilityState.level.guarantee' },
  ],
};
export default facilities;
