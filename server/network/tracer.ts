// Upstream/downstream traces on the drainage network and what they cross. The walk itself runs on an
// in-memory copy of the graph (graph.ts; rebuilt after any change to pipes) or, to compare, in the
// database (trace-sql.ts: recursive CTE or pgRouting); what a trace reaches (outfalls, pumping
// stations, grids, communities, sensors, cameras, hazards, misconnections) is then one SQL statement.
import type pg from 'pg';
import { NotFoundError } from '../http/errors.ts';
import { MemoryMirror } from '../features/memory-mirror.ts';
import { NetworkGraph, type Direction, type TraceResult, type TraceStart } from './graph.ts';
import { traceSql, type SqlMethod } from './trace-sql.ts';
import type { TraceSummary } from '../../common/api/trace.ts';
import { readOnStandby } from '../db/replica.ts';

export type TraceMethod = 'memory' | SqlMethod;
export const TRACE_METHODS: readonly TraceMethod[] = ['memory', 'cte', 'pgrouting'];

export interface TraceRequest {
  start: { kind: 'manhole' | 'pipe'; id: number };
  direction: Direction;
  method: TraceMethod;
}

/** Lists in a trace summary are cut at this many entries; counts are always complete. */
export const LIST_LIMIT = 500;

/** What a trace reaches (GET /api/trace). */
export type { TraceSummary } from '../../common/api/trace.ts';

/** Cameras this close to a traced reach are "on the way". */
export const CAMERA_REACH_M = 30;

const DESCRIBE_SQL = `
  WITH p AS (SELECT id, geom, geom3857 FROM pipes WHERE id = ANY($1::int[])),
       n AS (SELECT unnest($2::int[]) AS id)
  SELECT
    (SELECT coalesce(json_agg(json_build_object('id', f.id, 'code', f.code, 'name', f.name, 'kind', f.kind) ORDER BY f.kind, f.code), '[]')
       FROM facilities f WHERE f.manhole_id = ANY($2::int[]) AND f.kind IN ('outfall', 'pumping_station', 'wwtp', 'flood_gate')) AS facilities,
    (SELECT coalesce(json_agg(json_build_object('id', m.id, 'code', m.code, 'kind', m.kind) ORDER BY m.code), '[]')
       FROM manholes m WHERE m.id = ANY($3::int[])) AS ends,
    (SELECT coalesce(json_agg(code ORDER BY code), '[]') FROM (
       SELECT DISTINCT g.code FROM p JOIN grids g ON p.geom && g.geom AND ST_Intersects(p.geom, g.geom)) g) AS grids,
    (SELECT count(*) FROM sensor_stations s WHERE s.manhole_id = ANY($2::int[])) AS sensor_count,
    (SELECT coalesce(json_agg(json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'kind', s.kind, 'status', s.status) ORDER BY s.code), '[]')
       FROM (SELECT * FROM sensor_stations s WHERE s.manhole_id = ANY($2::int[]) ORDER BY s.code LIMIT ${LIST_LIMIT}) s) AS sensors,
    -- Candidates by a Mercator box (metres / cos(lat) on the ground), then the geodesic distance decides.
    (SELECT coalesce(json_agg(json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'status', c.status, 'distance_m', round(c.d::numeric, 1)) ORDER BY c.d, c.id), '[]')
       FROM (SELECT c.id, c.code, c.name, c.status, min(ST_Distance(c.geom::geography, p.geom::geography)) AS d
               FROM p JOIN cameras c ON ST_DWithin(p.geom3857, c.geom3857, ${CAMERA_REACH_M} * 1.01 / cos(radians(ST_Y(ST_StartPoint(p.geom)))))
              GROUP BY c.id) c
      WHERE c.d <= ${CAMERA_REACH_M}) AS cameras,
    (SELECT count(*) FROM hazards h WHERE h.pipe_id = ANY($1::int[])) AS hazards,
    (SELECT count(*) FROM hazards h WHERE h.pipe_id = ANY($1::int[]) AND remediation_is_open(h.status)) AS hazards_open,
    (SELECT coalesce(json_object_agg(kind, n), '{}') FROM (
       SELECT kind, count(*) AS n FROM misconnections WHERE pipe_id = ANY($1::int[]) OR manhole_id = ANY($2::int[]) GROUP BY kind) k) AS misconnections`;

const UNITS_SQL = `
  SELECT c.code, c.name, s.name AS street FROM communities c JOIN streets s ON s.code = c.street_code
  WHERE c.code IN (SELECT DISTINCT substr(code, 1, 12) FROM unnest($1::text[]) AS code) ORDER BY c.code`;

export class Tracer {
  readonly graph: MemoryMirror<NetworkGraph>;

  constructor(private readonly db: pg.Pool, private readonly edges = 'pipes') {
    this.graph = new MemoryMirror(new Set([edges]), () => this.loadGraph());
  }

  private async loadGraph(): Promise<NetworkGraph> {
    const { rows } = await this.db.query<{ id: number; f: number; t: number; l: number }>(
      `SELECT id, from_node AS f, to_node AS t, length_m AS l FROM ${this.edges}`);
    return new NetworkGraph(rows.map((r) => ({ id: r.id, from: r.f, to: r.t, length_m: r.l })));
  }

