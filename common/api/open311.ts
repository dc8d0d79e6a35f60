// Contracts of Open311 GeoReport v2 at /open311/v2 (server/routes/open311.ts): services, service
// definitions and service requests, as JSON (or XML of the same fields), and the evaluation extension.
import { Type, type Static, type TSchema } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.ts';

const ServiceCode = Type.String({ pattern: '^[CE][0-9]{4}$' });
const RequestId = Type.String({ pattern: '^[A-Za-z0-9]{1,40}$' });
/** The largest radius of a nearby search (extension lat/long/radius). */
export const MAX_NEAR_RADIUS_M = 500;
/** Photos a citizen may send with a report or a supplement, besides media_url. */
export const MAX_EXTRA_PHOTOS = 3;
const MediaIds = Type.Array(Type.String({ format: 'uuid' }), {
  maxItems: MAX_EXTRA_PHOTOS, description: 'Extension: ids of more photos uploaded (without logging in) to /api/media',
});
/** A client-made secret: long enough that guessing one is hopeless (≥ 128 bits as base64url). */
const CLIENT_TOKEN = '^[A-Za-z0-9_-]{22,100}$';
const ClientToken = Type.String({ pattern: CLIENT_TOKEN });
export const EVALUATION_LEVELS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type EvaluationLevel = typeof EVALUATION_LEVELS[number];

export const Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: StringEnum(['realtime', 'batch', 'blackbox']),
  keywords: Type.String(),
  group: Type.String(),
});
export type Service = Static<typeof Service>;

export const ServiceList = Type.Array(Service);

export const ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Type.Unknown(), { description: 'None: a report needs only the common fields' }),
});
export type ServiceDefinition = Static<typeof ServiceDefinition>;

/** A citizen's request as the public reads it; description, address and photo only with the reporter's consent. */
export const ServiceRequest = Type.Object({
  service_request_id: Type.String({ description: 'The case number (案卷号)' }),
  status: StringEnum(['open', 'closed']),
  status_notes: Type.String(),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Nullable(Type.String()),
  agency_responsible: Type.String(),
  service_notice: Type.Null(),
  requested_datetime: Timestamp(),
  updated_datetime: Timestamp(),
  expected_datetime: Nullable(Timestamp({ description: 'The deadline' })),
  address: Nullable(Type.String()),
  address_id: Type.Null(),
  zipcode: Type.Null(),
  lat: Type.Number(),
  long: Type.Number(),
  media_url: Nullable(Type.String()),
});
export type ServiceRequest = Static<typeof ServiceRequest>;

export const ServiceRequestList = Type.Array(ServiceRequest);
/** One request, in a list of one (as Open311 answers for one). */
export const OneServiceRequest = Type.Array(ServiceRequest, { minItems: 1, maxItems: 1 });

export const RequestsQuery = Type.Object({
  service_request_id: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$' })),
  service_code: Type.Optional(ServiceCode),
  start_date: Type.Optional(Type.String({ format: 'date-time' })),
  end_date: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Optional(StringEnum(['open', 'closed'])),
  // Extension: requests near a point (the citizen page's "reported nearby already?"); all three or none.
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'Extension: with long and radius, only requests within radius metres of this point' })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  radius: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_NEAR_RADIUS_M, description: `Metres, at most ${MAX_NEAR_RADIUS_M}` })),
});
export type RequestsQuery = Static<typeof RequestsQuery>;

export const ServiceParams = Type.Object({ code: ServiceCode });
export const RequestParams = Type.Object({ id: RequestId });

