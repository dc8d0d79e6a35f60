import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { buildingLayers } from './buildings-style.ts';
import type { StyleContext, TileLayerModule } from './types.ts';

const source = 'basemap';

const roadClass = (...classes: string[]): ExpressionSpecification =>
  ['match', ['get', 'class'], classes, true, false];

/** Road width in px by class, growing with zoom. */
const roadWidth = (base: Record<string, number>, scale = 1): ExpressionSpecification => {
  const byClass = (k: number): ExpressionSpecification => [
    'match', ['get', 'class'],
    'trunk', base.trunk * k * scale,
    'primary', base.primary * k * scale,
    'secondary', base.secondary * k * scale,
    base.residential * k * scale,
  ];
  return ['interpolate', ['exponential', 1.6], ['zoom'], 10, byClass(0.5), 13, byClass(1.3), 16, byClass(3), 18, byClass(6)];
};
const ROAD_BASE = { trunk: 4, primary: 3, secondary: 2, residential: 1 };

const layers = ({ base: c }: StyleContext): LayerSpecification[] => [
  {
    id: 'basemap-district-fill',
    type: 'fill',
    source,
    'source-layer': 'district',
    paint: { 'fill-color': c.districtFill },
  },
  {
    id: 'basemap-water',
    type: 'fill',
    source,
    'source-layer': 'water',
    paint: { 'fill-color': c.water, 'fill-outline-color': c.waterOutline },
  },
  {
    id: 'basemap-communities-line',
    type: 'line',
    source,
    'source-layer': 'communities',
    minzoom: 13.5,
    paint: { 'line-color': c.communityLine, 'line-width': 0.8, 'line-dasharray': [2, 2] },
  },
  {
    id: 'basemap-roads-casing',
    type: 'line',
    source,
    'source-layer': 'roads',
    minzoom: 12,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': c.roadCasing, 'line-width': roadWidth(ROAD_BASE, 1) },
  },
  {
    id: 'basemap-roads',
    type: 'line',
    source,
    'source-layer': 'roads',
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: {
      'line-color': [
        'case',
        roadClass('trunk'), c.roadTrunk,
        roadClass('primary'), c.roadPrimary,
        roadClass('secondary'), c.roadSecondary,
        c.roadResidential,
      ],
      'line-width': roadWidth(ROAD_BASE, 0.7),
    },
  },
  ...buildingLayers(source, c),
  {
    id: 'basemap-streets-line',
    type: 'line',
    source,
    'source-layer': 'streets',
    paint: {
      'line-color': c.streetLine,
      'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 16, 1.6],
      'line-dasharray': [4, 2],
      'line-opacity': 0.8,
    },
  },
  {
    id: 'basemap-district-line',
    type: 'line',
    source,
    'source-layer': 'district',
    layout: { 'line-join': 'round' },
    paint: { 'line-color': c.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 16, 3.5] },
  },
];

const labelKind = (kind: string): ExpressionSpecification => ['==', ['get', 'kind'], kind];

const labels = ({ base: c }: StyleContext): LayerSpecification[] => [
  {
    id: 'basemap-road-labels',
    type: 'symbol',
    source,
    'source-layer': 'roads',
    minzoom: 13,
    filter: ['has', 'name'],
    layout: {
      'symbol-placement': 'line',
      'text-field': ['get', 'name'],
      'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 17, 13],
      'text-max-angle': 30,
      'symbol-spacing': 320,
    },
    paint: { 'text-color': c.labelMuted, 'text-halo-color': c.halo, 'text-halo-width': 1.4 },
  },
  {
    id: 'basemap-place-labels',
    type: 'symbol',
    source,
    'source-layer': 'labels',
    // District names are for the overview, community names only once there is room for them.
    filter: [
      'case',
      labelKind('district'), ['<', ['zoom'], 13],
      labelKind('street'), ['all', ['>=', ['zoom'], 11.5], ['<', ['zoom'], 16]],
      labelKind('community'), ['>=', ['zoom'], 14],
      labelKind('road'), false, // roads are labelled along their lines instead
      true,
    ],
    layout: {
      'text-field': ['get', 'name'],
      'text-size': [
        'match', ['get', 'kind'],
        'district', 20,
        'street', 14,
        'water', 13,
        'community', 11,
        12,
      ],
      'text-letter-spacing': ['match', ['get', 'kind'], 'district', 0.3, 'street', 0.1, 0],
      'text-max-width': 8,
      'symbol-sort-key': ['to-number', ['get', 'rank'], 99],
      'text-padding': 4,
    },
    paint: {
      'text-color': ['match', ['get', 'kind'], 'water', c.waterLabel, 'community', c.labelMuted, c.label],
      'text-halo-color': c.halo,
      'text-halo-width': 1.6,
    },
  },
];

const basemap: TileLayerModule = {
  id: 'basemap',
  kind: 'tile',
  labelKey: 'layer.basemap',
  folder: 'base',
  data: ['district', 'roads', 'water', 'labels'],
  treeOrder: 10,
  drawOrder: 10,
  defaultVisible: true,
  layers,
  labels,
  options: 'basemapSource',
  legend: ({ base }) => [
    { shape: 'line', color: base.districtLine, labelKey: 'legend.district' },
    { shape: 'dash', color: base.streetLine, labelKey: 'legend.street' },
    { shape: 'fill', color: base.water, labelKey: 'legend.water' },
    { shape: 'fill', color: base.building, labelKey: 'legend.building' },
  ],
};
export default basemap;
