// /tiles: the layer index, TileJSON per layer or composite and MVT tiles with ETag/304 and gzip or brotli.
// A composite names several layers separated by commas (/tiles/basemap,grids,pipes/{z}/{x}/{y}.mvt).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody } from '../../common/api/errors.ts';
import { NoBody } from '../../common/api/shapes.ts';
import { MVT, Tile, TileIndex, TileJson, TileJsonParams, TileParams, TileQuery } from '../../common/api/tiles.ts';
import { currentUser } from '../auth/request-user.ts';
import type { Pool } from '../db/pool.ts';
import type { Encoding } from '../tiles/cache.ts';
import { parseTile, TileRangeError } from '../tiles/tilemath.ts';
import { CompositeError, UnknownLayerError, ZoomRangeError, type TileService } from '../tiles/service.ts';
import type { TileLayer } from '../tiles/types.ts';
import { baseUrl } from './base-url.ts';

/** A versioned tile URL names one state of the data: caches may keep its answer for good. */
const IMMUTABLE = 'max-age=31536000, immutable';

/** Today's header for unversioned (or no longer current) tiles: the shortest reuse of the layers named. */
function cacheControl(layers: readonly TileLayer[], current: boolean): string {
  const scope = layers.some((l) => l.needsAccount) ? 'private' : 'public';
  if (current) return `${scope}, ${IMMUTABLE}`;
  const maxAge = Math.min(...layers.map((l) => l.maxAgeSeconds));
  return maxAge > 0 ? `${scope}, max-age=${maxAge}` : 'no-cache';
}

/** Brotli when the client takes it, else gzip, else none (q=0 refuses). */
export function pickEncoding(header: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name) accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (n: string) => (accepted.get(n) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

const tileRoutes: FastifyPluginAsyncTypebox<{ tiles: TileService; pool: Pool }> = async (app, opts) => {
  const { tiles, pool } = opts;

  /** The layers a path names, or the answer that refuses them (sent). Public layers cost no session lookup. */
  async function named(spec: string, req: FastifyRequest, reply: FastifyReply): Promise<TileLayer[] | null> {
    let layers;
    try {
      layers = tiles.layersOf(spec);
    } catch (e) {
      if (e instanceof UnknownLayerError) reply.code(404).send({ error: 'unknown layer', message: e.message });
      else if (e instanceof CompositeError) reply.code(400).send({ error: 'bad composite', message: e.message });
      else throw e;
      return null;
    }
    const closed = layers.filter((l) => l.needsAccount).map((l) => l.id);
    if (closed.length && !(await currentUser(req, pool))) {
      reply.code(401).send({ error: 'unauthorized', message: `the tile layer ${closed.join(', ')} needs an account: log in (POST /api/auth/login), or leave ${closed.length > 1 ? 'them' : 'it'} out` });
      return null;
    }
    return layers;
  }

  app.get('/tiles/index.json', {
    schema: { summary: 'Tile layer index', tags: ['tiles'], response: { 200: TileIndex } },
  }, async (req) => tiles.index(baseUrl(req)));

  app.get('/tiles/:file', {
    schema: {
      summary: 'The TileJSON 3.0.0 of one layer ({layer}.json) or of a composite ({a},{b},{c}.json)',
      tags: ['tiles'],
      params: TileJsonParams,
      response: { 200: TileJson, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    const { file } = req.params;
    if (!file.endsWith('.json')) return reply.code(404).send({ error: 'not found', message: 'use /tiles/index.json or /tiles/{layer}.json' });
    const layers = await named(file.slice(0, -5), req, reply);
    if (!layers) return reply;
    // Its `tiles` URL carries the current data version: asked again each time, never kept.
    reply.header('cache-control', 'no-cache');
    return tiles.tileJson(layers.map((l) => l.id).join(','), baseUrl(req));
  });

  app.get('/tiles/:layer/:z/:x/:file', {
    compress: false,
    schema: {
      summary: 'A Mapbox Vector Tile 2.1 of one layer, or of several in one tile (a composite)',
      tags: ['tiles'],
      params: TileParams,
      querystring: TileQuery,
      response: {
        200: Tile,
        204: NoBody('No feature of the layers in this tile'),
        304: NoBody('Not modified (If-None-Match)'),
        400: ErrorBody,
        401: ErrorBody,
        404: ErrorBody,
      },
    },
  }, async (req, reply) => {
    const { layer: spec, z: zs, x: xs, file } = req.params;
    const m = /^(.*)\.(mvt|pbf)$/.exec(file);
    if (!m) return reply.code(400).send({ error: 'bad tile', message: `tile path must end in {y}.mvt, got "${file.slice(0, 40)}"` });
    const layers = await named(spec, req, reply);
    if (!layers) return reply;
    // The version asked must be current before and after the tile is made: a change landing meanwhile
    // gets today's short-lived answer, so no tile is ever kept for good under a version it does not show.
    const asked = req.query.v;
    const current = () => asked !== undefined && asked === tiles.version(layers);
    const currentBefore = current();
    let entry;
    try {
      const { z, x, y } = parseTile(zs, xs, m[1]);
      entry = await tiles.composite(layers, z, x, y);
    } catch (e) {
      if (e instanceof TileRangeError || e instanceof ZoomRangeError) return reply.code(400).send({ error: 'bad tile', message: e.message });
      throw e;
    }
    reply.header('cache-control', cacheControl(layers, currentBefore && current()));
    // Appended: CORS, when configured, has already said the answer varies by Origin.
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (entry.raw.length === 0) {
      reply.header('etag', `"${entry.etag}"`);
      return reply.code(204).send();
    }
    const enc = pickEncoding(req.headers['accept-encoding']);
    const etag = `"${entry.etag}${enc === 'identity' ? '' : `-${enc}`}"`;
    reply.header('etag', etag);
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '').replace(/-(br|gzip)"$/, '"') === `"${entry.etag}"`)) {
      return reply.code(304).send();
    }
    reply.type(MVT);
    if (enc !== 'identity') reply.header('content-encoding', enc);
    return reply.send(await entry.bytes(enc));
  });
};

export default tileRoutes;
