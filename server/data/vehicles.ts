// GPS vehicle tracks for the map's moving vehicles: the last N minutes of every vehicle's positions.
// The window ends at the newest stored position (not the clock), so a database seeded yesterday
// still replays its tracks; the client loops over [from, to].
import type { VehicleTrack, VehicleTracks } from '../../common/api/vehicles.ts';
import type { Queryable } from '../tiles/types.ts';
import { readOnStandby } from '../db/replica.ts';

const point = (p: string) =>
  `json_build_array(round(ST_X(${p}.geom)::numeric, 6), round(ST_Y(${p}.geom)::numeric, 6), extract(epoch FROM ${p}.t)::bigint)`;

// A vehicle that reported nothing in the window (offline since earlier) keeps its last known position, alone.
const SQL = `
  WITH win AS (SELECT max(t) AS t1, max(t) - make_interval(mins => $1::int) AS t0 FROM vehicle_positions)
  SELECT v.id, v.plate, v.kind, v.status,
         extract(epoch FROM win.t0)::float8 AS from_s, extract(epoch FROM win.t1)::float8 AS to_s,
         coalesce(w.path, json_build_array(l.pt)) AS path
  FROM win, vehicles v
  LEFT JOIN LATERAL (SELECT json_agg(${point('p')} ORDER BY p.t) AS path
                     FROM vehicle_positions p WHERE p.vehicle_id = v.id AND p.t >= win.t0) w ON true
  LEFT JOIN LATERAL (SELECT ${point('p')} AS pt
                     FROM vehicle_positions p WHERE p.vehicle_id = v.id ORDER BY p.t DESC LIMIT 1) l ON true
  WHERE w.path IS NOT NULL OR l.pt IS NOT NULL
  ORDER BY v.id`;

export async function vehicleTracks(db: Queryable, minutes: number): Promise<VehicleTracks> {
  return readOnStandby(db, async () => {
    const { rows } = await db.query<VehicleTrack & { from_s: number; to_s: number }>(
      { name: 'vehicle_tracks', text: SQL, values: [minutes] });
    return {
      from: rows[0]?.from_s ?? 0,
      to: rows[0]?.to_s ?? 0,
      vehicles: rows.map(({ id, plate, kind, status, path }) => ({ id, plate, kind, status, path })),
    };
  });
}
