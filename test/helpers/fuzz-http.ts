// Sending fuzzed requests exactly as generated (node:http: no URL normalisation, any method, header and
// body bytes), and the properties every answer must have.
import http from 'node:http';
import zlib from 'node:zlib';

export interface FuzzRequest {
  /** The operation it was made for ("GET /api/collections/{collectionId}/items"), for the summary. */
  op: string;
  method: string;
  /** Path and query, already percent-encoded (possibly badly, on purpose). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** latin1 sends each char as one byte: bodies that are not valid UTF-8. */
  bodyEncoding?: 'utf8' | 'latin1';
}

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Set when no complete answer came (connection reset, timeout). */
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const BINARY = /vnd\.mapbox-vector-tile|geopackage|octet-stream|^image\/|zip/;

/** Sends one request; a text/event-stream is cut after its first bytes (it would never end). */
export function send(baseUrl: string, req: FuzzRequest, timeoutMs = 20_000): Promise<FuzzResponse> {
  const base = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(req.body, req.bodyEncoding ?? 'utf8');
  const headers = { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: FuzzResponse) => { if (!done) { done = true; clearTimeout(timer); resolve(r); } };
    const r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.url, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      const streaming = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (streaming) { res.destroy(); r.destroy(); finish({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }); }
      });
      res.on('end', () => finish({ status: res.statusCode!, headers: res.headers, text: decode(Buffer.concat(chunks), res.headers) }));
      res.on('error', (e) => finish({ status: res.statusCode!, headers: res.headers, text: '', error: `response broke off: ${e.message}` }));
    });
    const timer = setTimeout(() => { r.destroy(); finish({ status: 0, headers: {}, text: '', error: `no answer within ${timeoutMs} ms` }); }, timeoutMs);
    r.on('error', (e) => finish({ status: 0, headers: {}, text: '', error: `request failed: ${e.message}` }));
    r.end(body);
  });
}

function decode(buf: Buffer, headers: http.IncomingHttpHeaders): string {
  const enc = headers['content-encoding'];
  try {
    if (enc === 'br') buf = zlib.brotliDecompressSync(buf);
    else if (enc === 'gzip') buf = zlib.gunzipSync(buf);
    else if (enc === 'deflate') buf = zlib.inflateSync(buf);
  } catch (e) {
    return `<undecodable ${enc} body: ${(e as Error).message}>`;
  }
  return BINARY.test(String(headers['content-type'] ?? '')) ? buf.toString('latin1') : buf.toString('utf8');
}

// What gives a server's insides away: file paths and stack frames, and error texts of JavaScript or
// PostgreSQL that should have been turned into a message for a person.
const STACK = /node_modules|\.[cm]?[jt]sx?:\d+|\n\s+at [\w.<>]+ \(/;
const INTERNALS = /Cannot read propert|is not a function|is not defined|is not iterable|Maximum call stack|invalid input syntax for|violates .* constraint|syntax error at or near|out of range for type|relation ".*" does not exist|\bRangeError\b|\bTypeError\b/;

const MAX_HEAD = 16 * 1024 - 512;
const headSize = (req: FuzzRequest) => req.method.length + req.url.length + Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + 64;

/** What is wrong with this answer to `req`, or null when it is a proper answer. */
export function problemWith(req: FuzzRequest, res: FuzzResponse): string | null {
  // Past Node's 16 KB limit on the request line and headers, Node itself answers 431 or, on a reused
  // keep-alive connection, drops it: that is the HTTP layer's limit, not the app's to answer.
  if (headSize(req) > MAX_HEAD && (res.status === 431 || res.status === 414 || /hang up|ECONNRESET/.test(res.error ?? ''))) return null;
  if (res.error && !res.status) return res.error;
  if (res.status >= 500) return `answered ${res.status}`;
  const type = String(res.headers['content-type'] ?? '');
  if (BINARY.test(type) ? /node_modules/.test(res.text) : STACK.test(res.text)) return 'the body gives away a stack trace or a server file path';
  // HEAD answers have no body to judge.
  if (req.method === 'HEAD' || res.status === 204 || res.status === 304) return null;
  if (res.status < 400) return /json/.test(type) && !isJson(res.text) ? `a ${res.status} says it is JSON but is not` : null;
  if (/json/.test(type)) {
    let body: unknown;
    try { body = JSON.parse(res.text); } catch { return `a ${res.status} says it is JSON but is not`; }
    // Open311 answers errors in its own shape: [{ code, description }].
    const open311 = req.url.startsWith('/open311/') && Array.isArray(body) && body.every((e) => typeof e?.description === 'string' && e.description.trim());
    const message = (body as { message?: unknown } | null)?.message;
    if (!open311 && !(typeof message === 'string' && message.trim())) return `a ${res.status} without a message saying what is wrong`;
    if (INTERNALS.test(open311 ? JSON.stringify(body) : String(message))) return `a ${res.status} whose message is an internal error text`;
    return null;
  }
  if (!res.text.trim()) return `a ${res.status} with an empty body`;
  if (/xml/.test(type) && !/<description>[^<]+<\/description>/.test(res.text)) return `an XML ${res.status} without a <description>`;
  return null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** The request and its answer, as a failure message a person can replay. */
export function describeExchange(req: FuzzRequest, res: FuzzResponse, problem: string): string {
  const headers = Object.entries(req.headers).map(([k, v]) => `  ${k}: ${cut(v, 120)}`).join('\n');
  return [
    `${problem}`,
    `request:  ${req.method} ${cut(req.url, 600)}`,
    headers,
    req.body === undefined ? '  (no body)' : `  body (${req.body.length} chars${req.bodyEncoding === 'latin1' ? ', latin1' : ''}): ${cut(JSON.stringify(req.body), 600)}`,
    `response: ${res.status || '-'} ${res.headers['content-type'] ?? ''}${res.error ? ` (${res.error})` : ''}`,
    `  ${cut(res.text, 800)}`,
  ].join('\n');
}
