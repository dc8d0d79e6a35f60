// Editing on the map, for planners and admins: read, add, move or change, and delete one camera, facility,
// sensor station, hazard or misconnection, under /api/edit/{layer} (the layers' OGC collection ids). The
// checks, the transaction and the audit are server/edit/; here the request becomes its arguments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DeletedFeature, EDIT_LAYERS, EditedFeature, EditParams, IfMatch, NEW_BODIES, PATCH_BODIES, type EditLayer,
} from '../../common/api/edit.ts';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { currentUser, requireRole } from '../auth/request-user.ts';
import type { Coverage } from '../cameras/analytics.ts';
import type { Pool } from '../db/pool.ts';
import { FeatureEditor, type Editor } from '../edit/store.ts';
import { BadRequestError } from '../http/errors.ts';
import { checkLonLat, parseCrs, toWgs84 } from '../geo/input.ts';
import { useApiErrors, WRITE_RATE } from '../http/route-helpers.ts';
import type { TileService } from '../tiles/service.ts';

const LABEL: Record<EditLayer, string> = {
  cameras: 'camera (its field of view and the coverage of the grids it reaches follow)',
  facilities: 'facility',
  sensors: 'sensor station',
  hazards: 'hazard (its status follows its own workflow)',
  misconnections: 'misconnection (its status follows its own workflow)',
};

const refused = { 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

/** Where the body puts the feature: lon and lat together, or neither. */
function positionOf(b: { lon?: number; lat?: number; crs?: string }): [number, number] | null {
  if (b.lon === undefined && b.lat === undefined) return null;
  if (b.lon === undefined || b.lat === undefined) throw new BadRequestError('lon and lat: give both to move the feature, or neither');
  return toWgs84(checkLonLat(b.lon, b.lat), parseCrs(b.crs));
}

/** The body without its position: the fields. */
function fieldsOf(b: object): Record<string, unknown> {
  const { lon: _x, lat: _y, crs: _c, ...fields } = b as Record<string, unknown>;
  return fields;
}

const editRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; tiles: TileService; coverage: Coverage }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const editor = new FeatureEditor(db, (table, bbox) => {
    opts.tiles.applyChange({ table, op: 'update', rows: 1, bbox });
    if (table === 'cameras') opts.coverage.mirror.invalidate();
  });
  const planner = requireRole(db, 'planner');
  const by = async (req: FastifyRequest): Promise<Editor> => ({ actor: { user: (await currentUser(req, db))! }, ip: req.ip });
  const withEtag = <T extends { version: string }>(reply: FastifyReply, f: T) => { reply.header('etag', `"${f.version}"`); return f; };

  for (const layer of EDIT_LAYERS) {
    const base = `/api/edit/${layer}`;
    const tags = ['edit'];

    app.get(`${base}/:id`, {
      onRequest: planner,
      schema: { summary: `One ${LABEL[layer]} as the edit form shows it, with its version (ETag)`, tags, params: EditParams, response: { 200: EditedFeature, ...refused, ...errorResponses } },
    }, async (req, reply) => withEtag(reply, await editor.get(layer, req.params.id)));

    app.post(base, {
      onRequest: planner,
      config: { rateLimit: WRITE_RATE },
      schema: {
        summary: `Add a ${LABEL[layer]} at a position in the district`,
        tags,
        body: NEW_BODIES[layer],
        response: { 201: EditedFeature, 409: ErrorBody, ...refused, ...errorResponses },
      },
    }, async (req, reply) => {
      const f = await editor.create(layer, positionOf(req.body)!, fieldsOf(req.body), await by(req));
      return reply.code(201).send(withEtag(reply, f));
    });

    app.patch(`${base}/:id`, {
      onRequest: planner,
      config: { rateLimit: WRITE_RATE },
      schema: {
        summary: `Move a ${LABEL[layer]} and/or change its fields; If-Match names the version changed`,
        description: '409 when the feature changed since that version (read it again), 428 without If-Match.',
        tags,
        params: EditParams,
        headers: IfMatch,
        body: PATCH_BODIES[layer],
        response: { 200: EditedFeature, 409: ErrorBody, 428: ErrorBody, ...refused, ...errorResponses },
      },
    }, async (req, reply) => {
      const f = await editor.update(layer, req.params.id, req.headers['if-match'], positionOf(req.body), fieldsOf(req.body), await by(req));
      return withEtag(reply, f);
    });

    app.delete(`${base}/:id`, {
      onRequest: planner,
      config: { rateLimit: WRITE_RATE },
      schema: {
        summary: `Delete a ${LABEL[layer]}; If-Match names the version deleted`,
        tags,
        params: EditParams,
        headers: IfMatch,
        response: { 200: DeletedFeature, 409: ErrorBody, 428: ErrorBody, ...refused, ...errorResponses },
      },
    }, async (req) => editor.remove(layer, req.params.id, req.headers['if-match'], await by(req)));
  }
};

export default editRoutes;
