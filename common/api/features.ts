// OGC API – Features Part 1 (Core, GeoJSON) and Part 3 (queryables) at /api: the landing page,
// conformance, collections, their JSON Schemas and items, as server/routes/ogc.ts serves them.
import type * as GeoJson from 'geojson';
import { Type, type Static } from 'typebox';
import { COLLECTION_IDS } from '../../server/features/collections.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET } from '../../server/features/params.ts';
import { Bbox, CountedFeatureCollection, featureMembers } from './geojson.ts';
import { Dict, Nullable, OpenObject, StringEnum, WithDefaults } from './shapes.ts';

export const Link = Type.Object({
  rel: Type.String(),
  type: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  href: Type.String(),
});
export type Link = Static<typeof Link>;
const Links = Type.Array(Link);

export const LandingPage = Type.Object({ title: Type.String(), description: Type.String(), links: Links }, { description: 'The landing page: what this service is, and links to its parts' });

export const Conformance = Type.Object({ conformsTo: Type.Array(Type.String()) }, { description: 'The conformance classes implemented' });

export const Collection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.String(),
  crs: Type.Array(Type.String()),
  storageCrs: Type.String(),
  extent: Type.Object({
    spatial: Type.Object({ bbox: Type.Array(Bbox(), { description: 'One box, or none for an empty collection' }), crs: Type.String() }),
    temporal: Type.Optional(Type.Object({
      interval: Type.Array(Type.Array(Nullable(Type.String()), { description: '[first, last] RFC 3339 times; null for an open end' })),
      trs: Type.String(),
    })),
  }),
  itemsLimit: Type.Object({ default: Type.Integer(), maximum: Type.Integer() }),
  'x-title-zh': Type.String(),
  links: Links,
}, { description: 'A collection: its extent, CRS and links' });
export type Collection = Static<typeof Collection>;

export const Collections = Type.Object({ links: Links, collections: Type.Array(Collection) }, { description: 'The collections, one per map layer' });

export const CollectionParams = Type.Object({
  collectionId: Type.String({ maxLength: 40, description: `Collection id: ${COLLECTION_IDS.join(', ')}` }),
});

export const FeatureParams = Type.Object({
  ...CollectionParams.properties,
  featureId: Type.String({ maxLength: 40, description: 'Feature id (integer, or the code of grids/communities/streets)' }),
});

export const FeatureQuery = Type.Object({ f: Type.Optional(Type.String()) });

/** The declared parameters; any queryable property can be given as well (?name=value), so others are let through. */
export const ItemsQuery = WithDefaults({
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Page size (default ${DEFAULT_LIMIT}, maximum ${MAX_LIMIT})` }),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, description: `Features to skip (at most ${MAX_OFFSET}; use the next link beyond)` })),
  bbox: Type.Optional(Type.String({ description: 'west,south,east,north in CRS84 lon/lat, e.g. 114.30,30.54,114.32,30.56' })),
  datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval start/end with .. for open ends, on the collection\'s time property' })),
  filter: Type.Optional(Type.String({ description: 'CQL2 text: =, <>, <, <=, >, >=, LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT, S_INTERSECTS(geometry, WKT|BBOX(…))' })),
  'filter-lang': Type.Optional(StringEnum(['cql2-text'], { description: 'cql2-text (the default)' })),
  cursor: Type.Optional(Type.String({ description: 'Opaque keyset position from a next/prev link' })),
  f: Type.Optional(Type.String({ description: 'geojson (default, application/geo+json) or json (application/json)' })),
});

/** A page of items: the GeoJSON FeatureCollection with OGC API – Features' members. */
export const ItemsPage = Type.Object({
  ...CountedFeatureCollection.properties,
  timeStamp: Type.String({ format: 'date-time' }),
  links: Links,
}, { description: 'GeoJSON FeatureCollection with numberMatched (when known), numberReturned, timeStamp and links (self, alternate, collection, next, prev)' });
export type ItemsPage = Static<typeof ItemsPage>;

export const FeatureWithLinks = Type.Unsafe<GeoJson.Feature & { links: Link[] }>(
  Type.Object({ ...featureMembers, links: Links }, { additionalProperties: true, description: 'GeoJSON Feature with links (self, alternate, collection)' }));
export type FeatureWithLinks = Static<typeof FeatureWithLinks>;

/**
 * A JSON Schema document (2020-12): the queryables of a collection, or the schema of its features. Its
 * $schema and $id are left out of the declared properties: a property named $id reads as a schema id to
 * the OpenAPI generator's reference resolver.
 */
export const JsonSchemaDocument = Type.Object({
  title: Type.String(),
  type: StringEnum(['object']),
  required: Type.Optional(Type.Array(Type.String())),
  properties: Dict(OpenObject(), { description: 'Property name → its JSON Schema (title, type, format, enum, x-ogc-role)' }),
  additionalProperties: Type.Optional(Type.Boolean()),
}, { additionalProperties: true, description: 'JSON Schema 2020-12, with $schema and $id (its URL)' });
export type JsonSchemaDocument = Static<typeof JsonSchemaDocument> & { $schema: string; $id: string };

/** The content types an items page or a feature is served as (f=geojson, the default, or f=json). */
export function geoJsonOrJson<T extends object>(schema: T, description: string) {
  return { description, content: { 'application/geo+json': { schema }, 'application/json': { schema } } };
}
