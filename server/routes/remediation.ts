// Remediation of hazards and misconnections: the status with its history and the steps the account may take,
// a step (409 when not possible from the status), and raising a case (立案) from one. The rules are
// server/domain/remediation.ts; the SQL is server/drainage/remediation-*.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import {
  RaiseCaseBody, RaisedCase, Remediation, REMEDIATION_LAYERS, RemediationParams, RemediationStepBody, RemediationStepParams, type RemediationLayer,
} from '../../common/api/remediation.ts';
import { currentUser, requireLogin, requireRole } from '../auth/request-user.ts';
import { actorOf } from '../cases/access.ts';
import type { Pool } from '../db/pool.ts';
import { raiseCaseFrom } from '../drainage/remediation-cases.ts';
import { remediationOf } from '../drainage/remediation-read.ts';
import { takeStep } from '../drainage/remediation-steps.ts';
import { NotFoundError } from '../http/errors.ts';
import { useApiErrors, WRITE_RATE } from '../http/route-helpers.ts';

const NAMES: Record<RemediationLayer, string> = { hazards: 'hazard (隐患)', misconnections: 'misconnection (雨污混接)' };

const remediationRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, opts) => {
  useApiErrors(app);
  const db = opts.pool;
  const me = async (req: FastifyRequest) => (await currentUser(req, db))!;
  const view = async (layer: RemediationLayer, id: number, req: FastifyRequest) => {
    const r = await remediationOf(db, layer, id, actorOf(await me(req)));
    if (!r) throw new NotFoundError(`no ${layer} feature with id ${id}`);
    return r;
  };

  for (const layer of REMEDIATION_LAYERS) {
    const name = NAMES[layer];
    app.get(`/api/${layer}/:id/remediation`, {
      onRequest: requireLogin(db),
      schema: {
        summary: `A ${name}'s remediation status, its history, the steps this account may take, and the cases raised from it`,
        tags: ['drainage'], params: RemediationParams, response: { 200: Remediation, ...errorResponses },
      },
    }, async (req) => view(layer, req.params.id, req));

    app.post(`/api/${layer}/:id/actions/:action`, {
      // Field staff may confirm and verify in their grids; the rules say which step is whose.
      onRequest: requireRole(db, 'planner', 'field'),
      config: { rateLimit: WRITE_RATE },
      schema: {
        summary: `Take a remediation step on a ${name}: found → confirmed → in_repair → fixed → verified, reject/restore, reopen`,
        description: '409 when the step is not possible from the current status (the answer lists those that are); 403 when the role may not take it; 400 when a note it needs is missing.',
        tags: ['drainage'], params: RemediationStepParams, body: RemediationStepBody,
        response: { 200: Remediation, 409: ErrorBody, ...errorResponses },
      },
    }, async (req) => {
      const { id, action } = req.params;
      const user = await me(req);
      await takeStep(db, layer, id, action, actorOf(user), { user }, req.body?.note, req.ip);
      return view(layer, id, req);
    });

    app.post(`/api/${layer}/:id/case`, {
      onRequest: requireRole(db, 'planner'),
      config: { rateLimit: WRITE_RATE },
      schema: {
        summary: `Raise a case (立案) from a ${name}: the fitting catalogue item, its position and description; its closure fixes the ${layer === 'hazards' ? 'hazard' : 'misconnection'}`,
        description: 'Needs it confirmed or in repair; a confirmed one goes into repair. 409 when it already has an open case or is in another status.',
        tags: ['drainage'], params: RemediationParams, body: RaiseCaseBody,
        response: { 201: RaisedCase, 409: ErrorBody, ...errorResponses },
      },
    }, async (req, reply) => {
      const { id } = req.params;
      const user = await me(req);
      const c = await raiseCaseFrom(db, layer, id, actorOf(user), { user }, req.body ?? {}, req.ip);
      return reply.code(201).send({ case: c, remediation: await view(layer, id, req) });
    });
  }
};

export default remediationRoutes;
