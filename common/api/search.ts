// The search box (server/routes/search.ts): streets, communities, grids, facilities, cameras, manholes,
// pipes and case numbers by name or code.
import { Type, type Static } from 'typebox';
import { Bbox } from './geojson.ts';
import { IntegerOrString, WithDefaults } from './shapes.ts';

export const SEARCH_MAX = 50;

export const SearchQuery = WithDefaults({
  q: Type.String({ maxLength: 100, description: 'Text to find' }),
  limit: Type.Integer({ minimum: 1, maximum: SEARCH_MAX, default: 10, description: `Results (default 10, maximum ${SEARCH_MAX})` }),
}, { additionalProperties: false });

/** A coded value (`field` names its dictionary: usage, kind, status…), a name in both languages, or a name. */
export const SearchPart = Type.Object({
  field: Type.Optional(Type.String()),
  value: Type.Unsafe<string | number>({ type: ['string', 'number'] }),
  en: Type.Optional(Type.String()),
});
export type SearchPart = Static<typeof SearchPart>;

export const SearchResult = Type.Object({
  layer: Type.String(),
  id: IntegerOrString(),
  label: Type.String(),
  parts: Type.Array(SearchPart, {
    description: 'What the result line shows under its label: a coded value (field: usage, kind, status…), a name (en: its English name) or a name',
  }),
  lon: Type.Number(),
  lat: Type.Number(),
  bbox: Type.Optional(Bbox('west, south, east, north of lines and areas')),
});
export type SearchResult = Static<typeof SearchResult>;

export const SearchResults = Type.Object({ results: Type.Array(SearchResult, { description: 'Ranked: exact, then prefix, then substring matches' }) }, { description: 'What was found' });
