// The Catalog is everything the HTTP side may ask of the database about features (pg_featureserv's
// Catalog interface): collection extents, items pages, one feature, nearest, within, the grid at a
// point, search and details. Routes parse and validate into typed values and call it; all SQL is built
// in this folder and run here. PgCatalog is the PostgreSQL implementation.
import type pg from 'pg';
import { buildCellCountSql } from './cell-count.ts';
import { COLLECTIONS, type CollectionDef } from './collections.ts';
import { buildDetailsSql } from './details.ts';
import { conditionView, type StoredCondition } from '../drainage/condition-view.ts';
import { readOnStandby } from '../db/replica.ts';
import { BadRequestError } from '../http/errors.ts';
import { GridIndex, type GridAt } from './grid-index.ts';
import { MemoryMirror } from './memory-mirror.ts';
import { PointIndex, type IndexedPoint } from './point-index.ts';
import { buildCountSql, buildItemSql, buildItemsSql } from './items.ts';
import type { ItemsQuery } from './params.ts';
import type { Details } from '../../common/api/details.ts';
import type { NearestHit } from '../../common/api/query.ts';
import type { SearchPart, SearchResult } from '../../common/api/search.ts';
import { buildSearchSql } from './search.ts';
import { idJsonSql, propertiesJsonSql } from './sql.ts';
import { bearing, buildNearestSql, buildWithinSql, mercator, NEAREST_DISTRICT_SQL, preparedName, type Area } from './spatial.ts';

export type { GridAt } from './grid-index.ts';

export interface CollectionExtent {
  /** [west, south, east, north] in CRS84, null for an empty table. */
  bbox: [number, number, number, number] | null;
  /** [first, last] RFC 3339 times of the datetime property, when the collection has one. */
  temporal?: [string | null, string | null];
}

export interface ItemsPage {
  /** GeoJSON Feature texts in key order. */
  features: string[];
  firstKey?: string;
  lastKey?: string;
  hasNext: boolean;
  hasPrev: boolean;
  /** Exact; absent when counting would cost more than the page (see COUNT_CAP). */
  numberMatched?: number;
}

/** One of the k nearest features (GET /api/query/nearest). */
export type { NearestHit } from '../../common/api/query.ts';

export interface WithinLayer {
  count: number;
  returned: number;
  /** The features as comma-joined GeoJSON Feature texts (the inside of a JSON array). */
  featuresText: string;
}

export type GridAtResult = { found: true; at: GridAt } | { found: false; district: { code: string; name: string } | null; distance_m: number | null };

export type { SearchPart } from '../../common/api/search.ts';

/** A search result as GET /api/search answers it, with the rank that orders the results (not sent). */
export type SearchHit = SearchResult & { rank: number };

/** The identify panel's answer (GET /api/details/{layer}/{id}). */
export type { Details } from '../../common/api/details.ts';

export interface Catalog {
  extent(c: CollectionDef): Promise<CollectionExtent>;
  items(c: CollectionDef, q: ItemsQuery): Promise<ItemsPage>;
  item(c: CollectionDef, key: string): Promise<string | null>;
  nearest(layers: CollectionDef[], lon: number, lat: number, k: number): Promise<Record<string, NearestHit[]>>;
  within(layers: CollectionDef[], area: Area, limit: number): Promise<Record<string, WithinLayer>>;
  gridAt(lon: number, lat: number): Promise<GridAtResult>;
  /** grids: a field worker's (readerGrids), whose search finds no case outside them. */
  search(q: string, limit: number, grids?: string[] | null): Promise<SearchHit[]>;
  details(c: CollectionDef, key: string): Promise<Details | null>;
}

/**
 * numberMatched of a large collection (cases, 5.32 M rows) must not cost more than its page. Unfiltered,
 * the exact total comes from case_cells (trigger-maintained); with only a bbox, from the cells inside it
 * plus the points along its edge (cell-count.ts), when that edge holds at most COUNT_CAP points. Any
 * other filter is counted up to COUNT_CAP matches. Beyond that numberMatched is omitted, as OGC API –
 * Features allows (when present it must be exact).
 */
export const COUNT_CAP = 1_000;
const EXTENT_TTL_MS = 60_000;

export class PgCatalog implements Catalog {
  private extents = new Map<string, { at: number; value: Promise<CollectionExtent> }>();
  readonly grids: GridIndex;
  /** In-memory nearest for the small point layers, by collection id. */
  readonly points = new Map<string, MemoryMirror<PointIndex>>();

