// Requests for one OpenAPI operation: path, query, headers and body, each part either fitting the
// schema (realistic where the world has a hint) or broken in one of the ways in fuzz-values.ts.
import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-http.ts';
import { broken, fits, type Operation, type Param, type Schema } from './fuzz-schema.ts';
import { recipeFor, type RequestParts } from './fuzz-recipes.ts';
import { hintsFor, pathHints, type World } from './fuzz-world.ts';
import { encodeUrlPart, importBody, nastyString, nastyUrlValue, RAW_URL_FRAGMENTS } from './fuzz-values.ts';

/** Past the app's 1 MB bodyLimit. */
const OVERSIZED = `{"x":"${'a'.repeat(1024 * 1024 + 100)}"}`;

const asUrl = (v: unknown) => encodeUrlPart(typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function requestsFor(op: Operation, world: World): fc.Arbitrary<FuzzRequest> {
  const hints = hintsFor(op, world);
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');

  const path = fc.tuple(validPathValues(op, world), fc.record(Object.fromEntries(pathParams.map((p) => [p.name, maybe(nastyUrlValue(), 3)]))))
    .map(([valid, nasty]) => op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const bad = nasty[name];
      if (bad === null) return asUrl(valid[name]);
      // A bad tile name keeps its extension, so the route still matches and the name is what is judged.
      return name === 'file' && op.path.includes('{z}') ? `${bad}.mvt` : bad;
    }));
  const query = fc.tuple(fc.tuple(...queryParams.map((p) => queryPair(p, hints))), extraQuery())
    .map(([pairs, extra]) => [...pairs.filter((x): x is string => x !== null), ...extra]);
  const mangled = fc.record({ path, query, headers: headers(), body: bodyFor(op, hints) }).map(({ path: p, query: q, headers: h, body }) => ({
    op: `${op.method} ${op.path}`,
    method: op.method,
    url: q.length ? `${p}?${q.join('&')}` : p,
    headers: { ...h, ...(body?.type ? { 'content-type': body.type } : {}) },
    ...(body ? { body: body.text, bodyEncoding: body.encoding } : {}),
  }));

  // A third of the requests fit the schema throughout, so that they reach the code behind the validation.
  return fc.oneof({ weight: 1, arbitrary: validParts(op, world).map((parts) => render(op, parts)) }, { weight: 2, arbitrary: mangled });
}

function validPathValues(op: Operation, world: World): fc.Arbitrary<Record<string, unknown>> {
  const hints = hintsFor(op, world);
  return pathHints(op, world) ?? fc.record(Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, fits(p.schema, p.name, hints)])));
}

/** A request that fits the operation's schema, as values: path parameters, query parameters, JSON body. */
export function validParts(op: Operation, world: World): fc.Arbitrary<RequestParts> {
  const hints = hintsFor(op, world);
  const queryParams = op.params.filter((p) => p.in === 'query');
  const recipe = recipeFor(op, world);
  if (recipe) return fc.tuple(recipe, validPathValues(op, world)).map(([r, path]) => ({ ...r, path: { ...path, ...r.path } }));
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fits(p.schema, p.name, hints)])), { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) });
  // A photo upload's body is the image; operations without a body get none.
  const body = op.body ? fits(op.body, '', hints) : op.path === '/api/media' ? photoBody().map((raw) => ({ raw })) : fc.constant(undefined);
  return fc.record({ path: validPathValues(op, world), query, body });
}

