// City-management cases for logged-in staff: the catalogue, lists, one case, reporting, workflow steps,
// KPIs; and photos. Handlers check the request and the account; the rules are the workflow's and the SQL
// is server/cases/.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Actor as AuditActor } from '../auth/audit.ts';
import { currentUser, requireLogin, requireRole } from '../auth/request-user.ts';
import type { User } from '../auth/users.ts';
import { kpiCounts, kpiCsv, type KpiLevel } from '../cases/kpi-sql.ts';
import { actorOf, caseNotFound, mayReadPhoto } from '../cases/access.ts';
import { MAX_PHOTO_BYTES, readPhoto, savePhoto } from '../cases/media.ts';
import { actOnCase, getCase, listCases, reportCase, type CaseFilter } from '../cases/store.ts';
import { ACTIONS, STATUSES, TRANSITIONS, type Action } from '../domain/cases/workflow.ts';
import { BadRequestError, NotFoundError, show } from '../features/errors.ts';
import { checkLonLat, parseCrs, toWgs84 } from '../features/geo.ts';
import { crsParam, errorResponses, freeObject, latParam, lonParam, useApiErrors, WRITE_RATE } from '../features/http.ts';
import { parseInstant } from '../features/time.ts';

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

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 9007199254740991 } } } as const;
const photosSchema = { type: 'array', maxItems: 20, items: { type: 'string', format: 'uuid' } } as const;
const date = { type: 'string', format: 'date-time' } as const;

