// Logging in and out, who am I, accounts (admin) and the audit log (admin).
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { audit, readAudit } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { currentUser, requireRole, sessionCookie, sessionToken, UnauthorizedError } from '../auth/request-user.ts';
import { checkLogin, createSession, createUser, endSession, listUsers, ROLES, SESSION_DAYS, type Role, type User } from '../auth/users.ts';
import { BadRequestError, NotFoundError } from '../features/errors.ts';
import { errorResponses, freeObject, useApiErrors } from '../features/http.ts';

const userSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, username: { type: 'string' }, display_name: { type: 'string' }, role: { type: 'string' }, grids: { type: 'array', items: { type: 'string' } } },
} as const;
const gridsSchema = { type: 'array', maxItems: 2000, items: { type: 'string', pattern: '^[0-9]{9}([0-9]{3}){0,2}$', description: 'Unit grid (15 digits), community (12) or street (9) codes' } } as const;
/** Login attempts per client address per minute: enough for a typo or two, not for guessing. */
export const LOGIN_RATE = { max: 10, timeWindow: '1 minute' };

export default async function authRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  useApiErrors(app);
  const db = opts.pool;
  const admin = requireRole(db, 'admin');

  app.post('/api/auth/login', {
    config: { rateLimit: LOGIN_RATE },
    schema: {
      summary: 'Log in: sets the session cookie and returns the token (for Authorization: Bearer)',
      tags: ['auth'],
      body: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 40 }, password: { type: 'string', maxLength: 200 } }, additionalProperties: false },
      response: { 200: { type: 'object', properties: { user: userSchema, token: { type: 'string' }, expires_at: { type: 'string' } } }, 401: errorResponses[400], 429: errorResponses[400] },
    },
  }, async (req, reply) => {
    const { username, password } = req.body as { username: string; password: string };
    const user = await checkLogin(db, username, password);
    if (!user) {
      await audit(db, { name: username, role: 'anonymous' }, req, { action: 'auth.login_failed', entity: 'user', entity_id: null });
      throw new UnauthorizedError('wrong username or password');
    }
    const { token, expires } = await inTransaction(db, async (tx) => {
      const session = await createSession(tx, user.id, req.ip);
      await audit(tx, { user }, req, { action: 'auth.login', entity: 'user', entity_id: user.id });
      return session;
    });
    reply.header('set-cookie', sessionCookie(req, token, SESSION_DAYS * 86400));
    return { user, token, expires_at: expires.toISOString() };
  });

  app.post('/api/auth/logout', { schema: { summary: 'Log out: ends the session', tags: ['auth'] } }, async (req, reply) => {
    const token = sessionToken(req);
    const user = await currentUser(req, db);
    if (token) {
      await inTransaction(db, async (tx) => {
        await endSession(tx, token);
        // Only a session that was live is a logout; an expired or made-up token ends nothing.
        if (user) await audit(tx, { user }, req, { action: 'auth.logout', entity: 'user', entity_id: user.id });
      });
    }
    reply.header('set-cookie', sessionCookie(req, '', 0));
    return { ok: true };
  });

  app.get('/api/auth/me', {
    schema: { summary: 'The logged-in account, or 401', tags: ['auth'], response: { 200: { type: 'object', properties: { user: userSchema } }, 401: errorResponses[400] } },
  }, async (req) => {
    const user = await currentUser(req, db);
    if (!user) throw new UnauthorizedError('not logged in');
    return { user };
  });

  app.get('/api/users', { onRequest: admin, schema: { summary: 'Accounts (admin)', tags: ['auth'], response: { 200: freeObject } } }, async () => ({ items: await listUsers(db) }));

  app.post('/api/users', {
    onRequest: admin,
    schema: {
      summary: 'Create an account (admin)',
      tags: ['auth'],
      body: {
        type: 'object', required: ['username', 'password', 'role'], additionalProperties: false,
        properties: { username: { type: 'string', maxLength: 40 }, display_name: { type: 'string', maxLength: 80 }, password: { type: 'string', maxLength: 200 }, role: { type: 'string', enum: ROLES }, grids: gridsSchema },
      },
      response: { 201: userSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const body = req.body as { username: string; display_name?: string; password: string; role: Role; grids?: string[] };
    const me = (await currentUser(req, db))!;
    const user = await inTransaction(db, async (client) => {
      const created = await createUser(client, body);
      await audit(client, { user: me }, req, { action: 'user.create', entity: 'user', entity_id: created.id, after: created });
      return created;
    });
    return reply.code(201).send(user);
  });

  app.patch('/api/users/:id', {
    onRequest: admin,
    schema: {
      summary: 'Change an account: role, grids, active, password (admin)',
      tags: ['auth'],
      params: { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
      body: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: { display_name: { type: 'string', maxLength: 80 }, role: { type: 'string', enum: ROLES }, grids: gridsSchema, active: { type: 'boolean' }, password: { type: 'string', maxLength: 200 } },
      },
      response: { 200: userSchema, ...errorResponses },
    },
  }, async (req) => {
    const id = (req.params as { id: number }).id;
    const b = req.body as { display_name?: string; role?: Role; grids?: string[]; active?: boolean; password?: string };
    const me = (await currentUser(req, db))!;
    return inTransaction(db, async (client) => {
      const { rows: [before] } = await client.query<User & { active: boolean }>('SELECT id, username, display_name, role, grids::text[] AS grids, active FROM users WHERE id = $1 FOR UPDATE', [id]);
      if (!before) throw new NotFoundError(`no user ${id}`);
      if (b.password !== undefined) {
        const problem = passwordProblem(b.password, before.username);
        if (problem) throw new BadRequestError(problem);
      }
      const { rows: [after] } = await client.query<User & { active: boolean }>(
        `UPDATE users SET display_name = coalesce($2, display_name), role = coalesce($3, role), grids = coalesce($4::char(15)[], grids),
                active = coalesce($5, active), password_hash = coalesce($6, password_hash)
         WHERE id = $1 RETURNING id, username, display_name, role, grids::text[] AS grids, active`,
        [id, b.display_name ?? null, b.role ?? null, b.grids ?? null, b.active ?? null, b.password !== undefined ? await hashPassword(b.password) : null]);
      // A deactivated account, or a new password, ends its sessions.
      if (b.active === false || b.password !== undefined) await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      await audit(client, { user: me }, req, { action: 'user.update', entity: 'user', entity_id: id, before, after: { ...after, password_changed: b.password !== undefined } });
      return after;
    });
  });

  app.get('/api/audit', {
    onRequest: admin,
    schema: {
      summary: 'The audit log of every write, login (and failed login) and logout, newest first (admin)',
      tags: ['auth'],
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { entity: { type: 'string', maxLength: 40 }, entity_id: { type: 'string', maxLength: 40 }, actor: { type: 'string', maxLength: 80 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, before_id: { type: 'integer', minimum: 1, maximum: 9007199254740991 } },
      },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => readAudit(db, req.query as never));
}
