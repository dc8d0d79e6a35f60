// Read-your-writes with a standby (db/replica.ts): a write's answer names the primary's WAL position after
// its commit — the `onemap-lsn` header, and a short-lived cookie of that name for the browser — and a
// request bringing one back (cookie or header) is served by the standby only once it has replayed that far.
// A write request's own reads never go to the standby.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { CURRENT_LSN_SQL, formatLsn, parseLsn } from '../db/lsn.ts';
import { needingLsn, writing } from '../db/read-scope.ts';

export const LSN_HEADER = 'onemap-lsn';
const LSN_COOKIE = 'onemap-lsn';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that only reads (a query with a body): its answer names no WAL position. */
    readOnly?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The position a request brings back: the later of its header and its cookie. */
function broughtLsn(req: FastifyRequest): bigint | null {
  const header = req.headers[LSN_HEADER];
  let lsn = parseLsn(Array.isArray(header) ? header[0] : header);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    const c = k === LSN_COOKIE ? parseLsn(v) : null;
    if (c !== null && (lsn === null || c > lsn)) lsn = c;
  }
  return lsn;
}

/** A request that may write: its reads stay on the primary, and its answer names the position after it. */
const mayWrite = (req: FastifyRequest) => !READS.has(req.method) && !req.routeOptions.config?.readOnly;

function isWrite(req: FastifyRequest, reply: FastifyReply): boolean {
  return mayWrite(req) && reply.statusCode < 400;
}

/**
 * `cookieSeconds`: how long the cookie lives. Past it a standby allowed to serve (at most its lag limit
 * behind, as last probed) has replayed the write anyway.
 */
export function readYourWrites(app: FastifyInstance, primary: pg.Pool, cookieSeconds: number): void {
  app.addHook('onRequest', (req, _reply, done) => {
    const lsn = broughtLsn(req);
    // A write answers with what it wrote (a step's answer is the case as it now is): read where it wrote.
    if (mayWrite(req)) return writing(lsn ?? 0n, done);
    if (lsn === null) return done();
    needingLsn(lsn, done);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!isWrite(req, reply)) return payload;
    try {
      const { rows: [r] } = await primary.query<{ lsn: string }>(CURRENT_LSN_SQL);
      const lsn = parseLsn(r.lsn);
      if (lsn === null) return payload;
      const text = formatLsn(lsn);
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header(LSN_HEADER, text);
      reply.header('set-cookie', `${LSN_COOKIE}=${text}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${cookieSeconds}${secure}`);
    } catch {
      // The primary went away after the write: the next read goes where the standby's state allows.
    }
    return payload;
  });
}
