// Logging in and out, who am I, accounts (admin) and the audit log (admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AuditPage, AuditQuery, LoginAnswer, LoginBody, LogoutAnswer, Me, NewUserBody, User, UserIdParams, UserList, UserPatch,
} from '../../common/api/auth.ts';
import { asJson } from '../../common/api/common.ts';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { audit, readAudit } from '../auth/audit.ts';
import { addUser, changeUser, logIn, logOut } from '../auth/account-writes.ts';
import type { Pool } from '../db/pool.ts';
import { currentUser, requireRole, sessionCookie, sessionToken, UnauthorizedError } from '../auth/request-user.ts';
import { checkLogin, listUsers, SESSION_DAYS } from '../auth/users.ts';
import { useApiErrors } from '../http/route-helpers.ts';

/** Login attempts per client address per minute: enough for a typo or two, not for guessing. */
export const LOGIN_RATE = { max: 10, timeWindow: '1 minute' };

const authRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const admin = requireRole(db, 'admin');

  app.post('/api/auth/login', {
    config: { rateLimit: LOGIN_RATE },
    schema: {
      summary: 'Log in: sets the session cookie and returns the token (for Authorization: Bearer)',
      tags: ['auth'],
      body: LoginBody,
      response: { 200: LoginAnswer, 401: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const user = await checkLogin(db, username, password);
    if (!user) {
      await audit(db, { name: username, role: 'anonymous' }, req, { action: 'auth.login_failed', entity: 'user', entity_id: null });
      throw new UnauthorizedError('wrong username or password');
    }
    const { token, expires } = await logIn(db, user, req);
    reply.header('set-cookie', sessionCookie(req, token, SESSION_DAYS * 86400));
    return { user, token, expires_at: expires.toISOString() };
  });

  app.post('/api/auth/logout', { schema: { summary: 'Log out: ends the session', tags: ['auth'], response: { 200: LogoutAnswer } } }, async (req, reply) => {
    const token = sessionToken(req);
    const user = await currentUser(req, db);
    if (token) await logOut(db, token, user, req);
    reply.header('set-cookie', sessionCookie(req, '', 0));
    return { ok: true };
  });

  app.get('/api/auth/me', {
    schema: { summary: 'The logged-in account, or 401', tags: ['auth'], response: { 200: Me, 401: ErrorBody } },
  }, async (req) => {
    const user = await currentUser(req, db);
    if (!user) throw new UnauthorizedError('not logged in');
    return { user };
  });

  app.get('/api/users', {
    onRequest: admin,
    schema: { summary: 'Accounts (admin)', tags: ['auth'], response: { 200: UserList } },
  }, async () => asJson({ items: await listUsers(db) }));

  app.post('/api/users', {
    onRequest: admin,
    schema: { summary: 'Create an account (admin)', tags: ['auth'], body: NewUserBody, response: { 201: User, ...errorResponses } },
  }, async (req, reply) => {
    const me = (await currentUser(req, db))!;
    const user = await addUser(db, me, req.body, req);
    return reply.code(201).send(user);
  });

  app.patch('/api/users/:id', {
    onRequest: admin,
    schema: {
      summary: 'Change an account: role, grids, active, password (admin)',
      tags: ['auth'],
      params: UserIdParams,
      body: UserPatch,
      response: { 200: User, ...errorResponses },
    },
  }, async (req) => {
    const { id } = req.params;
    const me = (await currentUser(req, db))!;
    return changeUser(db, me, id, req.body, req);
  });

  app.get('/api/audit', {
    onRequest: admin,
    schema: {
      summary: 'The audit log of every write, login (and failed login) and logout, newest first (admin)',
      tags: ['auth'],
      querystring: AuditQuery,
      response: { 200: AuditPage, ...errorResponses },
    },
  }, async (req) => asJson(await readAudit(db, req.query)));
};

export default authRoutes;