export default async function caseRoutes(app: FastifyInstance, opts: { pool: pg.Pool }) {
  useApiErrors(app);
  const db = opts.pool;
  const anyone = requireLogin(db);
  const me = async (req: FastifyRequest) => (await currentUser(req, db))!;
  // Photos are not JSON: the body is the image.
  app.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_r, body, done) => done(null, body));

  app.get('/api/cases/catalogue', {
    schema: { summary: 'Case classes (部件/事件), subclasses and items with deadlines, and the workflow steps', tags: ['cases'], response: { 200: freeObject } },
  }, async () => {
    const [{ rows: classes }, { rows: subclasses }, { rows: items }] = await Promise.all([
      db.query('SELECT code, name_zh, name_en FROM case_classes ORDER BY code'),
      db.query('SELECT code, class_code, name_zh, name_en FROM case_subclasses ORDER BY code'),
      db.query('SELECT code, subclass_code, name_zh, name_en, urgency, deadline_hours, drainage FROM case_items ORDER BY code'),
    ]);
    return { classes, subclasses, items, workflow: TRANSITIONS.map((t) => ({ action: t.action, from: t.from, to: t.to, roles: t.roles, requires: t.requires ?? {}, label: t.label })) };
  });

  app.get('/api/cases', {
    onRequest: anyone,
    schema: {
      summary: 'Cases, newest first, with filters; a field worker sees only the cases of their grids',
      tags: ['cases'],
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          status: { type: 'string', pattern: `^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`, description: 'Comma-separated statuses' },
          class: { type: 'string', enum: ['component', 'event'] },
          item: { type: 'string', pattern: '^[CE][0-9]{4}$' },
          source: { type: 'string', enum: ['inspector', 'citizen', 'video', 'iot', 'superior'] },
          street: { type: 'string', pattern: '^[0-9]{9}$' },
          community: { type: 'string', pattern: '^[0-9]{12}$' },
          grid: { type: 'string', pattern: '^[0-9]{15}$' },
          from: date, to: date,
          overdue: { type: 'boolean' },
          mine: { type: 'boolean', description: 'Only cases I can act on now' },
          reported_by_me: { type: 'boolean', description: 'Only cases I reported, whatever their status (a field worker: still only those of their grids)' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          before_id: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        },
      },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query as Record<string, string | number | boolean | undefined>;
    checkPeriod(q as { from?: string; to?: string });
    const user = await me(req);
    const f: CaseFilter = {
      status: q.status ? String(q.status).split(',') as CaseFilter['status'] : undefined, class_code: q.class as string | undefined,
      item_code: q.item as string | undefined, source: q.source as CaseFilter['source'], street: q.street as string | undefined,
      community: q.community as string | undefined, grid: q.grid as string | undefined, from: q.from as string | undefined, to: q.to as string | undefined,
      overdue: q.overdue as boolean | undefined, mine: q.mine as boolean | undefined, limit: q.limit as number, before_id: q.before_id as number | undefined,
      reporter_user_id: q.reported_by_me ? user.id : undefined,
    };
    return listCases(db, f, actorOf(user));
  });

  app.get('/api/cases/kpi', {
    onRequest: anyone,
    schema: {
      summary: 'Case KPIs per district, street, community or grid for cases reported in a period (JSON or CSV); a field worker\'s count only their grids\' cases',
      tags: ['cases'],
      querystring: {
        type: 'object', required: ['from', 'to'], additionalProperties: false,
        properties: {
          level: { type: 'string', enum: ['district', 'street', 'community', 'grid'], default: 'street' },
          within: { type: 'string', pattern: '^[0-9]{9}([0-9]{3})?$', description: 'Only the units inside this street or community' },
          from: date, to: date,
          format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
          lang: { type: 'string', enum: ['zh', 'en'], default: 'zh', description: 'The language of the CSV\'s headers (those of the KPI table)' },
        },
      },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query as { level: KpiLevel; within?: string; from: string; to: string; format: 'json' | 'csv'; lang: 'zh' | 'en' };
    checkPeriod(q);
    const rows = await kpiCounts(db, q.level, q.from, q.to, q.within, actorOf(await me(req)));
    if (q.format === 'csv') {
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="case-kpi-${q.level}.csv"`).send(kpiCsv(rows, q.lang));
    }
    return { level: q.level, from: q.from, to: q.to, rows };
  });

  app.get('/api/cases/:id', {
    onRequest: anyone,
    schema: { summary: 'One case with its item, history, photos, evaluation and the cameras that see it', tags: ['cases'], params: idParams, response: { 200: freeObject, ...errorResponses } },
  }, async (req) => {
    const id = (req.params as { id: number }).id;
    const c = await getCase(db, id, actorOf(await me(req)));
    if (!c) throw caseNotFound(id);
    return c;
  });

  app.post('/api/cases', {
    onRequest: requireRole(db, 'field', 'dispatcher'),
    config: { rateLimit: WRITE_RATE },
    schema: {
      summary: 'Report a case at a position: it gets its grid, community and street, and the cameras that see it',
      description: 'client_id makes the report idempotent: a field app re-sending a queued report after a lost connection gets the same case back (200) instead of a second one (201).',
      tags: ['cases'],
      body: {
        type: 'object', required: ['item_code', 'lon', 'lat'], additionalProperties: false,
        properties: {
          item_code: { type: 'string', pattern: '^[CE][0-9]{4}$' }, lon: lonParam, lat: latParam, crs: crsParam,
          description: { type: 'string', maxLength: 2000 }, address: { type: 'string', maxLength: 200 },
          photos: photosSchema, client_id: { type: 'string', format: 'uuid' },
        },
      },
      response: { 200: freeObject, 201: freeObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body as { item_code: string; lon: number; lat: number; crs?: string; description?: string; address?: string; photos?: string[]; client_id?: string };
    const user = await me(req);
    const [lon, lat] = toWgs84(checkLonLat(b.lon, b.lat), parseCrs(b.crs));
    const source = user.role === 'field' ? 'inspector' : 'superior';
    const { case: c, created } = await reportCase(db, { ...b, lon, lat, source, reporter: user.username, reporter_user_id: user.id }, actorOf(user), auditActor(user), req.ip);
    return reply.code(created ? 201 : 200).send(c);
  });

  app.post('/api/cases/:id/actions/:action', {
    onRequest: anyone,
    config: { rateLimit: WRITE_RATE },
    schema: {
      summary: 'Take a workflow step: 409 when the step is not possible from the case\'s status, 403 when the account may not, 404 when the case is not there or outside a field worker\'s grids',
      tags: ['cases'],
      params: { type: 'object', properties: { id: idParams.properties.id, action: { type: 'string', enum: ACTIONS.filter((a) => a !== 'report') } } },
      body: {
        type: 'object', additionalProperties: false,
        properties: { note: { type: 'string', maxLength: 2000 }, reason: { type: 'string', maxLength: 2000 }, photos: photosSchema },
      },
      response: { 200: freeObject, 409: errorResponses[400], ...errorResponses },
    },
  }, async (req) => {
    const { id, action } = req.params as { id: number; action: Action };
    const user = await me(req);
    return actOnCase(db, id, action, actorOf(user), auditActor(user), (req.body ?? {}) as never, req.ip);
  });

  app.post('/api/media', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    bodyLimit: MAX_PHOTO_BYTES,
    schema: {
      summary: 'Upload a photo (JPEG, PNG or WebP, ≤ 8 MB) for a report or a step; the body is the image, kept re-encoded without its metadata (EXIF: position, device)',
      description: 'Attach it within a day (a report\'s or a step\'s photos, or an Open311 media_url); a photo no case took is removed after that. Until then only the account that uploaded it may read it.',
      tags: ['cases'], response: { 201: freeObject, ...errorResponses },
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
      tags: ['cases'], params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
    },
  }, async (req, reply) => {
    const photo = await readPhoto(db, (req.params as { id: string }).id);
    // Not readable is not there: the answer does not tell that the photo exists.
    if (!photo || !mayReadPhoto(await currentUser(req, db), photo)) throw new NotFoundError('no such photo (or it is not yours to see)');
    return reply.header('content-type', photo.content_type).header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff').send(photo.bytes);
  });
}
