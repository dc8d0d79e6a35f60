// Writing a built network (topology.ts) as an import's manholes and pipes, either fresh or over an earlier
// import of the same network. A survey is delivered again — the same file sent twice, or a corrected one
// under the same name — and must not double the network: the earlier import's rows whose codes come back
// are moved to the new import and updated in place, keeping their ids (inspections, hazards, facilities
// and misconnections point at them by id); codes that are new are added; rows whose codes are gone are
// removed with the earlier import (their inspections and hazards with them, counted in the report).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { recomputeAll } from '../drainage/condition.ts';
import type { BuiltNetwork, Usage } from './topology.ts';

/** How a new import says which earlier one it replaces: found by the rule below, a given id, or none. */
export type ReplaceChoice = 'auto' | 'never' | number;

export type ReplaceMatch = 'same_file' | 'same_name_and_codes' | 'given';

export interface ReplacedImport {
  import_id: number;
  filename: string;
  matched: ReplaceMatch;
  pipes: { updated: number; unchanged: number; added: number; removed: number };
  manholes: { kept: number; added: number; removed: number };
  /** Inspections and hazards of removed pipes, removed with them. */
  removed_with_pipes: { inspections: number; hazards: number };
  summary: string;
}

/** SHA-256 of the uploaded bytes, kept in imports.options to know the same file again. */
export function fileHash(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * The earlier import a new one replaces (`auto`): one made from the very same bytes; else one with the same
 * file name (case aside) that holds at least half of the new file's pipe codes — a corrected survey sent
 * under its old name. A name alone is not enough (every office has a "管线.shp"), nor are codes alone (the
 * same codes may be another district's numbering). The newest such import when there are several.
 */
export async function importToReplace(db: pg.ClientBase, choice: ReplaceChoice, sha256: string, filename: string, pipeCodes: string[]): Promise<{ id: number; filename: string; matched: ReplaceMatch } | null> {
  if (choice === 'never') return null;
  if (typeof choice === 'number') {
    const { rows: [row] } = await db.query<{ id: number; filename: string }>('SELECT id, filename FROM imports WHERE id = $1', [choice]);
    return row ? { ...row, matched: 'given' } : null;
  }
  const { rows } = await db.query<{ id: number; filename: string; same_file: boolean; shared: number }>(
    `SELECT i.id, i.filename, coalesce(i.options->>'sha256' = $1, false) AS same_file,
            CASE WHEN lower(i.filename) = lower($2) THEN (SELECT count(*) FROM pipes p WHERE p.import_id = i.id AND p.code = ANY($3::text[])) ELSE 0 END::int AS shared
     FROM imports i WHERE i.options->>'sha256' = $1 OR lower(i.filename) = lower($2)
     ORDER BY 3 DESC, i.id DESC`, [sha256, filename, pipeCodes]);
  const found = rows.find((r) => r.same_file || (pipeCodes.length > 0 && r.shared * 2 >= pipeCodes.length));
  return found ? { id: found.id, filename: found.filename, matched: found.same_file ? 'same_file' : 'same_name_and_codes' } : null;
}

/** A manhole's usage is that of the pipes it joins (the majority), else the default. */
function manholeUsage(net: BuiltNetwork, defaultUsage: Usage): (code: string) => Usage {
  const usageOf = new Map<string, Record<string, number>>();
  for (const l of net.links) for (const c of [l.from, l.to]) {
    const u = usageOf.get(c) ?? {};
    const k = l.usage ?? defaultUsage;
    u[k] = (u[k] ?? 0) + 1;
    usageOf.set(c, u);
  }
  return (c) => (Object.entries(usageOf.get(c) ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0] as Usage | undefined) ?? defaultUsage;
}

type Link = BuiltNetwork['links'][number];
type Node = BuiltNetwork['nodes'][number];

const nodeParams = (nodes: Node[], usage: (code: string) => Usage) => [nodes.map((n) => n.code), nodes.map((n) => n.kind), nodes.map((n) => usage(n.code)),
  nodes.map((n) => n.ground_m), nodes.map((n) => n.invert_m), nodes.map((n) => n.lon), nodes.map((n) => n.lat)];
const linkParams = (links: Link[], idOf: Map<string, number>, defaultUsage: Usage) => [links.map((l) => l.code), links.map((l) => idOf.get(l.from)),
  links.map((l) => idOf.get(l.to)), links.map((l) => l.usage ?? defaultUsage), links.map((l) => l.diameter_mm), links.map((l) => l.material),
  links.map((l) => l.length_m), links.map((l) => l.up_invert_m), links.map((l) => l.down_invert_m),
  links.map((l) => JSON.stringify({ type: 'LineString', coordinates: l.coords }))];
/** $n… as the rows of `links` (linkParams), with their geometry g and length (the file's, else measured on the ellipsoid). */
const LINKS = (n: number) => `(SELECT u.*, coalesce(len, ST_Length(g::geography)) AS length FROM (SELECT u.*, ST_SetSRID(ST_GeomFromGeoJSON(json), 4326) AS g
  FROM unnest(${'text int int text int text float8 float8 float8 text'.split(' ').map((t, i) => `$${n + i}::${t}[]`).join(', ')})
       AS u(code, f, t, usage, d, mat, len, up, down, json)) u)`;

async function insertManholes(db: pg.ClientBase, importId: number, nodes: Node[], usage: (code: string) => Usage): Promise<{ id: number; code: string }[]> {
  const { rows } = await db.query<{ id: number; code: string }>(
    `INSERT INTO manholes (code, kind, usage, network, ground_elev_m, invert_elev_m, depth_m, import_id, geom)
     SELECT code, kind, usage, 'main', g, inv, g - inv, $1, ST_SetSRID(ST_MakePoint(x, y), 4326)
     FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[]) AS u(code, kind, usage, g, inv, x, y)
     RETURNING id, code`, [importId, ...nodeParams(nodes, usage)]);
  return rows;
}

async function insertPipes(db: pg.ClientBase, importId: number, links: Link[], idOf: Map<string, number>, defaultUsage: Usage): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO pipes (code, from_node, to_node, usage, network, diameter_mm, material, length_m, up_invert_m, down_invert_m, import_id, geom)
     SELECT code, f, t, usage, 'main', d, mat, length, up, down, $1, g FROM ${LINKS(2)} s`,
    [importId, ...linkParams(links, idOf, defaultUsage)]);
  return rowCount ?? 0;
}

/**
 * Writes `net` as import `importId`'s rows, over import `over` when given (its rows matched by code, then
 * the import itself deleted), in the caller's transaction. Returns what happened to the earlier import.
 */
export async function writeNetwork(db: pg.ClientBase, importId: number, net: BuiltNetwork, defaultUsage: Usage,
  over: { id: number; filename: string; matched: ReplaceMatch } | null, onManholes: () => void = () => {}): Promise<ReplacedImport | null> {
  const usage = manholeUsage(net, defaultUsage);
  if (!over) {
    const ids = await insertManholes(db, importId, net.nodes, usage);
    onManholes();
    await insertPipes(db, importId, net.links, new Map(ids.map((r) => [r.code, r.id])), defaultUsage);
    return null;
  }
  // The earlier import's manholes whose codes come back: moved to the new import, updated, same ids.
  const { rows: kept } = await db.query<{ id: number; code: string }>(
    `UPDATE manholes m SET import_id = $1, kind = u.kind, usage = u.usage, network = 'main', ground_elev_m = u.g, invert_elev_m = u.inv,
            depth_m = u.g - u.inv, geom = ST_SetSRID(ST_MakePoint(u.x, u.y), 4326)
     FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::float8[], $9::float8[]) AS u(code, kind, usage, g, inv, x, y)
     WHERE m.import_id = $2 AND m.code = u.code RETURNING m.id, m.code`, [importId, over.id, ...nodeParams(net.nodes, usage)]);
  const keptNodes = new Set(kept.map((r) => r.code));
  const added = await insertManholes(db, importId, net.nodes.filter((n) => !keptNodes.has(n.code)), usage);
  onManholes();
  const idOf = new Map([...kept, ...added].map((r) => [r.code, r.id]));
  // Before the update: which of the pipes that come back are the same as they were.
  const { rows: [{ same }] } = await db.query<{ same: number }>(
    `SELECT count(*)::int AS same FROM ${LINKS(2)} v JOIN pipes p ON p.import_id = $1 AND p.code = v.code
     WHERE (p.from_node, p.to_node, p.usage, p.network, p.diameter_mm, p.material, p.length_m, p.up_invert_m, p.down_invert_m)
           IS NOT DISTINCT FROM (v.f, v.t, v.usage, 'main', v.d, v.mat, v.length::real, v.up::real, v.down::real)
       AND ST_OrderingEquals(p.geom, v.g)`, [over.id, ...linkParams(net.links, idOf, defaultUsage)]);
  const { rows: keptPipes } = await db.query<{ code: string }>(
    `UPDATE pipes p SET import_id = $1, from_node = v.f, to_node = v.t, usage = v.usage, network = 'main', diameter_mm = v.d, material = v.mat,
            length_m = v.length, up_invert_m = v.up, down_invert_m = v.down, geom = v.g
     FROM ${LINKS(3)} v WHERE p.import_id = $2 AND p.code = v.code RETURNING p.code`, [importId, over.id, ...linkParams(net.links, idOf, defaultUsage)]);
  const keptLinks = new Set(keptPipes.map((r) => r.code));
  const addedPipes = await insertPipes(db, importId, net.links.filter((l) => !keptLinks.has(l.code)), idOf, defaultUsage);
  const { rows: [gone] } = await db.query<{ pipes: number; manholes: number; inspections: number; hazards: number }>(
    `SELECT (SELECT count(*) FROM pipes WHERE import_id = $1)::int AS pipes, (SELECT count(*) FROM manholes WHERE import_id = $1)::int AS manholes,
            (SELECT count(*) FROM inspections i JOIN pipes p ON p.id = i.pipe_id WHERE p.import_id = $1)::int AS inspections,
            (SELECT count(*) FROM hazards h JOIN pipes p ON p.id = h.pipe_id WHERE p.import_id = $1)::int AS hazards`, [over.id]);
  await db.query('DELETE FROM imports WHERE id = $1', [over.id]);
  // Kept pipes whose length or diameter changed were queued for rescoring (migration 008): their scores commit with them.
  await recomputeAll(db);
  const pipes = { updated: keptPipes.length - same, unchanged: same, added: addedPipes, removed: gone.pipes };
  return {
    import_id: over.id, filename: over.filename, matched: over.matched, pipes,
    manholes: { kept: kept.length, added: added.length, removed: gone.manholes },
    removed_with_pipes: { inspections: gone.inspections, hazards: gone.hazards },
    summary: `replaced import #${over.id} (${pipes.updated} pipes updated, ${pipes.added} added, ${pipes.removed} removed${same ? `, ${same} unchanged` : ''})`,
  };
}