export function render(op: Operation, parts: RequestParts): FuzzRequest {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => asUrl(parts.path?.[name]));
  const query = Object.entries(parts.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${asUrl(v)}`);
  const raw = (parts.body as { raw?: Body } | undefined)?.raw;
  const body: Body | undefined = raw ?? (parts.body === undefined ? undefined : { type: 'application/json', text: JSON.stringify(parts.body) });
  return {
    op: `${op.method} ${op.path}`,
    method: op.method,
    url: query.length ? `${path}?${query.join('&')}` : path,
    headers: body?.type ? { 'content-type': body.type } : {},
    ...(body ? { body: body.text, bodyEncoding: body.encoding } : {}),
  };
}

/** Paths to every number in values of `schema` (array items at index 0; each alternative of a oneOf). */
function numericPaths(schema: Schema, at: (string | number)[] = []): (string | number)[][] {
  if (schema.type === 'integer' || schema.type === 'number') return [at];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return alternatives.flatMap((a) => numericPaths(a, at));
  if (schema.type === 'array' && schema.items) return numericPaths(schema.items, [...at, 0]);
  return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => numericPaths(v, [...at, k]));
}

/** A copy of `value` with `v` at `path`, creating the objects and arrays on the way. */
function setAt(value: unknown, path: (string | number)[], v: unknown): unknown {
  if (!path.length) return v;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list: unknown[] = Array.isArray(value) ? [...value] : [];
    list[head] = setAt(list[head], rest, v);
    return list;
  }
  const record: Record<string, unknown> = value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
  record[head] = setAt(record[head], rest, v);
  return record;
}

/** Text the schema's number coercion turns into ±Infinity, which then passes every minimum and maximum. */
const NON_FINITE = ['Infinity', '-Infinity', '1e999'];

/**
 * For each numeric parameter and each number anywhere in the body: a valid request with that one value
 * non-finite (as text, which Ajv coerces). Deterministic, so every such input of every operation is tried.
 */
export function nonFiniteRequests(op: Operation, world: World, seed: number): FuzzRequest[] {
  const [base] = fc.sample(validParts(op, world), { seed, numRuns: 1 });
  const numeric = (t: unknown) => t === 'integer' || t === 'number';
  const out: FuzzRequest[] = [];
  for (const p of op.params.filter((x) => (x.in === 'path' || x.in === 'query') && numeric(x.schema.type))) {
    for (const v of NON_FINITE) out.push(render(op, { ...base, [p.in]: { ...(p.in === 'path' ? base.path : base.query), [p.name]: v } }));
  }
  for (const at of numericPaths(op.body ?? {})) {
    for (const v of NON_FINITE) out.push(render(op, { ...base, body: setAt(base.body, at, v) }));
  }
  return out;
}

/** null (keep the valid value) `keep` times as often as a value of `arb`. */
function maybe<T>(arb: fc.Arbitrary<T>, keep: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: keep, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: arb });
}

function queryPair(p: Param, hints: ReturnType<typeof hintsFor>): fc.Arbitrary<string | null> {
  const name = encodeURIComponent(p.name);
  const valid = fits(p.schema, p.name, hints).map((v) => `${name}=${asUrl(v)}`);
  const nasty = nastyUrlValue().map((v) => `${name}=${v}`);
  return p.required
    ? fc.oneof({ weight: 7, arbitrary: valid }, { weight: 3, arbitrary: nasty }, { weight: 1, arbitrary: fc.constant(null) })
    : fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: valid }, { weight: 2, arbitrary: nasty });
}

/** Parameters no route declares, repeated names, and query strings that are themselves malformed. */
function extraQuery(): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: nastyUrlValue(200).map((v) => [`x_fuzz=${v}`]) },
    { weight: 1, arbitrary: fc.constantFrom<string[]>(['limit=1', 'limit=2'], ['lon=1', 'lon=2', 'lon=3'], ['f=json', 'f=geojson'], ['bbox=1,2,3,4', 'bbox=5,6,7,8'], ['k=1&k=2']) },
    { weight: 1, arbitrary: fc.constantFrom<string[]>(['&&&'], ['='], ['=x'], ['a[b]=1'], ['__proto__[x]=1'], ['constructor[prototype][x]=1'], ['%zz=1'], [`${RAW_URL_FRAGMENTS[0]}=1`], ['a=1=2'], ['a'.repeat(4000)]) },
  );
}

function headers(): fc.Arbitrary<Record<string, string>> {
  const optional = (name: string, values: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constantFrom(...values).map((v) => ({ [name]: v })) });
  return fc.tuple(
    optional('accept-encoding', ['gzip', 'br', 'deflate', 'gzip, br', '*', 'identity;q=0', 'garbage', 'br;q=abc', 'zstd']),
    optional('accept', ['*/*', 'application/json', 'text/xml', 'application/geo+json', 'text/html', 'garbage', '*/*;q=nope']),
    optional('if-none-match', ['*', '"abc"', 'W/"x"', '""', 'x'.repeat(500)]),
    optional('last-event-id', ['0', '-1', '99999999999999999999', 'abc']),
    // What an anonymous client sends for credentials: nothing, or something that is not a session.
    fc.oneof(
      { weight: 6, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.constantFrom('Bearer ', 'Bearer x', `Bearer ${'x'.repeat(199)}`, `Bearer ${'x'.repeat(3000)}`, 'Basic Zm9vOmJhcg==', 'bearer abc', "Bearer ' OR 1=1 --").map((v) => ({ authorization: v })) },
      { weight: 1, arbitrary: fc.constantFrom('onemap_session=%E0%A4%A', 'onemap_session=%', 'onemap_session=', `onemap_session=${'a'.repeat(3000)}`, 'onemap_session=a=b=c; x=y', ';;;').map((v) => ({ cookie: v })) },
    ),
    // Mostly a fresh address per request (send() adds it), sometimes one address shared by many, or garbage.
    fc.oneof({ weight: 8, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constantFrom('192.0.2.1', 'unknown', '999.999.999.999', '::1, 10.0.0.1', ',', 'x'.repeat(300)).map((v) => ({ 'x-forwarded-for': v })) }),
  ).map((parts) => Object.assign({}, ...parts));
}

interface Body { type?: string; text: string; encoding?: 'utf8' | 'latin1' }

function bodyFor(op: Operation, hints: ReturnType<typeof hintsFor>): fc.Arbitrary<Body | undefined> {
  const json = (type = 'application/json') => (v: unknown): Body => ({ type, text: JSON.stringify(v) ?? 'null' });
  if (op.body) {
    const form = op.path.startsWith('/open311/')
      ? [{ weight: 2, arbitrary: fits(op.body, '', hints).map((v) => ({ type: 'application/x-www-form-urlencoded', text: new URLSearchParams(v as Record<string, string>).toString() })) }]
      : [];
    return fc.oneof(
      { weight: 4, arbitrary: fits(op.body, '', hints).map(json()) },
      { weight: 5, arbitrary: broken(op.body, hints).map(json()) },
      { weight: 1, arbitrary: fits(op.body, '', hints).map(json('application/json; charset=utf-8')) },
      { weight: 3, arbitrary: weirdBody() },
      ...form,
    );
  }
  if (op.path === '/api/imports') return fc.oneof({ weight: 3, arbitrary: importBody().map((text) => ({ type: 'application/geo+json', text })) }, { weight: 1, arbitrary: weirdBody() });
  if (op.path === '/api/media') return fc.oneof(photoBody(), weirdBody());
  // Operations without a body get one now and then: it must be ignored or refused, never crash.
  if (op.method === 'GET') return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: weirdBody() });
  return fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: weirdBody() });
}

/** Image uploads: the magic bytes of each accepted type (and of some that are not) with garbage after them. */
function photoBody(): fc.Arbitrary<Body> {
  return fc.tuple(fc.constantFrom('image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'), fc.constantFrom('\xff\xd8\xff\xe0garbage', '\x89PNG\r\n\x1a\n\0\0', 'RIFF\0\0\0\0WEBP', '', 'GIF89a', '<svg onload=alert(1)>'))
    .map(([type, text]) => ({ type, text, encoding: 'latin1' as const }));
}

/** Bodies that are not what a JSON API expects: malformed, mislabelled, not UTF-8, too large. */
export function weirdBody(): fc.Arbitrary<Body> {
  const t = (type: string | undefined, text: string, encoding?: 'latin1'): Body => ({ type, text, encoding });
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(
      t('application/json', '{'), t('application/json', '{"a":'), t('application/json', 'nul'), t('application/json', ''), t('application/json', '\uFEFF{}'),
      t('application/json', '{"a":1,}'), t('application/json', '{"a":1}{"b":2}'), t('application/json', '['.repeat(5000)),
      t('application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`), t('application/json', '{"__proto__":{"x":1}}'),
      t('application/json', '{"constructor":{"prototype":{"x":1}}}'), t('application/json', 'NaN'), t('application/json', '1e999'),
      t('application/json', '{"lon":1e999,"lat":-1e999}'), t('application/json', '"\\ud800"'), t('application/json', '\xff\xfe\x00{', 'latin1'),
      t('application/json; charset=utf-16', '{}'), t('application/json; charset=latin1', '{"a":"\xe9"}', 'latin1'), t('APPLICATION/JSON', '{}'),
      t('text/plain', 'hello'), t('application/xml', '<a/>'), t('multipart/form-data', '--x\r\n'), t('multipart/form-data; boundary=x', '--x--\r\n'),
      t('a/b/c', 'x'), t('application/x-www-form-urlencoded', 'a=1&b=%zz&lat=NaN&long=1e999&service_code=C0101'), t(undefined, 'raw'), t('', '{}'),
      t('application/json', 'null'), t('application/json', '[]'), t('application/json', '0'), t('application/json', '"x"'),
    ) },
    { weight: 2, arbitrary: nastyString(20000).map((s) => t('application/json', JSON.stringify(s))) },
    { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream').map((type) => t(type, OVERSIZED)) },
  );
}

