// The network in depth for the map's 3D view (GET /api/network/3d): the reaches and manholes in the view's
// box with the levels the browser needs to draw them under the ground. Bounded: the largest diameters
// first, so a view too wide for the limit still shows the trunk mains.
import type { Manhole3d, Network3d, Reach3d } from '../../common/api/network3d.ts';
import type { Queryable } from '../tiles/types.ts';
import { readOnStandby } from '../db/replica.ts';

export type Bbox = [west: number, south: number, east: number, north: number];

const REACHES = `
  SELECT p.id, p.code, p.usage, p.diameter_mm,
         nullif(greatest(coalesce(p.sgrade, 0), coalesce(p.fgrade, 0)), 0) AS grade,
         c.pipe_id IS NOT NULL AS inspected,
         p.up_invert_m, p.down_invert_m, mu.ground_elev_m AS up_ground_m, md.ground_elev_m AS down_ground_m,
         (ST_AsGeoJSON(p.geom, 6)::json)->'coordinates' AS path
  FROM pipes p
  JOIN manholes mu ON mu.id = p.from_node
  JOIN manholes md ON md.id = p.to_node
  LEFT JOIN pipe_condition c ON c.pipe_id = p.id
  WHERE p.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
  ORDER BY p.diameter_mm DESC NULLS LAST, p.id
  LIMIT $5`;

const MANHOLES = `
  SELECT id, code, round(ST_X(geom)::numeric, 6)::float8 AS lon, round(ST_Y(geom)::numeric, 6)::float8 AS lat,
         ground_elev_m AS ground_m,
         coalesce(depth_m, ground_elev_m - invert_elev_m) AS depth_m
  FROM manholes
  WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
  ORDER BY id
  LIMIT $5`;

/** Reaches and manholes in `bbox`, at most `limit` of each (one more is read to tell truncation). */
export async function network3d(db: Queryable, bbox: Bbox, limit: number): Promise<Network3d> {
  return readOnStandby(db, async () => {
    const [reaches, manholes] = await Promise.all([
      db.query<Reach3d>({ name: 'network3d_reaches', text: REACHES, values: [...bbox, limit + 1] }),
      db.query<Manhole3d>({ name: 'network3d_manholes', text: MANHOLES, values: [...bbox, limit + 1] }),
    ]);
    return {
      reaches: reaches.rows.slice(0, limit),
      manholes: manholes.rows.slice(0, limit),
      truncated: reaches.rows.length > limit || manholes.rows.length > limit,
    };
  });
}
