// One way to call our server: JSON in and out, a timeout, and errors a panel can show.

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The answer's JSON body, when it had one (a refused import carries its report). */
    readonly body?: unknown,
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
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { method: 'GET', signal });
}

export function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });
}

export const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

export function deleteJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { method: 'DELETE', signal });
}

/** A JSON request with headers of its own (If-Match on an edit); `body` undefined sends none. */
export function sendJson<T>(method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
  const json = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
  return request<T>(url, { method, headers, ...json, signal });
}

export function patchJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });
}

/**
 * A file as the raw request body. XMLHttpRequest rather than fetch: only it reports upload progress,
 * which a planner needs to see for a survey of tens of megabytes on a slow office line.
 */
export function uploadFile<T>(url: string, file: Blob, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError((body as { message?: string } | null)?.message ?? (xhr.statusText || `HTTP ${xhr.status}`), xhr.status, body ?? undefined));
    };
    xhr.onerror = () => reject(new ApiError('network', 0));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
