// The operations of an OpenAPI document, and fast-check arbitraries for JSON Schema: values that fit
// the schema, and the same values with one part broken.
import fc from 'fast-check';
import { brokenGeometry, nastyJson } from './fuzz-values.ts';

export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, with {param} placeholders. */
  path: string;
  params: Param[];
  /** JSON Schema of an application/json body, when the operation documents one. */
  body?: Schema;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
}

export function operations(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body: op.requestBody?.content['application/json']?.schema });
    }
  }
  return ops;
}

/** Where a value goes: hints may give realistic values (ids that exist, coordinates in the district). */
export type Hints = (name: string, schema: Schema) => fc.Arbitrary<unknown> | undefined;

/** Values that fit `schema`; `name` is the property or parameter name, for hints. */
export function fits(schema: Schema, name: string, hints: Hints): fc.Arbitrary<unknown> {
  const own = fromSchema(schema, hints);
  const hint = hints(name, schema);
  return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: own }) : own;
}

function fromSchema(s: Schema, hints: Hints): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fits(a, '', hints)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date-time') return fc.date({ min: new Date('2015-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? Infinity));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) });
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 100000);
      return fc.integer({ min: Math.max(min, -Number.MAX_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number':
      return fc.double({
        min: s.minimum ?? s.exclusiveMinimum ?? -1000, max: s.maximum ?? s.exclusiveMaximum ?? 1000,
        minExcluded: s.exclusiveMinimum !== undefined, maxExcluded: s.exclusiveMaximum !== undefined, noNaN: true, noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fits(s.items ?? {}, '', hints), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 5, 5)) });
    case 'object': {
      const props = s.properties ?? {};
      if (!Object.keys(props).length) return fc.constant({});
      const record = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fits(v, k, hints)]));
      return fc.record(record, { requiredKeys: s.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * `schema`'s values with one thing wrong: a node anywhere in the value replaced by a hostile value (a
 * broken geometry where geometries go), a required property dropped, an unknown property added, or the
 * whole value replaced.
 */
export function broken(schema: Schema, hints: Hints): fc.Arbitrary<unknown> {
  return fc.tuple(fits(schema, '', hints), fc.nat(), nastyJson(), brokenGeometry(), fc.constantFrom('replace', 'drop', 'add', 'whole', 'geometry'))
    .map(([value, at, nasty, geometry, how]) => {
      if (how === 'whole') return nasty;
      const copy = structuredClone(value);
      if (how === 'geometry') return withNode(copy, (n) => isRecord(n) && ('geometry' in n || 'circle' in n), (n) => { (n as Record<string, unknown>).geometry = geometry; }) ?? { ...(copy as object), geometry };
      if (how === 'add') return withNode(copy, isRecord, (n) => { (n as Record<string, unknown>)['x_unknown'] = nasty; }) ?? nasty;
      const nodes = containers(copy);
      if (!nodes.length) return nasty;
      const [parent, key] = nodes[at % nodes.length];
      if (how === 'drop' && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
      else (parent as Record<string | number, unknown>)[key] = nasty;
      return copy;
    });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every (parent, key) slot in a JSON value. */
function containers(v: unknown, out: [object, string | number][] = []): [object, string | number][] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); containers(x, out); });
  else if (isRecord(v)) for (const [k, x] of Object.entries(v)) { out.push([v, k]); containers(x, out); }
  return out;
}

function withNode(v: unknown, match: (n: unknown) => boolean, change: (n: unknown) => void): unknown {
  if (match(v)) { change(v); return v; }
  for (const [parent, key] of containers(v)) {
    const n = (parent as Record<string | number, unknown>)[key];
    if (match(n)) { change(n); return v; }
  }
  return undefined;
}
