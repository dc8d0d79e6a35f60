// Open311 GeoReport v2 at /open311/v2: services, service definitions, requests (list, one, post) as JSON
// or XML by extension, errors as Open311 error lists. A posted request becomes a case from a citizen; its
// status follows the case. Extension: POST requests/{id}/evaluation.{fmt} with the token given at
// creation records the reporter's verdict once the case is closed (the 微邻里 loop). Extension: x_publish=true
// on a report is the reporter's consent to show its description, address text and photo (server/cases/open311.ts
// says what is public).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  EvaluatedList, EvaluationBody, NewRequestBody, OneServiceRequest, open311Answer, RequestCreatedList, RequestParams, RequestsQuery, ServiceDefinition,
  ServiceList, ServiceParams, ServiceRequestList, SupplementAddedList, SupplementBody, TimelineList, TimelineQuery,
  type Evaluated, type RequestCreated, type Service, type ServiceRequest, type SupplementAdded, type Timeline,
} from '../../common/api/open311.ts';
import { addSupplement, requestTimeline } from '../cases/citizen.ts';
import { readerOf } from '../cases/access.ts';
import { MAX_WINDOW_DAYS, evaluateRequest, findRequests, requestView, services, toXml } from '../cases/open311.ts';
import { reportCase } from '../cases/store.ts';
import type { Pool } from '../db/pool.ts';
import { ApiError, BadRequestError, NotFoundError } from '../http/errors.ts';
import { checkLonLat } from '../geo/input.ts';
import { checkStorableText } from '../http/text.ts';

type Format = 'json' | 'xml';
const BASE = '/open311/v2';
/** Citizen reports per address per minute. */
export const REPORT_RATE = { max: 10, timeWindow: '1 minute' };
/** Supplements (补充) to others' reports per address per minute: fewer, as nothing but this limit gates them. */
export const SUPPLEMENT_RATE = { max: 5, timeWindow: '1 minute' };
/** Reads of a report's history with its token per address per minute (a token is not to be guessed by trying). */
const TIMELINE_RATE = { max: 60, timeWindow: '1 minute' };

// Written here, as text, in either format: the response schemas document the answers (open311Answer).
function send<T>(reply: FastifyReply, format: Format, root: Parameters<typeof toXml>[0], data: T, code = 200) {
  if (format === 'xml') return reply.code(code).header('content-type', 'text/xml; charset=utf-8').send(toXml(root, data));
  return reply.code(code).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(data));
}

const formatOf = (req: FastifyRequest): Format => (req.url.split('?')[0].endsWith('.xml') ? 'xml' : 'json');
const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Contact fields of a report, kept with the case (never public). */
const CONTACT = ['email', 'phone', 'first_name', 'last_name', 'device_id', 'account_id', 'media_url'] as const;

/** Our own photo URLs (media_url) and ids (x_media_ids) become photos of the case; other URLs are kept as given, never fetched. */
function photosOf(b: { media_url?: string; x_media_ids?: string[] }): string[] {
  const fromUrl = /\/api\/media\/([0-9a-f-]{36})$/.exec(b.media_url ?? '')?.[1];
  return [...new Set([...(fromUrl ? [fromUrl] : []), ...(b.x_media_ids ?? [])])];
}

