// SQL of the search box: one statement over the searchable layers, each branch ranked exact > prefix >
// substring and limited on its own, merged by rank in the Catalog. Case numbers (millions of rows) are
// matched by prefix only, as a range on their unique btree (the collation is C, so byte order is prefix
// order); the other layers are small enough (≤ 21 k rows) for substring matching.
import { inGridsSql } from '../cases/access.ts';
import { anchorSql, Params } from './sql.ts';

interface Source {
  layer: string;
  table: string;
  id: string;
  label: string;
  /** A JSON array of parts (catalog.ts SearchPart): codes and names, never words in one language. */
  parts: string;
  /** The rank of a row (0 exact, 1 prefix, 2 substring) and its condition, from the placeholders. */
  match(p: { q: string; prefix: string; substring: string; qUpper: string; upperEnd: string }): { where: string; rank: string; order?: string };
  bbox: boolean;
  /** The grid column of a layer whose rows a field worker reads only in their grids (cases). */
  grid?: string;
}

const coded = (field: string, col: string) => `json_build_object('field', '${field}', 'value', ${col})`;
const name = (col: string) => `json_build_object('value', ${col})`;
const parts = (...xs: string[]) => `json_build_array(${xs.join(', ')})`;

const rank = (col: string, p: { q: string; prefix: string }) => `CASE WHEN ${col} = ${p.q} THEN 0 WHEN ${col} LIKE ${p.prefix} THEN 1 ELSE 2 END`;
const irank = (col: string, p: { q: string; prefix: string }) => `CASE WHEN upper(${col}) = upper(${p.q}) THEN 0 WHEN ${col} ILIKE ${p.prefix} THEN 1 ELSE 2 END`;

/** In the order a tie in rank is broken: areas first, then things. */
export const SEARCH_SOURCES: readonly Source[] = [
  {
    layer: 'streets', table: 'streets', id: 'to_json(t.code)', label: 't.name', bbox: true,
    parts: parts(name(`(SELECT d.name FROM districts d WHERE d.code = t.district_code)`)),
    match: (p) => ({ where: `t.name LIKE ${p.substring}`, rank: rank('t.name', p) }),
  },
  {
    layer: 'communities', table: 'communities', id: 'to_json(t.code)', label: 't.name', bbox: true,
    parts: parts(name(`(SELECT s.name FROM streets s WHERE s.code = t.street_code)`)),
    match: (p) => ({ where: `t.name LIKE ${p.substring}`, rank: rank('t.name', p) }),
  },
  {
    layer: 'grids', table: 'grids', id: 'to_json(t.code)', label: 't.code::text', bbox: true,
    parts: parts(name(`(SELECT c.name FROM communities c WHERE c.code = t.community_code)`),
      name(`(SELECT s.name FROM communities c JOIN streets s ON s.code = c.street_code WHERE c.code = t.community_code)`)),
    match: (p) => ({ where: `t.code LIKE ${p.prefix}`, rank: rank('t.code::text', p), order: 't.code' }),
  },
  {
    layer: 'facilities', table: 'facilities', id: 'to_json(t.id)', label: 't.name', bbox: true,
    parts: parts(coded('kind', 't.kind'), name('t.code')),
    match: (p) => ({ where: `(t.name LIKE ${p.substring} OR t.code ILIKE ${p.substring})`, rank: `least(${rank('t.name', p)}, ${irank('t.code', p)})` }),
  },
  {
    layer: 'cameras', table: 'cameras', id: 'to_json(t.id)', label: 't.name', bbox: false,
    parts: parts(name('t.code::text'), coded('status', 't.status')),
    match: (p) => ({ where: `(t.name LIKE ${p.substring} OR t.code LIKE ${p.prefix})`, rank: `least(${rank('t.name', p)}, ${rank('t.code::text', p)})` }),
  },
  {
    layer: 'manholes', table: 'manholes', id: 'to_json(t.id)', label: 't.code', bbox: false,
    parts: parts(coded('kind', 't.kind'), coded('usage', 't.usage')),
    match: (p) => ({ where: `t.code ILIKE ${p.substring}`, rank: irank('t.code', p) }),
  },
  {
    layer: 'pipes', table: 'pipes', id: 'to_json(t.id)', label: 't.code', bbox: true,
    parts: parts(coded('usage', 't.usage'), name(`'DN' || t.diameter_mm`), name('t.road_name')),
    match: (p) => ({ where: `t.code ILIKE ${p.substring}`, rank: irank('t.code', p) }),
  },
  {
    layer: 'cases', table: 'cases', id: 'to_json(t.id)', label: 't.case_no', bbox: false, grid: 't.grid_code',
    parts: parts(`(SELECT json_build_object('value', i.name_zh, 'en', i.name_en) FROM case_items i WHERE i.code = t.item_code)`, coded('status', 't.status')),
    // Index order is rank order here: the exact number sorts before every longer one it prefixes.
    match: (p) => ({ where: `t.case_no >= ${p.qUpper} AND t.case_no < ${p.upperEnd}`, rank: `CASE WHEN t.case_no = ${p.qUpper} THEN 0 ELSE 1 END`, order: 't.case_no' }),
  },
];

export const SEARCH_LAYERS = SEARCH_SOURCES.map((s) => s.layer);

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The search statement; rows: layer, id (json), label, parts (json), rank, lon, lat, bbox (4 numbers or null).
 * grids: a field worker's (readerGrids), whose search finds no case outside them.
 */
export function buildSearchSql(q: string, perLayer: number, grids: string[] | null = null): { text: string; values: unknown[] } {
  const params = new Params();
  const p = {
    q: params.add(q, 'text'),
    prefix: params.add(`${likeEscape(q)}%`, 'text'),
    substring: params.add(`%${likeEscape(q)}%`, 'text'),
    qUpper: params.add(q.toUpperCase(), 'text'),
    upperEnd: params.add(`${q.toUpperCase()}\u{10FFFF}`, 'text'),
  };
  const n = params.add(perLayer, 'int');
  const scope = grids ? params.add(grids) : null;
  const branches = SEARCH_SOURCES.map((s) => {
    const m = s.match(p);
    if (scope && s.grid) m.where = `${m.where} AND ${inGridsSql(s.grid, scope)}`;
    return `(SELECT '${s.layer}' AS layer, ${s.id}::text AS id, ${s.label} AS label, ${s.parts} AS parts, ${m.rank} AS rank,
               ST_X(${anchorSql()}) AS lon, ST_Y(${anchorSql()}) AS lat,
               ${s.bbox ? 'ARRAY[ST_XMin(t.geom), ST_YMin(t.geom), ST_XMax(t.geom), ST_YMax(t.geom)]' : 'NULL::float8[]'} AS bbox
        FROM ${s.table} t WHERE ${m.where}
        ORDER BY ${m.order ?? `${m.rank}, length(${s.label}), ${s.label}`} LIMIT ${n})`;
  });
  return { text: branches.join('\nUNION ALL\n'), values: params.values };
}
