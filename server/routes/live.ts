// GET /api/live (Server-Sent Events) and the ingest API for readings, positions, camera status, facility state and device reports.
// Ingest is for dispatchers and admins, or for a feed holding the key (ONEMAP_INGEST_KEY, AppOptions.ingestKey).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { NotJson } from '../../common/api/common.ts';
import { errorResponses } from '../../common/api/errors.ts';
import {
  CameraStatusBody, CameraStatusIngested, FacilitiesIngested, FacilityStateBody, LiveQuery, MAX_RECENT, PositionsBody, PositionsIngested, ReadingsBody, ReadingsIngested, RecentAnswer, RecentQuery,
} from '../../common/api/live.ts';
import type { Actor } from '../auth/audit.ts';
import { currentUser, requireRole } from '../auth/request-user.ts';
import type { Pool } from '../db/pool.ts';
import { useApiErrors } from '../http/route-helpers.ts';
import { mayReadCase, readerGrids, readerOf, type Reader } from '../cases/access.ts';
import { MAX_REPLAY, type EventFilter, type LiveHub } from '../live/hub.ts';
import { ANONYMOUS } from '../limits/anonymous.ts';
import { liveStream } from '../limits/expensive.ts';
import { recentEvents } from '../live/recent.ts';
import { ingestCameraStatus, ingestPositions, ingestReadings } from '../live/ingest.ts';
import { ingestFacilityState } from '../live/ingest-facilities.ts';
import { DeviceReportsBody, DevicesIngested, SEES_PEOPLE } from '../../common/api/personnel.ts';
import { ingestDevices } from '../data/personnel.ts';

/** The audit log's name for a feed that ingests with the key. */
const FEED_ACTOR: Actor = { name: 'feed (X-Ingest-Key)', role: 'system' };

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Compared in constant time whatever the lengths: both sides are hashed to 32 bytes first (timingSafeEqual
 * needs equal lengths, and checking the lengths first would tell a guesser how long the key is).
 */
function keyMatches(req: FastifyRequest, key: string | undefined): boolean {
  const given = req.headers['x-ingest-key'];
  if (!key || typeof given !== 'string') return false;
  return timingSafeEqual(sha256(given), sha256(key));
}

/**
 * What a page may hear, live or replayed: a field worker no case outside their grids (the payload carries its
 * grid), a handler only their department's cases (and the one just taken from it); positions of people only
 * those who see people (SEES_PEOPLE), positions of devices only accounts.
 */
function admitsFor(reader: Reader): EventFilter {
  const hidden = new Set<string>();
  if (!reader) hidden.add('device_position');
  if (!reader || !(SEES_PEOPLE as readonly string[]).includes(reader.role)) hidden.add('staff_position');
  const bound = readerGrids(reader) !== null;
  if (!bound && !hidden.size) return null;
  return (e) => {
    if (hidden.has(e.kind)) return false;
    if (!bound || e.kind !== 'case') return true;
    const c = JSON.parse(e.payload) as { grid_code: string | null; department_code?: string | null; department_before?: string | null };
    return mayReadCase(reader!, c.grid_code, c.department_code) || (c.department_before != null && mayReadCase(reader!, c.grid_code, c.department_before));
  };
}

const asList = <T>(b: T | T[]) => (Array.isArray(b) ? b : [b]);

const liveRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; hub: LiveHub; ingestKey?: string }> = async (app, opts) => {
  useApiErrors(app);
  const staff = requireRole(opts.pool, 'dispatcher');
  const ingestAuth = async (req: FastifyRequest, reply: Parameters<typeof staff>[1]) => { if (!keyMatches(req, opts.ingestKey)) await staff(req, reply); };
  // Who ingests, for the audit log: the feed, or the account ingestAuth let through (its lookup is cached).
  const ingester = async (req: FastifyRequest): Promise<Actor> => (keyMatches(req, opts.ingestKey) ? FEED_ACTOR : { user: (await currentUser(req, opts.pool))! });

  app.get('/api/live', {
    compress: false,
    preHandler: liveStream(opts.pool),
    schema: {
      summary: 'Live events as Server-Sent Events: observation, position, camera, alarm, case, liveness (a thing stopped or started reporting), facility, staff_position and device_position (to accounts that may see them)',
      description: `Send Last-Event-ID (or ?last_event_id=) to get the events missed since (at most ${MAX_REPLAY}, ${ANONYMOUS.replayEvents} without logging in). An event "reset" means too much was missed: reload the state. Without logging in, at most ${ANONYMOUS.streamsPerClient} streams per address.`,
      tags: ['live'],
      querystring: LiveQuery,
      response: { 200: NotJson('Events (event: the kind, id: its place in the log, data: JSON whose fields follow the kind) and heartbeat comments', 'text/event-stream') },
    },
  }, async (req, reply) => {
    const q = req.query;
    const header = req.headers['last-event-id'];
    const last = typeof header === 'string' && /^[0-9]{1,18}$/.test(header) ? header : q.last_event_id ?? null;
    const reader = await readerOf(req, opts.pool);
    const admits = admitsFor(reader);
    const maxReplay = reader ? MAX_REPLAY : ANONYMOUS.replayEvents;
    reply.hijack();
    await opts.hub.open(reply.raw, q.kinds ? new Set(q.kinds.split(',')) : null, last, admits, maxReplay);
  });

  app.get('/api/live/recent', {
    schema: {
      summary: 'The newest live events, oldest first, for a page that opens: its feed shows what just happened',
      description: `At most ${MAX_RECENT}, from the last ${MAX_REPLAY} events of the log, each with its time; last_id is the log's last id, to open /api/live from (Last-Event-ID) so that nothing is missed in between.`,
      tags: ['live'],
      querystring: RecentQuery,
      response: { 200: RecentAnswer, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    return recentEvents(opts.pool, q.kinds ? q.kinds.split(',') : null, q.limit, admitsFor(await readerOf(req, opts.pool)));
  });

  app.post('/api/ingest/observations', {
    onRequest: ingestAuth,
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      summary: 'Sensor readings, one or a batch: stored once, thresholds applied (alarms raised and cleared with hysteresis)',
      tags: ['live'],
      body: ReadingsBody,
      response: { 200: ReadingsIngested, ...errorResponses },
    },
  }, async (req) => ingestReadings(opts.pool, asList(req.body), await ingester(req), req));

  app.post('/api/ingest/positions', {
    onRequest: ingestAuth,
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      summary: 'Vehicle GPS positions, one or a batch',
      tags: ['live'],
      body: PositionsBody,
      response: { 200: PositionsIngested, ...errorResponses },
    },
  }, async (req) => ingestPositions(opts.pool, asList(req.body), await ingester(req), req));

  app.post('/api/ingest/cameras', {
    onRequest: ingestAuth,
    schema: {
      summary: 'Camera status changes, one or a batch',
      tags: ['live'],
      body: CameraStatusBody,
      response: { 200: CameraStatusIngested, ...errorResponses },
    },
  }, async (req) => ingestCameraStatus(opts.pool, asList(req.body), await ingester(req), req));

  app.post('/api/ingest/facilities', {
    onRequest: ingestAuth,
    schema: {
      summary: 'Facility operating state, one or a batch: gate opening, pumps and flow, water level with 警戒/保证水位',
      description: 'Each report changes only the fields it gives; a field the facility\'s kind does not have is refused. Changes are kept in the history and sent as live events "facility".',
      tags: ['live'],
      body: FacilityStateBody,
      response: { 200: FacilitiesIngested, ...errorResponses },
    },
  }, async (req) => ingestFacilityState(opts.pool, asList(req.body), await ingester(req), req));

  app.post('/api/ingest/devices', {
    onRequest: ingestAuth,
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      summary: 'Device reports (执法记录仪, vehicle and site cameras), one or a batch: position and/or status',
      tags: ['live'],
      body: DeviceReportsBody,
      response: { 200: DevicesIngested, ...errorResponses },
    },
  }, async (req) => ingestDevices(opts.pool, asList(req.body), await ingester(req), req));
};

export default liveRoutes;
