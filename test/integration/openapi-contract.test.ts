// The route contracts (common/api) as the API publishes them: /api/openapi.json of the real app says what
// each operation answers, not only what it takes, and the routes take their request types from the
// contracts instead of casting what arrives.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();

/** Share of the operations that must describe their 2xx answers. */
const DESCRIBED_SHARE = 0.9;

const ROUTES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/routes');

interface Schema { type?: string | string[]; properties?: object; items?: unknown; additionalProperties?: unknown; anyOf?: unknown; oneOf?: unknown; allOf?: unknown; enum?: unknown }
interface Response { content?: Record<string, { schema?: Schema }> }
interface OpenApi { paths: Record<string, Record<string, { responses?: Record<string, Response> }>> }

const isJson = (mediaType: string) => /[/+]json\b/.test(mediaType);

/**
 * Whether a schema says something about a JSON body: an object with no properties and any others
 * ({ type: 'object', additionalProperties: true }) says only "some object".
 */
function saysSomething(s: Schema | undefined): boolean {
  if (!s) return false;
  if (s.anyOf || s.oneOf || s.allOf || s.enum || s.items) return true;
  if (Object.keys(s.properties ?? {}).length || (typeof s.additionalProperties === 'object' && s.additionalProperties !== null)) return true;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return s.type !== undefined && !types.includes('object');
}

/** A 2xx answer is described by a schema that says something (JSON), or by its content type (tiles, files, streams); a 204 has no body. */
function described(status: string, r: Response): boolean {
  if (status === '204') return true;
  const content = Object.entries(r.content ?? {});
  return content.length > 0 && content.every(([type, media]) => (isJson(type) ? saysSomething(media.schema) : true));
}

describe('the OpenAPI document', () => {
  it(`describes the 2xx answers of at least ${DESCRIBED_SHARE * 100} % of the operations`, async () => {
    const doc = await (await fetch(`${ctx.app.baseUrl}/api/openapi.json`)).json() as OpenApi;
    const operations: string[] = [];
    const undescribed: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${p}`;
        operations.push(name);
        const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        if (!ok.length || !ok.every(([status, r]) => described(status, r))) undescribed.push(name);
      }
    }
    const share = 1 - undescribed.length / operations.length;
    console.log(`openapi: ${operations.length - undescribed.length} of ${operations.length} operations describe their 2xx answers (${(share * 100).toFixed(1)} %)`);
    expect(operations.length).toBeGreaterThan(50);
    expect(share, `operations whose 2xx answer is not described:\n${undescribed.join('\n')}`).toBeGreaterThanOrEqual(DESCRIBED_SHARE);
  });
});

describe('the route files', () => {
  it('take request types from their schemas: no req.query/req.body/req.params cast except on a line that says why', () => {
    const casts: string[] = [];
    for (const file of readdirSync(ROUTES).filter((f) => f.endsWith('.ts'))) {
      readFileSync(path.join(ROUTES, file), 'utf8').split('\n').forEach((line, i) => {
        if (/\breq\.(query|body|params)\s+as\b/.test(line) && !/\/\/|\/\*/.test(line)) casts.push(`server/routes/${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(casts, casts.join('\n')).toEqual([]);
  });
});
