// The identify panel (server/routes/details.ts): one feature with the records related to it.
import { Type, type Static } from 'typebox';
import { COLLECTION_IDS } from '../../server/features/collections.ts';
import { Geometry, Properties } from './geojson.ts';
import { IntegerOrString, Nullable, OpenObject } from './shapes.ts';

export const DetailsParams = Type.Object({
  layer: Type.String({ maxLength: 40, description: COLLECTION_IDS.join(', ') }),
  id: Type.String({ maxLength: 40, description: 'Integer id (grids, communities, streets: their numeric code)' }),
});

export const Details = Type.Object({
  layer: Type.String(),
  id: IntegerOrString(),
  properties: Properties,
  geometry: Nullable(Geometry),
  // Built per layer by SQL (server/features/details.ts); the route's description lists what each layer has.
  related: OpenObject({ description: 'Records related to the feature, by layer (see the operation\'s description)' }),
}, { description: 'The feature and its related records' });
export type Details = Static<typeof Details>;
