// Pieces the route contracts share: enums as JSON Schema `enum` (which the OpenAPI document, the fuzz
// test and Fastify's Ajv read as one list), nullable values, positions, timestamps, and how a server value
// turns into the JSON the client receives.
import { Type, type Static, type TSchema } from 'typebox';
import { Nullable, StringEnum } from './shapes.ts';

export { Nullable, StringEnum };

/**
 * A request property with a default: optional for the client (not in `required`), always there for the
 * handler, since Fastify's Ajv (useDefaults) fills the default in before the handler runs.
 */
export const WithDefault = <T extends TSchema>(schema: T): T => Type.Optional(schema) as unknown as T;

/** An instant as the JSON carries it: RFC 3339 in UTC, as Date.toISOString writes it. */
export const Timestamp = (options: Record<string, unknown> = {}) => Type.String({ format: 'date-time', ...options });

export const Lon = Type.Number({ description: 'Longitude, WGS84 degrees (−180..180)' });
export const Lat = Type.Number({ description: 'Latitude, WGS84 degrees (−90..90)' });

export const CRS = ['wgs84', 'gcj02'] as const;
export const Crs = StringEnum(CRS, {
  default: 'wgs84',
  description: 'CRS of the input coordinates: wgs84 (default, as stored) or gcj02 (Chinese phone maps; converted with gcoord). Output is always WGS84.',
});

/** A database id in a path: a positive integer PostgreSQL's bigint holds and JavaScript counts exactly. */
export const BigId = Type.Integer({ minimum: 1, maximum: 9007199254740991 });
/** A database id of an integer (int4) column. */
export const IntId = Type.Integer({ minimum: 1, maximum: 2147483647 });

/** A unit of the district: district, street, community or unit grid. */
export const LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type Level = (typeof LEVELS)[number];

/** Two languages of a label. */
export const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
export type Bilingual = Static<typeof Bilingual>;

/** A server value as its JSON arrives: Dates become ISO strings (JSON.stringify and Fastify's serializer both write toISOString). */
export type Json<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** The server's value typed as the JSON the client receives; nothing changes at run time. */
export const asJson = <T>(value: T): Json<T> => value as Json<T>;

/**
 * The 2xx answer of a route that does not send JSON (a file, CSV, XML, an event stream): declared by content
 * type, so the OpenAPI document says what comes back and Fastify has no JSON body to serialize.
 */
export const NotJson = (description: string, ...contentTypes: string[]) => ({
  description,
  // Text or bytes (a Node Buffer is a Uint8Array), sent as they are: Fastify serializes neither.
  content: Object.fromEntries(contentTypes.map((t) => [t, { schema: Type.Unsafe<string | Uint8Array>({ type: 'string', description }) }])),
});
