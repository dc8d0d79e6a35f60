// The schema builders of the route contracts (common/api/shapes.ts): the JSON Schema they write, and
// how Fastify reads it — Ajv for requests, fast-json-stringify for answers.
import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Dict, Nullable, NumberTuple, StringEnum, WithDefaults } from '../../common/api/shapes.ts';

/** A one-route app: the query string through `querystring`, or `answer` through the `response` schema. */
async function call(schema: { querystring?: object; response?: object }, url: string, answer?: unknown) {
  const app = Fastify();
  app.get('/', { schema }, async (req) => answer ?? req.query);
  const res = await app.inject({ method: 'GET', url });
  await app.close();
  return { status: res.statusCode, body: res.body };
}

describe('WithDefaults', () => {
  const Query = WithDefaults({ q: Type.String(), limit: Type.Integer({ minimum: 1, default: 10 }), f: Type.Optional(Type.String()) });

  it('leaves a property with a default out of required, so clients may omit it, and Ajv fills it in', async () => {
    expect(Query.required).toEqual(['q']);
    expect(await call({ querystring: Query }, '/?q=x')).toEqual({ status: 200, body: '{"q":"x","limit":10}' });
    expect((await call({ querystring: Query }, '/?limit=3')).status).toBe(400);
  });

  it('writes no required list when every property is optional or has a default', () => {
    expect('required' in WithDefaults({ limit: Type.Integer({ default: 10 }) })).toBe(false);
  });
});

describe('answers', () => {
  it('Nullable lets null through instead of coercing it', async () => {
    const Row = Type.Object({ ri: Nullable(Type.Number()), advice: Nullable(Type.Object({ code: Type.String() })) });
    expect(Row.properties.ri).toMatchObject({ type: ['number', 'null'] });
    expect((await call({ response: { 200: Row } }, '/', { ri: null, advice: null })).body).toBe('{"ri":null,"advice":null}');
    expect((await call({ response: { 200: Row } }, '/', { ri: 9.35, advice: { code: 'local' } })).body).toBe('{"ri":9.35,"advice":{"code":"local"}}');
  });

  it('Nullable of a string enum allows null among the values', () => {
    expect(Nullable(StringEnum(['a', 'b']))).toMatchObject({ type: ['string', 'null'], enum: ['a', 'b', null] });
  });

  it('Dict keeps every key, each value by its schema', async () => {
    expect((await call({ response: { 200: Dict(Type.Integer()) } }, '/', { pipes: 3, cases: 4 })).body).toBe('{"pipes":3,"cases":4}');
  });

  it('StringEnum and NumberTuple write plain JSON Schema (no const, no tuple items: OpenAPI 3.0 has neither)', () => {
    expect(JSON.parse(JSON.stringify(StringEnum(['ri', 'mi'], { default: 'ri' })))).toEqual({ type: 'string', enum: ['ri', 'mi'], default: 'ri' });
    expect(JSON.parse(JSON.stringify(NumberTuple(4)))).toEqual({ type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 });
  });
});
