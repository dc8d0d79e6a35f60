// On-duty staff sharing their position and devices (执法记录仪, vehicle and site cameras): a dot each,
// coloured by what it is; offline ones grey. People are only in the data for accounts that may see them
// (GET /api/personnel answers others with devices alone).
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { personnelColors, rgb } from '../../map/palette.ts';
import { before, TOP_BEFORE } from './order.ts';
import type { DeckLayerContext } from './types.ts';
import type { PersonnelList } from '../../../common/api/personnel.ts';

export interface PersonnelDot {
  what: 'staff' | 'device';
  id: number;
  /** A person's name, or a device's code. */
  label: string;
  /** grid_worker / enforcer, or the device kind. */
  kind: string;
  status: string;
  position: [number, number];
}

/** The dots of GET /api/personnel's answer: those with a position. */
export function personnelDots(p: PersonnelList): PersonnelDot[] {
  const dots: PersonnelDot[] = [];
  for (const s of p.staff) if (s.lon != null && s.lat != null) dots.push({ what: 'staff', id: s.id, label: s.name, kind: s.role_kind, status: s.status, position: [s.lon, s.lat] });
  for (const d of p.devices) if (d.lon != null && d.lat != null) dots.push({ what: 'device', id: d.id, label: d.code, kind: d.kind, status: d.status, position: [d.lon, d.lat] });
  return dots;
}

const colorOf = (d: PersonnelDot) => rgb(d.status === 'offline' || d.status === 'damaged' ? personnelColors.offline
  : d.what === 'device' ? personnelColors.device : d.kind === 'enforcer' ? personnelColors.enforcer : personnelColors.gridWorker);

export function personnelLayers(dots: readonly PersonnelDot[], ctx: DeckLayerContext): Layer[] {
  return [
    new ScatterplotLayer<PersonnelDot>({
      id: 'personnel-dots',
      data: dots,
      getPosition: (d) => d.position,
      getRadius: (d) => (d.what === 'staff' ? 7 : 5),
      radiusUnits: 'pixels',
      stroked: true,
      getFillColor: (d) => colorOf(d),
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