/** A report, as a form or JSON; Open311 clients may send fields of their own, which are ignored. */
export const NewRequestBody = Type.Object({
  service_code: ServiceCode,
  lat: Type.Number(),
  long: Type.Number(),
  address_string: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  email: Type.Optional(Type.String({ maxLength: 200 })),
  first_name: Type.Optional(Type.String({ maxLength: 80 })),
  last_name: Type.Optional(Type.String({ maxLength: 80 })),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  media_url: Type.Optional(Type.String({ maxLength: 500 })),
  device_id: Type.Optional(Type.String({ maxLength: 100 })),
  account_id: Type.Optional(Type.String({ maxLength: 100 })),
  api_key: Type.Optional(Type.String({ maxLength: 100 })),
  x_publish: Type.Optional(Type.Boolean({ default: false, description: 'Consent to publish the description, address and photo' })),
  x_media_ids: Type.Optional(MediaIds),
  x_client_id: Type.Optional(Type.String({ format: 'uuid', description: 'Extension: the client\'s id for this report; sent again (after a lost answer) it gets the same request back (200), given the same x_evaluation_token' })),
  x_evaluation_token: Type.Optional(Type.String({ pattern: CLIENT_TOKEN, description: 'Extension, required with x_client_id: the token, made by the client (≥ 22 base64url characters), instead of one made by the server' })),
});
export type NewRequestBody = Static<typeof NewRequestBody>;

export const RequestCreated = Type.Object({
  service_request_id: Type.String(),
  service_notice: Type.String(),
  account_id: Nullable(Type.String()),
  x_evaluation_token: Type.String({ description: 'Keep it to evaluate the result once the case is closed' }),
});
export type RequestCreated = Static<typeof RequestCreated>;

export const RequestCreatedList = Type.Array(RequestCreated, { minItems: 1, maxItems: 1 });

export const EvaluationBody = Type.Object({
  token: Type.String({ maxLength: 100 }),
  satisfied: Type.Boolean(),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  x_level: Type.Optional(StringEnum(EVALUATION_LEVELS, { description: 'Extension: 满意 / 基本满意 / 不满意; satisfied must agree (basic counts as satisfied)' })),
});
export type EvaluationBody = Static<typeof EvaluationBody>;

export const Evaluated = Type.Object({
  service_request_id: Type.String(), satisfied: Type.Boolean(), comment: Nullable(Type.String()), x_level: Nullable(StringEnum(EVALUATION_LEVELS)),
});
export type Evaluated = Static<typeof Evaluated>;

export const EvaluatedList = Type.Array(Evaluated, { minItems: 1, maxItems: 1 });

export const TimelineQuery = Type.Object({ token: ClientToken });

/** Extension: a request's history as its reporter follows it (with the token): statuses and their public words only. */
export const Timeline = Type.Object({
  service_request_id: Type.String(),
  status: StringEnum(['open', 'closed']),
  steps: Type.Array(Type.Object({
    x_status: Type.String({ description: 'The workflow status reached (reported, accepted … closed, rejected)' }),
    status_notes: Type.String({ description: 'The public words for it; staff notes are never shown' }),
    at: Timestamp(),
  })),
  x_may_evaluate: Type.Boolean({ description: 'Closed and not evaluated yet' }),
  x_evaluation: Nullable(Evaluated),
});
export type Timeline = Static<typeof Timeline>;
export const TimelineList = Type.Array(Timeline, { minItems: 1, maxItems: 1 });

/** Extension: what a citizen adds to someone's report (补充); it changes nothing of the report. */
export const SupplementBody = Type.Object({
  x_client_id: Type.String({ format: 'uuid', description: 'The client\'s id for this supplement: sent again, it is kept once' }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  media_url: Type.Optional(Type.String({ maxLength: 500 })),
  x_media_ids: Type.Optional(MediaIds),
});
export type SupplementBody = Static<typeof SupplementBody>;

export const SupplementAdded = Type.Object({ service_request_id: Type.String(), x_photos: Type.Integer(), x_duplicate: Type.Boolean() });
export type SupplementAdded = Static<typeof SupplementAdded>;
export const SupplementAddedList = Type.Array(SupplementAdded, { minItems: 1, maxItems: 1 });

/**
 * A 2xx answer of an Open311 route: `schema` as JSON at the .json path, the same fields as XML
 * (<root><child>…</child></root>) at the .xml path. The routes write both themselves (as text).
 */
export const open311Answer = (format: 'json' | 'xml', schema: TSchema, description: string): { description: string; content: Record<string, { schema: TSchema }> } => ({
  description,
  content: format === 'json'
    ? { 'application/json': { schema } }
    : { 'text/xml': { schema: Type.String({ description: `${description}, as Open311 XML` }) } },
});
