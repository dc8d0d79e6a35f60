// Imports over HTTP: the raw file is the request body, options are query parameters. A network (layer=pipes,
// the default) is imported as a job (importers/jobs.ts) polled at /api/imports/jobs/{id}. A registry layer
// (layer=cameras, grids…: importers/pipeline; inspections: importers/layers/inspection-report.ts) is small enough to answer while the client waits — read in the
// import worker, one layer import at a time, at most 50 MB and 200,000 rows — with its report: 200 for a
// dry run, 201 once committed, 400 with the report when refused. layer=basemap (an OSM extract or surveying
// layers: importers/layers/basemap.ts) replaces the basemap the same way. Imports can be listed and removed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asJson } from '../../common/api/common.ts';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { ImportDeleted, ImportJob, ImportList, ImportParams, ImportQuery, ImportStarted, JobParams, LayerImportRefused, LayerImportReport } from '../../common/api/imports.ts';
import type { Pool } from '../db/pool.ts';
import { ApiError, BadRequestError, NotFoundError } from '../http/errors.ts';
import { WRITE_RATE } from '../http/route-helpers.ts';
import { currentUser, requireRole } from '../auth/request-user.ts';
import { formatFromName, MAX_IMPORT_BYTES } from '../importers/import.ts';
import { listImports, removeImport } from '../importers/import-rows.ts';
import { ImportJobs, UNKNOWN_JOB } from '../importers/jobs.ts';
import { importInspectionsOverHttp } from '../importers/layers/inspection-report.ts';
import type { ImportLimits } from '../importers/limits.ts';
import { runBasemapImport } from '../importers/layers/basemap.ts';
import { BASEMAP_FORMATS, LAYER_FORMATS, type BasemapFormat, type LayerFormat } from '../importers/pipeline/formats.ts';
import { LayerImportRefused as Refused } from '../importers/pipeline/report.ts';
import { runLayerImport } from '../importers/pipeline/run.ts';
import { checkStorableText } from '../http/text.ts';
import { checkMagic, IMPORT_FORMATS, parseSourceCrs, type ImportFormat } from '../importers/read.ts';
import { checkZip } from '../importers/zip-check.ts';

/** The mapping parameter: a JSON object {field: column}, checked against the file by the import. */
function parseMapping(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new BadRequestError(`mapping must be JSON {"field": "column name"}: ${(err as Error).message}`);
  }
}

const importRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; jobs?: ImportJobs; limits?: ImportLimits }> = async (app, opts) => {
  // As http/route-helpers.ts useApiErrors, and a refused layer import's report goes with its message.
  app.setErrorHandler((err, req, reply) => {
    if (!(err instanceof ApiError)) throw err;
    // GDAL's own words (temporary paths, what a file pointed at) are for the log, never for the client.
    const detail = (err as { detail?: unknown }).detail;
    if (typeof detail === 'string') req.log.warn({ detail }, `import refused: ${err.message}`);
    return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...(err instanceof Refused ? { report: err.report } : {}) });
  });
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
      summary: 'Import a file into a layer, all or nothing: the drainage network (as a job), or a registry layer (answered with a report per row)',
      description: 'The request body is the file itself. layer=pipes (the default): GeoJSON, zipped Shapefile, GeoPackage or SWMM .inp; pipes without from/to node ids are joined at coincident or near vertices (tolerance_m); flow direction from invert levels when present, else digitising direction. '
        + 'layer=basemap: an OSM extract (.osm, .pbf) or zipped Shapefiles/GeoPackage/GeoJSON/KML of roads, water, buildings and labels replaces the basemap (roads, water, buildings, labels near the district). '
        + 'Other layers: zipped Shapefile, GeoPackage, GeoJSON, KML, CSV or .xlsx with longitude/latitude or X/Y columns; columns matched to fields by name (mapping overrides), rows with a stable code updated in place; dry_run=true writes nothing. '
        + 'layer=inspections: CCTV results (CJJ 181) as CSV or .xlsx, matched to reaches by pipe code or manhole codes, reaches rescored.',
      tags: ['drainage'],
      querystring: ImportQuery,
      response: { 200: LayerImportReport, 201: LayerImportReport, 202: ImportStarted, ...errorResponses, 400: LayerImportRefused },
    },
  }, async (req, reply) => {
    const q = req.query;
    const body = req.body;
    if (!Buffer.isBuffer(body) || !body.length) throw new BadRequestError('the request body must be the file to import');
    checkStorableText({ filename: q.filename, sheet: q.sheet });
    if (q.layer === 'basemap') {
      const unused = (['mapping', 'sheet'] as const).filter((k) => q[k] !== undefined);
      if (unused.length || q.replace) throw new BadRequestError(`${[...unused, ...(q.replace ? ['replace'] : [])].join(', ')}: not for the basemap, which always replaces the whole basemap`);
      if (q.format && !(BASEMAP_FORMATS as readonly string[]).includes(q.format)) throw new BadRequestError(`format ${q.format}: a basemap is imported from ${BASEMAP_FORMATS.join(', ')}`);
      const user = (await currentUser(req, opts.pool))!;
      const report = await runBasemapImport(opts.pool, body, {
        filename: q.filename, format: q.format as BasemapFormat | undefined, crs: q.crs, encoding: q.encoding, dryRun: q.dry_run, limits: opts.limits, via: 'http',
      }, { user }, req.ip);
      return reply.code(report.committed ? 201 : 200).send(report);
    }
    if (q.layer === 'inspections') {
      const notHere = (['crs'] as const).filter((k) => q[k] !== undefined);
      if (notHere.length || q.replace) throw new BadRequestError(`${[...notHere, ...(q.replace ? ['replace'] : [])].join(', ')}: not for inspections (rows are matched to reaches by pipe or manhole codes, and a reach's inspection on a date replaces the one there)`);
      const user = (await currentUser(req, opts.pool))!;
      const report = await importInspectionsOverHttp(opts.pool, body, {
        filename: q.filename, format: q.format, encoding: q.encoding, mapping: parseMapping(q.mapping), sheet: q.sheet, dryRun: q.dry_run, limits: opts.limits,
      }, { user }, req.ip);
      return reply.code(report.committed ? 201 : 200).send(report);
    }
    if (q.layer !== 'pipes') {
      if (q.format && !(LAYER_FORMATS as readonly string[]).includes(q.format)) throw new BadRequestError(`format ${q.format} is for networks; a layer is imported from ${LAYER_FORMATS.join(', ')}`);
      const user = (await currentUser(req, opts.pool))!;
      const report = await runLayerImport(opts.pool, body, {
        layer: q.layer, filename: q.filename, format: q.format as LayerFormat | undefined, crs: q.crs, encoding: q.encoding, mapping: parseMapping(q.mapping),
        sheet: q.sheet, dryRun: q.dry_run, replace: q.replace, limits: opts.limits, via: 'http',
      }, { user }, req.ip);
      return reply.code(report.committed ? 201 : 200).send(report);
    }
    const layerOnly = (['encoding', 'mapping', 'sheet'] as const).filter((k) => q[k] !== undefined);
    if (q.dry_run || q.replace || layerOnly.length) throw new BadRequestError(`${[...(q.dry_run ? ['dry_run'] : []), ...(q.replace ? ['replace'] : []), ...layerOnly].join(', ')}: for registry layers only; a network is imported as a job`);
    if (q.format && !(IMPORT_FORMATS as readonly string[]).includes(q.format)) throw new BadRequestError(`format ${q.format} is for registry layers; give layer=<layer>, or a network as ${IMPORT_FORMATS.join(', ')}`);
    const format = (q.format as ImportFormat | undefined) ?? formatFromName(q.filename);
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
    schema: { summary: 'Imports made (networks and layers), newest first', tags: ['drainage'], response: { 200: ImportList } },
  }, async () => asJson({ items: await listImports(opts.pool) }));

  app.delete('/api/imports/:id', {
    onRequest: planner,
    schema: {
      summary: 'Remove an import: a network with its manholes and pipes; a layer import with the rows it inserted (the rows it updated stay), 409 while a later import of the layer wrote them or other rows use them',
      tags: ['drainage'],
      params: ImportParams,
      response: { 200: ImportDeleted, ...errorResponses, 409: ErrorBody },
    },
  }, async (req) => {
    const user = (await currentUser(req, opts.pool))!;
    const layer = await removeImport(opts.pool, req.params.id, { user }, req);
    return { deleted: true, ...layer };
  });
};

export default importRoutes;
