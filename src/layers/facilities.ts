import type { LayerSpecification } from 'maplibre-gl';
import { basemapColors, layerColors } from '../map/palette.ts';
import { all, isLine, isPoint, isPolygon, matchColor } from './filters.ts';
import type { MapLayerGroup } from './types.ts';

const source = 'facilities';
const sourceLayer = 'facilities';

const kindColor = matchColor('kind', {
  pumping_station: '#1864ab',
  flood_gate: '#5f3dc4',
  outfall: layerColors.outfall,
  wwtp: '#8f5b2e',
  waterlogging_point: '#e03131',
}, layerColors.facilities);

const layers: LayerSpecification[] = [
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
    paint: { 'line-color': basemapColors.waterOutline, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 4] },
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
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  },
];

const labels: LayerSpecification[] = [
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
    paint: { 'text-color': kindColor, 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
  },
];

export const facilitiesGroup: MapLayerGroup = {
  id: 'facilities',
  labelKey: 'layer.facilities',
  swatch: layerColors.facilities,
  defaultVisible: true,
  layers,
  labels,
};
