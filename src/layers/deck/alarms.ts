// Sensor stations in alarm or warning: a solid core and a ring that pulses outwards. The pulse animates
// uniforms only (radiusScale, opacity), so a frame rebuilds no attribute buffer.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { layerColors, rgb } from '../../map/palette.ts';
import { before, TOP_BEFORE } from './order.ts';
import type { DeckLayerContext } from './types.ts';

export interface AlarmStation {
  id: number | string;
  code?: string;
  name?: string;
  kind?: string;
  status: 'alarm' | 'warning';
  position: [number, number];
}

const PERIOD_S = 1.6;

export function alarmLayers(stations: readonly AlarmStation[], ctx: DeckLayerContext): Layer[] {
  const phase = (ctx.clock % PERIOD_S) / PERIOD_S;
  const color = (s: AlarmStation) => rgb(s.status === 'alarm' ? layerColors.sensorAlarm : layerColors.sensorWarning);
  return [
    new ScatterplotLayer<AlarmStation>({
      id: 'alarms-pulse',
      data: stations,
      getPosition: (d) => d.position,
      getRadius: (d) => (d.status === 'alarm' ? 10 : 7),
      radiusUnits: 'pixels',
      radiusScale: 1 + phase * 2.2,
      stroked: true,
      filled: true,
      getFillColor: (d) => [...color(d), 50] as [number, number, number, number],
      getLineColor: (d) => color(d),
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
      opacity: (1 - phase) * ctx.opacity,
      ...before(TOP_BEFORE),
    }),
    new ScatterplotLayer<AlarmStation>({
      id: 'alarms-core',
      data: stations,
      getPosition: (d) => d.position,
      getRadius: (d) => (d.status === 'alarm' ? 7 : 5.5),
      radiusUnits: 'pixels',
      stroked: true,
      getFillColor: (d) => color(d),
      getLineColor: ctx.theme === 'dark' ? [233, 236, 239] : [255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      opacity: ctx.opacity,
      pickable: true,
      autoHighlight: true,
      highlightColor: [0, 181, 255, 220],
      ...before(TOP_BEFORE),
    }),
  ];
}
