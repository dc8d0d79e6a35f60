// City-management cases for logged-in staff: the catalogue, lists, one case, reporting, workflow steps,
// KPIs; and photos. Handlers check the request and the account; the rules are the workflow's and the SQL
// is server/cases/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  CaseDetail, CaseIdParams, CasePage, CaseQuery, CaseRow, Catalogue, KpiQuery, KpiResponse, NewCaseBody, PhotoFile, PhotoParams, PhotoSaved, StepBody,
  StepParams,
} from '../../common/api/cases.ts';
import { asJson } from '../../common/api/common.ts';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import type { Actor as AuditActor } from '../auth/audit.ts';
import { currentUser, requireLogin, requireRole } from '../auth/request-user.ts';
import type { User } from '../auth/users.ts';
import { readCatalogue } from '../cases/catalogue.ts';
import { kpiCounts, kpiCsv } from '../cases/kpi-sql.ts';
import { actorOf, caseNotFound, mayReadPhoto } from '../cases/access.ts';
import { MAX_PHOTO_BYTES, readPhoto, savePhoto } from '../cases/media.ts';
import { actOnCase, getCase, listCases, reportCase } from '../cases/store.ts';
import type { Pool } from '../db/pool.ts';
import type { Status } from '../domain/cases/workflow.ts';
import { BadRequestError, NotFoundError, show } from '../http/errors.ts';
import { checkLonLat, parseCrs, toWgs84 } from '../geo/input.ts';
import { useApiErrors, WRITE_RATE } from '../http/route-helpers.ts';
import { parseInstant } from '../http/time.ts';

/**
 * from/to beyond what the date-time format checks: PostgreSQL has no year 0 and no UTC offset beyond
 * ±15:59, and either would fail the query with a 500 (RFC 3339 allows offsets to ±23:59).
 */
function checkPeriod(q: { from?: string; to?: string }) {
  for (const name of ['from', 'to'] as const) {
    const v = q[name];
    if (v !== undefined && !parseInstant(v)) {
      throw new BadRequestError(`${name} ${show(v)} is out of range: give an RFC 3339 date-time from year 0001 with an offset within ±15:59, e.g. 2024-01-31T08:00:00+08:00`);
    }
  }
}

const auditActor = (u: User): AuditActor => ({ user: u });

const caseRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const anyone = requireLogin(db);
  const me = async (req: FastifyRequest) => (await currentUser(req, db))!;
  // Photos are not JSON: the body is the image.
  app.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_r, body, done) => done(null, body));

  app.get('/api/cases/catalogue', {
    schema: { summary: 'Case classes (部件/事件), subclasses and items with deadlines, and the workflow steps', tags: ['cases'], response: { 200: Catalogue } },
  }, async () => readCatalogue(db));

  app.get('/api/cases', {
    onRequest: anyone,
    schema: {
      summary: 'Cases, newest first, with filters; a field worker sees only the cases of their grids',
      tags: ['cases'],
      querystring: CaseQuery,
      response: { 200: CasePage, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    checkPeriod(q);
    const user = await me(req);
    return asJson(await listCases(db, {
      // The pattern admits only statuses.
      status: q.status ? q.status.split(',') as Status[] : undefined, class_code: q.class, item_code: q.item, source: q.source,
      street: q.street, community: q.community, grid: q.grid, from: q.from, to: q.to, overdue: q.overdue, mine: q.mine,
      limit: q.limit, before_id: q.before_id, reporter_user_id: q.reported_by_me ? user.id : undefined,
    }, actorOf(user)));
  });

  app.get('/api/cases/kpi', {
    onRequest: anyone,
    schema: {
      summary: 'Case KPIs per district, street, community or grid for cases reported in a period (JSON or CSV); a field worker\'s count only their grids\' cases',
      tags: ['cases'],
      querystring: KpiQuery,
      response: { 200: KpiResponse, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query;
    checkPeriod(q);
    const rows = await kpiCounts(db, q.level, q.from, q.to, q.within, actorOf(await me(req)));
    if (q.format === 'csv') {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="case-kpi-${q.level}.csv"`).send(kpiCsv(rows, q.lang));
    }
    return { level: q.level, from: q.from, to: q.to, rows };
  });

  app.get('/api/cases/:id', {
    onRequest: anyone,
    schema: { summary: 'One case with its item, history, photos, evaluation and the cameras that see it', tags: ['cases'], params: CaseIdParams, response: { 200: CaseDetail, ...errorResponses } },
  }, async (req) => {
    const { id } = req.params;
    const c = await getCase(db, id, actorOf(await me(req)));
    if (!c) throw caseNotFound(id);
    return asJson(c);
  });

  app.post('/api/cases', {
    onRequest: requireRole(db, 'field', 'dispatcher'),
    config: { rateLimit: WRITE_RATE },
    schema: {
      summary: 'Report a case at a position: it gets its grid, community and street, and the cameras that see it',
      description: 'client_id makes the report idempotent: a field app re-sending a queued report after a lost connection gets the same case back (200) instead of a second one (201).',
      tags: ['cases'],
      body: NewCaseBody,
      response: { 200: CaseRow, 201: CaseRow, ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const user = await me(req);
    const [lon, lat] = toWgs84(checkLonLat(b.lon, b.lat), parseCrs(b.crs));
    const source = user.role === 'field' ? 'inspector' : 'superior';
    const { case: c, created } = await reportCase(db, { ...b, lon, lat, source, reporter: user.username, reporter_user_id: user.id }, actorOf(user), auditActor(user), req.ip);
    return reply.code(created ? 201 : 200).send(asJson(c));
  });

  app.post('/api/cases/:id/actions/:action', {
    onRequest: anyone,
    config: { rateLimit: WRITE_RATE },
    schema: {
      summary: 'Take a workflow step: 409 when the step is not possible from the case\'s status, 403 when the account may not, 404 when the case is not there or outside a field worker\'s grids',
      tags: ['cases'],
      params: StepParams,
      body: StepBody,
      response: { 200: CaseRow, 409: ErrorBody, ...errorResponses },
    },
  }, async (req) => {
    const { id, action } = req.params;
    const user = await me(req);
    // A step without a body (no note, reason or photos) comes as no body at all.
    return asJson(await actOnCase(db, id, action, actorOf(user), auditActor(user), req.body ?? {}, req.ip));
  });

  app.post('/api/media', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    bodyLimit: MAX_PHOTO_BYTES,
    schema: {
      summary: 'Upload a photo (JPEG, PNG or WebP, ≤ 8 MB) for a report or a step; the body is the image, kept re-encoded without its metadata (EXIF: position, device)',
      description: 'Attach it within a day (a report\'s or a step\'s photos, or an Open311 media_url); a photo no case took is removed after that. Until then only the account that uploaded it may read it.',
      tags: ['cases'], response: { 201: PhotoSaved, ...errorResponses },
    },
  }, async (req, reply) => {
    const user = await currentUser(req, db);
    return reply.code(201).send(await savePhoto(db, req.body, user
      ? { userId: user.id, name: user.username, audit: auditActor(user), ip: req.ip }
      : { userId: null, name: `citizen@${req.ip}`, audit: { name: 'citizen', role: 'citizen' }, ip: req.ip }));
  });

  app.get('/api/media/:id', {
    schema: {
      summary: 'A photo, to those who may read its case; the public only the photo of a citizen report its reporter agreed to publish',
      tags: ['cases'], params: PhotoParams,
      response: { 200: PhotoFile, ...errorResponses },
    },
  }, async (req, reply) => {
    const photo = await readPhoto(db, req.params.id);
    // Not readable is not there: the answer does not tell that the photo exists.
    if (!photo || !mayReadPhoto(await currentUser(req, db), photo)) throw new NotFoundError('no such photo (or it is not yours to see)');
    return reply.header('content-type', photo.content_type).header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff').send(photo.bytes);
  });
};

export default caseRoutes;
