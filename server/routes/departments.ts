// Departments (处置单位): the list with what and where each handles (and KPIs for a period), a department's
// queue for its handlers and the centre, and the departments that fit a case for the dispatcher. Handlers
// check the request and the account; the SQL is server/cases/departments.ts, the ranking the domain's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { asJson } from '../../common/api/common.ts';
import { DepartmentList, DepartmentParams, DepartmentQuery, Queue, QueueQuery, SuggestionParams, Suggestions } from '../../common/api/departments.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { currentUser, ForbiddenError, requireLogin, requireRole } from '../auth/request-user.ts';
import { actorOf } from '../cases/access.ts';
import { departmentNamed, departmentQueue, dispatchSuggestions, listDepartments } from '../cases/departments.ts';
import type { Pool } from '../db/pool.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { useApiErrors } from '../http/route-helpers.ts';
import { parseInstant } from '../http/time.ts';

const departmentRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const me = async (req: FastifyRequest) => (await currentUser(req, db))!;

  app.get('/api/departments', {
    onRequest: requireLogin(db),
    schema: {
      summary: 'Handling units (处置单位): what (catalogue subclasses or items) and where (district, street, community, grid) each handles; with from and to, their KPIs',
      tags: ['cases'], querystring: DepartmentQuery, response: { 200: DepartmentList, ...errorResponses },
    },
  }, async (req) => {
    const { from, to } = req.query;
    if ((from === undefined) !== (to === undefined)) throw new BadRequestError('give both from and to for the KPIs, or neither');
    if (from !== undefined && to !== undefined && (!parseInstant(from) || !parseInstant(to))) {
      throw new BadRequestError('from and to must be RFC 3339 date-times from year 0001 with an offset within ±15:59');
    }
    return asJson({ items: await listDepartments(db, from && to ? { from, to } : undefined) });
  });

  app.get('/api/departments/:code/queue', {
    // A handler reads their own department's queue only; the centre and commanders read every queue.
    onRequest: requireRole(db, 'handler', 'dispatcher', 'commander'),
    schema: {
      summary: 'The cases dispatched to a department, open first (earliest deadline first): its handlers\' work list',
      tags: ['cases'], params: DepartmentParams, querystring: QueueQuery, response: { 200: Queue, ...errorResponses },
    },
  }, async (req) => {
    const user = await me(req);
    const { code } = req.params;
    if (user.role === 'handler' && user.department_code !== code) throw new ForbiddenError('a handler reads only their own department\'s queue');
    const department = await departmentNamed(db, code);
    if (!department) throw new NotFoundError(`no department ${code}`);
    return asJson({ department, items: await departmentQueue(db, code, req.query.limit, actorOf(user)) });
  });

  app.get('/api/cases/:id/dispatch-suggestions', {
    onRequest: requireRole(db, 'dispatcher'),
    schema: {
      summary: 'The departments that fit a case (its item and grid), best first, with why: for dispatch and redispatch',
      tags: ['cases'], params: SuggestionParams, response: { 200: Suggestions, ...errorResponses },
    },
  }, async (req) => dispatchSuggestions(db, req.params.id, actorOf(await me(req))));
};

export default departmentRoutes;
