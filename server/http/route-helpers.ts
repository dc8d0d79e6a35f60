// What the feature route plugins share: how they get their Catalog, how ApiErrors become responses, and
// the JSON schemas of common shapes (so /api/openapi.json documents them once, the same way).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type pg from 'pg';
import { catalogFor, type Catalog, type PgCatalog } from '../features/catalog.ts';
import { ApiError, BadRequestError } from './errors.ts';
import { findRefusedText, refusedTextMessage } from './text.ts';

/** Route plugins take the app's pool (the shared PgCatalog of that pool is used) or a Catalog (tests). */
export type FeatureRouteOptions = { pool: pg.Pool; catalog?: undefined } | { catalog: Catalog; pool?: undefined };

export function catalogOf(opts: FeatureRouteOptions): Catalog {
  return opts.catalog ?? catalogFor(opts.pool);
}

export function pgCatalogOf(opts: FeatureRouteOptions): PgCatalog | undefined {
  return opts.pool ? catalogFor(opts.pool) : undefined;
}

/**
 * Scoped to the plugin: ApiErrors (bad input, not found) get their status and message; everything else
 * (schema validation, database down, bugs) is re-thrown to the app's handler (400 / 503 / 500).
 */
export function useApiErrors(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    throw err;
  });
}

/**
 * Ajv's type coercion turns the strings "Infinity", "-Infinity" and "1e999" into ±Infinity and then skips
 * minimum/maximum for them (ajv-validator/ajv#2212, fastify/fastify#6718), so `?limit=1e999` reached the
 * handlers as a number: PostgreSQL refused it ("invalid input syntax for type integer") with a 500, and an
 * in-memory k-nearest returned a whole layer. For every route (a hook on the root app), after validation: a query,
 * path or (top-level) body value that is a non-finite number where the schema says integer or gives a
 * range is a 400. Plain numbers without a range (lon, lat) are left to their handlers' own checks.
 * Coercion also reads "1e3", "0x10" and " 7" as whole numbers, so /api/cases/1e3 was case 1000: before
 * validation, a path or query value the schema types as integer only must be written in plain digits.
 */
export function rejectNonFiniteNumbers(app: FastifyInstance): void {
  type Props = Record<string, { type?: unknown; minimum?: unknown; maximum?: unknown } | undefined>;
  app.addHook('preValidation', async (req) => {
    const schema = (req.routeOptions.schema ?? {}) as Record<string, { properties?: Props } | undefined>;
    for (const [where, values] of [['querystring', req.query], ['params', req.params]] as const) {
      if (!values || typeof values !== 'object') continue;
      const props = schema[where]?.properties ?? {};
      for (const [name, raw] of Object.entries(values as Record<string, unknown>)) {
        if (props[name]?.type !== 'integer') continue;
        for (const v of Array.isArray(raw) ? raw : [raw]) {
          if (typeof v === 'string' && !/^-?\d+$/.test(v)) {
            throw new BadRequestError(`${where}/${name} must be a whole number in digits, not ${JSON.stringify(v.slice(0, 20))}`);
          }
        }
      }
    }
  });
  app.addHook('preHandler', async (req) => {
    const schema = (req.routeOptions.schema ?? {}) as Record<string, { properties?: Props } | undefined>;
    for (const [where, key, values] of [['querystring', 'querystring', req.query], ['params', 'params', req.params], ['body', 'body', req.body]] as const) {
      if (!values || typeof values !== 'object' || Buffer.isBuffer(values) || Array.isArray(values)) continue;
      const props = schema[key]?.properties ?? {};
      for (const [name, v] of Object.entries(values)) {
        if (typeof v !== 'number' || Number.isFinite(v)) continue;
        const p = props[name];
        const integer = p?.type === 'integer' || (Array.isArray(p?.type) && p.type.includes('integer'));
        if (integer || p?.minimum !== undefined || p?.maximum !== undefined) throw new BadRequestError(`${where}/${name} must be a finite number`);
      }
    }
  });
}

/**
 * Text no client may send (http/text.ts) is refused at the door, for every route (on the root app,
 * before the route plugins copy its parsers): a JSON body as it is parsed, before validation and any
 * handler, so nothing is written; query and path values before validation. The 400 names the field.
 */
export function refuseUnwantedText(app: FastifyInstance): void {
  // Fastify's own parser (it also refuses __proto__ and constructor.prototype keys), then the check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    parseJson(req, text, (err, value) => {
      if (err) return done(err, undefined);
      // Parsed JSON can hold these characters only through an escape (\u…, \b, \f: JSON forbids raw
      // controls in strings, and a lone surrogate's bytes decode as U+FFFD) or as a raw U+FFFE/U+FFFF.
      // Bodies with none, nearly all of them (ingest batches of 5,000 readings), are not walked.
      const found = /\\[ubf]|[\uFFFE\uFFFF]/.test(text) ? findRefusedText(value, 'body') : null;
      if (found) return done(new BadRequestError(refusedTextMessage(found.field, found.char)), undefined);
      done(null, value);
    });
  });
  app.addHook('preValidation', async (req) => {
    const found = findRefusedText(req.query, 'querystring') ?? findRefusedText(req.params, 'params');
    if (found) throw new BadRequestError(refusedTextMessage(found.field, found.char));
  });
}

// The error body and the coordinate parameters are the route contracts' (common/api), here under the
// names the route files have used.
export { ErrorBody as errorSchema, errorResponses } from '../../common/api/errors.ts';
export { InputCrs as crsParam, Lat as latParam, Lon as lonParam } from '../../common/api/query.ts';

/**
 * Sends JSON that is already text (features as PostgreSQL wrote them, joined) as it is: Fastify runs a
 * response schema's serializer on objects only, so the route's schema documents this body without
 * rewriting it. The reply is taken untyped: its type is the object the text encodes.
 */
export function sendJsonText(reply: FastifyReply, contentType: string, text: string): FastifyReply {
  return reply.type(contentType).send(text);
}

export const geometrySchema = {
  type: 'object',
  description: 'GeoJSON geometry (WGS84 lon/lat)',
  properties: { type: { type: 'string' }, coordinates: { type: 'array', items: {} } },
  additionalProperties: true,
} as const;

export const freeObject = { type: 'object', additionalProperties: true } as const;

/**
 * Route-level @fastify/compress options for routes whose bodies run to tens or hundreds of KB (items
 * pages, within, details). On 2 cores the plugin compresses bodies above 8 KB through a stream, which
 * cost 3.7 ms (gzip) and 7.5 ms (brotli) of CPU per 73 KB items page against 0.8 and 0.5 ms compressed
 * in one call; bodies up to 1 MB are compressed in one call (brotli at the app's quality, see app.ts).
 */
export const bulkCompress = { syncThreshold: 1 << 20 } as const;

/** Writes per client address per minute (rate limit): far above a person's pace, far below a flood. */
export const WRITE_RATE = { max: 120, timeWindow: '1 minute' };
