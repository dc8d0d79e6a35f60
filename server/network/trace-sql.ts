// Tracing in the database, two ways, to measure against the in-memory graph (graph.ts): a recursive CTE
// (no extension) and pgRouting's pgr_drivingDistance. Both take the edges relation by name so the
// benchmark can run them on a generated network; it must have (id, from_node, to_node, length_m).
// $1 = the start node or reach id. Each returns one row per reached reach id.
import type { Direction } from './graph.ts';

export type SqlMethod = 'cte' | 'pgrouting';

function ends(direction: Direction) {
  return direction === 'downstream' ? { near: 'from_node', far: 'to_node' } : { near: 'to_node', far: 'from_node' };
}

/**
 * Recursive CTE: UNION (not UNION ALL) drops rows already produced, so a loop in the network ends the
 * recursion instead of running forever.
 */
export function cteTraceSql(edges: string, direction: Direction, start: 'node' | 'reach'): string {
  const { near, far } = ends(direction);
  const seed = start === 'node'
    ? `SELECT e.id, e.${far} AS node FROM ${edges} e WHERE e.${near} = $1`
    : `SELECT e.id, e.${far} AS node FROM ${edges} e WHERE e.id = $1`;
  return `WITH RECURSIVE t(id, node) AS (
      ${seed}
      UNION
      SELECT e.id, e.${far} FROM t JOIN ${edges} e ON e.${near} = t.node)
    SELECT DISTINCT id FROM t`;
}

/**
 * pgRouting: the nodes reachable from the start (a shortest-path tree, which omits reaches into nodes
 * already reached another way), then every reach leaving (downstream) or entering (upstream) them.
 */
export function pgroutingTraceSql(edges: string, direction: Direction, start: 'node' | 'reach'): string {
  const { near, far } = ends(direction);
  // Upstream walks the reversed graph: swap source and target.
  const graph = direction === 'downstream'
    ? `SELECT id, from_node AS source, to_node AS target, length_m AS cost FROM ${edges}`
    : `SELECT id, to_node AS source, from_node AS target, length_m AS cost FROM ${edges}`;
  const root = start === 'node' ? '$1::bigint' : `(SELECT ${far} FROM ${edges} WHERE id = $1)::bigint`;
  const self = start === 'node' ? '' : `UNION SELECT $1`;
  return `WITH n AS (SELECT node FROM pgr_drivingDistance('${graph.replace(/'/g, "''")}', ${root}, 1e12::float8, true))
    SELECT e.id FROM ${edges} e JOIN n ON e.${near} = n.node ${self}`;
}

export function traceSql(method: SqlMethod, edges: string, direction: Direction, start: 'node' | 'reach'): string {
  return method === 'cte' ? cteTraceSql(edges, direction, start) : pgroutingTraceSql(edges, direction, start);
}
