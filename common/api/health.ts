// Contract of /api/health (server/routes/health.ts): the server and its database.
import { Type, type Static } from 'typebox';
import { StringEnum } from './common.ts';
import { DATA_LAYERS } from './data.ts';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  postgis: Type.String({ description: 'PostGIS library version' }),
  version: Type.String({ description: 'The server\'s version' }),
  synthetic: Type.Boolean({ description: 'Some data is still the seed\'s synthetic data' }),
  synthetic_layers: Type.Array(StringEnum(DATA_LAYERS), { description: 'The data layers that still hold synthetic rows' }),
});
export type Health = Static<typeof Health>;

export const Unhealthy = Type.Object({
  status: Type.Literal('unavailable'),
  version: Type.String(),
  message: Type.String(),
}, { description: 'The database cannot be reached' });
export type Unhealthy = Static<typeof Unhealthy>;
