import { basemapGroup } from './basemap.ts';
import { camerasGroup } from './cameras.ts';
import { casesGroup } from './cases.ts';
import { facilitiesGroup } from './facilities.ts';
import { gridsGroup } from './grids.ts';
import { hazardsGroup } from './hazards.ts';
import { manholesGroup } from './manholes.ts';
import { misconnectionsGroup } from './misconnections.ts';
import { pipesGroup } from './pipes.ts';
import { sensorsGroup } from './sensors.ts';
import type { MapLayerGroup } from './types.ts';

export type { MapLayerGroup } from './types.ts';

/** Draw order, bottom to top: areas, then lines, then points, with the most urgent points last. */
export const LAYER_GROUPS: readonly MapLayerGroup[] = [
  basemapGroup,
  gridsGroup,
  facilitiesGroup,
  pipesGroup,
  manholesGroup,
  misconnectionsGroup,
  hazardsGroup,
  camerasGroup,
  casesGroup,
  sensorsGroup,
];

/** MapLibre layer ids of a group, geometry and labels together. */
export function styleLayerIds(group: MapLayerGroup): string[] {
  return [...group.layers, ...(group.labels ?? [])].map((l) => l.id);
}
