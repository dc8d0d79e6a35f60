// Contract of /api/health (server/routes/health.ts): the server and its database.
import { Type, type Static } from 'typebox';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  postgis: Type.String({ description: 'PostGIS library version' }),
  version: Type.String({ description: 'The server\'s version' }),
  synthetic: Type.Boolean({ description: 'The district is the synthetic one of the seed' }),
});
export type Health = Static<typeof Health>;

export const Unhealthy = Type.Object({
  status: Type.Literal('unavailable'),
  version: Type.String(),
  message: Type.String(),
}, { description: 'The database cannot be reached' });
export type Unhealthy = Static<typeof Unhealthy>;
