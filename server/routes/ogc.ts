// OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 3 (CQL2 text filter, queryables) at
// /api. Handlers parse parameters into an ItemsQuery, call the Catalog and write links; no SQL here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/api/errors.ts';
import {
  CollectionParams, Collections, Conformance, Collection, FeatureParams, FeatureQuery, FeatureWithLinks, geoJsonOrJson, ItemsPage, ItemsQuery,
  JsonSchemaDocument, LandingPage, type Link,
} from '../../common/api/features.ts';
import { COLLECTIONS, queryableNames, type CollectionDef, type PropertyDef } from '../features/collections.ts';
import { NotFoundError, show } from '../http/errors.ts';
import { bulkCompress, catalogOf, sendJsonText, useApiErrors, type FeatureRouteOptions } from '../http/route-helpers.ts';
import {
  collectionOr404, DEFAULT_LIMIT, encodeCursor, keyFits, MAX_LIMIT, MAX_OFFSET, parseItemsQuery, type ItemsQuery as ParsedItemsQuery,
} from '../features/params.ts';
import { COUNT_CAP } from '../features/catalog.ts';
import { outsideGrids, readerOf } from '../cases/access.ts';
import { ANONYMOUS } from '../limits/anonymous.ts';
import { expensive, isAnonymous } from '../limits/expensive.ts';
import { baseUrl } from './base-url.ts';

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const OGC_REL = 'http://www.opengis.net/def/rel/ogc/1.0';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
  'http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions',
];

/** JSON Schema of one property. */
function propertySchema(p: PropertyDef) {
  const temporal = p.type === 'date' || p.type === 'date-time';
  return { title: p.title, type: temporal ? 'string' : p.type, ...(temporal ? { format: p.type } : {}), ...(p.enum ? { enum: p.enum } : {}) };
}

/** The query string as received, minus some names, plus others; values stay in their order. */
function withQuery(query: Record<string, unknown>, drop: string[], add: Record<string, string> = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (drop.includes(k) || v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) sp.append(k, String(item));
  }
  for (const [k, v] of Object.entries(add)) sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : '';
}

function collectionPath(base: string, c: CollectionDef): string {
  return `${base}/api/collections/${c.id}`;
}

