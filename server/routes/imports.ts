// Network imports over HTTP: the raw file is the request body, options are query parameters; the import
// runs as a job (importers/jobs.ts) polled at /api/imports/jobs/{id}. Imports can be listed and removed.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { BadRequestError, NotFoundError } from '../features/errors.ts';
import { errorResponses, freeObject, useApiErrors, WRITE_RATE } from '../features/http.ts';
import { audit } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { currentUser, requireRole } from '../auth/request-user.ts';
import { formatFromName, MAX_IMPORT_BYTES } from '../importers/import.ts';
import { ImportJobs, UNKNOWN_JOB } from '../importers/jobs.ts';
import type { ImportLimits } from '../importers/limits.ts';
import { checkStorableText } from '../features/text.ts';
import { checkMagic, IMPORT_FORMATS, parseSourceCrs, type ImportFormat } from '../importers/read.ts';
import { checkZip } from '../importers/zip-check.ts';
import type { Usage } from '../importers/topology.ts';

export default async function importRoutes(app: FastifyInstance, opts: { pool: pg.Pool; jobs?: ImportJobs; limits?: ImportLimits }) {
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
      querystring: {
        type: 'object',
        required: ['filename'],
        properties: {
          filename: { type: 'string', minLength: 1, maxLength: 200 },
          format: { type: 'string', enum: IMPORT_FORMATS, description: 'Default: from the filename extension (.geojson/.json, .zip, .gpkg, .inp)' },
          crs: { type: 'string', maxLength: 20, description: 'Source CRS when the file does not say (or to override): EPSG:<code>, or gcj02' },
          tolerance_m: { type: 'number', minimum: 0, maximum: 50, default: 0.5 },
          usage: { type: 'string', enum: ['rain', 'sewage', 'combined'], default: 'sewage', description: 'Usage of pipes whose attributes do not say' },
        },
        additionalProperties: false,
      },
      response: { 202: freeObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query as { filename: string; format?: ImportFormat; crs?: string; tolerance_m: number; usage: Usage };
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
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => {
    const job = await jobs.get((req.params as { id: string }).id);
    if (!job) throw new NotFoundError(UNKNOWN_JOB);
    return job;
  });

  app.get('/api/imports', {
    schema: { summary: 'Imported networks, newest first', tags: ['drainage'], response: { 200: freeObject } },
  }, async () => {
    const { rows } = await opts.pool.query(
      `SELECT id, filename, format, source_crs, options, report, created_at FROM imports ORDER BY id DESC LIMIT 200`);
    return { items: rows };
  });

  app.delete('/api/imports/:id', {
    onRequest: planner,
    schema: {
      summary: 'Remove an imported network (its manholes and pipes)',
      tags: ['drainage'],
      params: { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
      response: { 200: freeObject, ...errorResponses },
    },
  }, async (req) => {
    const id = (req.params as { id: number }).id;
    const user = (await currentUser(req, opts.pool))!;
    return inTransaction(opts.pool, async (client) => {
      const { rows: [before] } = await client.query('DELETE FROM imports WHERE id = $1 RETURNING id, filename, format, report', [id]);
      if (!before) throw new NotFoundError('no such import');
      await audit(client, { user }, req, { action: 'import.delete', entity: 'import', entity_id: id, before });
      return { deleted: true };
    });
  });
}