/** Paths no route has: random segments under the real prefixes, traversal, odd encodings. */
export function unknownPaths(): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(fc.stringMatching(/^[a-z0-9_.-]{1,12}$/), nastyUrlValue(200), fc.constantFrom('..', '.', '', 'api', 'collections', 'items', '{id}', ':id', '*'));
  const prefix = fc.constantFrom('', '/api', '/api/collections', '/api/cases', '/tiles', '/tiles/pipes', '/open311/v2', '/open311/v2/requests', '/api/query', '/api/details', '/assets', '/api/media');
  const url = fc.tuple(prefix, fc.array(segment, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '/', '.json', '.xml', '.mvt', '?x=1', '//', '#frag'))
    .map(([p, segs, tail]) => `${p}/${segs.join('/')}${tail}`);
  return fc.record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE'),
    url: fc.oneof({ weight: 6, arbitrary: url }, { weight: 1, arbitrary: fc.constantFrom('//api/health', '/api/../api/health', '/api/%2e%2e/api/health', '/%2F%2F', '/api/health/', '/API/HEALTH', '/api/health;x=1', '/tiles/pipes/1/2/3.mvt/../../..', `/${'a'.repeat(5000)}`) }),
    headers: headers(),
    body: fc.option(weirdBody(), { freq: 3 }),
  }).map(({ method, url: u, headers: h, body }) => ({
    op: 'unknown paths',
    method,
    url: u,
    headers: { ...h, ...(body?.type ? { 'content-type': body.type } : {}) },
    ...(body && method !== 'GET' && method !== 'HEAD' ? { body: body.text, bodyEncoding: body.encoding } : {}),
  }));
}
