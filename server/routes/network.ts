// Planners' network tools: the longitudinal profile of a path and the design checks. Parse, ask the
// data modules (server/network/profile.ts, checks.ts), answer.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { ChecksQuery, ChecksResult, Profile, ProfileQuery, type CheckCode, type Severity } from '../../common/api/network.ts';
import { BadRequestError } from '../http/errors.ts';
import { useApiErrors } from '../http/route-helpers.ts';
import { expensive } from '../limits/expensive.ts';
import { runChecks } from '../network/checks.ts';
import { longitudinalProfile } from '../network/profile.ts';
import { MAX_PROFILE_REACHES } from '../../common/api/network.ts';
import { tracerFor } from '../network/tracer.ts';
import { parseBbox } from './density.ts';

const idOf = (ref: string) => Number(ref.split(':')[1]);

const networkRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, opts) => {
  useApiErrors(app);
  const tracer = tracerFor(opts.pool);
  const costly = expensive(opts.pool);

  app.get('/api/network/profile', {
    schema: {
      summary: 'Longitudinal profile (纵断面) of a path along the flow',
      description: `From a manhole (or a pipe's upstream manhole) down to another manhole by the fewest reaches, or, without to, following the flow to its end. Stations with chainage, ground, invert, crown, depth, water level; reaches with inverts, crowns, slope; defects and hazards at their chainage. 404: an unknown manhole; 422: no path along the flow, or longer than ${MAX_PROFILE_REACHES} reaches.`,
      tags: ['drainage'],
      querystring: ProfileQuery,
      response: { 200: Profile, 422: ErrorBody, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => {
    const [kind, id] = req.query.from.split(':');
    return longitudinalProfile(opts.pool, tracer, { kind: kind as 'manhole' | 'pipe', id: Number(id) }, req.query.to ? idOf(req.query.to) : null);
  });

  app.get('/api/network/checks', {
    schema: {
      summary: 'Network design checks: 倒坡, 管径倒置, crowns, shallow manholes, no outfall, rain/sewage connections, zero-length and duplicate reaches, missing levels',
      description: 'In an area (bbox), one import (import) or the whole network. Each finding has its reach or manhole, check code, severity and the figures of its reason.',
      tags: ['drainage'],
      querystring: ChecksQuery,
      response: { 200: ChecksResult, ...errorResponses },
    },
    preHandler: costly,
  }, async (req) => {
    const q = req.query;
    let bbox = null;
    if (q.bbox) {
      const b = parseBbox(q.bbox);
      if (typeof b === 'string') throw new BadRequestError(b);
      bbox = b;
    }
    return runChecks(opts.pool, { bbox, import_id: q.import ?? null }, {
      codes: q.codes ? q.codes.split(',') as CheckCode[] : undefined,
      severities: q.severity ? q.severity.split(',') as Severity[] : undefined,
      limit: q.limit,
    });
  });
};

export default networkRoutes;
