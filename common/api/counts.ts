// GET /api/counts: features of the clustered layers inside the map's view.
import { Type, type Static } from 'typebox';
import { COUNT_LAYERS } from '../clusters.ts';

const NUM = '-?\\d+(\\.\\d+)?';

export const CountsQuery = Type.Object({
  bbox: Type.String({ pattern: `^${NUM},${NUM},${NUM},${NUM}$`, maxLength: 120, description: 'west,south,east,north in degrees' }),
  layers: Type.String({ pattern: `^(${COUNT_LAYERS.join('|')})(,(${COUNT_LAYERS.join('|')})){0,2}$`, description: `comma-separated: ${COUNT_LAYERS.join(', ')}` }),
}, { additionalProperties: false });
export type CountsQuery = Static<typeof CountsQuery>;

export const Counts = Type.Object({
  counts: Type.Object({
    cases: Type.Optional(Type.Integer()),
    cameras: Type.Optional(Type.Integer()),
    manholes: Type.Optional(Type.Integer()),
  }, { additionalProperties: false, description: 'features of each asked layer inside the bbox' }),
});
export type Counts = Static<typeof Counts>;
