// The layers a district's files can be imported into, by name.
import type { LayerTarget } from '../columns.ts';
import { COMMUNITIES, DISTRICT, STREETS } from './admin.ts';
import { CAMERAS } from './cameras.ts';
import { FACILITIES } from './facilities.ts';
import { GRIDS } from './grids.ts';
import { HAZARDS } from './hazards.ts';
import { INSPECTIONS } from './inspections.ts';
import { MISCONNECTIONS } from './misconnections.ts';
import { SENSORS } from './sensors.ts';
import { VEHICLES } from './vehicles.ts';

export const TARGETS = {
  district: DISTRICT,
  streets: STREETS,
  communities: COMMUNITIES,
  grids: GRIDS,
  cameras: CAMERAS,
  sensors: SENSORS,
  facilities: FACILITIES,
  hazards: HAZARDS,
  misconnections: MISCONNECTIONS,
  inspections: INSPECTIONS,
  vehicles: VEHICLES,
} as const satisfies Record<string, LayerTarget>;

export type TargetLayer = keyof typeof TARGETS;
