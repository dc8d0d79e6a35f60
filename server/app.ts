// The Fastify app: plugins, routes, and the error policy (a clear 4xx for bad input, 503 while the
// database is away, never a stack trace to the client).
import { existsSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import type pg from 'pg';
import { ANONYMOUS_STATEMENT_TIMEOUT_MS, createPool, STATEMENT_TIMEOUT_MS } from './db/pool.ts';
import { AnonymousShareBusy, isCancelled, isDbUnavailable, isPoolBusy, isStatementTimeout } from './db/errors.ts';
import { abandonReads } from './http/abandoned.ts';
import { readYourWrites } from './http/read-your-writes.ts';
import { Replica, REPLICA_MAX_LAG_MS, REPLICA_PROBE_MS, type ReplicaOptions } from './db/replica.ts';
import { ChangeFeed } from './live/changes.ts';
import { discoverLayers } from './tiles/registry.ts';
import { TileService } from './tiles/service.ts';
import healthRoutes from './routes/health.ts';
import { instanceName } from './instance.ts';
import tileRoutes from './routes/tiles.ts';
import ogcRoutes from './routes/ogc.ts';
import queryRoutes from './routes/query.ts';
import searchRoutes from './routes/search.ts';
import detailsRoutes from './routes/details.ts';
import docsRoutes from './routes/docs.ts';
import vehicleRoutes from './routes/vehicles.ts';
import historyRoutes from './routes/history.ts';
import { HISTORY_EVERY_MS, historyKeeper } from './data/history.ts';
import personnelRoutes from './routes/personnel.ts';
import densityRoutes from './routes/density.ts';
import countRoutes from './routes/counts.ts';
import traceRoutes from './routes/trace.ts';
import networkRoutes from './routes/network.ts';
import networkViewRoutes from './routes/network-view.ts';
import drainageRoutes from './routes/drainage.ts';
import importRoutes from './routes/imports.ts';
import { importLimits, type ImportLimits } from './importers/limits.ts';
import authRoutes from './routes/auth.ts';
import caseRoutes from './routes/cases.ts';
import remediationRoutes from './routes/remediation.ts';
import departmentRoutes from './routes/departments.ts';
import open311Routes from './routes/open311.ts';
import liveRoutes from './routes/live.ts';
import cameraRoutes from './routes/cameras.ts';
import editRoutes from './routes/edit.ts';
import wallRoutes from './routes/wall.ts';
import alarmRoutes from './routes/alarms.ts';
import { alarmSweeper, ALARM_SWEEP_MS } from './alarms/sweep.ts';
import { DEFAULT_ACK_MINUTES, type AckMinutes } from './domain/alarm-handling.ts';
import dataRoutes from './routes/data.ts';
import { Coverage } from './cameras/analytics.ts';
import { LiveHub } from './live/hub.ts';
import { catalogFor } from './features/catalog.ts';
import { keepFresh } from './features/memory-mirror.ts';
import { tracerFor } from './network/tracer.ts';
import { ConditionWorker } from './drainage/condition.ts';
import { caseCellFolder, FOLD_INTERVAL_MS } from './cases/cell-fold.ts';
import { photoSweeper, SWEEP_INTERVAL_MS } from './cases/photo-sweep.ts';
import type { Housekeeping } from './db/housekeeping.ts';
import { cameraDaysRoller, livenessSweeper, ROLL_UP_EVERY_MS, SWEEP_EVERY_MS } from './live/liveness-sweep.ts';
import { webSecurity } from './web-security.ts';
import { basemapOrigins, type ExternalBasemap } from './basemaps.ts';
import basemapRoutes from './routes/basemaps.ts';
import { refuseUnwantedText, rejectNonFiniteNumbers } from './http/route-helpers.ts';
import { checkIngestKey } from './settings.ts';
import { sharedRateLimits, SWEEP_EVERY_MS as RATE_SWEEP_MS } from './limits/shared-rate-store.ts';
import { REPO_ROOT } from './root.ts';

const ROOT = REPO_ROOT;
export const VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

export interface AppOptions {
  databaseUrl: string;
  /** The built frontend; served at / when present. */
  distDir?: string;
  logger?: boolean;
  poolSize?: number;
  /** The statement timeout of anonymous clients' expensive requests (server/limits/expensive.ts); 5 s by default. */
  anonymousStatementTimeoutMs?: number;
  /**
   * Whether X-Forwarded-For names the client (rate limits, audit): only behind a proxy that sets it.
   * Off by default, else anyone could pick a fresh address per request and walk past the login limit.
   * The proxies' addresses/CIDRs (settings.ts parseTrustProxy), or true (anyone's: tests and benchmarks).
   */
  trustProxy?: boolean | string[];
  /** The key a feed sends as X-Ingest-Key to /api/ingest/* (at least MIN_INGEST_KEY_LENGTH characters); none by default. */
  ingestKey?: string;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: string[];
  /** Origins allowed to frame the app (CSP frame-ancestors); only itself by default. */
  frameAncestors?: string[];
  /** Minutes an alarm may wait unacknowledged per level (ONEMAP_ALARM_ACK_MINUTES); DEFAULT_ACK_MINUTES by default. */
  alarmAckMinutes?: AckMinutes;
  /** Origins camera streams play from (CSP connect-src and media-src; settings.ts parseStreamOrigins); none by default. */
  streamOrigins?: string[];
  /** External basemaps (basemaps.ts parseBasemaps): offered at /api/basemaps, their hosts allowed by the CSP; none by default. */
  basemaps?: ExternalBasemap[];
  /** Time, memory and size limits of imports (importers/limits.ts); tests lower them. */
  importLimits?: Partial<ImportLimits>;
  /** Cancel the queries of reads whose client went away (http/abandoned.ts); on by default, off for a benchmark's baseline. */
  cancelAbandoned?: boolean;
  /**
   * Rate limits counted in PostgreSQL, shared by every instance on the database (limits/shared-rate-store.ts);
   * on by default, off for a benchmark's baseline (each process counts in its own memory).
   */
  sharedRateLimits?: boolean;
  /** A streaming hot standby of the database (DATABASE_REPLICA_URL) that serves the read-only GETs (db/replica.ts). */
  replica?: Pick<ReplicaOptions, 'url' | 'maxLagMs' | 'probeMs'>;
  /** This process's name in /api/health (ONEMAP_INSTANCE); host:pid by default. */
  instance?: string;
}

/** How long browsers keep a content-named build file (a year, never revalidated). */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Response bodies smaller than this are sent uncompressed. */
export const COMPRESS_THRESHOLD = 1400;

export interface App {
  app: FastifyInstance;
  condition: ConditionWorker;
  hub: LiveHub;
  /** The sweep of photos no case took (`run()` sweeps now). */
  photos: Housekeeping<number>;
  /** The escalation of alarms nobody acknowledged in time (`run()` sweeps now). */
  alarmSweep: Housekeeping<number>;
  pool: pg.Pool;
  /** The read standby, when one is configured. */
  replica?: Replica;
  tiles: TileService;
  changes: ChangeFeed;
  close(): Promise<void>;
}

/** Ajv says "must NOT have additional properties" without naming the one; a person needs the name. */
function validationMessage(err: Error & { validation?: unknown; validationContext?: string }): string {
  const first = Array.isArray(err.validation) ? err.validation[0] as { keyword?: string; params?: { additionalProperty?: string }; instancePath?: string } : null;
  if (first?.keyword === 'additionalProperties' && first.params?.additionalProperty) {
    return `${err.validationContext ?? 'request'}${first.instancePath ?? ''} has an unknown property "${first.params.additionalProperty.slice(0, 60)}"`;
  }
  return err.message;
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

export async function buildApp(opts: AppOptions): Promise<App> {
  checkIngestKey(opts.ingestKey);
  const anonymousTimeoutMs = opts.anonymousStatementTimeoutMs ?? ANONYMOUS_STATEMENT_TIMEOUT_MS;
  const cancelAbandoned = opts.cancelAbandoned ?? true;
  const pool = createPool({ url: opts.databaseUrl, max: opts.poolSize ?? 16, anonymousStatementTimeoutMs: anonymousTimeoutMs, cancelAbandoned });
  const replica = opts.replica && new Replica(pool, { ...opts.replica, poolSize: opts.poolSize ?? 16, anonymousStatementTimeoutMs: anonymousTimeoutMs, cancelAbandoned });
  const tiles = new TileService(await discoverLayers(), pool);
  const changes = new ChangeFeed(opts.databaseUrl, Boolean(replica));
  const hub = new LiveHub(pool);
  const coverage = new Coverage(pool);
  changes.on('change', (c, lsn) => tiles.applyChange(c, lsn));
  changes.on('reset', () => tiles.reset());
  changes.on('connected', () => tiles.listening(changes.listeningSince));

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    // Fastify's Ajv drops properties a schema does not name; a misspelt filter (?staus=open) would then
    // quietly answer for all. Refused instead, with the name of the property.
    ajv: { customOptions: { removeAdditional: false } },
  });
  await app.register(swagger, {
    openapi: { info: { title: 'Wuchang One-Map API', version: VERSION }, servers: [] },
  });
  // Bodies that fit in one TCP segment (~1400 bytes) gain nothing from compression: one packet either way.
  // JSON is compressed per response, so brotli runs at quality 3: measured 2× faster than 4 for 3 % more
  // bytes (a 68 KB items page: 255 vs 500 µs, 10.8 vs 10.5 KB; a 4 KB nearest answer: 31 vs 84 µs).
  await app.register(compress, { global: true, threshold: COMPRESS_THRESHOLD, brotliOptions: { params: { 1: 3 } } as never });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      const code = err.statusCode ?? 400;
      return reply.code(code).send({ error: (STATUS_CODES[code] ?? 'bad request').toLowerCase(), message: validationMessage(err) });
    }
    // Only decoding what the client sent (a session cookie, a percent-encoded value) throws URIError.
    if (err instanceof URIError) {
      return reply.code(400).send({ error: 'bad request', message: 'a value in the request (a cookie or a percent-encoded parameter) is not valid percent-encoding' });
    }
    // PostgreSQL refuses NUL in text (22021) and in jsonb (22P05): only a value the client sent carries one.
    // Inputs are checked where they are read (http/text.ts); this catches one that is not yet.
    const pgCode = (err as { code?: unknown }).code;
    if (pgCode === '22021' || pgCode === '22P05') {
      req.log.warn({ err }, 'text with NUL reached the database');
      return reply.code(400).send({ error: 'bad request', message: 'a text value in the request contains a NUL character (U+0000), which cannot be stored' });
    }
    // The client has gone: nobody reads this answer, and it is no bug.
    if (isCancelled(err)) {
      return reply.code(503).send({ error: 'unavailable', message: 'the request was cancelled: its client went away' });
    }
    // Asking again would cost as much: no Retry-After; the answer says how to ask for less.
    if (isStatementTimeout(err)) {
      return reply.code(503).send({
        error: 'unavailable',
        message: `the request was too expensive: its database query ran past the time allowed (${seconds(anonymousTimeoutMs)} without logging in, ${seconds(STATEMENT_TIMEOUT_MS)} logged in); ask for less (a smaller bbox or limit, fewer filter conditions, a shorter trace) or log in`,
      });
    }
    if (err instanceof AnonymousShareBusy) {
      return reply.code(503).header('retry-after', '1').send({ error: 'unavailable', message: `the server is busy: requests from clients that are not logged in hold the ${err.share} database connections they may use; retry shortly, or log in` });
    }
    if (isPoolBusy(err)) {
      return reply.code(503).header('retry-after', '1').send({ error: 'unavailable', message: `the server is busy (all ${pool.options.max} database connections in use); retry shortly` });
    }
    if (isDbUnavailable(err)) {
      return reply.code(503).header('retry-after', '2').send({ error: 'unavailable', message: 'the database cannot be reached; retry shortly' });
    }
    // A 500 is our bug: it is written down even when request logging is off.
    if (opts.logger) req.log.error(err);
    else process.stderr.write(`[server] 500 on ${req.method} ${req.url.slice(0, 200)}: ${err.stack ?? err.message}\n`);
    return reply.code(500).send({ error: 'internal error', message: 'the server could not complete the request' });
  });

  if (cancelAbandoned) abandonReads(app);
  // The client's last write, past which the standby must be before it serves this client's reads: as long
  // as a standby may lag (its limit, plus a probe's age) and not longer.
  if (replica) readYourWrites(app, pool, Math.ceil(((opts.replica?.maxLagMs ?? REPLICA_MAX_LAG_MS) + (opts.replica?.probeMs ?? REPLICA_PROBE_MS)) / 1000) + 1);
  await webSecurity(app, { corsOrigins: opts.corsOrigins, frameAncestors: opts.frameAncestors, streamOrigins: opts.streamOrigins, tileOrigins: basemapOrigins(opts.basemaps ?? []) });
  refuseUnwantedText(app);
  rejectNonFiniteNumbers(app);
  // Only routes that ask for it are limited (login, writes); tiles and reads are not. Counted in the
  // database, so a client spends one budget across all the instances behind a balancer.
  const rates = (opts.sharedRateLimits ?? true) ? sharedRateLimits(opts.databaseUrl, (err) => app.log.error(err)) : null;
  await app.register(rateLimit, { global: false, ...(rates && { store: rates.store }) });
  await app.register(healthRoutes, { pool, version: VERSION, instance: opts.instance ?? instanceName(undefined) });
  await app.register(basemapRoutes, { basemaps: opts.basemaps ?? [] });
  await app.register(authRoutes, { pool });
  await app.register(tileRoutes, { tiles, pool });
  await app.register(ogcRoutes, { pool });
  await app.register(queryRoutes, { pool });
  await app.register(traceRoutes, { pool });
  await app.register(networkRoutes, { pool });
  await app.register(networkViewRoutes, { pool });
  await app.register(drainageRoutes, { pool });
  await app.register(importRoutes, { pool, limits: importLimits(opts.importLimits) });
  await app.register(caseRoutes, { pool });
  await app.register(remediationRoutes, { pool });
  await app.register(departmentRoutes, { pool });
  await app.register(open311Routes, { pool });
  await app.register(liveRoutes, { pool, hub, ingestKey: opts.ingestKey });
  await app.register(cameraRoutes, { pool, coverage });
  await app.register(editRoutes, { pool, tiles, coverage });
  await app.register(wallRoutes, { pool });
  const ack = opts.alarmAckMinutes ?? DEFAULT_ACK_MINUTES;
  await app.register(alarmRoutes, { pool, ack });
  await app.register(dataRoutes, { pool });
  await app.register(searchRoutes, { pool });
  await app.register(detailsRoutes, { pool });
  await app.register(docsRoutes);
  await app.register(vehicleRoutes, { pool });
  await app.register(historyRoutes, { pool });
  await app.register(personnelRoutes, { pool });
  await app.register(densityRoutes, { pool });
  await app.register(countRoutes, { pool });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const dist = opts.distDir ?? path.join(ROOT, 'dist');
  if (existsSync(path.join(dist, 'index.html'))) {
    const assets = path.join(dist, 'assets') + path.sep;
    await app.register(fastifyStatic, {
      root: dist, prefix: '/', wildcard: false, index: ['index.html'],
      // Vite names every file under assets/ by its content (code, styles, the shipped font's subsets): a new
      // build brings new names, so browsers keep them a year without asking. The page and the service worker
      // keep their names and the default (asked again each time).
      setHeaders: (reply, file) => {
        if (file.startsWith(assets)) reply.header('cache-control', IMMUTABLE);
      },
    });
    // The modes are one app: /wall, /field, /citizen (with its tracking pages) and /report load the same page.
    for (const route of ['/wall', '/field', '/citizen', '/citizen/track/:id', '/report']) app.get(route, { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
    app.get('/assets/*', { schema: { hide: true } }, (req, reply) => reply.sendFile((req.params as { '*': string })['*'], path.join(dist, 'assets')));
  }
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not found', message: `no route for ${req.method} ${req.url.slice(0, 100)}` }));

  // The in-memory copies (grid polygons, small point layers, the network graph) are trusted only while
  // the change feed is heard, and dropped on each change to their tables.
  const catalog = catalogFor(pool);
  const unwatch = keepFresh(changes, [...catalog.mirrors, tracerFor(pool).graph, coverage.mirror]);
  changes.on('change', (c) => catalog.forgetExtents(c.table));
  changes.on('reset', () => catalog.forgetExtents(null));
  // CJJ 181 scores follow inspections whoever writes them: rescored when the database queues reaches.
  const condition = new ConditionWorker(pool, (err) => app.log.error(err));
  changes.on('condition', () => void condition.kick());
  changes.on('connected', () => void condition.kick());
  const cellFolder = caseCellFolder(pool, (err) => app.log.error(err));
  cellFolder.start(FOLD_INTERVAL_MS);
  const photos = photoSweeper(pool, (err) => app.log.error(err));
  photos.start(SWEEP_INTERVAL_MS, { now: true });
  const alarmSweep = alarmSweeper(pool, ack, (err) => app.log.error(err));
  alarmSweep.start(ALARM_SWEEP_MS, { now: true });
  // Silent stations, vehicles and cameras go offline; camera days follow the status history.
  const liveness = livenessSweeper(pool, (err) => app.log.error(err));
  liveness.start(SWEEP_EVERY_MS, { now: true });
  const cameraDays = cameraDaysRoller(pool, (err) => app.log.error(err));
  cameraDays.start(ROLL_UP_EVERY_MS, { now: true });
  // Day partitions of the history made ahead, whole days past their keeping dropped.
  const history = historyKeeper(pool, (err) => app.log.error(err));
  history.start(HISTORY_EVERY_MS, { now: true });
  rates?.sweeper.start(RATE_SWEEP_MS);
  // Live events: read on every NOTIFY, and after a reconnect (what was written meanwhile is in the table).
  changes.on('live', () => void hub.poke());
  changes.on('connected', () => void hub.poke());
  await hub.start();
  await changes.start();
  await replica?.start();
  return {
    app,
    pool,
    replica,
    tiles,
    changes,
    condition,
    hub,
    photos,
    alarmSweep,
    async close() {
      hub.stop();
      await app.close();
      unwatch();
      await changes.stop();
      await condition.idle();
      await cellFolder.stop();
      await photos.stop();
      await alarmSweep.stop();
      await liveness.stop();
      await cameraDays.stop();
      await history.stop();
      await rates?.close();
      await replica?.stop();
      await pool.end();
    },
  };
}