const open311Routes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  const db = opts.pool;
  // Open311 clients post forms.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  // Errors in Open311's own shape: [{code, description}].
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const code = err instanceof ApiError ? err.statusCode : err.validation || (err.statusCode && err.statusCode < 500) ? err.statusCode ?? 400 : 500;
    if (code >= 500) req.log.error(err);
    return send(reply, formatOf(req), 'errors', [{ code, description: code >= 500 ? 'the server could not complete the request' : err.message }], code);
  });

  for (const format of ['json', 'xml'] as const) {
    app.get(`${BASE}/services.${format}`, {
      schema: { summary: `Open311: service types (case items) as ${format}`, tags: ['open311'], response: { 200: open311Answer(format, ServiceList, 'The services') } },
    }, async (_req, reply) => send<Service[]>(reply, format, 'services', await services(db)));

    app.get(`${BASE}/services/:code.${format}`, {
      schema: {
        summary: `Open311: a service definition as ${format}`, tags: ['open311'], params: ServiceParams,
        response: { 200: open311Answer(format, ServiceDefinition, 'The service definition') },
      },
    }, async (req, reply) => {
      const { code } = req.params;
      if (!(await services(db)).some((s) => s.service_code === code)) throw new NotFoundError(`no service ${code}`);
      return send<ServiceDefinition>(reply, format, 'service_definition', { service_code: code, attributes: [] });
    });

    app.get(`${BASE}/requests.${format}`, {
      schema: {
        summary: `Open311: citizens' service requests as ${format}; the last 90 days by default`,
        description: 'Description, address and photo only of requests whose reporter agreed to publish them (x_publish); staff\'s own cases are not requests. Extension: lat, long and radius (metres) together keep the requests within radius of the point.',
        tags: ['open311'],
        querystring: RequestsQuery,
        response: { 200: open311Answer(format, ServiceRequestList, 'The service requests') },
      },
    }, async (req, reply) => {
      const q = req.query;
      const end = q.end_date ? new Date(q.end_date) : new Date();
      const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - MAX_WINDOW_DAYS * 86400_000);
      if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * 86400_000) throw new BadRequestError(`start_date to end_date spans more than ${MAX_WINDOW_DAYS} days`);
      if (end < start) throw new BadRequestError('end_date is before start_date');
      const near = [q.lat, q.long, q.radius].filter((v) => v !== undefined).length;
      if (near !== 0 && near !== 3) throw new BadRequestError('give lat, long and radius together (a nearby search), or none of them');
      const [lon, lat] = near ? checkLonLat(q.long, q.lat, 'lat/long') : [0, 0];
      const rows = await findRequests(db, {
        ids: q.service_request_id?.split(','), service_code: q.service_code, start, end, status: q.status, near: near ? { lon, lat, radius_m: q.radius! } : undefined,
      }, await readerOf(req, db));
      return send<ServiceRequest[]>(reply, format, 'service_requests', rows.map((r) => requestView(r, baseUrl(req))));
    });

    app.get(`${BASE}/requests/:id.${format}`, {
      schema: {
        summary: `Open311: one service request as ${format}`, tags: ['open311'], params: RequestParams,
        response: { 200: open311Answer(format, OneServiceRequest, 'The service request, in a list of one') },
      },
    }, async (req, reply) => {
      const rows = await findRequests(db, { ids: [req.params.id] }, await readerOf(req, db));
      if (!rows.length) throw new NotFoundError('no such service request');
      return send<ServiceRequest[]>(reply, format, 'service_requests', rows.map((r) => requestView(r, baseUrl(req))));
    });

    app.post(`${BASE}/requests.${format}`, {
      config: { rateLimit: REPORT_RATE },
      schema: {
        summary: `Open311: report a problem (becomes a case) as ${format}`,
        description: 'Form or JSON. lat and long are required (WGS84); media_url (and extension x_media_ids, up to three more) may name photos uploaded (without logging in) to /api/media. Extension x_client_id with x_evaluation_token: a queued report re-sent gets its request back once. Extension x_publish=true: the reporter agrees that the description, address and photo be shown publicly (default false: only the problem type, place and status are). The answer includes x_evaluation_token: keep it to evaluate the result when the case is closed.',
        tags: ['open311'],
        body: NewRequestBody,
        response: {
          201: open311Answer(format, RequestCreatedList, 'The request made, in a list of one'),
          200: open311Answer(format, RequestCreatedList, 'The request an earlier send of this x_client_id made (with the same token), in a list of one'),
        },
      },
    }, async (req, reply) => {
      const b = req.body;
      checkStorableText(b);
      const [lon, lat] = checkLonLat(b.long, b.lat, 'lat/long');
      if (b.x_client_id && !b.x_evaluation_token) throw new BadRequestError('x_client_id needs x_evaluation_token: a re-sent report is answered with the token it was made with');
      const photos = photosOf(b);
      const token = b.x_evaluation_token ?? randomBytes(18).toString('base64url');
      const reporter = [b.first_name, b.last_name].filter(Boolean).join(' ') || 'citizen';
      const contact = Object.fromEntries(CONTACT.flatMap((k) => (b[k] !== undefined && b[k] !== '' ? [[k, String(b[k])]] : [])));
      const { case: c, created } = await reportCase(db, {
        item_code: b.service_code, lon, lat, description: b.description, address: b.address_string, client_id: b.x_client_id,
        photos, source: 'citizen', publish: b.x_publish === true, reporter, reporter_contact: contact, reporter_secret_hash: sha256(token),
      }, { id: 'citizen', role: 'citizen' }, { name: reporter, role: 'citizen' }, req.ip);
      return send<RequestCreated[]>(reply, format, 'service_requests', [{
        service_request_id: c.case_no, service_notice: '已受理上报 Report received', account_id: b.account_id ?? null, x_evaluation_token: token,
      }], created ? 201 : 200);
    });

    app.post(`${BASE}/requests/:id/evaluation.${format}`, {
      config: { rateLimit: REPORT_RATE },
      schema: {
        summary: 'Extension: the reporter evaluates a closed request (satisfied or not, a comment), with the token given at creation',
        tags: ['open311'],
        params: RequestParams,
        body: EvaluationBody,
        response: { 201: open311Answer(format, EvaluatedList, 'The evaluation recorded, in a list of one') },
      },
    }, async (req, reply) => {
      const { token, satisfied, comment, x_level: level } = req.body;
      const e = await evaluateRequest(db, req.params.id, sha256(token), { satisfied, comment, level });
      return send<Evaluated[]>(reply, format, 'service_requests', [e], 201);
    });

    app.get(`${BASE}/requests/:id/timeline.${format}`, {
      config: { rateLimit: TIMELINE_RATE },
      schema: {
        summary: 'Extension: the history of a request as its reporter follows it, with the token given at creation',
        description: 'Each status reached, when, and its public words; whether it may be evaluated now, and the evaluation. A wrong token answers 404, as an unknown request.',
        tags: ['open311'], params: RequestParams, querystring: TimelineQuery,
        response: { 200: open311Answer(format, TimelineList, 'The history, in a list of one') },
      },
    }, async (req, reply) => {
      const t = await requestTimeline(db, req.params.id, sha256(req.query.token));
      return send<Timeline[]>(reply, format, 'service_requests', [t]);
    });

    app.post(`${BASE}/requests/:id/supplements.${format}`, {
      config: { rateLimit: SUPPLEMENT_RATE },
      schema: {
        summary: 'Extension: add a description and photos to an open public request (补充) instead of reporting it again',
        description: 'No account and no token: the supplement is kept apart from the request and changes nothing the public sees of it; staff read it with the case. The same x_client_id again is kept once (200, x_duplicate).',
        tags: ['open311'], params: RequestParams, body: SupplementBody,
        response: {
          201: open311Answer(format, SupplementAddedList, 'The supplement kept, in a list of one'),
          200: open311Answer(format, SupplementAddedList, 'Kept already (the same x_client_id), in a list of one'),
        },
      },
    }, async (req, reply) => {
      const b = req.body;
      if (!b.description?.trim() && !b.media_url && !b.x_media_ids?.length) throw new BadRequestError('a supplement needs a description or a photo');
      const added = await addSupplement(db, req.params.id, { client_id: b.x_client_id, description: b.description?.trim(), photos: photosOf(b) }, req.ip);
      return send<SupplementAdded[]>(reply, format, 'service_requests', [added], added.x_duplicate ? 200 : 201);
    });
  }
};

export default open311Routes;
