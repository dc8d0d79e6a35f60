// Buildings of the embedded basemap (tiles/basemap.ts, from z15): flat footprints while the map looks
// straight down, extruded to their height (height_m, else levels × 3 m; flat without either) once it is
// pitched. Which of the two is drawn follows the style's global state PITCHED, which the map view sets as
// the map tilts (a style expression cannot read the pitch itself).
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { BasemapColors } from '../map/palette.ts';

export const PITCHED = 'pitched';
/** Degrees of pitch from which buildings stand up. */
export const PITCH_3D = 10;

const pitched: ExpressionSpecification = ['boolean', ['global-state', PITCHED], false];

export function buildingLayers(source: string, c: BasemapColors): LayerSpecification[] {
  return [
    {
      id: 'basemap-buildings',
      type: 'fill',
      source,
      'source-layer': 'buildings',
      minzoom: 15,
      filter: ['!', pitched],
      paint: { 'fill-color': c.building, 'fill-outline-color': c.buildingOutline },
    },
    {
      id: 'basemap-buildings-3d',
      type: 'fill-extrusion',
      source,
      'source-layer': 'buildings',
      minzoom: 15,
      filter: pitched,
      paint: {
        'fill-extrusion-color': c.building,
        'fill-extrusion-height': ['coalesce', ['get', 'height'], 0],
        'fill-extrusion-opacity': 0.85,
      },
    },
  ];
}
