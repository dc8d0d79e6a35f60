// Browser-facing protections: security headers on every response, and CORS only for the origins an
// operator names. The map must keep working under them: MapLibre starts its workers from blob: URLs,
// React and MapLibre set inline styles, tiles, SSE and the field app's service worker fetch our origin, and
// an external basemap's tiles come from the hosts the operator configured (basemaps.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';

export interface WebSecurityOptions {
  /** Origins (scheme://host[:port]) whose pages may call the API from the browser; none by default. */
  corsOrigins?: string[];
  /** Who may frame the app (CSP frame-ancestors sources), e.g. a command-centre portal; 'self' by default. */
  frameAncestors?: string[];
  /** Origins camera streams play from (HLS/HTTP-FLV): media and fetches may go there; none by default. */
  streamOrigins?: string[];
  /** Origins of the external basemaps configured (basemaps.ts): the page may load images and tiles from them, and only them. */
  tileOrigins?: string[];
}

/**
 * The page and its scripts (service workers take the policy of their own script response). Stream players
 * fetch playlists and segments (connect-src) and hand the video to the element as a blob: MediaSource, or
 * the element loads the stream itself where the browser plays HLS (media-src). External basemaps' tiles are
 * images (raster) or fetched (a style's vector tiles).
 */
export function appPolicy(frameAncestors: string[] = ["'self'"], tileOrigins: readonly string[] = [], streamOrigins: readonly string[] = []): string {
  const tiles = tileOrigins.map((o) => ` ${o}`).join('');
  const streams = streamOrigins.map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    `img-src 'self' data: blob:${tiles}`,
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    `connect-src 'self'${tiles}${streams}`,
    `media-src 'self' blob:${streams}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
}

/** Anything else (JSON, tiles, photos, exports) is data: nothing in it may run, load or be framed. */
const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

const runsInBrowser = (type: string) => /^(text\/html|text\/javascript|application\/javascript)\b/.test(type);

export async function webSecurity(app: FastifyInstance, opts: WebSecurityOptions): Promise<void> {
  const frameAncestors = opts.frameAncestors?.length ? opts.frameAncestors : ["'self'"];
  const pagePolicy = appPolicy(frameAncestors, opts.tileOrigins, opts.streamOrigins);
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const type = String(reply.getHeader('content-type') ?? '');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    // The field app needs the position and the camera; nothing needs the microphone or payment.
    reply.header('permissions-policy', 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()');
    // A route with a page of its own (the API docs) sets a policy for its inline code; keep it. A 304 has
    // no type and must not carry one: the browser would lay its headers over the stored page's.
    if (type && !reply.hasHeader('content-security-policy')) reply.header('content-security-policy', runsInBrowser(type) ? pagePolicy : DATA_POLICY);
    // X-Frame-Options cannot name other origins: sent only when no one else may frame us.
    if (frameAncestors.length === 1 && frameAncestors[0] === "'self'") reply.header('x-frame-options', 'SAMEORIGIN');
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
  if (opts.corsOrigins?.length) {
    await app.register(cors, {
      origin: opts.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-none-match', 'last-event-id', 'onemap-lsn'],
      exposedHeaders: ['etag', 'link', 'content-crs', 'retry-after', 'onemap-lsn'],
      // Sessions are SameSite=Strict cookies and stay same-origin; other origins send a Bearer token.
      credentials: false,
      maxAge: 600,
    });
  }
}

/** A comma-separated environment list ("" or unset → none). */
export const listFromEnv = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
