// Case density for the map's hexbin and heatmap (server/routes/density.ts).
import { Type, type Static } from 'typebox';
import { NumberTuple, WithDefaults } from './shapes.ts';

const NUM = '-?\\d+(\\.\\d+)?';

export const DensityQuery = WithDefaults({
  bbox: Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, maxLength: 120, description: 'west,south,east,north in degrees' }),
  z: Type.Number({ minimum: 0, maximum: 24, default: 12, description: 'map zoom the cells are for' }),
}, { additionalProperties: false });

export const Density = Type.Object({
  level: Type.Integer({ description: 'case_cells level the cells come from (a cell is one tile of zoom level+5)' }),
  cellSize: Type.Number({ description: 'cell side in EPSG:3857 metres' }),
  cells: Type.Array(NumberTuple(4), { description: 'Cell centroids with counts: [lon, lat, cases, open cases]' }),
}, { description: 'Case counts per cell' });
export type Density = Static<typeof Density>;
