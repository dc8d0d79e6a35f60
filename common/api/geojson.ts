// GeoJSON (RFC 7946) as the API sends it: geometries, features and feature collections in WGS84
// lon/lat. The schemas document the shape; their types are the standard GeoJSON types, so the map
// code (maplibre, turf) takes what the client receives as it is.
import type * as GeoJson from 'geojson';
import { Type } from 'typebox';
import { IntegerOrString, Nullable, NumberTuple, OpenObject, StringEnum } from './shapes.ts';

export const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] as const;

export const Geometry = Type.Unsafe<GeoJson.Geometry>(Type.Object({
  type: StringEnum(GEOMETRY_TYPES),
  coordinates: Type.Optional(Type.Array(Type.Unknown(), { description: 'Positions [lon, lat], nested as the type says (every type but GeometryCollection)' })),
  geometries: Type.Optional(Type.Array(Type.Unknown(), { description: 'The members of a GeometryCollection' })),
}, { additionalProperties: true, description: 'GeoJSON geometry (WGS84 lon/lat)' }));

/** A feature's properties: open, their names and types are the collection's (see its /schema). */
export const Properties = OpenObject({ description: 'The feature\'s properties (see the collection\'s /schema)' });

/** The members of a Feature, for schemas that add their own (links). */
export const featureMembers = {
  type: StringEnum(['Feature']),
  id: Type.Optional(IntegerOrString()),
  geometry: Nullable(Geometry),
  properties: Nullable(Properties),
};

export const Feature = Type.Unsafe<GeoJson.Feature>(Type.Object(featureMembers, { additionalProperties: true, description: 'GeoJSON Feature' }));

export const FeatureCollection = Type.Object({
  type: StringEnum(['FeatureCollection']),
  features: Type.Array(Feature),
}, { description: 'GeoJSON FeatureCollection' });

/** A FeatureCollection with OGC API – Features' counts: matched in all (when known) and in this answer. */
export const CountedFeatureCollection = Type.Object({
  type: StringEnum(['FeatureCollection']),
  numberMatched: Type.Optional(Type.Integer({ description: 'Features that match, when known exactly' })),
  numberReturned: Type.Integer({ description: 'Features in this answer' }),
  features: Type.Array(Feature),
}, { description: 'GeoJSON FeatureCollection with numberMatched and numberReturned' });

/** A bounding box, [west, south, east, north] in WGS84 degrees. */
export const Bbox = (description = '[west, south, east, north], WGS84 degrees') => NumberTuple(4, { description });
