// Alarms: the list (public, no names), one alarm with its handling history (staff), and the handling
// actions acknowledge / assign / escalate / close (server/domain/alarm-handling.ts says who may do what).
// Each action changes the alarm row, whose trigger sends the live event to every wall and map.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AlarmActionBody, AlarmActionParams, AlarmDetails, AlarmIdParams, AlarmList, AlarmsQuery } from '../../common/api/alarms.ts';
import { asJson } from '../../common/api/common.ts';
import { ErrorBody, errorResponses } from '../../common/api/errors.ts';
import { alarmFor, takeAlarmAction } from '../alarms/actions.ts';
import { listAlarms } from '../alarms/list.ts';
import { currentUser, requireLogin } from '../auth/request-user.ts';
import type { Pool } from '../db/pool.ts';
import type { AckMinutes } from '../domain/alarm-handling.ts';
import { NotFoundError } from '../http/errors.ts';
import { useApiErrors, WRITE_RATE } from '../http/route-helpers.ts';

const alarmRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; ack: AckMinutes }> = async (app, opts) => {
  useApiErrors(app);
  const { pool: db, ack } = opts;
  const anyone = requireLogin(db);
  const me = async (req: FastifyRequest) => (await currentUser(req, db))!;

  app.get('/api/alarms', {
    schema: {
      summary: 'Alarms, in effect first (level, station, position, value, peak, the case it opened, its handling: state, unit, 督办)',
      description: 'unit: the alarms whose station lies in that district, street, community or grid (wherever they are handled now).',
      tags: ['live'],
      querystring: AlarmsQuery,
      response: { 200: AlarmList, ...errorResponses },
    },
  }, async (req) => asJson({ items: await listAlarms(db, req.query, ack) }));

  app.get('/api/alarms/:id', {
    onRequest: anyone,
    schema: {
      summary: 'One alarm for staff: who acknowledged, assigned and closed it, its handling history, and the actions this account may take now',
      tags: ['live'],
      params: AlarmIdParams,
      response: { 200: AlarmDetails, ...errorResponses },
    },
  }, async (req) => {
    const a = await alarmFor(db, req.params.id, await me(req), ack);
    if (!a) throw new NotFoundError(`no alarm ${req.params.id}`);
    return asJson(a);
  });

  app.post('/api/alarms/:id/actions/:action', {
    onRequest: anyone,
    config: { rateLimit: WRITE_RATE },
    schema: {
      summary: 'Handle an alarm: acknowledge, assign (assignee), escalate (note; community → street → district), close (note)',
      description: '403 when the account\'s role may not take the action or does not reach the unit handling the alarm; 409 when the action is not possible in the alarm\'s state (or escalating at the district).',
      tags: ['live'],
      params: AlarmActionParams,
      body: AlarmActionBody,
      response: { 200: AlarmDetails, 409: ErrorBody, ...errorResponses },
    },
  }, async (req) => {
    const { id, action } = req.params;
    return asJson(await takeAlarmAction(db, id, action, await me(req), req.body ?? {}, req.ip, ack));
  });
};

export default alarmRoutes;