  /** The graph as it is now: the in-memory copy, or one read for this request while that is not fresh. */
  async currentGraph(): Promise<NetworkGraph> {
    return (await this.graph.get()) ?? this.loadGraph();
  }

  /** The reaches and nodes a trace reaches; throws NotFoundError for an unknown start. */
  async walk(req: TraceRequest): Promise<TraceResult> {
    const start: TraceStart = req.start.kind === 'manhole' ? { node: req.start.id } : { reach: req.start.id };
    await this.checkStart(req.start);
    if (req.method === 'memory') {
      const graph = await this.graph.get();
      if (graph) return graph.trace(start, req.direction);
    }
    return this.walkInDb(req.method === 'memory' ? 'cte' : req.method, req, start);
  }

  private async checkStart(s: TraceRequest['start']): Promise<void> {
    // A manhole with no pipes is a valid start (its trace is empty); a generated network (the benchmark's)
    // has no manholes table, so there a node is known by its edges.
    const text = s.kind === 'pipe' ? `SELECT 1 FROM ${this.edges} WHERE id = $1`
      : this.edges === 'pipes' ? 'SELECT 1 FROM manholes WHERE id = $1'
      : `SELECT 1 FROM ${this.edges} WHERE from_node = $1 OR to_node = $1 LIMIT 1`;
    const { rowCount } = await this.db.query({ text, values: [s.id] });
    if (!rowCount) throw new NotFoundError(`no ${s.kind} with id ${s.id}`);
  }

  private async walkInDb(method: SqlMethod, req: TraceRequest, start: TraceStart): Promise<TraceResult> {
    const kind = 'node' in start ? 'node' : 'reach';
    const { rows } = await this.db.query<{ id: number }>(traceSql(method, this.edges, req.direction, kind), [req.start.id]);
    const ids = rows.map((r) => r.id);
    // Nodes, length and ends from the reaches (the same definitions as graph.ts).
    const down = req.direction === 'downstream';
    const { rows: [r] } = await this.db.query<{ nodes: number[] | null; length: number | null; ends: number[] | null }>(
      `WITH e AS (SELECT * FROM ${this.edges} WHERE id = ANY($1::int[])),
            v AS (SELECT ${down ? 'to_node' : 'from_node'} AS id FROM e ${kind === 'node' ? 'UNION SELECT $2::int' : ''})
       SELECT (SELECT array_agg(id) FROM v) AS nodes, (SELECT sum(length_m) FROM e) AS length,
              (SELECT array_agg(v.id) FROM v WHERE NOT EXISTS (SELECT 1 FROM ${this.edges} x WHERE x.${down ? 'from_node' : 'to_node'} = v.id)) AS ends`,
      kind === 'node' ? [ids, req.start.id] : [ids]);
    return { reaches: ids, nodes: r.nodes ?? [], length_m: r.length ?? 0, ends: r.ends ?? [], revisits: 0 };
  }

  async trace(req: TraceRequest): Promise<TraceSummary> {
    return readOnStandby(this.db, async () => {
      const t0 = performance.now();
      const walked = await this.walk(req);
      const t1 = performance.now();
      const { rows: [d] } = await this.db.query<{
        facilities: TraceSummary['facilities']; ends: TraceSummary['ends']; grids: string[]; sensor_count: string;
        sensors: TraceSummary['sensors']['items']; cameras: TraceSummary['cameras']['items']; hazards: string; hazards_open: string;
        misconnections: Record<string, string>;
      }>({ name: 'trace_describe', text: DESCRIBE_SQL, values: [walked.reaches, walked.nodes, walked.ends] });
      const { rows: communities } = await this.db.query<TraceSummary['communities'][number]>({ name: 'trace_units', text: UNITS_SQL, values: [d.grids] });
      const t2 = performance.now();
      const byKind = Object.fromEntries(Object.entries(d.misconnections).map(([k, v]) => [k, Number(v)]));
      return {
        start: req.start,
        direction: req.direction,
        method: req.method,
        pipes: { count: walked.reaches.length, length_m: Math.round(walked.length_m * 10) / 10, ids: walked.reaches },
        manholes: { count: walked.nodes.length, ids: walked.nodes },
        facilities: d.facilities,
        ends: d.ends,
        grids: d.grids,
        communities,
        sensors: { count: Number(d.sensor_count), items: d.sensors },
        cameras: { count: d.cameras.length, items: d.cameras.slice(0, LIST_LIMIT) },
        hazards: { count: Number(d.hazards), open: Number(d.hazards_open) },
        misconnections: { count: Object.values(byKind).reduce((a, b) => a + b, 0), by_kind: byKind },
        revisits: req.method === 'memory' ? walked.revisits : null,
        timing_ms: { trace: round1(t1 - t0), describe: round1(t2 - t1) },
      };
    });
  }
}

const round1 = (v: number) => Math.round(v * 10) / 10;

const TRACERS = new WeakMap<pg.Pool, Tracer>();
/** One Tracer (one in-memory graph) per pool. */
export function tracerFor(pool: pg.Pool): Tracer {
  let t = TRACERS.get(pool);
  if (!t) TRACERS.set(pool, (t = new Tracer(pool)));
  return t;
}
