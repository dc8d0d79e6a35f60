// Schema builders the route contracts share, where TypeBox's own builders would write JSON Schema the
// API does not use: string enums as { type: 'string', enum } (Ajv's message then lists the allowed
// values), null as a type list (fast-json-stringify tests a type list inline, an anyOf costs a validator
// call per value), maps as additionalProperties and fixed-length number arrays with minItems/maxItems
// (OpenAPI 3.0 has neither patternProperties nor tuple items).
import { Type, type Static, type TObject, type TObjectOptions, type TProperties, type TSchema, type TUnsafe } from 'typebox';

type Options = Record<string, unknown>;

/** A string from a fixed list. */
export function StringEnum<const T extends readonly string[]>(values: T, options: Options = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** `schema` or null; `schema` must have a single `type`. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const { type, ...rest } = schema as TSchema & { type?: unknown; enum?: unknown[] };
  if (typeof type !== 'string') throw new Error('Nullable: the schema needs a single type');
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'], ...(rest.enum ? { enum: [...rest.enum, null] } : {}) });
}

/** An object whose keys are data (layer ids, codes), every value of one shape. */
export function Dict<T extends TSchema>(values: T, options: Options = {}): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: values, ...options });
}

/** An object of any properties (a feature's properties, JSON built per layer by SQL). */
export function OpenObject(options: Options = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, ...options });
}

type Repeat<N extends number, T, Acc extends T[] = []> = Acc['length'] extends N ? Acc : Repeat<N, T, [...Acc, T]>;

/** Exactly `n` numbers ([lon, lat], [west, south, east, north]…). */
export function NumberTuple<const N extends number>(n: N, options: Options = {}): TUnsafe<Repeat<N, number>> {
  return Type.Unsafe<Repeat<N, number>>({ type: 'array', items: { type: 'number' }, minItems: n, maxItems: n, ...options });
}

/** An integer id, or a code (grids, communities and streets are keyed by their code). */
export const IntegerOrString = (options: Options = {}) => Type.Unsafe<number | string>({ type: ['integer', 'string'], ...options });

/**
 * A query string or body: a property with a `default` is optional to clients (left out of `required`)
 * and present in the handler's type, because Ajv (useDefaults) fills it in before the handler runs.
 */
export function WithDefaults<P extends TProperties>(properties: P, options: TObjectOptions = {}): TObject<P> {
  const schema = Type.Object(properties, options);
  const required = (schema.required as string[] | undefined ?? []).filter((k) => (properties[k] as { default?: unknown }).default === undefined);
  const own = schema as unknown as { required?: string[] };
  if (required.length) own.required = required;
  else delete own.required;
  return schema;
}

/** The answer of a status without a body (204, 304). */
export const NoBody = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });
