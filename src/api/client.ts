// One way to call our server: JSON in and out, a timeout, and errors a panel can show.

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
  get notFound(): boolean {
    return this.status === 404;
  }
}

const TIMEOUT_MS = 15_000;

async function request<T>(url: string, init: RequestInit & { signal?: AbortSignal }): Promise<T> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal, headers: { accept: 'application/json', ...init.headers } });
  } catch (e) {
    if (init.signal?.aborted) throw e; // the caller cancelled: not an error to show
    throw new ApiError(timeout.aborted ? 'timeout' : 'network', 0);
  }
  if (!res.ok) {
    let message = res.statusText;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(message, res.status);
  }
  return (await res.json()) as T;
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { method: 'GET', signal });
}

export function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });
}

export const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';
