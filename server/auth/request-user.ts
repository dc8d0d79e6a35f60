// Who is asking: a session token from the `onemap_session` cookie (the browser app) or an
// `Authorization: Bearer` header (scripts). Looked up only by routes that need it — tiles and public
// reads never pay for a session query — and at most once per request.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { ApiError } from '../http/errors.ts';
import { sessionUser, type Role, type User } from './users.ts';

export const SESSION_COOKIE = 'onemap_session';

const cache = new WeakMap<FastifyRequest, Promise<User | null>>();

/** A cookie that is not valid percent-encoding names no session (it is not ours): not logged in. */
function decodeCookie(v: string): string | null {
  try {
    return decodeURIComponent(v);
  } catch {
    return null;
  }
}

export function sessionToken(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodeCookie(v.join('=')) || null;
  }
  return null;
}

export function currentUser(req: FastifyRequest, db: pg.Pool): Promise<User | null> {
  let p = cache.get(req);
  if (!p) {
    const token = sessionToken(req);
    p = token && token.length < 200 ? sessionUser(db, token) : Promise.resolve(null);
    cache.set(req, p);
  }
  return p;
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'log in first (POST /api/auth/login)') {
    super(401, 'unauthorized', message);
  }
}
export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/**
 * An onRequest hook that lets only these roles through (admin always). onRequest runs before the body
 * is read and validated: a stranger's upload is refused unread, and learns nothing from our schemas.
 */
export function requireRole(db: pg.Pool, ...roles: Role[]) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const user = await currentUser(req, db);
    if (!user) throw new UnauthorizedError();
    if (user.role !== 'admin' && !roles.includes(user.role)) {
      throw new ForbiddenError(`a ${user.role} may not do this; it needs the role ${roles.join(' or ')}`);
    }
  };
}

export function sessionCookie(req: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
}

/** An onRequest hook that lets any logged-in account through. */
export function requireLogin(db: pg.Pool) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!(await currentUser(req, db))) throw new UnauthorizedError();
  };
}