/** Query parameters as the client sent them (the validated copy has defaults filled in). */
function rawQuery(req: FastifyRequest): Record<string, unknown> {
  const i = req.url.indexOf('?');
  // No prototype: ?__proto__=1 is then a parameter like any other (refused as unknown), not a prototype to set.
  const out: Record<string, string | string[]> = Object.create(null);
  if (i < 0) return out;
  for (const [k, v] of new URLSearchParams(req.url.slice(i + 1))) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Parameters of a page that is an index range scan in key order: anything else may read the whole table. */
const CHEAP_ITEMS_PARAMS = new Set(['bbox', 'bbox-crs', 'crs', 'cursor', 'f', 'limit']);

function expensiveItems(req: FastifyRequest): boolean {
  const q = rawQuery(req);
  return Object.keys(q).some((k) => !CHEAP_ITEMS_PARAMS.has(k)) || Number(q.limit ?? DEFAULT_LIMIT) > DEFAULT_LIMIT;
}

const ogcRoutes: FastifyPluginAsyncTypebox<FeatureRouteOptions> = async (app, opts) => {
  const catalog = catalogOf(opts);
  useApiErrors(app);

  async function collectionJson(c: CollectionDef, base: string): Promise<Collection> {
    const ext = await catalog.extent(c);
    const self = collectionPath(base, c);
    return {
      id: c.id,
      title: c.title,
      description: `${c.titleZh} — ${c.description} Items: limit default ${DEFAULT_LIMIT}, maximum ${MAX_LIMIT}; keyset paging via the next/prev links.`,
      itemType: 'feature',
      crs: [CRS84],
      storageCrs: CRS84,
      extent: {
        spatial: { bbox: ext.bbox ? [ext.bbox] : [], crs: CRS84 },
        ...(ext.temporal ? { temporal: { interval: [ext.temporal], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
      },
      itemsLimit: { default: DEFAULT_LIMIT, maximum: MAX_LIMIT },
      'x-title-zh': c.titleZh,
      links: [
        { rel: 'self', type: JSON_TYPE, title: 'This collection', href: self },
        { rel: 'items', type: GEOJSON, title: `${c.title} (GeoJSON)`, href: `${self}/items` },
        { rel: `${OGC_REL}/queryables`, type: 'application/schema+json', title: 'Queryables', href: `${self}/queryables` },
        { rel: 'queryables', type: 'application/schema+json', title: 'Queryables', href: `${self}/queryables` },
        // GDAL reads "describedBy" (sic) for field types; "describedby" is the registered relation.
        { rel: 'describedby', type: 'application/schema+json', title: 'Schema of the features', href: `${self}/schema` },
        { rel: 'describedBy', type: 'application/schema+json', title: 'Schema of the features', href: `${self}/schema` },
      ],
    };
  }

  app.get('/api', {
    schema: {
      summary: 'OGC API – Features landing page',
      tags: ['ogc'],
      response: { 200: LandingPage },
    },
  }, async (req) => {
    const base = baseUrl(req);
    const links: Link[] = [
      { rel: 'self', type: JSON_TYPE, title: 'This document', href: `${base}/api` },
      { rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'OpenAPI definition', href: `${base}/api/openapi.json` },
      { rel: 'service-doc', type: 'text/html', title: 'API documentation', href: `${base}/api/docs` },
      { rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes', href: `${base}/api/conformance` },
      { rel: `${OGC_REL}/conformance`, type: JSON_TYPE, title: 'Conformance classes', href: `${base}/api/conformance` },
      { rel: 'data', type: JSON_TYPE, title: 'Collections', href: `${base}/api/collections` },
      { rel: `${OGC_REL}/data`, type: JSON_TYPE, title: 'Collections', href: `${base}/api/collections` },
    ];
    return {
      title: '武昌“一张图” Wuchang One-Map — OGC API – Features',
      description: 'Drainage network, hazards, unit grids, cameras, sensors, vehicles and city-management cases of Wuchang as OGC API – Features collections (GeoJSON, CQL2 text filters). Synthetic data unless stated otherwise.',
      links,
    };
  });

  app.get('/api/conformance', {
    schema: {
      summary: 'Conformance classes implemented',
      tags: ['ogc'],
      response: { 200: Conformance },
    },
  }, async () => ({ conformsTo: CONFORMANCE }));

  app.get('/api/collections', {
    compress: bulkCompress,
    schema: {
      summary: 'The collections (one per map layer) with their extents',
      tags: ['ogc'],
      response: { 200: Collections },
    },
  }, async (req) => {
    const base = baseUrl(req);
    return {
      links: [{ rel: 'self', type: JSON_TYPE, title: 'Collections', href: `${base}/api/collections` }],
      collections: await Promise.all(COLLECTIONS.map((c) => collectionJson(c, base))),
    };
  });

  app.get('/api/collections/:collectionId', {
    schema: {
      summary: 'One collection: extent, CRS, links',
      tags: ['ogc'],
      params: CollectionParams,
      response: { 200: Collection, ...errorResponses },
    },
  }, async (req) => collectionJson(collectionOr404(req.params.collectionId), baseUrl(req)));

  app.get('/api/collections/:collectionId/queryables', {
    schema: {
      summary: 'Properties that can be filtered on (?name=value, CQL2), as JSON Schema',
      tags: ['ogc'],
      params: CollectionParams,
      response: { 200: schemaDocument('The queryables as JSON Schema'), ...errorResponses },
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const properties: Record<string, Record<string, unknown>> = {
      geometry: {
        title: 'Geometry (use in S_INTERSECTS and the other spatial functions)',
        format: c.geometryType === 'Geometry' ? 'geometry-any' : `geometry-${c.geometryType.toLowerCase()}`,
        'x-ogc-role': 'primary-geometry',
      },
    };
    for (const name of queryableNames(c)) {
      properties[name] = { ...propertySchema(c.properties[name]), ...(name === c.datetime ? { 'x-ogc-role': 'primary-instant' } : {}) };
    }
    const doc: JsonSchemaDocument = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${collectionPath(baseUrl(req), c)}/queryables`,
      type: 'object',
      title: c.title,
      properties,
      additionalProperties: false,
    };
    return sendSchemaDocument(reply, doc);
  });

  app.get('/api/collections/:collectionId/schema', {
    schema: {
      summary: 'JSON Schema of the features (so clients such as GDAL and QGIS know each field\'s type)',
      tags: ['ogc'],
      params: CollectionParams,
      response: { 200: schemaDocument('The features\' JSON Schema'), ...errorResponses },
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const properties = Object.fromEntries(Object.entries(c.properties).map(([name, p]) => [name, propertySchema(p)]));
    return sendSchemaDocument(reply, {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${collectionPath(baseUrl(req), c)}/schema`,
      title: c.title,
      type: 'object',
      required: ['type', 'geometry', 'properties'],
      properties: {
        type: { type: 'string', enum: ['Feature'] },
        id: { type: c.key.type === 'code' ? 'string' : 'integer' },
        geometry: { type: 'object', description: `GeoJSON ${c.geometryType === 'Geometry' ? 'geometry' : c.geometryType} in CRS84` },
        properties: { type: 'object', properties },
      },
    });
  });

  app.get('/api/collections/:collectionId/items', {
    compress: bulkCompress,
    schema: {
      summary: 'Features of a collection: bbox, datetime, ?property=value, CQL2 text filter; keyset paging',
      description: `GeoJSON FeatureCollection. Any queryable property can be given as ?name=value (repeat the name for "any of").
limit: default ${DEFAULT_LIMIT}, maximum ${MAX_LIMIT} (${ANONYMOUS.features} without logging in: a larger limit is served as ${ANONYMOUS.features}). Deep pages: follow the next link (an opaque keyset cursor; constant cost at any depth).
offset is accepted up to ${MAX_OFFSET}. numberMatched is exact when present; for cases (millions of rows) it is given without a filter,
with only a bbox when counting its edge takes at most ${COUNT_CAP} row visits, and with other filters when at most ${COUNT_CAP} features match.`,
      tags: ['ogc'],
      params: CollectionParams,
      querystring: ItemsQuery,
      response: { 200: geoJsonOrJson(ItemsPage, 'A page of features'), ...errorResponses },
    },
    preHandler: expensive(opts.pool, expensiveItems),
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const raw = rawQuery(req);
    // OGC API – Features: a limit above the maximum is served as the maximum, not refused.
    const limit = opts.pool && await isAnonymous(req, opts.pool) ? Math.min(req.query.limit, ANONYMOUS.features) : req.query.limit;
    const q: ParsedItemsQuery = parseItemsQuery(c, { ...raw, limit, ...(req.query.offset !== undefined ? { offset: req.query.offset } : {}) });
    const page = await catalog.items(c, q);

    const base = baseUrl(req);
    const items = `${collectionPath(base, c)}/items`;
    const type = q.format === 'json' ? JSON_TYPE : GEOJSON;
    const other = q.format === 'json' ? 'geojson' : 'json';
    const links: Link[] = [
      { rel: 'self', type, title: 'This page', href: `${items}${withQuery(raw, [])}` },
      { rel: 'alternate', type: q.format === 'json' ? GEOJSON : JSON_TYPE, title: `This page as ${other === 'json' ? 'application/json' : 'GeoJSON'}`, href: `${items}${withQuery(raw, ['f'], { f: other })}` },
      { rel: 'collection', type: JSON_TYPE, title: c.title, href: collectionPath(base, c) },
    ];
    if (page.hasNext && page.lastKey !== undefined) {
      links.push({ rel: 'next', type, title: 'Next page', href: `${items}${withQuery(raw, ['cursor', 'offset'], { cursor: encodeCursor({ dir: 'after', key: page.lastKey }) })}` });
    }
    if (page.hasPrev) {
      if (q.offset > 0 && !q.cursor) {
        const prev = Math.max(0, q.offset - q.limit);
        links.push({ rel: 'prev', type, title: 'Previous page', href: `${items}${withQuery(raw, ['cursor', 'offset'], prev ? { offset: String(prev) } : {})}` });
      } else if (page.firstKey !== undefined) {
        links.push({ rel: 'prev', type, title: 'Previous page', href: `${items}${withQuery(raw, ['cursor', 'offset'], { cursor: encodeCursor({ dir: 'before', key: page.firstKey }) })}` });
      }
    }
    const head: Omit<ItemsPage, 'features'> = {
      type: 'FeatureCollection',
      ...(page.numberMatched !== undefined ? { numberMatched: page.numberMatched } : {}),
      numberReturned: page.features.length,
      timeStamp: new Date().toISOString(),
      links,
    };
    // The features arrive as GeoJSON text from PostgreSQL; they are joined, not re-serialised.
    return sendJsonText(reply, type, `${JSON.stringify(head).slice(0, -1)},"features":[${page.features.join(',')}]}`);
  });

  app.get('/api/collections/:collectionId/items/:featureId', {
    compress: bulkCompress,
    schema: {
      summary: 'One feature by id',
      tags: ['ogc'],
      params: FeatureParams,
      querystring: FeatureQuery,
      response: { 200: geoJsonOrJson(FeatureWithLinks, 'The feature'), ...errorResponses },
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const { featureId } = req.params;
    const text = keyFits(c, featureId) ? await catalog.item(c, featureId) : null;
    const hidden = c.id === 'cases' && text
      && outsideGrids(await readerOf(req, opts.pool), (JSON.parse(text) as { properties: { grid_code: string | null } }).properties.grid_code);
    if (!text || hidden) throw new NotFoundError(`no feature ${show(featureId)} in collection ${c.id}`);
    const base = baseUrl(req);
    const self = `${collectionPath(base, c)}/items/${encodeURIComponent(featureId)}`;
    const type = req.query.f === 'json' ? JSON_TYPE : GEOJSON;
    const links: Link[] = [
      { rel: 'self', type, title: 'This feature', href: self },
      { rel: 'alternate', type: type === GEOJSON ? JSON_TYPE : GEOJSON, href: `${self}?f=${type === GEOJSON ? 'json' : 'geojson'}` },
      { rel: 'collection', type: JSON_TYPE, title: c.title, href: collectionPath(base, c) },
    ];
    return sendJsonText(reply, type, `${text.slice(0, -1)},"links":${JSON.stringify(links)}}`);
  });
};

export default ogcRoutes;

/** The 200 of /queryables and /schema: a JSON Schema document, served as application/schema+json. */
function schemaDocument(description: string) {
  return { description, content: { 'application/schema+json': { schema: JsonSchemaDocument } } };
}

/** Serialised as written, so $schema and $id stay first (a serializer puts declared properties first). */
function sendSchemaDocument(reply: FastifyReply, doc: JsonSchemaDocument): FastifyReply {
  return sendJsonText(reply, 'application/schema+json', JSON.stringify(doc));
}
