// The alarm the wall is showing: a large ring around it that breathes, drawn over the alarm pulse
// (src/layers/deck/alarms.ts), so that the one alarm the map flew to is found at a glance from the room.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { layerColors, rgb } from '../../map/palette.ts';

export interface FocusPoint {
  id: string;
  level: 'warning' | 'alarm';
  position: [number, number];
}

const PERIOD_S = 1.2;

export function alarmFocusLayers(points: readonly FocusPoint[], clock: number, scale: number, animate: boolean): Layer[] {
  const phase = animate ? 0.5 + 0.5 * Math.sin((clock / PERIOD_S) * 2 * Math.PI) : 1;
  return [
    new ScatterplotLayer<FocusPoint>({
      id: 'alarms-focus',
      data: points,
      getPosition: (p) => p.position,
      getRadius: 30,
      radiusUnits: 'pixels',
      radiusScale: scale * (0.9 + 0.2 * phase),
      stroked: true,
      filled: false,
      getLineColor: (p) => rgb(p.level === 'alarm' ? layerColors.sensorAlarm : layerColors.sensorWarning),
      lineWidthUnits: 'pixels',
      getLineWidth: 4,
      lineWidthScale: scale,
      opacity: 0.55 + 0.45 * phase,
    }),
  ];
}
