// Contract of /api/health (server/routes/health.ts): the server and its database.
import { Type, type Static } from 'typebox';
import { StringEnum } from './common.ts';
import { DATA_LAYERS } from './data.ts';

export const ReplicaHealth = Type.Object({
  up: Type.Boolean({ description: 'The standby answers and is replaying' }),
  lag_ms: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'How long ago the primary was at a position the standby has not replayed yet (0: caught up); null while unknown' }),
  lag_bytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'WAL bytes the standby has still to replay; null while unknown' }),
  fallback: Type.Boolean({ description: 'Reads go to the primary now: the standby is down or too far behind' }),
}, { description: 'The streaming standby that serves tiles, items and spatial queries (DATABASE_REPLICA_URL)' });
export const DATABASE_ROLES = ['primary', 'replica'] as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

export const Health = Type.Object({
  status: Type.Literal('ok'),
  postgis: Type.String({ description: 'PostGIS library version' }),
  version: Type.String({ description: 'The server\'s version' }),
  instance: Type.String({ description: 'Which server process answered: ONEMAP_INSTANCE (app-1, app-2… under `npm run cluster`), else host:pid' }),
  role: StringEnum(DATABASE_ROLES, { description: 'The role of the database this server writes to: primary (replica would mean DATABASE_URL points at a standby)' }),
  synthetic: Type.Boolean({ description: 'Some data is still the seed\'s synthetic data' }),
  synthetic_layers: Type.Array(StringEnum(DATA_LAYERS), { description: 'The data layers that still hold synthetic rows' }),
  replica: Type.Union([ReplicaHealth, Type.Null()], { description: 'The read standby; null when none is configured' }),
});
export type Health = Static<typeof Health>;

export const Unhealthy = Type.Object({
  status: Type.Literal('unavailable'),
  version: Type.String(),
  message: Type.String(),
}, { description: 'The database cannot be reached' });
export type Unhealthy = Static<typeof Unhealthy>;
