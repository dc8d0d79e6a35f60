// Network imports over HTTP: the raw file is the request body, options are query parameters; the import
// runs as a job (importers/jobs.ts) polled at /api/imports/jobs/{id}. Imports can be listed and removed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asJson } from '../../common/api/common.ts';
import { errorResponses } from '../../common/api/errors.ts';
import { ImportDeleted, ImportJob, ImportList, ImportParams, ImportQuery, ImportStarted, JobParams } from '../../common/api/imports.ts';
import type { Pool } from '../db/pool.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { useApiErrors, WRITE_RATE } from '../http/route-helpers.ts';
import { currentUser, requireRole } from '../auth/request-user.ts';
import { formatFromName, MAX_IMPORT_BYTES } from '../importers/import.ts';
import { listImports, removeImport } from '../importers/import-rows.ts';
import { ImportJobs, UNKNOWN_JOB } from '../importers/jobs.ts';
import type { ImportLimits } from '../importers/limits.ts';
import { checkStorableText } from '../http/text.ts';
import { checkMagic, IMPORT_FORMATS, parseSourceCrs } from '../importers/read.ts';
import { checkZip } from '../importers/zip-check.ts';

const importRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; jobs?: ImportJobs; limits?: ImportLimits }> = async (app, opts) => {
  useApiErrors(app);
  const jobs = opts.jobs ?? new ImportJobs(opts.pool, (err) => app.log.error(err), opts.limits);
  app.addHook('onClose', async () => { await jobs.idle(); });
  // Files arrive as they are: any content type is read as raw bytes (the format is checked by content).
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));

  // Imports change the network everyone relies on: planners and admins only, and each one is audited.
  const planner = requireRole(opts.pool, 'planner');

  app.post('/api/imports', {
    onRequest: planner,
    config: { rateLimit: WRITE_RATE },
    bodyLimit: MAX_IMPORT_BYTES,
    schema: {
      summary: 'Import a drainage network (GeoJSON, zipped Shapefile, GeoPackage, SWMM .inp): all or nothing, as a job',
      description: 'The request body is the file itself. Pipes without from/to node ids are joined at coincident or near vertices (tolerance_m); flow direction from invert levels when present, else digitising direction.',
      tags: ['drainage'],
      querystring: ImportQuery,
      response: { 202: ImportStarted, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query;
    const body = req.body;
    if (!Buffer.isBuffer(body) || !body.length) throw new BadRequestError('the request body must be the file to import');
    checkStorableText({ filename: q.filename });
    const format = q.format ?? formatFromName(q.filename);
    if (!format) throw new BadRequestError(`cannot tell the format from ${JSON.stringify(q.filename.slice(0, 60))}; give format=${IMPORT_FORMATS.join('|')}`);
    // What can be told from the bytes alone is answered now, not as a failed job.
    checkMagic(body, format);
    if (format === 'shapefile') checkZip(body);
    const user = (await currentUser(req, opts.pool))!;
    const job = await jobs.start(body, { filename: q.filename, format, crs: parseSourceCrs(q.crs), tolerance_m: q.tolerance_m, usage: q.usage }, { user }, req.ip);
    return reply.code(202).send({ job: job.id, status: `/api/imports/jobs/${job.id}` });
  });

  app.get('/api/imports/jobs/:id', {
    schema: {
      summary: 'State of an import job: queued, running (stage, progress), done (report) or failed (why)',
      tags: ['drainage'],
      params: JobParams,
      response: { 200: ImportJob, ...errorResponses },
    },
  }, async (req) => {
    const job = await jobs.get(req.params.id);
    if (!job) throw new NotFoundError(UNKNOWN_JOB);
    return job;
  });

  app.get('/api/imports', {
    schema: { summary: 'Imported networks, newest first', tags: ['drainage'], response: { 200: ImportList } },
  }, async () => asJson({ items: await listImports(opts.pool) }));

  app.delete('/api/imports/:id', {
    onRequest: planner,
    schema: {
      summary: 'Remove an imported network (its manholes and pipes)',
      tags: ['drainage'],
      params: ImportParams,
      response: { 200: ImportDeleted, ...errorResponses },
    },
  }, async (req) => {
    const user = (await currentUser(req, opts.pool))!;
    await removeImport(opts.pool, req.params.id, { user }, req);
    return { deleted: true };
  });
};

export default importRoutes;
