// Vector tiles (server/routes/tiles.ts): the layer index, TileJSON 3.0.0 per layer and MVT tiles.
import { Type, type Static } from 'typebox';
import { Dict, NumberTuple } from './shapes.ts';

const Name = Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'The layer\'s name in Chinese and English' });

export const TileIndex = Type.Array(Type.Object({
  id: Type.String(),
  name: Name,
  description: Type.String(),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  tilejson: Type.String({ description: 'URL of the layer\'s TileJSON' }),
  vector_layers: Type.Array(Type.String(), { description: 'Ids of the layers inside its tiles' }),
}), { description: 'The tile layers' });
export type TileIndex = Static<typeof TileIndex>;

export const TileJson = Type.Object({
  tilejson: Type.String({ description: '3.0.0' }),
  name: Type.String(),
  description: Type.String(),
  attribution: Type.String(),
  version: Type.String(),
  scheme: Type.String(),
  tiles: Type.Array(Type.String(), { description: 'URL template, {z}/{x}/{y}.mvt?v={data version}: the version changes whenever the data of one of the layers changes' }),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  bounds: NumberTuple(4, { description: '[west, south, east, north]' }),
  center: NumberTuple(3, { description: '[lon, lat, zoom]' }),
  vector_layers: Type.Array(Type.Object({
    id: Type.String(),
    description: Type.String(),
    fields: Dict(Type.String(), { description: 'Field name → its type and meaning' }),
    minzoom: Type.Integer(),
    maxzoom: Type.Integer(),
  })),
  'x-name': Name,
}, { description: 'TileJSON 3.0.0' });
export type TileJson = Static<typeof TileJson>;

/** Layers one composite tile may name: every default map layer fits, and a URL cannot ask for unbounded work. */
export const COMPOSITE_MAX_LAYERS = 8;

const LAYERS_DESCRIPTION = `a layer id, or up to ${COMPOSITE_MAX_LAYERS} separated by commas (a composite: the named layers in one tile, as Martin's)`;

export const TileJsonParams = Type.Object({ file: Type.String({ maxLength: 200, description: `{layers}.json, {layers} being ${LAYERS_DESCRIPTION}` }) });

export const TileParams = Type.Object({
  layer: Type.String({ maxLength: 200, description: LAYERS_DESCRIPTION }),
  z: Type.String(),
  x: Type.String(),
  file: Type.String({ description: '{y}.mvt (or .pbf)' }),
});

export const TileQuery = Type.Object({
  v: Type.Optional(Type.String({
    maxLength: 64,
    // The older form (boot tag-count) is still accepted from maps loaded before an upgrade: never current.
    pattern: '^([0-9a-f]{16}|[0-9a-z]+-[0-9]+)$',
    description: 'The data version from the TileJSON\'s `tiles` URL: while it is the current one the tile is cacheable for a year (immutable)',
  })),
});

export const MVT = 'application/vnd.mapbox-vector-tile';

export const Tile = {
  description: 'Mapbox Vector Tile 2.1 (gzip or brotli Content-Encoding as the client accepts; ETag, 304 on If-None-Match)',
  content: { [MVT]: { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) } },
};