  constructor(private readonly db: pg.Pool) {
    this.grids = new GridIndex(db);
    for (const c of COLLECTIONS) {
      if (c.nearestInMemory) this.points.set(c.id, new MemoryMirror(new Set([c.table]), () => this.loadPoints(c)));
    }
  }

  /** Every in-memory copy, for the change feed to drop (routes/query.ts). */
  get mirrors(): MemoryMirror<unknown>[] {
    return [this.grids.mirror, ...this.points.values()];
  }

  private async loadPoints(c: CollectionDef): Promise<PointIndex> {
    const { rows } = await this.db.query<{ id: string; code: string | null; name: string | null; lon: number; lat: number; properties: string }>(
      `SELECT ${idJsonSql(c)} AS id, ${c.label.code ?? 'NULL::text'} AS code, ${c.label.name ?? 'NULL::text'} AS name,
              ST_X(t.geom) AS lon, ST_Y(t.geom) AS lat, ${propertiesJsonSql(c)} AS properties
       FROM ${c.table} t WHERE t.geom IS NOT NULL AND GeometryType(t.geom) = 'POINT'`);
    return new PointIndex(rows.map((r): IndexedPoint => ({ ...r, id: JSON.parse(r.id), properties: JSON.parse(r.properties) })));
  }

  /**
   * Drops the extents of the collections over `table` (every one when null): called on the change feed, so
   * an extent follows a write made through any instance. A large table's extent is an estimate from the
   * planner's statistics (which no write notifies): it is kept its EXTENT_TTL_MS.
   */
  forgetExtents(table: string | null): void {
    for (const c of COLLECTIONS) if (!c.large && (table === null || c.table === table)) this.extents.delete(c.id);
  }

  extent(c: CollectionDef): Promise<CollectionExtent> {
    const hit = this.extents.get(c.id);
    if (hit && Date.now() - hit.at < EXTENT_TTL_MS) return hit.value;
    const value = this.loadExtent(c);
    this.extents.set(c.id, { at: Date.now(), value });
    value.catch(() => this.extents.delete(c.id));
    return value;
  }

  private async loadExtent(c: CollectionDef): Promise<CollectionExtent> {
    // A large table's extent comes from the planner's statistics (no scan), widened to the district's
    // (the statistics are a sample; the district holds every case).
    const box = c.large
      ? `(SELECT ST_Extent(g) FROM (SELECT ST_EstimatedExtent('public', '${c.table}', 'geom')::geometry AS g UNION ALL SELECT geom FROM districts) s)`
      : `(SELECT ST_Extent(geom) FROM ${c.table})`;
    const time = c.datetime ? `, (SELECT json_build_array(min(t.${c.datetime}), max(t.${c.datetime})) FROM ${c.table} t) AS temporal` : '';
    const { rows } = await this.db.query<{ w: number | null; s: number; e: number; n: number; temporal?: [string | null, string | null] }>(
      `SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n${time} FROM ${box} AS x(b)`);
    const r = rows[0];
    const out: CollectionExtent = { bbox: r.w === null ? null : [r.w, r.s, r.e, r.n] };
    if (c.datetime) out.temporal = (r.temporal ?? [null, null]).map((v) => toRfc3339(v)) as [string | null, string | null];
    return out;
  }

  // Items pages, one feature, the spatial queries and search may be served by a standby (db/replica.ts).
  items(c: CollectionDef, q: ItemsQuery): Promise<ItemsPage> {
    return readOnStandby(this.db, () => this.readItems(c, q));
  }

  item(c: CollectionDef, key: string): Promise<string | null> {
    return readOnStandby(this.db, () => this.readItem(c, key));
  }

  nearest(layers: CollectionDef[], lon: number, lat: number, k: number): Promise<Record<string, NearestHit[]>> {
    return readOnStandby(this.db, () => this.readNearest(layers, lon, lat, k));
  }

  within(layers: CollectionDef[], area: Area, limit: number): Promise<Record<string, WithinLayer>> {
    return readOnStandby(this.db, () => this.readWithin(layers, area, limit));
  }

  gridAt(lon: number, lat: number): Promise<GridAtResult> {
    return readOnStandby(this.db, () => this.readGridAt(lon, lat));
  }

