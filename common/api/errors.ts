// The body of every 4xx/5xx answer, shared by the route contracts (server) and the API client (browser).
import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  { error: Type.String(), message: Type.String() },
  { description: 'What was wrong, in words a person can act on' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** The error answers most routes can give. */
export const errorResponses = { 400: ErrorBody, 404: ErrorBody, 503: ErrorBody } as const;
