// The layer importers by name: one module each (types.ts says what a module is). A new layer is a module
// here and its name in names.ts.
import { cameras } from './cameras.ts';
import { communities } from './communities.ts';
import { district } from './district.ts';
import { facilities } from './facilities.ts';
import { grids } from './grids.ts';
import { hazards } from './hazards.ts';
import { misconnections } from './misconnections.ts';
import type { LayerName } from './names.ts';
import { sensors } from './sensors.ts';
import { streets } from './streets.ts';
import type { LayerModule } from './types.ts';
import { vehicles } from './vehicles.ts';

export const LAYER_MODULES: Readonly<Record<LayerName, LayerModule>> = {
  district, streets, communities, grids, facilities, cameras, sensors, hazards, misconnections, vehicles,
};
