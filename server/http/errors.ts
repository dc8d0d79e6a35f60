// Errors the feature and query layer raises for the client's input. Each carries its HTTP status and a
// message a person can act on; the route plugins turn them into `{ error, message }` bodies. Anything
// else (database down, bugs) goes on to the app's error handler (503 / 500, never a stack trace).

export class ApiError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
  }
}

/** 400: the request cannot be understood as asked. */
export class BadRequestError extends ApiError {
  constructor(message: string) {
    super(400, 'bad request', message);
  }
}

/** 404: a well-formed request for something that is not there. */
export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, 'not found', message);
  }
}

/** 409: the request is understood but conflicts with the state of the thing (a step not possible now). */
export class ConflictError extends ApiError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** Quotes user input in messages without echoing kilobytes of it back. */
export function show(value: unknown, max = 60): string {
  const s = String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
