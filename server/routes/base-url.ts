import type { FastifyRequest } from 'fastify';

/**
 * The URL clients reached us by, so TileJSON and OGC links work on any port. Fastify reads
 * X-Forwarded-Proto/Host only when the app trusts its proxy (ONEMAP_TRUST_PROXY); otherwise anyone
 * could make our links point elsewhere.
 */
export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host || 'localhost'}`;
}
