// /tiles: the layer index, TileJSON per layer and MVT tiles with ETag/304 and gzip or brotli.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../common/api/errors.ts';
import { NoBody } from '../../common/api/shapes.ts';
import { MVT, Tile, TileIndex, TileJson, TileJsonParams, TileParams } from '../../common/api/tiles.ts';
import type { Encoding } from '../tiles/cache.ts';
import { parseTile, TileRangeError } from '../tiles/tilemath.ts';
import { UnknownLayerError, ZoomRangeError, type TileService } from '../tiles/service.ts';
import { baseUrl } from './base-url.ts';

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

const tileRoutes: FastifyPluginAsyncTypebox<{ tiles: TileService }> = async (app, opts) => {
  const { tiles } = opts;

  app.get('/tiles/index.json', {
    schema: { summary: 'Tile layer index', tags: ['tiles'], response: { 200: TileIndex } },
  }, async (req) => tiles.index(baseUrl(req)));

  app.get('/tiles/:file', {
    schema: {
      summary: 'The TileJSON 3.0.0 of one layer ({layer}.json)',
      tags: ['tiles'],
      params: TileJsonParams,
      response: { 200: TileJson, 404: ErrorBody },
    },
  }, async (req, reply) => {
    const { file } = req.params;
    if (!file.endsWith('.json')) return reply.code(404).send({ error: 'not found', message: 'use /tiles/index.json or /tiles/{layer}.json' });
    try {
      return tiles.tileJson(file.slice(0, -5), baseUrl(req));
    } catch (e) {
      if (e instanceof UnknownLayerError) return reply.code(404).send({ error: 'unknown layer', message: e.message });
      throw e;
    }
  });

  app.get('/tiles/:layer/:z/:x/:file', {
    compress: false,
    schema: {
      summary: 'A Mapbox Vector Tile 2.1 of one layer',
      tags: ['tiles'],
      params: TileParams,
      response: {
        200: Tile,
        204: NoBody('No feature of the layer in this tile'),
        304: NoBody('Not modified (If-None-Match)'),
        400: ErrorBody,
        404: ErrorBody,
      },
    },
  }, async (req, reply) => {
    const { layer, z: zs, x: xs, file } = req.params;
    const m = /^(.*)\.(mvt|pbf)$/.exec(file);
    if (!m) return reply.code(400).send({ error: 'bad tile', message: `tile path must end in {y}.mvt, got "${file.slice(0, 40)}"` });
    let entry;
    try {
      const { z, x, y } = parseTile(zs, xs, m[1]);
      entry = await tiles.tile(layer, z, x, y);
    } catch (e) {
      if (e instanceof TileRangeError || e instanceof ZoomRangeError) return reply.code(400).send({ error: 'bad tile', message: e.message });
      if (e instanceof UnknownLayerError) return reply.code(404).send({ error: 'unknown layer', message: e.message });
      throw e;
    }
    const maxAge = tiles.layer(layer).maxAgeSeconds;
    reply.header('cache-control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache');
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
