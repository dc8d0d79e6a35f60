// The longitudinal profile of a path along the flow (GET /api/network/profile): the path found on the
// tracer's graph (graph.ts pathDown), the levels, sizes, sensor water levels, defects and hazards of its
// manholes and reaches read in one round trip, and the profile built by server/domain/network/profile.ts.
import type pg from 'pg';
import { ApiError, NotFoundError } from '../http/errors.ts';
import { buildProfile, type PathManhole, type PathReach, type Profile, type ReachMark } from '../domain/network/profile.ts';
import type { Tracer } from './tracer.ts';
import { readOnStandby } from '../db/replica.ts';
import { MAX_PROFILE_REACHES } from '../../common/api/network.ts';

export type ProfileEnd = { kind: 'manhole' | 'pipe'; id: number };

export interface ProfileResult extends Profile {
  from: { id: number; code: string };
  to: { id: number; code: string };
  /** Splits passed where the path followed one branch (a trace to the end, without `to`). */
  splits: number;
  timing_ms: { path: number; read: number };
}

/** 422: understood, but no profile can be drawn for it (no path, too long). */
export class UnprocessableError extends ApiError {
  constructor(message: string) {
    super(422, 'unprocessable', message);
  }
}

// A level sensor's reading is the depth of water above the manhole's invert (scripts/seed/assets.ts).
const READ_SQL = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'id', m.id, 'code', m.code, 'kind', m.kind, 'ground_m', m.ground_elev_m, 'invert_m', m.invert_elev_m, 'depth_m', m.depth_m,
        'water_depth_m', (SELECT d.last_value FROM sensor_stations s JOIN datastreams d ON d.station_id = s.id
                           WHERE s.manhole_id = m.id AND s.kind = 'manhole_level' AND s.status <> 'offline'
                             AND d.quantity = 'water_level' AND d.last_value IS NOT NULL
                           ORDER BY d.last_at DESC NULLS LAST LIMIT 1))), '[]')
       FROM manholes m WHERE m.id = ANY($2::int[])) AS manholes,
    (SELECT coalesce(json_agg(json_build_object(
        'id', p.id, 'code', p.code, 'usage', p.usage, 'length_m', p.length_m, 'diameter_mm', p.diameter_mm,
        'up_invert_m', p.up_invert_m, 'down_invert_m', p.down_invert_m, 'sgrade', p.sgrade, 'fgrade', p.fgrade)), '[]')
       FROM pipes p WHERE p.id = ANY($1::int[])) AS reaches,
    (SELECT coalesce(json_agg(k), '[]') FROM (
       -- Defects of each reach's latest inspection, measured from the end the camera went in.
       SELECT 'defect' AS kind, d.id, li.pipe_id, d.code, d.grade, NULL AS status,
              CASE li.direction WHEN 'upstream' THEN p.length_m - d.distance_m ELSE d.distance_m END AS at_m
         FROM (SELECT DISTINCT ON (pipe_id) id, pipe_id, direction FROM inspections WHERE pipe_id = ANY($1::int[])
               ORDER BY pipe_id, inspected_at DESC, id DESC) li
         JOIN defects d ON d.inspection_id = li.id JOIN pipes p ON p.id = li.pipe_id
       UNION ALL
       SELECT 'hazard', h.id, h.pipe_id, h.code, h.grade, h.status, ST_LineLocatePoint(p.geom, h.geom) * p.length_m
         FROM hazards h JOIN pipes p ON p.id = h.pipe_id WHERE h.pipe_id = ANY($1::int[])) k) AS marks`;

async function startNode(db: pg.Pool, end: ProfileEnd): Promise<number> {
  const { rows: [r] } = end.kind === 'pipe'
    ? await db.query<{ n: number }>('SELECT from_node AS n FROM pipes WHERE id = $1', [end.id])
    : await db.query<{ n: number }>('SELECT id AS n FROM manholes WHERE id = $1', [end.id]);
  if (!r) throw new NotFoundError(`no ${end.kind} with id ${end.id}`);
  return r.n;
}

export async function longitudinalProfile(db: pg.Pool, tracer: Tracer, from: ProfileEnd, to: number | null, limit = MAX_PROFILE_REACHES): Promise<ProfileResult> {
  return readOnStandby(db, async () => {
    const t0 = performance.now();
    const start = await startNode(db, from);
    if (to !== null) await startNode(db, { kind: 'manhole', id: to });
    const path = (await tracer.currentGraph()).pathDown(start, to, limit);
    if ('error' in path) {
      throw new UnprocessableError(path.error === 'no_path'
        ? `manhole ${to} is not downstream of manhole ${start}: no path along the flow (swap from and to for the other way)`
        : `the path is longer than ${limit} reaches; choose a nearer end (to=manhole:ID)`);
    }
    const t1 = performance.now();
    const { rows: [r] } = await db.query<{ manholes: PathManhole[]; reaches: PathReach[]; marks: ReachMark[] }>(
      { name: 'network_profile', text: READ_SQL, values: [path.reaches, path.nodes] });
    const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((x) => [x.id, x]));
    const manholes = byId(r.manholes);
    const reaches = byId(r.reaches);
    const profile = buildProfile(path.nodes.map((id) => manholes.get(id)!), path.reaches.map((id) => reaches.get(id)!), r.marks);
    const end = (i: number) => ({ id: profile.stations[i].manhole.id, code: profile.stations[i].manhole.code });
    return {
      from: end(0), to: end(profile.stations.length - 1), splits: path.splits, ...profile,
      timing_ms: { path: round1(t1 - t0), read: round1(performance.now() - t1) },
    };
  });
}

const round1 = (v: number) => Math.round(v * 10) / 10;
