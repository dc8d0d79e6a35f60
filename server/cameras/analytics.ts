// Camera operations: online rate per day for the district, a street or a grid (the 雪亮工程 figure), the
// daily inspection list of cameras not online, coverage of each unit grid by the fields of view of the
// cameras online now (blind-spot grids), and the cameras that can see a point.
import type pg from 'pg';
import type { CameraDown, CameraSeeing, CoverageSummary, OnlineRates, UnitOnline } from '../../common/api/cameras.ts';
import type { Level } from '../../common/api/common.ts';
import { MemoryMirror } from '../features/memory-mirror.ts';
import { readOnStandby } from '../db/replica.ts';

export type { Level };
const PREFIX: Record<Level, number> = { district: 6, street: 9, community: 12, grid: 15 };

export async function onlineRates(db: pg.Pool, level: Level, days: number, within?: string): Promise<OnlineRates> {
  return readOnStandby(db, async () => {
    const n = PREFIX[level];
    const values: unknown[] = [days];
    if (within) values.push(within);
    const { rows } = await db.query<{ day: string; code: string; cameras: number; online_rate: number; online_at_end: number }>(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, substr(c.grid_code, 1, ${n}) AS code, count(*)::int AS cameras,
              round(avg(d.online_ratio)::numeric, 4)::float8 AS online_rate, count(*) FILTER (WHERE d.status = 'online')::int AS online_at_end
       FROM camera_status_days d JOIN cameras c ON c.id = d.camera_id
       WHERE d.day > (SELECT max(day) FROM camera_status_days) - $1::int AND c.grid_code IS NOT NULL ${within ? `AND c.grid_code LIKE $2 || '%'` : ''}
       GROUP BY 1, 2 ORDER BY 2, 1`, values);
    // Now, from the cameras' own status (changes since the last daily row included).
    const { rows: now } = await db.query<{ code: string; cameras: number; online: number; offline: number; damaged: number }>(
      `SELECT substr(grid_code, 1, ${n}) AS code, count(*)::int AS cameras, count(*) FILTER (WHERE status = 'online')::int AS online,
              count(*) FILTER (WHERE status = 'offline')::int AS offline, count(*) FILTER (WHERE status = 'damaged')::int AS damaged
       FROM cameras WHERE grid_code IS NOT NULL ${within ? `AND grid_code LIKE $1 || '%'` : ''} GROUP BY 1 ORDER BY 1`, within ? [within] : []);
    const units = new Map<string, UnitOnline>();
    for (const r of rows) {
      const u: UnitOnline = units.get(r.code) ?? { code: r.code, history: [] };
      u.history.push({ day: r.day, online_rate: r.online_rate, cameras: r.cameras });
      units.set(r.code, u);
    }
    for (const r of now) {
      const u: UnitOnline = units.get(r.code) ?? { code: r.code, history: [] };
      u.now = { cameras: r.cameras, online: r.online, offline: r.offline, damaged: r.damaged, online_rate: r.cameras ? r.online / r.cameras : null };
      units.set(r.code, u);
    }
    return { level, days, units: [...units.values()] };
  });
}

/** Today's inspection list: every camera not online, longest down first, with where it is and whose it is. */
export async function inspectionList(db: pg.Pool, within?: string): Promise<{ date: string; count: number; items: (Omit<CameraDown, 'status_since'> & { status_since: Date })[] }> {
  return readOnStandby(db, async () => {
    const { rows } = await db.query<Omit<CameraDown, 'status_since'> & { status_since: Date }>(
      `SELECT c.id, c.code, c.name, c.status, c.status_since, c.owner, c.grid_code, s.name AS street, cm.name AS community,
              round(extract(epoch FROM now() - c.status_since) / 86400, 1)::float8 AS days_down, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat
       FROM cameras c LEFT JOIN communities cm ON cm.code = substr(c.grid_code, 1, 12) LEFT JOIN streets s ON s.code = cm.street_code
       WHERE c.status <> 'online' ${within ? `AND c.grid_code LIKE $1 || '%'` : ''} ORDER BY c.status_since, c.id`, within ? [within] : []);
    return { date: new Date().toISOString().slice(0, 10), count: rows.length, items: rows };
  });
}

export interface GridCoverage { code: string; area_m2: number; covered_m2: number; share: number; cameras: number }

/** Coverage of every grid, recomputed after any change to cameras or grids (~1 s for the district). */
export class Coverage {
  readonly mirror: MemoryMirror<GridCoverage[]>;

  constructor(private readonly db: pg.Pool) {
    this.mirror = new MemoryMirror(new Set(['cameras', 'grids']), () => this.compute());
  }

  private compute(): Promise<GridCoverage[]> {
    return coverageOf(this.db, null);
  }

  async grids(): Promise<GridCoverage[]> {
    return (await this.mirror.get()) ?? this.compute();
  }

  /** Per unit: covered share of its grids' area; blind-spot grids are those below `blindBelow`. */
  async summary(level: Level, blindBelow: number, within?: string): Promise<CoverageSummary> {
    const n = PREFIX[level];
    const grids = (await this.grids()).filter((g) => !within || g.code.startsWith(within));
    const units = new Map<string, { code: string; area_m2: number; covered_m2: number; grids: number; blind_grids: number }>();
    for (const g of grids) {
      const code = g.code.slice(0, n);
      const u = units.get(code) ?? { code, area_m2: 0, covered_m2: 0, grids: 0, blind_grids: 0 };
      u.area_m2 += g.area_m2; u.covered_m2 += g.covered_m2; u.grids++;
      if (g.share < blindBelow) u.blind_grids++;
      units.set(code, u);
    }
    return {
      level, blind_below: blindBelow,
      units: [...units.values()].map((u) => ({ ...u, area_m2: Math.round(u.area_m2), share: u.area_m2 ? u.covered_m2 / u.area_m2 : 0 })),
      blind_grids: grids.filter((g) => g.share < blindBelow).map((g) => ({ code: g.code, share: g.share, cameras: g.cameras })),
    };
  }
}

/**
 * Coverage of the grids `codes` (all when null): the area of the union of online cameras' fields of view
 * inside each. Also measured by a camera import, in its transaction, for the grids it changes.
 */
export async function coverageOf(db: Pick<pg.ClientBase, 'query'>, codes: string[] | null): Promise<GridCoverage[]> {
  const { rows } = await db.query<GridCoverage>(
    `SELECT g.code::text AS code, g.area_m2, coalesce(ST_Area(ST_Intersection(u.geom, g.geom)::geography), 0) AS covered_m2, u.n AS cameras
     FROM grids g CROSS JOIN LATERAL (
       SELECT ST_Union(c.fov) AS geom, count(*)::int AS n FROM cameras c WHERE c.status = 'online' AND c.fov && g.geom AND ST_Intersects(c.fov, g.geom)) u
     ${codes ? 'WHERE g.code::text = ANY($1::text[])' : ''}
     ORDER BY g.code`, codes ? [codes] : []);
  return rows.map((r) => ({ ...r, covered_m2: Math.round(r.covered_m2), share: r.area_m2 ? Math.min(1, r.covered_m2 / r.area_m2) : 0 }));
}

/** The cameras (online or not) whose field of view covers the point, nearest first. */
export async function camerasSeeing(db: pg.Pool, lon: number, lat: number): Promise<CameraSeeing[]> {
  return readOnStandby(db, async () => {
    const { rows } = await db.query<CameraSeeing>(
      `SELECT c.id, c.code, c.name, c.status, c.stream_url, c.azimuth_deg, c.hfov_deg, c.range_m, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
              round(ST_Distance(c.geom::geography, p.g::geography)::numeric, 1)::float8 AS distance_m
       FROM cameras c, (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g) p
       WHERE c.fov && p.g AND ST_Intersects(c.fov, p.g) ORDER BY distance_m, c.id`, [lon, lat]);
    return rows;
  });
}