  private async readItems(c: CollectionDef, q: ItemsQuery): Promise<ItemsPage> {
    const built = buildItemsSql(c, q);
    if (built.polygons.length) await this.checkPolygons(built.polygons, 'filter');
    // The page and its count run side by side, on two connections. A page with no selection (first and
    // deep pages by cursor) is a prepared statement: its plan does not depend on the values.
    const page = built.where === 'TRUE' ? { name: preparedName(`items_${c.id}`, built.page.text), ...built.page } : built.page;
    const [{ rows }, numberMatched] = await Promise.all([
      this.db.query<{ f: string | null; k: string }>(page),
      this.count(c, built.where, built.whereValues, q),
    ]);
    const more = rows.length > q.limit;
    if (more) rows.pop();
    if (built.reversed) rows.reverse();
    // Keys are those of every row read, so a row the exact check dropped is not read again.
    return {
      features: rows.flatMap((r) => (r.f === null ? [] : [r.f])),
      firstKey: rows[0]?.k,
      lastKey: rows[rows.length - 1]?.k,
      hasNext: built.reversed ? true : more,
      hasPrev: built.reversed ? more : Boolean(q.cursor) || q.offset > 0,
      numberMatched,
    };
  }

  /** numberMatched: exact, by the cheapest exact means, or undefined when only a scan could tell. */
  private async count(c: CollectionDef, where: string, values: unknown[], q: ItemsQuery): Promise<number | undefined> {
    if (where === 'TRUE' && c.totalSql) {
      const { rows } = await this.db.query<{ n: string }>({ name: `total_${c.id}`, text: c.totalSql });
      return Number(rows[0].n);
    }
    const cells = q.bbox && !q.datetime && !q.filter ? buildCellCountSql(c, q.bbox, COUNT_CAP) : null;
    if (cells) {
      // Its text has one shape whatever the box (every bound a parameter), and planning its nine
      // subqueries cost 2–3 ms — more than running them: prepared, each connection plans it once.
      const { rows } = await this.db.query<{ n: string | null }>({ name: preparedName(`count_${c.id}`, cells.text), ...cells });
      return rows[0].n === null ? undefined : Number(rows[0].n);
    }
    const { rows } = await this.db.query<{ n: string }>(buildCountSql(c, where, values, c.large ? COUNT_CAP : undefined));
    const n = Number(rows[0].n);
    return c.large && n > COUNT_CAP ? undefined : n;
  }

  /** Refuses invalid polygon literals before they reach GEOS (which would fail the query). */
  private async checkPolygons(wkts: string[], where: string): Promise<void> {
    const { rows } = await this.db.query<{ i: number; reason: string }>(
      `SELECT i::int, ST_IsValidReason(ST_GeomFromText(w, 4326)) AS reason
       FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i) WHERE NOT ST_IsValid(ST_GeomFromText(w, 4326))`, [wkts]);
    if (rows.length) {
      throw new BadRequestError(`${where}: polygon ${rows[0].i} is not valid (${rows[0].reason}); a ring must not cross itself — redraw it, or split it into a MULTIPOLYGON`);
    }
  }

  private async readItem(c: CollectionDef, key: string): Promise<string | null> {
    const { rows } = await this.db.query<{ f: string }>({ name: `item_${c.id}`, ...buildItemSql(c, key) });
    return rows[0]?.f ?? null;
  }

  private async readNearest(layers: CollectionDef[], lon: number, lat: number, k: number): Promise<Record<string, NearestHit[]>> {
    const out: Record<string, NearestHit[]> = Object.fromEntries(layers.map((c) => [c.id, []]));
    const inDb: CollectionDef[] = [];
    for (const c of layers) {
      const index = await this.points.get(c.id)?.get();
      if (index?.covers(lon, lat)) out[c.id] = index.nearest(lon, lat, k).map((n) => nearestHit(lon, lat, n.point, n.distance_m));
      else inDb.push(c);
    }
    if (!inDb.length) return out;
    const text = buildNearestSql(inDb, k);
    const [x, y] = mercator(lon, lat);
    const { rows } = await this.db.query<IndexedPoint & { layer: string; id: string; distance_m: number }>(
      { name: preparedName('near', text), text, values: [lon, lat, x, y] });
    for (const r of rows) out[r.layer].push(nearestHit(lon, lat, { ...r, id: JSON.parse(r.id) }, r.distance_m));
    return out;
  }

