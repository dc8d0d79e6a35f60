// /api/personnel: on-duty staff and devices with positions and status, tracks, a field worker's own duty
// (上岗/下岗, opt-in 共享位置) and position, and enforcement files (执法案卷) on cases. Where people are
// is personal data: only dispatchers, commanders and admins see staff and their tracks. Device reports
// come through the ingest feed (POST /api/ingest/devices, server/routes/live.ts).
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import {
  CaseIdQuery, DutyBody, EnforcementFile, EnforcementFileBody, EnforcementFiles, MyDuty, MyPositionBody, PersonnelList, PositionStored, SEES_PEOPLE, Track, TrackQuery,
} from '../../common/api/personnel.ts';
import { currentUser, ForbiddenError, requireLogin, requireRole, sessionToken } from '../auth/request-user.ts';
import type { User } from '../auth/users.ts';
import type { Pool } from '../db/pool.ts';
import { enforcementFiles, listPersonnel, myDuty, openEnforcementFile, reportMyPosition, setDuty, trackOf } from '../data/personnel.ts';
import { useApiErrors, WRITE_RATE } from '../http/route-helpers.ts';

/**
 * The field app sends a fix every 10 s or so; more than this is a loop, not a patrol. Counted per session,
 * not per address: phones behind one carrier NAT (or a district's Wi-Fi) share an address.
 */
const POSITION_RATE = {
  max: 20, timeWindow: '1 minute',
  keyGenerator: (req: FastifyRequest) => { const token = sessionToken(req); return token ? `session:${createHash('sha256').update(token).digest('base64url')}` : req.ip; },
};

const seesPeople = (u: User) => (SEES_PEOPLE as readonly string[]).includes(u.role);

const personnelRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const anyone = requireLogin(db);
  const fieldWorker = requireRole(db, 'field');
  const me = async (req: FastifyRequest) => (await currentUser(req, db))!;

  app.get('/api/personnel', {
    onRequest: anyone,
    schema: {
      summary: 'On-duty staff sharing their position (dispatchers, commanders, admins only) and devices with position and status',
      description: 'Positions of people are personal data: other accounts get staff_visible false and no staff.',
      tags: ['personnel'],
      response: { 200: PersonnelList, ...errorResponses },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listPersonnel(db, seesPeople(await me(req)));
  });

  app.get('/api/personnel/tracks', {
    onRequest: anyone,
    schema: {
      summary: 'The track of one person or device over a window (at most 24 hours; kept 7 days)',
      description: 'A person\'s track: dispatchers, commanders and admins only (403 otherwise).',
      tags: ['personnel'],
      querystring: TrackQuery,
      response: { 200: Track, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query;
    if (q.thing === 'staff' && !seesPeople(await me(req))) throw new ForbiddenError('where people were is shown to dispatchers, commanders and admins only');
    reply.header('cache-control', 'no-store');
    return trackOf(db, q.thing, q.id, q.from, q.to);
  });

  app.get('/api/personnel/me', {
    onRequest: fieldWorker,
    schema: { summary: 'My duty: on duty, sharing my position', tags: ['personnel'], response: { 200: MyDuty, ...errorResponses } },
  }, async (req) => myDuty(db, await me(req)));

  app.post('/api/personnel/me/duty', {
    onRequest: fieldWorker,
    config: { rateLimit: WRITE_RATE },
    schema: {
      summary: '上岗 / 下岗, and whether my position is shared (opt-in; off duty it is not, and the last one is forgotten)',
      tags: ['personnel'],
      body: DutyBody,
      response: { 200: MyDuty, ...errorResponses },
    },
  }, async (req) => setDuty(db, await me(req), req.body, req));

  app.post('/api/personnel/me/position', {
    onRequest: fieldWorker,
    config: { rateLimit: POSITION_RATE },
    schema: {
      summary: 'A position from the field app, stored only while on duty and sharing (409 otherwise)',
      tags: ['personnel'],
      body: MyPositionBody,
      response: { 200: PositionStored, 409: ErrorBody, ...errorResponses },
    },
  }, async (req) => reportMyPosition(db, await me(req), req.body));

  app.get('/api/enforcement-files', {
    onRequest: anyone,
    schema: { summary: 'The enforcement files (执法案卷) of a case', tags: ['personnel'], querystring: CaseIdQuery, response: { 200: EnforcementFiles, ...errorResponses } },
  }, async (req) => enforcementFiles(db, req.query.case_id));

  app.post('/api/enforcement-files', {
    onRequest: requireRole(db, 'field', 'dispatcher'),
    config: { rateLimit: WRITE_RATE },
    schema: { summary: 'Open an enforcement file (执法案卷) on a case', tags: ['personnel'], body: EnforcementFileBody, response: { 200: EnforcementFile, ...errorResponses } },
  }, async (req) => openEnforcementFile(db, await me(req), req.body, req));
};

export default personnelRoutes;
