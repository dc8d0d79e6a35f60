// The operating state drawn over the facilities (tiles/facilities.ts carries it): a ring per gate (green
// open, grey shut) and pumping station (blue running, grey idle), red for either at fault, lakes and channels past 警戒 or 保证水位
// outlined orange or red, and a short reading beside each point (opening %, flow, level). The wall's flood scene
// shows these by id: FACILITY_STATE_LAYER_IDS.
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { facilityStateColors as C } from '../map/palette.ts';
import { all, isPoint } from './filters.ts';
import type { StyleContext } from './types.ts';

const source = 'facilities';
const sourceLayer = 'facilities';

/** The style layers that show facility state, for a scene that keeps only them (the wall's 防汛 scene). */
export const FACILITY_STATE_LAYER_IDS = ['facilities-level', 'facilities-state', 'facilities-state-label'] as const;

const hasState: ExpressionSpecification = ['any', ['has', 'open_pct'], ['has', 'pump_status'], ['has', 'gate_status']];
const isFault: ExpressionSpecification = ['any', ['==', ['get', 'pump_status'], 'fault'], ['==', ['get', 'gate_status'], 'fault']];
const isRunning: ExpressionSpecification = ['==', ['get', 'pump_status'], 'running'];
const isOpen: ExpressionSpecification = ['>', ['to-number', ['get', 'open_pct'], 0], 0];
const pastWarning: ExpressionSpecification = ['in', ['get', 'level_state'], ['literal', ['warning', 'guarantee']]];

export const stateColor: ExpressionSpecification = [
  'case',
  isFault, C.fault,
  ['has', 'pump_status'], ['case', isRunning, C.running, C.stopped],
  ['has', 'open_pct'], ['case', isOpen, C.open, C.closed],
  C.closed,
];

/** The reading beside a facility: a gate's opening, a running station's flow, else a level; units only, no words. */
const reading: ExpressionSpecification = [
  'case',
  ['has', 'open_pct'], ['concat', ['number-format', ['get', 'open_pct'], { 'max-fraction-digits': 0 }], '%'],
  isRunning, ['concat', ['number-format', ['get', 'flow_m3s'], { 'max-fraction-digits': 1 }], ' m³/s'],
  ['has', 'water_level_m'], ['concat', ['number-format', ['get', 'water_level_m'], { 'min-fraction-digits': 2, 'max-fraction-digits': 2 }], ' m'],
  '',
];

export const facilityStateLayers = (): LayerSpecification[] => [
  {
    id: 'facilities-level',
    type: 'line',
    source,
    'source-layer': sourceLayer,
    filter: ['all', ['!=', ['geometry-type'], 'Point'], pastWarning],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': ['match', ['get', 'level_state'], 'guarantee', C.guarantee, C.warning],
      'line-width': ['interpolate', ['linear'], ['zoom'], 11, 2.5, 16, 6],
      'line-opacity': 0.9,
    },
  },
  {
    // A ring around the kind's dot; a running station's is wider, so it reads at a glance on the wall.
    id: 'facilities-state',
    type: 'circle',
    source,
    'source-layer': sourceLayer,
    filter: all(isPoint, hasState),
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 6, 16, 12],
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': stateColor,
      'circle-stroke-width': ['case', ['any', isRunning, isOpen], 3, 1.5],
    },
  },
];

export const facilityStateLabels = (ctx: StyleContext): LayerSpecification[] => [
  {
    id: 'facilities-state-label',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 13,
    // Points only: a lake's label would repeat in every tile it spans; its outline says where its level stands.
    filter: all(isPoint, ['any', hasState, ['has', 'water_level_m']]),
    layout: {
      'text-field': reading,
      'text-size': 11,
      'text-offset': [0, -1.3],
      'text-anchor': 'bottom',
      'text-optional': true,
    },
    paint: {
      'text-color': ['case', pastWarning, ['match', ['get', 'level_state'], 'guarantee', C.guarantee, C.warning], stateColor],
      'text-halo-color': ctx.base.halo,
      'text-halo-width': 1.4,
    },
  },
];