  private async readWithin(layers: CollectionDef[], area: Area, limit: number): Promise<Record<string, WithinLayer>> {
    const built = buildWithinSql(layers, area, limit);
    const { rows } = await this.db.query<{ layer: string | null; n: string | null; features: string | null }>(
      { name: preparedName(`within_${area.kind}`, built.text), ...built });
    const invalid = rows.find((r) => r.layer === null)?.features;
    if (invalid) {
      throw new BadRequestError(`geometry is not valid (${invalid}); a polygon's rings must not cross themselves or each other — redraw it, or split it into a MultiPolygon`);
    }
    const out: Record<string, WithinLayer> = {};
    for (const r of rows) {
      if (r.layer === null) continue;
      const count = Number(r.n);
      out[r.layer] = { count, returned: Math.min(count, limit), featuresText: r.features ?? '' };
    }
    return out;
  }

  private async readGridAt(lon: number, lat: number): Promise<GridAtResult> {
    const at = await this.grids.at(lon, lat);
    if (at) return { found: true, at };
    const { rows } = await this.db.query<{ code: string; name: string; distance_m: number }>({ name: 'nearest_district', text: NEAREST_DISTRICT_SQL, values: [lon, lat] });
    const d = rows[0];
    return { found: false, district: d ? { code: d.code, name: d.name } : null, distance_m: d ? Math.round(d.distance_m) : null };
  }

  search(q: string, limit: number, grids: string[] | null = null): Promise<SearchHit[]> {
    return readOnStandby(this.db, () => this.readSearch(q, limit, grids));
  }

  private async readSearch(q: string, limit: number, grids: string[] | null): Promise<SearchHit[]> {
    const { rows } = await this.db.query<{ layer: string; id: string; label: string; parts: SearchPart[] | null; rank: number; lon: number; lat: number; bbox: number[] | null }>(
      buildSearchSql(q, limit, grids));
    const order = new Map(rows.map((r, i) => [r, i]));
    return rows
      .sort((a, b) => a.rank - b.rank || order.get(a)! - order.get(b)!)
      .slice(0, limit)
      .map((r) => ({
        layer: r.layer,
        id: JSON.parse(r.id),
        label: r.label,
        parts: (r.parts ?? []).filter((x) => x && x.value !== null && x.value !== undefined),
        lon: round(r.lon, 7),
        lat: round(r.lat, 7),
        ...(r.bbox ? { bbox: r.bbox.map((v) => round(v, 7)) as [number, number, number, number] } : {}),
        rank: r.rank,
      }));
  }

  // The identify panel may be served by a standby too.
  details(c: CollectionDef, key: string): Promise<Details | null> {
    return readOnStandby(this.db, () => this.readDetails(c, key));
  }

  private async readDetails(c: CollectionDef, key: string): Promise<Details | null> {
    const { rows } = await this.db.query<Omit<Details, 'layer'>>(
      { name: `details_${c.id}`, ...buildDetailsSql(c, key) });
    const r = rows[0];
    if (!r) return null;
    const related = r.related.condition ? { ...r.related, condition: conditionView(r.related.condition as StoredCondition) } : r.related;
    return { layer: c.id, id: r.id, properties: r.properties, geometry: r.geometry, related };
  }
}

function roundOrNull(v: number | null, digits: number): number | null {
  return v === null ? null : round(v, digits);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** PostgreSQL's JSON times ("2024-01-31T08:00:00+08:00", or a bare date) as RFC 3339 date-times. */
function toRfc3339(v: string | null): string | null {
  if (v === null) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : new Date(v).toISOString();
}

const catalogs = new WeakMap<pg.Pool, PgCatalog>();

/** One catalog per pool, shared by the route plugins registered with that pool. */
export function catalogFor(pool: pg.Pool): PgCatalog {
  let c = catalogs.get(pool);
  if (!c) {
    c = new PgCatalog(pool);
    catalogs.set(pool, c);
  }
  return c;
}

/** A nearest result as the API gives it: rounded, labelled, with the bearing from the query point. */
function nearestHit(lon: number, lat: number, p: IndexedPoint, distance: number): NearestHit {
  const hit: NearestHit = {
    id: p.id,
    distance_m: round(distance, 2),
    bearing_deg: distance === 0 ? null : roundOrNull(bearing(lon, lat, p.lon, p.lat), 1),
    lon: round(p.lon, 7),
    lat: round(p.lat, 7),
    properties: p.properties,
  };
  if (p.code !== null) hit.code = p.code;
  if (p.name !== null) hit.name = p.name;
  return hit;
}
