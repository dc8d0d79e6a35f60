// The map's and the field app's spatial queries (server/routes/query.ts): k nearest features, features
// within a polygon or a radius, and the unit grid at a point.
import type * as GeoJson from 'geojson';
import { Type, type Static } from 'typebox';
import { COLLECTION_IDS } from '../../server/features/collections.ts';
import { INPUT_CRS, MAX_RADIUS_M } from '../../server/geo/input.ts';
import { MAX_LIMIT } from '../../server/features/params.ts';
import { ANONYMOUS } from '../../server/limits/anonymous.ts';
import { Bbox, CountedFeatureCollection, Properties } from './geojson.ts';
import { Dict, IntegerOrString, Nullable, OpenObject, StringEnum, WithDefaults } from './shapes.ts';

export const MAX_K = 50;
export const WITHIN_DEFAULT_LIMIT = 1000;

export const Lon = Type.Number({ description: 'Longitude, WGS84 degrees (−180..180)' });
export const Lat = Type.Number({ description: 'Latitude, WGS84 degrees (−90..90)' });
export const InputCrs = StringEnum(INPUT_CRS, {
  default: 'wgs84',
  description: 'CRS of the input coordinates: wgs84 (default, as stored) or gcj02 (Chinese phone maps; converted with gcoord). Output is always WGS84.',
});

export const NearestQuery = WithDefaults({
  lon: Lon,
  lat: Lat,
  layers: Type.String({ maxLength: 300, description: `Comma-separated layers: ${COLLECTION_IDS.join(', ')}` }),
  k: Type.Integer({ minimum: 1, maximum: MAX_K, default: 5, description: `Features per layer (1–${MAX_K})` }),
  crs: InputCrs,
}, { additionalProperties: false });

export const NearestHit = Type.Object({
  id: IntegerOrString(),
  code: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  distance_m: Type.Number({ description: 'Geodesic distance to the closest point of the feature' }),
  bearing_deg: Nullable(Type.Number({ description: 'Initial bearing from the query point to the closest point, degrees clockwise from north (null at distance 0)' })),
  lon: Type.Number({ description: 'Closest point of the feature' }),
  lat: Type.Number(),
  properties: Properties,
});
export type NearestHit = Static<typeof NearestHit>;

export const Nearest = Type.Object({
  lon: Type.Number({ description: 'The query point in WGS84 (after conversion from GCJ-02)' }),
  lat: Type.Number(),
  results: Dict(Type.Array(NearestHit), { description: 'Layer id → its nearest features, nearest first' }),
}, { description: 'The query point and the nearest features of each layer' });
export type Nearest = Static<typeof Nearest>;

export const Circle = Type.Object({
  lon: Lon,
  lat: Lat,
  radius_m: Type.Number({ exclusiveMinimum: 0, maximum: MAX_RADIUS_M }),
}, { additionalProperties: false });

export const WithinBody = WithDefaults({
  layers: Type.Array(Type.String(), { minItems: 1, maxItems: COLLECTION_IDS.length, description: COLLECTION_IDS.join(', ') }),
  // Checked by the handler (parseAreaGeoJson), which says what is wrong with it.
  geometry: Type.Optional(OpenObject({ description: 'GeoJSON Polygon or MultiPolygon' })),
  circle: Type.Optional(Circle),
  limit: Type.Integer({
    minimum: 1, maximum: MAX_LIMIT, default: WITHIN_DEFAULT_LIMIT,
    description: `Features returned per layer (default ${WITHIN_DEFAULT_LIMIT}, maximum ${MAX_LIMIT}, ${ANONYMOUS.features} without logging in); counts are always exact`,
  }),
  crs: InputCrs,
}, { additionalProperties: false });

/** What a client sends: exactly one of geometry and circle; limit and crs have defaults. */
export type WithinRequest = Omit<Static<typeof WithinBody>, 'geometry' | 'limit' | 'crs'> & {
  geometry?: GeoJson.Polygon | GeoJson.MultiPolygon;
  limit?: number;
  crs?: Static<typeof InputCrs>;
};

export const Within = Type.Object({
  counts: Dict(Type.Integer(), { description: 'Layer id → features inside (exact)' }),
  features: Dict(CountedFeatureCollection, { description: 'Layer id → up to `limit` of them' }),
}, { description: 'Per layer: how many features are inside, and up to `limit` of them' });
export type Within = Static<typeof Within>;

export const GridAtQuery = WithDefaults({ lon: Lon, lat: Lat, crs: InputCrs }, { additionalProperties: false });

const Unit = Type.Object({ code: Type.String(), name: Type.String() });

export const GridAt = Type.Object({
  grid: Type.Object({ code: Type.String(), area_m2: Type.Number(), bbox: Bbox() }),
  community: Unit,
  street: Unit,
  district: Unit,
}, { description: 'The unit grid (单元网格) and its community, street and district' });
export type GridAt = Static<typeof GridAt>;
