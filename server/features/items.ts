// SQL for OGC API items pages. Paging is keyset on the collection's key (its primary key): a page after
// key k is `WHERE key > k ORDER BY key LIMIT n`, an index range scan however deep it goes — the page at
// 5,000,000 costs what the first one costs (MapServer's OFFSET took 1.6 s there). `offset` is honoured
// only up to MAX_OFFSET, for clients that insist on it.
import { propertySql, type CollectionDef } from './collections.ts';
import { compileFilter } from './cql2-sql.ts';
import type { DatetimeFilter, ItemsQuery } from './params.ts';
import { featureJsonSql, keySql, Params } from './sql.ts';

export interface BuiltQuery {
  text: string;
  values: unknown[];
}

export interface ItemsSql {
  page: BuiltQuery;
  /** Rows come back in descending key order (a prev page) and must be reversed. */
  reversed: boolean;
  /** The conditions without the cursor, for counting. */
  where: string;
  whereValues: unknown[];
  /** Polygon literals of the filter (WKT), to check for validity first. */
  polygons: string[];
}

function keyCast(c: CollectionDef): string {
  return c.key.type === 'code' ? 'bpchar' : c.key.type === 'integer' ? 'int' : 'bigint';
}

function datetimeSql(c: CollectionDef, d: DatetimeFilter, params: Params): string[] {
  const name = c.datetime!;
  const p = c.properties[name];
  const col = propertySql(p, name);
  const out: string[] = [];
  if (p.type === 'date') {
    // A date column's value is a whole day: it matches when that day meets the interval.
    if (d.start) out.push(`${col} >= ${params.add(d.start.text, d.start.kind === 'date' ? 'date' : 'timestamptz')}::date`);
    if (d.end) out.push(`${col} <= ${params.add(d.end.text, d.end.kind === 'date' ? 'date' : 'timestamptz')}::date`);
  } else {
    // A date bound covers its whole day (local time of the database session).
    if (d.start) out.push(`${col} >= ${params.add(d.start.text, d.start.kind === 'date' ? 'date' : 'timestamptz')}`);
    if (d.end) out.push(d.end.kind === 'date' ? `${col} < ${params.add(d.end.text, 'date')} + 1` : `${col} <= ${params.add(d.end.text, 'timestamptz')}`);
  }
  return out;
}

export interface Selection {
  /** Exactly the features asked for (counting uses this). */
  where: string;
  /**
   * The same with a point bbox as the bare index operator (&&, whose float4 boxes may admit points up to
   * ~1 m outside the box): accurate statistics and a cost of 1 let the planner read a big box's page in key
   * order from the covering index (cases_id_geom_idx) instead of collecting the whole box first;
   * `exact` then drops any point outside on the ≤ limit + 1 rows read.
   */
  coarse: string;
  exact: string | null;
  polygons: string[];
}

/** The selection of a query (bbox, datetime, filters), without paging. */
export function selectionSql(c: CollectionDef, q: ItemsQuery, params: Params): Selection {
  const conds: string[] = [];
  const coarse: string[] = [];
  let exact: string | null = null;
  let polygons: string[] = [];
  if (q.bbox) {
    const env = `ST_MakeEnvelope(${q.bbox.map((v) => params.add(v, 'float8')).join(', ')}, 4326)`;
    conds.push(`ST_Intersects(t.geom, ${env})`);
    if (c.geometryType === 'Point') {
      coarse.push(`t.geom && ${env}`);
      exact = `ST_Intersects(t.geom, ${env})`;
    } else {
      coarse.push(`ST_Intersects(t.geom, ${env})`);
    }
  }
  const rest: string[] = [];
  if (q.datetime) rest.push(...datetimeSql(c, q.datetime, params));
  if (q.filter) {
    const f = compileFilter(q.filter, c, params);
    rest.push(f.sql);
    polygons = f.polygons;
  }
  const and = (xs: string[]) => (xs.length ? xs.join(' AND ') : 'TRUE');
  return { where: and([...conds, ...rest]), coarse: and([...coarse, ...rest]), exact, polygons };
}

export function buildItemsSql(c: CollectionDef, q: ItemsQuery): ItemsSql {
  const params = new Params();
  const sel = selectionSql(c, q, params);
  const whereValues = [...params.values];
  const key = keySql(c);
  const reversed = q.cursor?.dir === 'before';
  // OFFSET counts rows, so it needs the exact selection.
  const coarse = q.offset ? { where: sel.where, exact: null } : { where: sel.coarse, exact: sel.exact };
  const conds = [coarse.where];
  if (q.cursor) conds.push(`${key} ${reversed ? '<' : '>'} ${params.add(q.cursor.key, keyCast(c))}`);
  // The page's keys first, the features of only those rows after: the JSON is never built for rows a
  // sort or the limit throws away. f is NULL for a row the exact check drops.
  const feature = coarse.exact ? `CASE WHEN ${coarse.exact} THEN ${featureJsonSql(c)} END` : featureJsonSql(c);
  const text = `SELECT ${feature} AS f, ${key}::text AS k
    FROM (SELECT ${key} AS pk FROM ${c.table} t WHERE ${conds.join(' AND ')}
          ORDER BY ${key}${reversed ? ' DESC' : ''} LIMIT ${q.limit + 1}${q.offset ? ` OFFSET ${q.offset}` : ''}) page
    JOIN ${c.table} t ON ${key} = page.pk
    ORDER BY ${key}${reversed ? ' DESC' : ''}`;
  return { page: { text, values: params.values }, reversed, where: sel.where, whereValues, polygons: sel.polygons };
}

/** Counting at most `cap` matches (cap = undefined: all). */
export function buildCountSql(c: CollectionDef, where: string, values: unknown[], cap?: number): BuiltQuery {
  const text = cap === undefined
    ? `SELECT count(*)::bigint AS n FROM ${c.table} t WHERE ${where}`
    : `SELECT count(*)::bigint AS n FROM (SELECT 1 FROM ${c.table} t WHERE ${where} LIMIT ${cap + 1}) s`;
  return { text, values };
}

export function buildItemSql(c: CollectionDef, key: string): BuiltQuery {
  return { text: `SELECT ${featureJsonSql(c)} AS f FROM ${c.table} t WHERE ${keySql(c)} = $1::${keyCast(c)}`, values: [key] };
}
