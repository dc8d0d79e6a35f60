// Contract of /api/vehicles/tracks (server/routes/vehicles.ts): the last minutes of every GPS vehicle's track.
import { Type, type Static } from 'typebox';
import { WithDefault } from './common.ts';

/** The longest window that may be asked for. */
export const MAX_TRACK_MINUTES = 24 * 60;

export const TracksQuery = Type.Object({
  minutes: WithDefault(Type.Integer({ minimum: 1, maximum: MAX_TRACK_MINUTES, default: 60 })),
}, { additionalProperties: false });
export type TracksQuery = Static<typeof TracksQuery>;

/** [lon, lat, epoch seconds]. */
const PathPoint = Type.Unsafe<[number, number, number]>(Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }));

export const VehicleTrack = Type.Object({
  id: Type.Integer(),
  plate: Type.String(),
  // Typed as text, as the map's replay takes them; the enums document the values.
  kind: Type.String({ enum: ['sanitation', 'drainage', 'inspection', 'emergency'] }),
  status: Type.String({ enum: ['on_duty', 'idle', 'offline'] }),
  path: Type.Array(PathPoint, { description: 'Oldest first; a vehicle silent for the whole window has its last position only' }),
});
export type VehicleTrack = Static<typeof VehicleTrack>;

export const VehicleTracks = Type.Object({
  from: Type.Number({ description: 'window start, epoch seconds' }),
  to: Type.Number({ description: 'window end (newest position), epoch seconds' }),
  vehicles: Type.Array(VehicleTrack),
});
export type VehicleTracks = Static<typeof VehicleTracks>;
